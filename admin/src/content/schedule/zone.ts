// Wall-clock times in a chosen IANA time zone, and the instants they name. The editor picks "07:00 in
// Europe/Paris"; the server stores the instant in UTC. Zone rules (offsets, daylight saving) come from
// @date-fns/tz over the browser's Intl data; nothing here computes an offset by hand.
import { TZDate, tzOffset } from '@date-fns/tz';

/** A wall-clock date and time as a datetime-local input holds it: "2026-12-07T07:00". */
export type WallTime = string;

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The zone the browser runs in (the default until the editor picks another). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Current IANA names that Chromium's and Node's list leaves out: it lists CLDR's canonical names, some
 * of which IANA renamed long ago (Asia/Calcutta for Asia/Kolkata). Both resolve to the same rules; an
 * editor looking for "Kolkata" or "Kyiv" must find it.
 */
const RENAMED = [
  'Asia/Kolkata',
  'Europe/Kyiv',
  'Asia/Ho_Chi_Minh',
  'Asia/Kathmandu',
  'Asia/Yangon',
  'America/Nuuk',
  'Atlantic/Faroe',
  'Pacific/Kanton',
  'Pacific/Chuuk',
  'Pacific/Pohnpei',
];

/** Every IANA zone the browser knows, sorted, UTC and the current names of renamed zones included. */
export function timeZones(): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  for (const zone of ['UTC', ...RENAMED]) if (isTimeZone(zone)) zones.add(zone);
  return [...zones].sort();
}

/** Whether the browser knows `zone` (a stored preference may name one it no longer has). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The instant that `wall` names in `zone`; undefined when `wall` is not a date and time. */
export function wallTimeToInstant(wall: WallTime, zone: string): Date | undefined {
  const m = WALL_TIME.exec(wall);
  if (!m) return undefined;
  const [year, month, day, hours, minutes] = m.slice(1).map(Number);
  const date = new TZDate(year, month - 1, day, hours, minutes, 0, zone);
  return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime());
}

/** The wall-clock time of `instant` in `zone`, as a datetime-local input takes it. */
export function instantToWallTime(instant: Date, zone: string): WallTime {
  const d = new TZDate(instant.getTime(), zone);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "+01:00", "-04:00", "Z": `zone`'s offset from UTC at `instant`. */
export function offsetAt(instant: Date, zone: string): string {
  const minutes = tzOffset(zone, instant);
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * `instant` as an ISO 8601 date-time with the offset of `zone` ("2026-12-07T07:00:00+01:00"): what the
 * editor chose, readable as such in the request and the audit log; the server stores it in UTC.
 */
export function isoInZone(instant: Date, zone: string): string {
  return `${instantToWallTime(instant, zone)}:00${offsetAt(instant, zone)}`;
}

/** The day of `instant` in `zone`, as a key that sorts by date ("2026-12-07"). */
export function dayKey(instant: Date, zone: string): string {
  return instantToWallTime(instant, zone).slice(0, 10);
}

/** `instant` on `zone`'s clock, in the browser's language: "Mon, Dec 7, 2026, 07:00". */
export function formatDateTime(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  }).format(instant);
}

/** The time alone on `zone`'s clock: "07:00". */
export function formatTime(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  }).format(instant);
}

/** A day heading in `zone`: "Monday, December 7, 2026". */
export function formatDay(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeZone: zone }).format(instant);
}

/** Tomorrow at `hours`:00 on `zone`'s clock, from `now`: the dialog's first proposal. */
export function tomorrowAt(hours: number, zone: string, now = new Date()): WallTime {
  const today = new TZDate(now.getTime(), zone);
  const next = new TZDate(today.getFullYear(), today.getMonth(), today.getDate() + 1, hours, 0, 0, zone);
  return instantToWallTime(new Date(next.getTime()), zone);
}
