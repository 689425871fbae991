import { describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import supertest from 'supertest';
import { RequestRateLimiter, requestRateLimit } from '../../server/limits/request-rate.js';
import {
  DatabaseWindowCounterStore,
  MemoryWindowCounterStore,
  RedisWindowCounterStore,
  type WindowCounterStore,
} from '../../server/limits/window-counters.js';
import { RateLimitError } from '../../server/errors.js';
import { errorEnvelope } from '../../server/middleware/errors.js';
import { requestContext } from '../../server/middleware/request-context.js';
import { silentLogger } from '../../server/logger.js';
import { describeEachTestDatabase } from '../helpers/databases.js';
import { testRedis, testRedisPrefix } from '../helpers/redis.js';

const policy = { limit: 3, windowMs: 60_000 };

describe('request-rate policy', () => {
  it('allows `limit` requests per key and window, then refuses until the window ends', async () => {
    let now = 120_000 + 15_000; // 15 s into a window
    const limiter = new RequestRateLimiter(new MemoryWindowCounterStore(), policy, 'test', () => now);
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await limiter.consume('1.2.3.4'));
    expect(decisions).toEqual([
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: false, retryAfterSeconds: 45 },
      { allowed: false, retryAfterSeconds: 45 },
    ]);
    now = 180_000;
    expect(await limiter.consume('1.2.3.4')).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('counts each key, and each limiter name, on its own', async () => {
    const store = new MemoryWindowCounterStore();
    const a = new RequestRateLimiter(store, { limit: 1, windowMs: 60_000 }, 'a');
    const b = new RequestRateLimiter(store, { limit: 1, windowMs: 60_000 }, 'b');
    expect((await a.consume('k')).allowed).toBe(true);
    expect((await a.consume('k')).allowed).toBe(false);
    expect((await a.consume('other')).allowed).toBe(true);
    expect((await b.consume('k')).allowed).toBe(true);
  });

  it('asks for at least a second when the window ends in less', async () => {
    const limiter = new RequestRateLimiter(
      new MemoryWindowCounterStore(),
      { limit: 0, windowMs: 1000 },
      'test',
      () => 999,
    );
    expect(await limiter.consume('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('throws a RateLimitError carrying retryAfterSeconds from assert', async () => {
    const limiter = new RequestRateLimiter(
      new MemoryWindowCounterStore(),
      { limit: 0, windowMs: 60_000 },
      'test',
      () => 30_000,
    );
    const err = (await limiter.assert('k').catch((e: unknown) => e)) as RateLimitError & { retryAfterSeconds: number };
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterSeconds).toBe(30);
  });
});

describe('requestRateLimit middleware', () => {
  function app(keyOf?: (ctx: Koa.Context) => string) {
    const koa = new Koa();
    koa.use(requestContext(silentLogger()));
    koa.use(errorEnvelope());
    koa.use(
      requestRateLimit(
        new RequestRateLimiter(new MemoryWindowCounterStore(), { limit: 2, windowMs: 60_000 }, 'mw'),
        keyOf,
      ),
    );
    koa.use((ctx) => {
      ctx.body = { ok: true };
    });
    return supertest(koa.callback());
  }

  it('answers 429 RateLimitError with Retry-After past the limit, through the error envelope', async () => {
    const http = app();
    expect((await http.get('/')).status).toBe(200);
    expect((await http.get('/')).status).toBe(200);
    const refused = await http.get('/');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('takes the key from a function when given one', async () => {
    const http = app((ctx) => ctx.get('X-Account'));
    for (let i = 0; i < 2; i++) expect((await http.get('/').set('X-Account', 'a')).status).toBe(200);
    expect((await http.get('/').set('X-Account', 'a')).status).toBe(429);
    expect((await http.get('/').set('X-Account', 'b')).status).toBe(200);
  });
});

async function redisStore(): Promise<WindowCounterStore | null> {
  const redis = await testRedis();
  return redis && new RedisWindowCounterStore(redis, testRedisPrefix());
}

/** 30 requests at once for one key, limit 10: never more than 10 allowed; all 30 counted. */
async function concurrentConsumes(store: WindowCounterStore): Promise<{ allowed: number; after: boolean }> {
  const limiter = new RequestRateLimiter(store, { limit: 10, windowMs: 3_600_000 }, `race-${Date.now()}`);
  const decisions = await Promise.all(Array.from({ length: 30 }, () => limiter.consume('one-key')));
  return { allowed: decisions.filter((d) => d.allowed).length, after: (await limiter.consume('one-key')).allowed };
}

for (const [name, make] of [
  ['memory', () => Promise.resolve(new MemoryWindowCounterStore())],
  ['redis', redisStore],
] as const) {
  describe(`request-rate limiter on the ${name} store`, () => {
    it('allows at most the limit among concurrent requests for one key', async () => {
      const store = await make();
      if (!store) return;
      expect(await concurrentConsumes(store)).toEqual({ allowed: 10, after: false });
    });
  });
}

describeEachTestDatabase('the database window-counter store', (t) => {
  it('allows at most the limit among concurrent requests for one key, and counts them all', async () => {
    expect(await concurrentConsumes(new DatabaseWindowCounterStore(t().db))).toEqual({ allowed: 10, after: false });
    const rows = await t().db('folio_rate_limits').where('key', 'like', 'rate:race-%');
    expect(rows.map((r: { count: number }) => Number(r.count))).toEqual([31]);
  });

  it('counts keys of many lengths and windows on their own, one row per key and window', async () => {
    const store = new DatabaseWindowCounterStore(t().db);
    const long = `${'x'.repeat(500)}@example.test`;
    const window = (index: number) => ({ index, endsAt: (index + 1) * 1000 });
    expect(await store.increment('rate:w:a', window(1))).toBe(1);
    expect(await store.increment('rate:w:a', window(1))).toBe(2);
    expect(await store.increment('rate:w:a', window(2))).toBe(1);
    const limiter = new RequestRateLimiter(store, { limit: 1, windowMs: 60_000 }, 'long');
    expect((await limiter.consume(long)).allowed).toBe(true);
    expect((await limiter.consume(long)).allowed).toBe(false);
  });

  it('purges ended windows now and then, and never a lockout row', async () => {
    const db = t().db;
    await db('folio_rate_limits').insert([
      { key: 'rate:old:x@1', count: 5, last_at: 0, expires_at: 1000 },
      { key: 'login:ip:10.0.0.1', count: 2, last_at: 0, expires_at: 1000 },
    ]);
    const errors: unknown[] = [];
    const store = new DatabaseWindowCounterStore(db, (err) => errors.push(err), 0);
    await store.increment('rate:new:y', { index: 1, endsAt: Date.now() + 60_000 });
    for (let i = 0; i < 100 && (await db('folio_rate_limits').where({ key: 'rate:old:x@1' }).first()); i++)
      await new Promise((r) => setTimeout(r, 10));
    const keys = (
      await db('folio_rate_limits').whereIn('key', ['rate:old:x@1', 'login:ip:10.0.0.1', 'rate:new:y@1']).pluck('key')
    ).sort();
    expect(keys).toEqual(['login:ip:10.0.0.1', 'rate:new:y@1']);
    expect(errors).toEqual([]);
  });

  it('never shares a row with the login lockout', async () => {
    await expect(
      new DatabaseWindowCounterStore(t().db).increment('login:ip:1.2.3.4', { index: 1, endsAt: 2000 }),
    ).rejects.toThrow(/start with rate:/);
  });
});
