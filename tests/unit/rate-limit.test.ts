import { describe, expect, it } from '@jest/globals';
import {
  ACCOUNT_POLICY,
  DatabaseRateLimitStore,
  Limiter,
  lockRemainingMs,
  MemoryRateLimitStore,
  RedisRateLimitStore,
  type RateLimitStore,
} from '../../server/auth/rate-limit.js';
import { RateLimitError } from '../../server/errors.js';
import { describeEachTestDatabase } from '../helpers/databases.js';
import { testRedis, testRedisPrefix } from '../helpers/redis.js';

describe('lockout policy', () => {
  const policy = { freeFailures: 3, baseLockMs: 1000, maxLockMs: 8000, memoryMs: 60_000 };
  it('does not lock below the free allowance', () => {
    expect(lockRemainingMs({ count: 2, lastAt: 0 }, policy, 0)).toBe(0);
  });
  it('doubles the lockout with each further failure, up to the cap', () => {
    expect([3, 4, 5, 6, 7, 9].map((count) => lockRemainingMs({ count, lastAt: 0 }, policy, 0))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });
  it('counts the lockout from the last failure', () => {
    expect(lockRemainingMs({ count: 3, lastAt: 10_000 }, policy, 10_400)).toBe(600);
    expect(lockRemainingMs({ count: 3, lastAt: 10_000 }, policy, 11_000)).toBe(0);
  });
});

async function redisStore(): Promise<RateLimitStore | null> {
  const redis = await testRedis();
  return redis && new RedisRateLimitStore(redis, testRedisPrefix());
}

for (const [name, make] of [
  ['memory', () => Promise.resolve(new MemoryRateLimitStore())],
  ['redis', redisStore],
] as const) {
  describe(`Limiter on the ${name} store`, () => {
    it('locks a key after the free failures with a RateLimitError carrying retryAfterSeconds, and clears', async () => {
      const store = await make();
      if (!store) return;
      const limiter = new Limiter(store, ACCOUNT_POLICY, 'test:');
      for (let i = 0; i < ACCOUNT_POLICY.freeFailures - 1; i++) await limiter.fail('k');
      await expect(limiter.assertOpen('k')).resolves.toBeUndefined();
      await limiter.fail('k');
      const err = (await limiter.assertOpen('k').catch((e: unknown) => e)) as RateLimitError & {
        retryAfterSeconds: number;
      };
      expect(err).toBeInstanceOf(RateLimitError);
      expect(err.status).toBe(429);
      expect(err.retryAfterSeconds).toBe(ACCOUNT_POLICY.baseLockMs / 1000);
      await expect(limiter.assertOpen('other')).resolves.toBeUndefined();
      await limiter.clear('k');
      await expect(limiter.assertOpen('k')).resolves.toBeUndefined();
    });

    it('lets only the free allowance of 200 attempts reserved at once go ahead, and counts only those', async () => {
      const store = await make();
      if (!store) return;
      const limiter = new Limiter(store, ACCOUNT_POLICY, 'test:');
      expect(await admitted(limiter, 'parallel', 200)).toBe(ACCOUNT_POLICY.freeFailures);
      expect((await store.get('test:parallel'))?.count).toBe(ACCOUNT_POLICY.freeFailures);
    });

    it('lets exactly one attempt go ahead once a lockout has run out', async () => {
      const store = await make();
      if (!store) return;
      const limiter = new Limiter(store, { freeFailures: 2, baseLockMs: 1, maxLockMs: 1, memoryMs: 60_000 }, 'test:');
      expect(await admitted(limiter, 'expired', 2)).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await admitted(limiter, 'expired', 10)).toBe(1);
    });

    it('takes back a reserved attempt that succeeded', async () => {
      const store = await make();
      if (!store) return;
      const limiter = new Limiter(store, ACCOUNT_POLICY, 'test:');
      await limiter.reserve('released');
      await limiter.release('released');
      expect((await store.get('test:released'))?.count).toBe(0);
    });
  });
}

/** How many of `n` attempts reserved at once on `key` were let through. */
async function admitted(limiter: Limiter, key: string, n: number): Promise<number> {
  const results = await Promise.allSettled(Array.from({ length: n }, () => limiter.reserve(key)));
  for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RateLimitError);
  return results.filter((r) => r.status === 'fulfilled').length;
}

describeEachTestDatabase('the database rate-limit store', (t) => {
  it('counts failures on many keys at once without losing or refusing one', async () => {
    // One failed login counts its IP and its account side by side; MySQL once deadlocked such pairs.
    const store = new DatabaseRateLimitStore(t().db);
    const keys = Array.from({ length: 20 }, (_, i) => `concurrent:${i}`);
    await Promise.all(keys.flatMap((key) => Array.from({ length: 10 }, () => store.hit(key, 60_000))));
    const counts = await Promise.all(keys.map(async (key) => (await store.get(key))?.count));
    expect(counts).toEqual(keys.map(() => 10));
  });

  it('lets only the free allowance of 200 attempts reserved at once go ahead, across instances', async () => {
    // Two limiters on one database stand for two instances: only the store's counter is shared.
    const store = new DatabaseRateLimitStore(t().db);
    const instances = [
      new Limiter(store, ACCOUNT_POLICY, 'db:'),
      new Limiter(new DatabaseRateLimitStore(t().db), ACCOUNT_POLICY, 'db:'),
    ];
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => instances[i % 2].reserve('parallel')),
    );
    const through = results.filter((r) => r.status === 'fulfilled').length;
    expect(through).toBe(ACCOUNT_POLICY.freeFailures);
    expect((await store.get('db:parallel'))?.count).toBe(through);
  });

  it('starts a counter whose time is up again at one', async () => {
    const store = new DatabaseRateLimitStore(t().db);
    expect((await store.hit('expiring', 0)).count).toBe(1);
    expect(await store.get('expiring')).toBeNull();
    expect((await store.hit('expiring', 60_000)).count).toBe(1);
    expect((await store.hit('expiring', 60_000)).count).toBe(2);
  });
});
