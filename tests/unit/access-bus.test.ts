import { afterAll, describe, expect, it } from '@jest/globals';
import { InvalidationBus } from '../../server/access/bus.js';
import { silentLogger } from '../../server/logger.js';
import { testRedis, TEST_REDIS_URL } from '../helpers/redis.js';

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
    if (!(await testRedis())) return;
    const channel = `folio-test:access:${process.pid}:${Date.now()}`;
    const a = new InvalidationBus(TEST_REDIS_URL, silentLogger(), channel);
    const b = new InvalidationBus(TEST_REDIS_URL, silentLogger(), channel);
    buses.push(a, b);
    await b.ready();
    const received = new Promise<void>((resolve) => b.on(resolve));
    a.publish();
    await received;
  });
});
