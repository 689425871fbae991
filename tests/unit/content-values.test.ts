// A write's answer and a later read of the same entry must show the same values: the document
// engine (decodeScalar) and the query engine (scalarValue) decode columns the same way.
import { describe, expect, it } from '@jest/globals';
import { datetimeValue, isoString, scalarValue } from '../../server/content/query/serialize.js';
import { decodeScalar } from '../../server/content/values.js';
import type { ScalarField } from '../../server/schema/model.js';
import type { ScalarAttribute } from '../../server/schema/types.js';

function field(type: string): ScalarField {
  return { kind: 'scalar', name: 'f', column: 'f', attribute: { type } as ScalarAttribute };
}

describe('column values decoded by writes and reads alike', () => {
  it.each([
    ['time', '10:30', '10:30:00.000'],
    ['time', '10:30:15', '10:30:15.000'],
    ['time', '10:30:15.250', '10:30:15.250'],
    ['date', '2026-11-22', '2026-11-22'],
    ['boolean', 1, true],
    ['boolean', 0, false],
    ['decimal', '4.50', 4.5],
    ['biginteger', 9007199254740993n, '9007199254740993'],
    ['json', '{"a":[1,2]}', { a: [1, 2] }],
  ] as const)('%s %p → %p', (type, stored, shown) => {
    expect(decodeScalar(field(type), stored)).toEqual(shown);
    expect(scalarValue(type as Parameters<typeof scalarValue>[0], stored)).toEqual(shown);
  });
});

describe('datetimes as ISO strings', () => {
  it('are written exactly as Date#toISOString writes them, across the years and at the edges', () => {
    const edges = [
      0, -1, 1, 86_399_999, 86_400_000, -62_167_219_200_000, 253_402_300_799_999, 253_402_300_800_000,
      -62_167_219_200_001, 951_782_400_000,
    ];
    const spread = Array.from({ length: 2000 }, (_, i) => Math.round(-70_000_000_000_000 + i * 163_012_345_678.9));
    for (const ms of [...edges, ...spread]) expect([ms, isoString(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });

  it('decode every stored form of the same instant alike, and nothing for what is not a date', () => {
    const instant = '2026-12-04T03:04:05.678Z';
    for (const stored of [
      new Date(instant),
      Date.parse(instant),
      String(Date.parse(instant)),
      '2026-12-04 03:04:05.678',
      instant,
    ]) {
      expect(datetimeValue(stored)).toBe(instant);
    }
    expect(datetimeValue(new Date(Number.NaN))).toBeNull();
    expect(datetimeValue('not a date')).toBeNull();
    expect(datetimeValue(null)).toBeNull();
  });
});
