import { describe, expect, it } from '@jest/globals';
import { growthTable, parseSizes } from '../bench/growth.js';
import { benchSchema, untunedSchema } from '../bench/schema.js';
import { databasesOf, phaseTable, UNTUNED_PHASES, untunedCeilings, usedLater } from '../bench/untuned.js';

const article = (defaults: boolean) => untunedSchema(defaults).contentTypes.article;

describe('the untuned bench schema', () => {
  it('declares no index of its own: no attribute index and no options.indexes', () => {
    for (const type of Object.values(untunedSchema(true).contentTypes)) {
      expect(type.options?.indexes).toBeUndefined();
      for (const attribute of Object.values(type.attributes)) expect(attribute.index).toBeUndefined();
    }
  });

  it('opts the date attribute out of its default index when the defaults are off, and nothing else', () => {
    const indexed = Object.entries(article(false).attributes).filter(([, a]) => a.index !== undefined);
    expect(indexed).toEqual([['publishedDate', expect.objectContaining({ type: 'date', index: false })]]);
  });

  it('keeps the types, attributes and constraints of the tuned schema', () => {
    const tuned = benchSchema.contentTypes.article;
    expect(Object.keys(article(true).attributes)).toEqual(Object.keys(tuned.attributes));
    expect(article(true).attributes.slug).toEqual({ type: 'uid', targetField: 'title', unique: true });
    expect(article(true).options).toEqual({ draftAndPublish: true });
  });
});

describe('the phases of an untuned run', () => {
  it('seeds one database without the defaults and one with them, in the order the phases use them', () => {
    expect(databasesOf(UNTUNED_PHASES)).toEqual(['plain', 'defaults']);
  });

  it("applies the advisor's indexes only in the last phase, on the second phase's database", () => {
    expect(UNTUNED_PHASES.map((p) => [p.name, p.database, p.advise])).toEqual([
      ['a', 'plain', false],
      ['b', 'defaults', false],
      ['c', 'defaults', true],
    ]);
  });

  it("removes W1's rows only where a later phase reads the same database", () => {
    expect(UNTUNED_PHASES.map((_, i) => usedLater(UNTUNED_PHASES, i))).toEqual([false, true, false]);
  });

  it('measures E1 beside C and the no-index C0, E2 beside C2, E4 beside C1, the other lists beside C', () => {
    expect(['E1', 'E2', 'E3', 'E4', 'E5', 'E6'].map(untunedCeilings)).toEqual([
      ['C', 'C0'],
      ['C2'],
      ['C'],
      ['C1'],
      ['C'],
      ['C'],
    ]);
  });

  it("gives each read's ratio to its ceiling in req/s and in p99, per phase", () => {
    const figure = (reqPerSec: number, p99: number) => ({
      scenario: 'E1',
      reqPerSec,
      p50: 10,
      p99,
      errors: 0,
      non2xx: 0,
    });
    const table = phaseTable([
      {
        phase: UNTUNED_PHASES[0],
        figures: [{ ...figure(100, 300), beside: [{ ...figure(1000, 50), scenario: 'C' }] }],
      },
      { phase: UNTUNED_PHASES[1], figures: [{ ...figure(900, 60), loadAverage: 3.5 }] },
    ]);
    expect(table).toContain("| E1 | a | 100 | 10 | 300 | 0 | C 1000, 10, 50 | 10 % of C | 6.00 × C's | - |");
    expect(table).toContain('| E1 | b | 900 | 10 | 60 | 0 | - | - | - | 3.5 |');
  });
});

describe('the sizes of a growth run', () => {
  it('reads one size or an ascending list', () => {
    expect(parseSizes('10000')).toEqual([10000]);
    expect(parseSizes('10000,100000')).toEqual([10000, 100000]);
  });

  it('refuses sizes out of order or not whole', () => {
    expect(() => parseSizes('100000,10000')).toThrow('ascending');
    expect(() => parseSizes('10k')).toThrow('whole numbers');
    expect(() => parseSizes('0')).toThrow('whole numbers');
  });

  it("gives the last size's req/s as a share of the first's", () => {
    const table = growthTable(
      [10000, 100000],
      [[{ scenario: 'E1', reqPerSec: 1000, p99: 40 }], [{ scenario: 'E1', reqPerSec: 850, p99: 50, loadAverage: 2 }]],
    );
    expect(table).toContain('| E1 | 1000, 40 (-) | 850, 50 (2) | 85 % |');
  });
});
