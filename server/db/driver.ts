// Runs a SELECT that is already SQL text straight on the driver of a pooled connection. The
// statement templates (content/query/statements.ts) compile a read once per shape; running the
// result through knex again (a raw builder, its runner, its response processing) was a fifth of
// the server's CPU for one entry by documentId (E4), once the compiling itself was gone.
//
// What knex gives a query is kept: the connection comes from (and goes back to) knex's pool, with
// its acquire timeout and its validation, and knex's 'query' event is emitted, so `db.on('query')`
// (debugging, the tests that count statements) sees these statements like any other. Inside a
// transaction the statement goes through knex, which holds the transaction's connection.
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import type { DialectName } from './connection.js';
import { withoutBoundValues } from './errors.js';

type Row = Record<string, unknown>;

interface PooledConnection {
  __knexUid?: string;
}
interface MysqlConnection extends PooledConnection {
  query(sql: string, values: readonly unknown[], done: (err: Error | null, rows: unknown) => void): void;
}
interface KnexClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<void>;
  emit(
    event: 'query',
    query: { sql: string; bindings: readonly unknown[]; method: 'raw'; __knexUid?: string },
  ): boolean;
}

/** Prepared statements kept per SQLite connection; the least recently used goes first. */
const MAX_SQLITE_STATEMENTS = 500;
const sqliteStatements = new WeakMap<SqliteDatabase, LRUCache<string, Statement>>();

function sqliteStatement(connection: SqliteDatabase, sql: string): Statement {
  let statements = sqliteStatements.get(connection);
  if (!statements) {
    statements = new LRUCache({ max: MAX_SQLITE_STATEMENTS });
    sqliteStatements.set(connection, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; knex turns the rest the same way. */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

function runMysql(connection: MysqlConnection, sql: string, bindings: readonly unknown[]): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    connection.query(sql, bindings, (err, rows) =>
      err ? reject(withoutBoundValues(err, sql)) : resolve(rows as Row[]),
    );
  });
}

/** The rows `sql` (a SELECT with `?` placeholders) reads for `bindings`. */
export async function selectRows(
  db: Knex,
  dialect: DialectName,
  sql: string,
  bindings: readonly unknown[],
): Promise<Row[]> {
  if (db.isTransaction) {
    const result = (await db.raw(sql, bindings as Knex.RawBinding[])) as unknown;
    // mysql2 answers [rows, fields]; better-sqlite3 the rows.
    return (dialect === 'mysql' ? (result as [Row[]])[0] : result) as Row[];
  }
  const client = db.client as KnexClient;
  const connection = await client.acquireConnection();
  try {
    client.emit('query', { sql, bindings, method: 'raw', __knexUid: connection.__knexUid });
    if (dialect === 'mysql') return await runMysql(connection as MysqlConnection, sql, bindings);
    return sqliteStatement(connection as unknown as SqliteDatabase, sql).all(bindings.map(sqliteValue)) as Row[];
  } finally {
    void client.releaseConnection(connection);
  }
}
