// Once per test run: decide whether MySQL is there (required when CI=true), and migrate one template
// database per dialect. Each test file then clones a template instead of migrating from scratch.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import knexFactory from 'knex';
import { createDatabase } from '../../server/db/connection.js';
import { migrateLatest } from '../../server/db/migrate.js';
import { TEST_MYSQL_URL, mysqlUrl } from '../helpers/env.js';
import { bundleServer } from './bundle-server.js';

async function mysqlReachable(): Promise<string | null> {
  const probe = knexFactory({
    client: 'mysql2',
    connection: { uri: mysqlUrl(), connectTimeout: 3000 } as never,
    pool: { min: 0, max: 1 },
  });
  try {
    await probe.raw('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await probe.destroy();
  }
}

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const runDir = path.join(os.tmpdir(), `folio-test-${runId}`);
  mkdirSync(runDir, { recursive: true });
  process.env.FOLIO_TEST_RUN_ID = runId;
  process.env.FOLIO_TEST_RUN_DIR = runDir;
  process.env.FOLIO_TEST_BUNDLE_DIR = await bundleServer(runId);

  const sqliteTemplate = path.join(runDir, 'template.db');
  const sqlite = createDatabase(`sqlite:${sqliteTemplate}`);
  await migrateLatest(sqlite);
  await sqlite.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  await sqlite.destroy();
  process.env.FOLIO_TEST_SQLITE_TEMPLATE = sqliteTemplate;

  const unreachable = await mysqlReachable();
  if (unreachable) {
    const message = `MySQL at ${TEST_MYSQL_URL} is unreachable (${unreachable})`;
    if (process.env.CI === 'true') throw new Error(`${message}: CI requires both databases.`);
    const bar = '!'.repeat(100);
    process.stderr.write(
      `\n${bar}\n!! ${message}.\n!! EVERY MySQL TEST IS SKIPPED in this run. Start it with:\n!!   ` +
        `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd\n${bar}\n\n`,
    );
    process.env.FOLIO_TEST_MYSQL = '0';
    return;
  }
  const template = `folio_tpl_${runId}`;
  const server = knexFactory({ client: 'mysql2', connection: { uri: mysqlUrl() } as never, pool: { min: 0, max: 1 } });
  await server.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [template]);
  await server.destroy();
  const db = createDatabase(mysqlUrl(template));
  await migrateLatest(db);
  await db.destroy();
  process.env.FOLIO_TEST_MYSQL = '1';
  process.env.FOLIO_TEST_MYSQL_TEMPLATE = template;
}
