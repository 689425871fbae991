// Black-box: `folio import --from-strapi` as an operator runs it (docs/migrating-from-strapi.md): the
// key from FOLIO_STRAPI_KEY, the summary of what was imported and skipped on stdout. One spawn, on
// SQLite: what the import does on each database is tests/api/strapi-import.test.ts's.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { writeStrapiExport } from '../fixtures/strapi-export.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('sqlite');
});

afterAll(async () => {
  await database.drop();
});

it('imports an encrypted Strapi export with the key from the environment, and prints the summary', async () => {
  const file = path.join(mkdtempSync(path.join(RUN_DIR, 'strapi-cli-')), 'export.tar.gz.enc');
  await writeStrapiExport(file, { key: 'the export key' });
  const result = await runCli(['import', '--from-strapi', file], {
    ...testEnv(database.url),
    FOLIO_STRAPI_KEY: 'the export key',
  });
  expect(result).toMatchObject({ code: 0 });
  // The keys Folio keeps without acting on, as `schema apply` lists them.
  expect(result.stderr).toBe(
    '2 schema key(s) Folio does not support (kept, without effect):\n' +
      '  contentTypes.page.attributes.layout.pluginOptions.i18n.localized (false)\n' +
      '  components.shared.seo.info.name\n',
  );
  expect(result.stdout).toContain(`Imported from ${file} (Strapi 5.54.0, its schema applied):\n`);
  expect(result.stdout).toMatch(/^ +7 article entries$/m);
  expect(result.stdout).toMatch(/^ +1 webhooks: Strapi webhooks are not imported/m);
});
