// Column values as the two drivers return them → the API's JSON values (docs/content-api.md: decimals are
// numbers, dates 'YYYY-MM-DD', datetimes ISO UTC, booleans true/false, json parsed).
// Datetimes are written as JS Dates on both databases: mysql2 stores them in UTC (timezone 'Z'),
// knex's better-sqlite3 client binds them as epoch milliseconds.
import type { ScalarField } from '../schema/model.js';
import { columnText, timeValue } from './query/serialize.js';

export type Row = Record<string, unknown>;

export function toIsoDateTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value)).toISOString();
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return new Date(Number(value)).toISOString();
    // SQLite's CURRENT_TIMESTAMP text is UTC without a zone.
    const d = new Date(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return null;
}

export function decodeScalar(field: ScalarField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (field.attribute.type) {
    case 'boolean':
      return value === true || value === 1 || value === '1';
    case 'integer':
    case 'float':
    case 'decimal':
      return typeof value === 'number' ? value : Number(value);
    case 'biginteger':
      return columnText(value);
    case 'json':
    case 'blocks':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value);
        } catch {
          return value;
        }
      }
      return value;
    case 'datetime':
      return toIsoDateTime(value);
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : columnText(value).slice(0, 10);
    case 'time':
      return timeValue(value); // the same text a read of the entry answers
    default:
      return value;
  }
}

/** A value read from one row, ready to be written into another (row copies on publish). */
export function rewritable(value: unknown): unknown {
  if (value === null || value === undefined || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (typeof value === 'object') return JSON.stringify(value); // MySQL 8 JSON columns come back parsed
  return value;
}
