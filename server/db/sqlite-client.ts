// knex's better-sqlite3 client with one change: a transaction begins IMMEDIATE, taking SQLite's
// write lock at BEGIN instead of at its first write.
//
// The race it closes: in WAL mode a deferred transaction reads from a snapshot; when it then writes
// and another process has committed since that snapshot (a running server's dispatcher renews its
// lease every few seconds; a CLI may apply a schema or create an account beside it), SQLite cannot
// upgrade the lock and answers SQLITE_BUSY_SNAPSHOT at once, without waiting busy_timeout — there
// is nothing to wait for, the snapshot is stale for good. The invariant: a transaction that gets
// past BEGIN holds the write lock, so its reads stay current until it commits, and a second
// process's writes wait (up to busy_timeout) instead of failing someone else's transaction.
// Each Folio process has one SQLite connection, so this serialises nothing inside a process that
// was not serialised already; nested transactions are savepoints and are unaffected.
import { createRequire } from 'node:module';
import type { Knex } from 'knex';

const require = createRequire(import.meta.url);

interface KnexTransaction {
  query(conn: unknown, sql: string): Promise<unknown>;
}
type TransactionClass = new (...args: unknown[]) => KnexTransaction;
type ClientClass = new (config: Knex.Config) => { transaction(...args: unknown[]): KnexTransaction };

const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3/index.js') as ClientClass;
const SqliteTransaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js') as TransactionClass;

class ImmediateTransaction extends SqliteTransaction {
  begin(conn: unknown): Promise<unknown> {
    return this.query(conn, 'BEGIN IMMEDIATE;');
  }
}

class ImmediateSqliteClient extends BetterSqlite3Client {
  override transaction(...args: unknown[]): KnexTransaction {
    return new ImmediateTransaction(this, ...args);
  }
}

/** The knex `client` for SQLite databases (a class, which knex accepts in place of a name). */
export const SQLITE_CLIENT = ImmediateSqliteClient as unknown as typeof Knex.Client;
