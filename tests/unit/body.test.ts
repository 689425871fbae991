import { describe, expect, it } from '@jest/globals';
import { malformedStringPath } from '../../server/middleware/body.js';

describe('malformedStringPath', () => {
  it('finds a lone surrogate of either half and names its path', () => {
    expect(malformedStringPath({ a: ['ok', { b: 'x\udfffy' }] })).toEqual(['a', 1, 'b']);
    expect(malformedStringPath('\ud800')).toEqual([]);
  });

  it('passes surrogate pairs and non-strings', () => {
    expect(malformedStringPath({ emoji: '😀', n: 1, b: true, none: null, list: [] })).toBeUndefined();
  });

  it('walks a body nested deeper than the stack', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(malformedStringPath(deep)).toHaveLength(200_000);
  });
});
