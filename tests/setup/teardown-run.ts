// Drops every database this run created on the MySQL server, its temporary folder and its bundle.
import { rmSync } from 'node:fs';
import knexFactory from 'knex';
import { mysqlUrl } from '../helpers/env.js';

export default async function globalTeardown(): Promise<void> {
  const runId = process.env.FOLIO_TEST_RUN_ID;
  const runDir = process.env.FOLIO_TEST_RUN_DIR;
  if (runDir) rmSync(runDir, { recursive: true, force: true });
  const bundleDir = process.env.FOLIO_TEST_BUNDLE_DIR;
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  if (!runId || process.env.FOLIO_TEST_MYSQL !== '1') return;
  const server = knexFactory({ client: 'mysql2', connection: { uri: mysqlUrl() } as never, pool: { min: 0, max: 1 } });
  try {
    const [rows] = (await server.raw('SHOW DATABASES')) as [Array<Record<string, string>>];
    for (const row of rows) {
      const name = Object.values(row)[0];
      if (name.endsWith(runId) || name.includes(`_${runId}_`)) await server.raw('DROP DATABASE IF EXISTS ??', [name]);
    }
  } finally {
    await server.destroy();
  }
}
