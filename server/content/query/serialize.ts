// Database values → the JSON of API.md: dates 'YYYY-MM-DD', datetimes ISO UTC, decimals as numbers,
// booleans true/false (SQLite stores 0/1), JSON parsed, bigintegers as strings (as Strapi sends them).
import type { ColumnRef } from './ast.js';

export type Row = Record<string, unknown>;
export type Entry = Record<string, unknown>;

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return new Date(Number(value));
    // 'YYYY-MM-DD HH:MM:SS(.fff)' as stored by MySQL/SQLite without a zone is UTC.
    const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

export function datetimeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return toDate(value)?.toISOString() ?? null;
}

/** 'HH:mm:ss.SSS', as Strapi sends times, whatever precision the column kept. */
export function timeValue(value: unknown): string {
  const s = String(value);
  return /^\d{2}:\d{2}$/.test(s) ? `${s}:00.000` : /^\d{2}:\d{2}:\d{2}$/.test(s) ? `${s}.000` : s;
}

export function scalarValue(type: ColumnRef['type'], value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : Number(value) !== 0;
    case 'integer':
    case 'id':
    case 'float':
    case 'decimal':
      return typeof value === 'number' ? value : Number(value);
    case 'biginteger':
      return String(value);
    case 'date': {
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
      const d = toDate(value);
      return d ? d.toISOString().slice(0, 10) : null;
    }
    case 'datetime':
      return datetimeValue(value);
    case 'time':
      return timeValue(value);
    case 'json':
    case 'blocks':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      }
      if (Buffer.isBuffer(value)) return JSON.parse(value.toString('utf8')) as unknown;
      return value;
    default:
      return typeof value === 'string' ? value : String(value);
  }
}
