// Row values between a database and an archive. The archive's form is the same whichever database
// wrote it: datetimes as ISO UTC text (SQLite holds epoch milliseconds or CURRENT_TIMESTAMP text,
// MySQL answers Dates), JSON as its text (MySQL 8 answers JSON columns parsed), 64-bit integers
// beyond 2^53 as decimal text (as mysql2 answers them). Booleans are 0/1 on both databases already.
import type { Knex } from 'knex';
import { toIsoDateTime } from '../content/values.js';

export type Row = Record<string, unknown>;

/** The columns of a table that hold datetimes, from the database's own description of it. */
export async function datetimeColumns(q: () => Knex.QueryBuilder): Promise<Set<string>> {
  const info = (await q().columnInfo()) as unknown as Record<string, { type: string }>;
  return new Set(
    Object.entries(info)
      .filter(([, column]) => /^(datetime|timestamp)/i.test(column.type))
      .map(([name]) => name),
  );
}

function encodeValue(value: unknown, datetime: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (datetime) return toIsoDateTime(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Buffer.isBuffer(value)) throw new Error('binary columns are not part of any Folio table');
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** A row read from the source database → its archive form. */
export function encodeRow(row: Row, datetimes: ReadonlySet<string>): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) out[column] = encodeValue(value, datetimes.has(column));
  return out;
}

/**
 * An archive row → values the target database stores as its own code would have: datetimes as
 * Dates (mysql2 writes them in UTC, knex's SQLite client as epoch milliseconds, like every write).
 */
export function decodeRow(row: Row, datetimes: ReadonlySet<string>): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = datetimes.has(column) && typeof value === 'string' ? new Date(value) : value;
  }
  return out;
}
