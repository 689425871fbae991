// Boots Folio in-process on a fresh database, the way server/index.ts does, for supertest.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type Koa from 'koa';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { describe, beforeAll, afterAll } from '@jest/globals';
import { createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import type { DialectName } from '../../server/db/connection.js';
import { openFolio, type Folio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { connectTestDatabase, createTestDatabase, DIALECTS, type TestDatabase } from './databases.js';
import { MYSQL_AVAILABLE, RUN_DIR, TEST_SECRET } from './env.js';

export interface TestFolio {
  dialect: DialectName;
  folio: Folio;
  app: Koa;
  db: Knex;
  database: TestDatabase;
  /** supertest bound to the app's callback. */
  http: () => ReturnType<typeof supertest>;
  close(): Promise<void>;
}

/**
 * The environment a test server gets: a fresh uploads folder, no demo, quiet logs, and webhooks
 * allowed to reach the receivers tests start on 127.0.0.1 (`WEBHOOK_ALLOWED_HOSTS: ''` gives the
 * production default back).
 */
export function testEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    FOLIO_DEMO: 'false',
    FOLIO_SECRET: TEST_SECRET,
    UPLOADS_DIR: mkdtempSync(path.join(RUN_DIR || os.tmpdir(), 'uploads-')),
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    // The cheapest argon2id the configuration allows: tests sign in a few hundred accounts, and the
    // production cost (64 MiB, 3 passes, 4 lanes) made that a minute and a half of a run on 2 cores.
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_PASSES: '1',
    PASSWORD_HASH_PARALLELISM: '1',
    ...extra,
  };
}

export async function startTestFolio(dialect: DialectName, env: Record<string, string> = {}): Promise<TestFolio> {
  const database = await createTestDatabase(dialect);
  const config: Config = loadConfig(testEnv(database.url, env));
  const db = connectTestDatabase(database);
  const folio = await openFolio(config, { logger: silentLogger(), db });
  const app = createApp(folio);
  const callback = app.callback();
  return {
    dialect,
    folio,
    app,
    db,
    database,
    http: () => supertest(callback),
    async close() {
      await folio.close();
      await db.destroy();
      await database.drop();
    },
  };
}

/**
 * Declares the same suite once per database. On MySQL it is skipped (loudly, by global-setup)
 * only outside CI; in CI an unreachable MySQL has already failed the run.
 */
export function describeEachDatabase(
  title: string,
  body: (ctx: () => TestFolio) => void,
  env: Record<string, string> = {},
): void {
  for (const dialect of DIALECTS) {
    const run = dialect === 'mysql' && !MYSQL_AVAILABLE ? describe.skip : describe;
    run(`${title} [${dialect}]`, () => {
      let current: TestFolio | undefined;
      beforeAll(async () => {
        current = await startTestFolio(dialect, env);
      });
      afterAll(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error('the test Folio is not started yet');
        return current;
      });
    });
  }
}

/**
 * Runs `body` with resolved tokens and abilities trusted for `ms` (AccessService.freshnessMs, 1 s
 * by default): tests that count statements over several requests must not see a slow machine
 * outlast the second and re-read them.
 */
export async function withAccessFreshness<T>(folio: Folio, ms: number, body: () => Promise<T>): Promise<T> {
  const freshness = folio.access.freshnessMs;
  folio.access.freshnessMs = ms;
  try {
    return await body();
  } finally {
    folio.access.freshnessMs = freshness;
  }
}
