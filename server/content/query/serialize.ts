// Database values → the API's JSON (docs/content-api.md): dates 'YYYY-MM-DD', datetimes ISO UTC, decimals as numbers,
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

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;
/** Years 0000–9999: where toISOString() has the fixed 'YYYY-MM-DDTHH:mm:ss.sssZ' shape. */
const FIXED_SHAPE = { from: -62_167_219_200_000, to: 253_402_300_799_999 };
/** 'YYYY-MM-DDT' by day number; a list holds a few hundred distinct days, a site a few thousand. */
const dayPrefixes = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, several times faster: every entry a list returns has three
 * datetimes, and Date#toISOString (~0.6 µs in Node 20) was the serializer's largest cost. The date
 * part is remembered per day; the time of day is plain arithmetic.
 */
export function isoString(ms: number): string {
  if (!(ms >= FIXED_SHAPE.from && ms <= FIXED_SHAPE.to)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size >= 20_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return (
    `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.` +
    `${THREE_DIGITS[rest - seconds * 1000]}Z`
  );
}

export function datetimeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = toDate(value);
  if (!date) return null;
  const ms = date.getTime();
  return Number.isNaN(ms) ? null : isoString(ms);
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
      return columnText(value);
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
      return columnText(value);
  }
}

/**
 * A column's value as text, as `String()` writes it: the drivers answer text, numbers or (binary
 * collations) Buffers for text and number columns. An object, which no driver answers there, would be
 * shown as JSON rather than "[object Object]".
 */
export function columnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return JSON.stringify(value) ?? '';
}
