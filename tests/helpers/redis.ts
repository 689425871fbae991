// A Redis for the tests of Redis-backed stores, or null where none runs (CI starts one): such a test
// then says so on stderr and passes.
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
  } catch {
    process.stderr.write(`Redis is not reachable at ${TEST_REDIS_URL}: a Redis store test did not run\n`);
    return null;
  }
}

/** A key prefix no other run shares. */
export function testRedisPrefix(): string {
  return `folio-test:${process.pid}:${Date.now()}:`;
}
