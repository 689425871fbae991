// The login lockout counts failures per account, not per spelling: an email is compared trimmed and
// case-folded when it is looked up, so it must be the same key when failures are counted — or a
// guesser gets a fresh allowance for every variant (`Ada@X`, ` ada@x `, …) of one address.
import { expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { createAdmin } from '../helpers/admin.js';
import { ACCOUNT_POLICY } from '../../server/auth/rate-limit.js';

/** Spellings of one address that sign in to the same account. */
function variants(email: string): string[] {
  const upper = email.toUpperCase();
  const mixed = email.charAt(0).toUpperCase() + email.slice(1);
  return [upper, ` ${email}`, `${email} `, `\t${mixed}\n`, ` ${upper} `];
}

describeEachDatabase('login lockout across spellings of one email', (t) => {
  const attempt = (email: string, password: string) =>
    t().http().post('/admin-api/auth/login').send({ email, password });

  it('signs in with any case and surrounding whitespace (the premise of this suite)', async () => {
    const { email, password } = await createAdmin(t(), ['editor']);
    for (const variant of variants(email))
      expect([variant, (await attempt(variant, password)).status]).toEqual([variant, 200]);
  }, 120_000);

  it('locks the account after failures spread over variants, for its exact spelling too', async () => {
    const { email, password } = await createAdmin(t(), ['editor']);
    const spellings = variants(email);
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i++) {
      expect((await attempt(spellings[i % spellings.length], `wrong-${i}-xxxx`)).status).toBe(401);
    }
    const locked = await attempt(email, password);
    expect([locked.status, locked.body.error?.name]).toEqual([429, 'RateLimitError']);
  }, 120_000);

  it('keeps a locked account locked for every variant, the right password included', async () => {
    const { email, password } = await createAdmin(t(), ['editor']);
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i++)
      expect((await attempt(email, `wrong-${i}-xxxx`)).status).toBe(401);
    for (const variant of variants(email))
      expect([variant, (await attempt(variant, password)).status]).toEqual([variant, 429]);
  }, 120_000);
});
