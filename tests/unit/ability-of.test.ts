// abilityOf() answers the ability a caller carries: a caller without one is a programming error,
// never a caller that may do everything. The system caller says "everything" explicitly.
import { describe, expect, it } from '@jest/globals';
import { SYSTEM_CALLER, type Caller } from '../../server/access/caller.js';
import { abilityOf } from '../../server/access/service.js';

describe('abilityOf', () => {
  it('throws for a caller without an ability instead of allowing everything', () => {
    const bare: Caller = { kind: 'api-token', id: 7, can: () => false };
    expect(() => abilityOf(bare)).toThrow('without an ability');
  });

  it('gives the system caller its own explicit ability to do everything', () => {
    expect(abilityOf(SYSTEM_CALLER).can('manage', 'all')).toBe(true);
    expect(SYSTEM_CALLER.can('delete', 'users')).toBe(true);
    expect(SYSTEM_CALLER.held.everything).toBe(true);
  });
});
