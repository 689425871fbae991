// One read transaction on one connection, held for a whole export: every table is read as of the
// same moment. SQLite: a deferred BEGIN in WAL mode reads one snapshot and takes no write lock (the
// knex client's own transactions begin IMMEDIATE, which would stall a running server's writes).
// MySQL/MariaDB: REPEATABLE READ with a consistent snapshot, read only.
import type { Knex } from 'knex';
import type { DialectName } from '../db/connection.js';

export interface Snapshot {
  /** A query on the snapshot's connection. */
  table(name: string): Knex.QueryBuilder;
  raw(sql: string, bindings?: readonly Knex.RawBinding[]): Knex.Raw;
}

export async function withSnapshot<T>(
  db: Knex,
  dialect: DialectName,
  read: (snapshot: Snapshot) => Promise<T>,
): Promise<T> {
  const client = db.client as Knex.Client;
  const connection: unknown = await client.acquireConnection();
  const raw = (sql: string, bindings: readonly Knex.RawBinding[] = []) => db.raw(sql, bindings).connection(connection);
  try {
    if (dialect === 'mysql') {
      await raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await raw('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    } else {
      await raw('BEGIN DEFERRED');
    }
    try {
      return await read({ table: (name) => db(name).connection(connection), raw });
    } finally {
      await raw('ROLLBACK'); // nothing was written: ending it is all there is to do
    }
  } finally {
    await client.releaseConnection(connection);
  }
}
