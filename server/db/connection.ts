// knex factory: SQLite (better-sqlite3, WAL) by default, MySQL protocol (mysql2, utf8mb4) in production.
// Dialect differences that the rest of the code must know about live in ./dialect.ts, not here.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';
import knexFactory, { type Knex } from 'knex';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { withoutBoundValues } from './errors.js';
import { SQLITE_CLIENT } from './sqlite-client.js';

export type DialectName = 'sqlite' | 'mysql';

export interface ParsedDatabaseUrl {
  dialect: DialectName;
  /** SQLite: absolute file path or ':memory:'. */
  filename?: string;
  /** MySQL: connection settings; database may be absent (server-level connection). */
  mysql?: { host: string; port: number; user: string; password?: string; database?: string };
}

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!rest) throw new DatabaseUrlError('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/folio.db');
    return { dialect: 'sqlite', filename: rest === ':memory:' ? rest : path.resolve(rest) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`DATABASE_URL is not a valid URL: ${redactUrl(url)}`);
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new DatabaseUrlError(
      `DATABASE_URL: unsupported database "${parsed.protocol.replace(':', '')}" (use sqlite: or mysql://)`,
    );
  }
  if (!parsed.hostname) throw new DatabaseUrlError('DATABASE_URL: mysql:// needs a host');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined;
  if (database && !/^[A-Za-z0-9_$-]{1,64}$/.test(database)) {
    throw new DatabaseUrlError(`DATABASE_URL: "${database}" is not a valid database name`);
  }
  return {
    dialect: 'mysql',
    mysql: {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username || 'root'),
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      database,
    },
  };
}

/** The URL with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

export interface DatabaseOptions {
  /** Connections in the MySQL pool; SQLite always uses one writer connection. */
  poolMax?: number;
  /** Where knex's own warnings go (a connection that could not be acquired, …); stderr without one. */
  logger?: Logger;
}

/**
 * The database file holds password hashes, session digests and encrypted secrets: it is created
 * readable by its owner only, like data/secret (SQLite gives its -wal and -shm files the database
 * file's mode). An existing file keeps the mode it has.
 */
function createPrivateFile(filename: string): void {
  mkdirSync(path.dirname(filename), { recursive: true });
  closeSync(openSync(filename, 'a', 0o600));
}

function sqliteConfig(filename: string): Knex.Config {
  if (filename !== ':memory:') createPrivateFile(filename);
  return {
    client: SQLITE_CLIENT,
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteDatabase, done: (err: Error | null, conn: SqliteDatabase) => void) {
        // WAL lets readers run beside the writer; busy_timeout waits out a CLI writing at the same time.
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        // SQLite's own lower() folds ASCII only ('É' stays 'É'); case-insensitive filters use this
        // one, which folds like JavaScript (and like MySQL's utf8mb4 collations) for every script.
        conn.function(UNICODE_LOWER, { deterministic: true }, (value: string | number | bigint | Buffer | null) =>
          value === null ? null : String(value).toLowerCase(),
        );
        done(null, conn);
      },
    },
  };
}

/** The SQL function that lowercases text for case-insensitive comparisons, per dialect. */
export const UNICODE_LOWER = 'folio_lower';
export function lowerFunction(dialect: DialectName): string {
  return dialect === 'mysql' ? 'LOWER' : UNICODE_LOWER;
}

function mysqlConfig(settings: NonNullable<ParsedDatabaseUrl['mysql']>, options: DatabaseOptions): Knex.Config {
  return {
    client: 'mysql2',
    connection: {
      ...settings,
      charset: 'utf8mb4',
      timezone: 'Z',
      // DECIMAL as JSON numbers (docs/content-api.md), DATE as 'YYYY-MM-DD' with no time zone shift.
      decimalNumbers: true,
      supportBigNumbers: true,
      dateStrings: ['DATE'],
      connectTimeout: 5000,
    } as unknown as Knex.MySql2ConnectionConfig, // knex's type lags mysql2's (dateStrings takes a type list)
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      afterCreate(
        conn: { query: (sql: string, cb: (err: Error | null) => void) => void },
        done: (err: Error | null, conn: unknown) => void,
      ) {
        // Strict mode everywhere: a too-long string is an error, never silently truncated.
        conn.query(
          "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO," +
            "NO_ENGINE_SUBSTITUTION'",
          (err) => done(err, conn),
        );
      },
    },
    acquireConnectionTimeout: 10000,
  };
}

const text = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message));

/**
 * knex prints its own warnings with console.log, and stdout belongs to the CLI's results: they go to
 * the logger as structured lines (`component: "knex"`), or to stderr when there is none (the CLI's
 * short-lived connections, tests).
 */
function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  const write = logger
    ? (level: 'warn' | 'error') => (message: unknown) => logger[level]({ component: 'knex' }, text(message))
    : () => (message: unknown) => process.stderr.write(`knex: ${text(message)}\n`);
  return { warn: write('warn'), error: write('error'), deprecate: write('warn'), debug: () => {} };
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Knex {
  const parsed = parseDatabaseUrl(url);
  const config =
    parsed.dialect === 'sqlite' ? sqliteConfig(parsed.filename as string) : mysqlConfig(parsed.mysql!, options);
  // A failed statement's error carries its SQL with placeholders, never the bound values (knex's
  // default writes them into the message, which the error log then printed: passwords' hashes,
  // emails, every id of a huge write).
  const db = knexFactory({ ...config, log: knexLog(options.logger), compileSqlOnError: false });
  db.on('query-error', (err: unknown, query: { sql: string }) => withoutBoundValues(err, query.sql));
  return db;
}

export function dialectOf(db: Knex): DialectName {
  return (db.client as { dialect: string }).dialect === 'mysql' ? 'mysql' : 'sqlite';
}

/**
 * Creates the MySQL database named in the URL when it does not exist yet, so that
 * `DATABASE_URL=mysql://…/folio npm start` works on an empty server.
 */
export async function ensureMySqlDatabase(url: string): Promise<void> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect !== 'mysql' || !parsed.mysql?.database) return;
  const { database, ...server } = parsed.mysql;
  const admin = knexFactory({
    client: 'mysql2',
    connection: { ...server, connectTimeout: 5000 },
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [database]);
  } finally {
    await admin.destroy();
  }
}

/** Answers whether the database takes a trivial query within the timeout. */
export async function pingDatabase(
  db: Knex,
  timeoutMs = 2000,
): Promise<{ ok: true; latencyMs: number } | { ok: false; error: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.raw('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
