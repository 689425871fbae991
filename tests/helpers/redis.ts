// A Redis for the tests of Redis-backed stores. CI starts one and requires it (like MySQL): with
// CI=true an unreachable Redis fails the test. Elsewhere such a test says so on stderr and passes.
import { afterAll } from '@jest/globals';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';

let redis: Redis | undefined;
afterAll(async () => {
  await redis?.quit().catch(() => undefined);
});

/** One connection per test file, closed after it; null when Redis is not reachable. */
export async function testRedis(): Promise<Redis | null> {
  redis ??= new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    if (redis.status !== 'ready') await redis.connect();
    return redis;
  } catch (err) {
    if (process.env.CI === 'true')
      throw new Error(`Redis is not reachable at ${TEST_REDIS_URL}: CI requires it`, { cause: err });
    process.stderr.write(`Redis is not reachable at ${TEST_REDIS_URL}: a Redis store test did not run\n`);
    return null;
  }
}

/**
 * Whether Redis answers, for suites that connect on their own (several instances): false with a note
 * on stderr outside CI; with CI=true an unreachable Redis is an error.
 */
export async function redisAvailable(what: string): Promise<boolean> {
  const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch (err) {
    if (process.env.CI === 'true')
      throw new Error(`Redis is not reachable at ${TEST_REDIS_URL}: CI requires it`, { cause: err });
    process.stderr.write(`\n*** Redis is not reachable at ${TEST_REDIS_URL}: ${what} skipped ***\n`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A key prefix no other run shares. */
export function testRedisPrefix(): string {
  return `folio-test:${process.pid}:${Date.now()}:`;
}
