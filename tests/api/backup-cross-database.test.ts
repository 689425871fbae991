// The documented way from the embedded default to production (issue 22, deliver 2): an archive of a
// SQLite installation imports into MySQL, and MySQL's archive back into SQLite, with every row of
// every table and every file's checksum identical.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportArchive } from '../../server/backup/export.js';
import { importArchive } from '../../server/backup/import.js';
import { PARTS } from '../../server/backup/parts.js';
import { filesOf, rowsOf, seedInstallation } from '../helpers/backup.js';
import { MYSQL_AVAILABLE, RUN_DIR } from '../helpers/env.js';
import { startTestFolio, type TestFolio } from '../helpers/folio.js';

// Skipped (loudly, by global-setup) only outside CI, like every MySQL suite.
const run = MYSQL_AVAILABLE ? describe : describe.skip;

run('backups between databases', () => {
  const started: TestFolio[] = [];
  let dir: string;
  let sqlite: TestFolio;
  let mysql: TestFolio;
  let tables: string[];
  let token: string;

  const start = async (dialect: 'sqlite' | 'mysql') => {
    const folio = await startTestFolio(dialect);
    started.push(folio);
    return folio;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(RUN_DIR, 'backup-x-'));
    sqlite = await start('sqlite');
    token = await seedInstallation(sqlite);
    mysql = await start('mysql');
  });

  afterAll(async () => {
    for (const folio of started) await folio.close();
  });

  it('moves an installation from SQLite to MySQL unchanged', async () => {
    const archive = path.join(dir, 'from-sqlite.tar.gz');
    const manifest = await exportArchive(sqlite.folio, archive, { parts: new Set(PARTS), webhookSecrets: true });
    tables = Object.keys(manifest.tables);
    expect(manifest.dialect).toBe('sqlite');
    await importArchive(mysql.folio, archive);
    expect(await rowsOf(mysql.db, tables)).toEqual(await rowsOf(sqlite.db, tables));
    expect(await filesOf(mysql)).toEqual(await filesOf(sqlite));
  });

  it('moves it back from MySQL to SQLite unchanged', async () => {
    const archive = path.join(dir, 'from-mysql.tar.gz');
    const manifest = await exportArchive(mysql.folio, archive, { parts: new Set(PARTS), webhookSecrets: true });
    expect(manifest.dialect).toBe('mysql');
    const back = await start('sqlite');
    await importArchive(back.folio, archive);
    expect(await rowsOf(back.db, tables)).toEqual(await rowsOf(sqlite.db, tables));
    expect(await filesOf(back)).toEqual(await filesOf(sqlite));
  });

  it("serves the moved content from MySQL, to the source's API token, as SQLite served it", async () => {
    const path = '/api/articles?populate=*&sort=id';
    const served = (t: TestFolio) => t.http().get(path).set('Authorization', `Bearer ${token}`);
    const [before, after] = [await served(sqlite), await served(mysql)];
    expect([before.status, before.body.data.length]).toEqual([200, 2]);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
  });
});
