import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { InvalidationBus } from '../../server/access/bus.js';
import { silentLogger } from '../../server/logger.js';

const REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

describe('access invalidation bus', () => {
  const buses: InvalidationBus[] = [];
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
  });

  it('notifies its own listeners at once without Redis', () => {
    const bus = new InvalidationBus(undefined, silentLogger());
    let calls = 0;
    bus.on(() => calls++);
    bus.publish();
    expect(calls).toBe(1);
  });

  it('notifies another instance through Redis pub/sub', async () => {
    if (!(await redisReachable())) {
      process.stderr.write(`Redis is not reachable at ${REDIS_URL}: the cross-instance test did not run\n`);
      return;
    }
    const channel = `folio-test:access:${process.pid}:${Date.now()}`;
    const a = new InvalidationBus(REDIS_URL, silentLogger(), channel);
    const b = new InvalidationBus(REDIS_URL, silentLogger(), channel);
    buses.push(a, b);
    await b.ready();
    const received = new Promise<void>((resolve) => b.on(resolve));
    a.publish();
    await received;
  });
});
