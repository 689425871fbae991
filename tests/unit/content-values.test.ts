// A write's answer and a later read of the same entry must show the same values: the document
// engine (decodeScalar) and the query engine (scalarValue) decode columns the same way.
import { describe, expect, it } from '@jest/globals';
import { scalarValue } from '../../server/content/query/serialize.js';
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
