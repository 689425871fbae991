// A new role's code is derived from its name with the one slug rule (server/slug.ts).
import { expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';

describeEachDatabase('role codes', (t) => {
  it('folds accented letters of the name instead of cutting the word at them', async () => {
    const role = await t().folio.access.createRole({ name: 'Rédacteur en chef' });
    expect(role.code).toBe('redacteur-en-chef');
  });
});
