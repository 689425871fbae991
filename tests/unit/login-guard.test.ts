import { describe, expect, it } from '@jest/globals';
import { LOGIN_GUARD_LIMITS, LoginGuard } from '../../server/auth/login-guard.js';
import { ACCOUNT_POLICY, IP_POLICY, Limiter, MemoryRateLimitStore } from '../../server/auth/rate-limit.js';
import { RateLimitError } from '../../server/errors.js';

function guard(): LoginGuard {
  const store = new MemoryRateLimitStore();
  return new LoginGuard(new Limiter(store, ACCOUNT_POLICY, 'account:'), new Limiter(store, IP_POLICY, 'ip:'), store);
}

/** Runs the attempts at once with a slow successful check; answers the most checks seen running together. */
async function mostAtOnce(g: LoginGuard, attempts: Array<{ email: string; ip: string }>): Promise<number> {
  let running = 0;
  let most = 0;
  const results = await Promise.allSettled(
    attempts.map(({ email, ip }) =>
      g.attempt(email, ip, async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        return email;
      }),
    ),
  );
  for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RateLimitError);
  return most;
}

describe('login guard', () => {
  it('verifies at most the per-account bound of passwords of one account at once', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) => ({ email: 'one@example.test', ip: `10.0.0.${i}` }));
    expect(await mostAtOnce(guard(), attempts)).toBe(LOGIN_GUARD_LIMITS.accountInFlight);
  });

  it('verifies at most the per-IP bound of passwords from one IP at once', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) => ({ email: `user${i}@example.test`, ip: '10.0.0.1' }));
    expect(await mostAtOnce(guard(), attempts)).toBe(LOGIN_GUARD_LIMITS.ipInFlight);
  });

  it('takes back the attempts that succeeded: they never count toward a lockout', async () => {
    const g = guard();
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures * 2; i++)
      await g.attempt('one@example.test', '10.0.0.1', () => Promise.resolve('ok'));
    await expect(g.attempt('one@example.test', '10.0.0.1', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
