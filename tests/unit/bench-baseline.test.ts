import { describe, expect, it } from '@jest/globals';
import { changeOf, comparisonTable, spreadOf } from '../bench/baseline.js';

describe('the before/after figures of npm run bench --baseline', () => {
  it('takes the middle run as the median of an odd number of runs, whatever their order', () => {
    expect(spreadOf([310, 120, 250])).toEqual({ median: 250, min: 120, max: 310 });
  });

  it('takes the mean of the two middle runs as the median of an even number', () => {
    expect(spreadOf([100, 400, 200, 300])).toEqual({ median: 250, min: 100, max: 400 });
  });

  it('gives the change from before to after in signed whole per cent', () => {
    expect(changeOf(200, 230)).toBe('+15 %');
    expect(changeOf(200, 150)).toBe('-25 %');
    expect(changeOf(200, 200)).toBe('0 %');
  });

  it('gives no change against a baseline of zero', () => {
    expect(changeOf(0, 12)).toBe('-');
  });

  it('shows each side median (min–max) with the change of the medians, and the failures', () => {
    const table = comparisonTable(
      [
        {
          scenario: 'E1',
          cache: 'off',
          baseline: { reqPerSec: [900, 1000, 1100], p99: [80, 80, 80], failures: 0 },
          current: { reqPerSec: [1000, 1100, 1200], p99: [60, 70, 90], failures: 2 },
        },
      ],
      3,
    );
    expect(table).toContain('median (min–max) of 3 runs each');
    expect(table).toContain(
      '| E1 | off | 1000 (900–1100) | 1100 (1000–1200) | +10 % | 80 | 70 (60–90) | -13 % | 0 / 2 |',
    );
  });
});
