// A fresh, isolated database per test file, cloned from the run's migrated template:
// SQLite by copying the template file, MySQL by replaying the template's CREATE TABLEs and rows.
import { copyFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe } from '@jest/globals';
import knexFactory, { type Knex } from 'knex';
import { createDatabase, type DialectName } from '../../server/db/connection.js';
import { silentLogger } from '../../server/logger.js';
import { MYSQL_AVAILABLE, MYSQL_TEMPLATE, RUN_DIR, RUN_ID, SQLITE_TEMPLATE, mysqlUrl } from './env.js';

export const DIALECTS: DialectName[] = ['sqlite', 'mysql'];

export interface TestDatabase {
  dialect: DialectName;
  url: string;
  /** Removes the database (the knex instances using it must be destroyed first). */
  drop(): Promise<void>;
}

let counter = 0;
/**
 * Jest gives each test file its own module registry, so this counter starts again in every file a
 * worker runs: the random part keeps two files of one worker from sharing a database (a SQLite copy
 * made where an earlier file's left its WAL file replayed that file's writes into it).
 */
function uniqueName(): string {
  counter += 1;
  return `folio_t_${RUN_ID}_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
}

function cloneSqlite(): TestDatabase {
  const file = path.join(RUN_DIR, `${uniqueName()}.db`);
  copyFileSync(SQLITE_TEMPLATE, file);
  return { dialect: 'sqlite', url: `sqlite:${file}`, drop: async () => {} };
}

/** Tables are copied over this many connections at once: MariaDB's DDL waits on the disk, not the CPU. */
const CLONE_CONNECTIONS = 4;

async function cloneMysql(): Promise<TestDatabase> {
  const name = uniqueName();
  const server = knexFactory({ client: 'mysql2', connection: { uri: mysqlUrl() } as never, pool: { min: 0, max: 1 } });
  try {
    await server.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [name]);
  } finally {
    await server.destroy();
  }
  const target = knexFactory({
    client: 'mysql2',
    connection: { uri: mysqlUrl(name), multipleStatements: false } as never,
    pool: {
      min: 0,
      max: CLONE_CONNECTIONS,
      // Tables arrive in any order, before the tables their foreign keys name.
      afterCreate: (
        conn: { query(sql: string, done: (err: Error | null) => void): void },
        done: (err: Error | null) => void,
      ) => conn.query('SET FOREIGN_KEY_CHECKS = 0', done),
    },
  });
  try {
    const [tables] = (await target.raw(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
      [MYSQL_TEMPLATE],
    )) as [Array<{ name: string }>];
    await Promise.all(
      tables.map(async ({ name: table }) => {
        const [[created]] = (await target.raw('SHOW CREATE TABLE ??.??', [MYSQL_TEMPLATE, table])) as [
          Array<Record<string, string>>,
        ];
        await target.raw(created['Create Table']);
        await target.raw('INSERT INTO ?? SELECT * FROM ??.??', [table, MYSQL_TEMPLATE, table]);
      }),
    );
  } finally {
    await target.destroy();
  }
  return {
    dialect: 'mysql',
    url: mysqlUrl(name),
    async drop() {
      const admin = knexFactory({
        client: 'mysql2',
        connection: { uri: mysqlUrl() } as never,
        pool: { min: 0, max: 1 },
      });
      try {
        await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
      } finally {
        await admin.destroy();
      }
    },
  };
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'mysql') {
    if (!MYSQL_AVAILABLE) throw new Error('MySQL is not available in this run');
    return cloneMysql();
  }
  return cloneSqlite();
}

/** A knex instance on a test database, configured exactly as the server configures it. */
export function connectTestDatabase(database: TestDatabase): Knex {
  // knex's own warnings (a connection refused during an outage test…) go nowhere, as the server's
  // logs do in tests.
  return createDatabase(database.url, { logger: silentLogger() });
}

export interface EachTestDatabase {
  dialect: DialectName;
  database: TestDatabase;
  /** Configured exactly as the server configures it. */
  db: Knex;
}

/**
 * One describe block per database (MySQL skipped when it is not available), each with a fresh test
 * database and a knex instance on it, both gone after the block. For tests of the database layer;
 * describeEachDatabase (helpers/folio.ts) starts a whole Folio.
 */
export function describeEachTestDatabase(
  title: string,
  body: (t: () => EachTestDatabase, dialect: DialectName) => void,
): void {
  for (const dialect of DIALECTS) {
    const run = dialect === 'mysql' && !MYSQL_AVAILABLE ? describe.skip : describe;
    run(`${title} [${dialect}]`, () => {
      let current: EachTestDatabase | undefined;
      beforeAll(async () => {
        const database = await createTestDatabase(dialect);
        current = { dialect, database, db: connectTestDatabase(database) };
      });
      afterAll(async () => {
        await current?.db.destroy();
        await current?.database.drop();
      });
      body(() => {
        if (!current) throw new Error('the test database is not created yet');
        return current;
      }, dialect);
    });
  }
}
