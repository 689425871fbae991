// The schedule dialog's time zones (issue 21): a wall-clock time chosen in a zone names one instant,
// sent with that zone's offset, and shown again in that zone as the same wall-clock time — also on
// the days daylight saving starts or ends, when the offset of the same zone changes overnight.
import { describe, expect, test } from '@jest/globals';
import {
  dayKey,
  formatTime,
  instantToWallTime,
  isoInZone,
  isTimeZone,
  timeZones,
  tomorrowAt,
  wallTimeToInstant,
} from '../../admin/src/content/schedule/zone.js';

describe('schedule time zones', () => {
  test('07:00 in Paris on the day summer time starts is 05:00 UTC, and reads back as 07:00 there', () => {
    const instant = wallTimeToInstant('2026-03-29T07:00', 'Europe/Paris');
    expect(instant?.toISOString()).toBe('2026-03-29T05:00:00.000Z');
    expect(instantToWallTime(instant!, 'Europe/Paris')).toBe('2026-03-29T07:00');
    expect(isoInZone(instant!, 'Europe/Paris')).toBe('2026-03-29T07:00:00+02:00');
    expect(formatTime(instant!, 'Europe/Paris')).toMatch(/07:00/);
  });

  test('07:00 in Paris on the day summer time ends is 06:00 UTC', () => {
    const instant = wallTimeToInstant('2026-10-25T07:00', 'Europe/Paris');
    expect(instant?.toISOString()).toBe('2026-10-25T06:00:00.000Z');
    expect(isoInZone(instant!, 'Europe/Paris')).toBe('2026-10-25T07:00:00+01:00');
  });

  test('the day before summer time starts, 07:00 in Paris is 06:00 UTC', () => {
    expect(wallTimeToInstant('2026-03-28T07:00', 'Europe/Paris')?.toISOString()).toBe('2026-03-28T06:00:00.000Z');
  });

  test('an instant shows as its own wall-clock time in each zone', () => {
    const instant = new Date('2026-12-07T06:00:00.000Z');
    expect(instantToWallTime(instant, 'Europe/Paris')).toBe('2026-12-07T07:00');
    expect(instantToWallTime(instant, 'America/New_York')).toBe('2026-12-07T01:00');
    expect(instantToWallTime(instant, 'Asia/Kolkata')).toBe('2026-12-07T11:30');
    expect(isoInZone(instant, 'Asia/Kolkata')).toBe('2026-12-07T11:30:00+05:30');
    expect(isoInZone(instant, 'America/New_York')).toBe('2026-12-07T01:00:00-05:00');
    expect(isoInZone(instant, 'UTC')).toBe('2026-12-07T06:00:00Z');
  });

  test('the ISO string sent names the same instant as the wall-clock time chosen', () => {
    for (const zone of ['Europe/Paris', 'America/Los_Angeles', 'Australia/Lord_Howe', 'Pacific/Chatham']) {
      const instant = wallTimeToInstant('2026-04-05T07:00', zone)!;
      expect(Date.parse(isoInZone(instant, zone))).toBe(instant.getTime());
      expect(instantToWallTime(new Date(Date.parse(isoInZone(instant, zone))), zone)).toBe('2026-04-05T07:00');
    }
  });

  test('a day is the day in the zone, not in UTC', () => {
    const instant = new Date('2026-12-07T23:30:00.000Z');
    expect(dayKey(instant, 'UTC')).toBe('2026-12-07');
    expect(dayKey(instant, 'Europe/Paris')).toBe('2026-12-08');
    expect(dayKey(instant, 'America/New_York')).toBe('2026-12-07');
  });

  test('tomorrow is tomorrow in the zone, across a month end', () => {
    const now = new Date('2026-11-30T23:30:00.000Z'); // Dec 1st, 00:30 in Paris
    expect(tomorrowAt(7, 'Europe/Paris', now)).toBe('2026-12-02T07:00');
    expect(tomorrowAt(7, 'UTC', now)).toBe('2026-12-01T07:00');
  });

  test('what is not a date and time names no instant', () => {
    expect(wallTimeToInstant('', 'Europe/Paris')).toBeUndefined();
    expect(wallTimeToInstant('2026-12-07', 'Europe/Paris')).toBeUndefined();
  });

  test('the zone list holds IANA zones and UTC; an unknown zone is told apart', () => {
    expect(timeZones()).toEqual(expect.arrayContaining(['UTC', 'Europe/Paris', 'Asia/Tokyo']));
    // Listed by their current names too, though the runtime's own list has only the old ones.
    expect(timeZones()).toEqual(expect.arrayContaining(['Asia/Kolkata', 'Europe/Kyiv']));
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
