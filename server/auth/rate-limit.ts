// Brute-force protection: failed attempts are counted per key (an IP, an account) and, past a free
// allowance, lock the key for a time that doubles with each further failure.
// The counters live in a RateLimitStore: the database by default (shared by every instance on the
// same database, and reachable from the CLI, whose `admin reset-password` lifts a lockout), Redis
// when REDIS_URL is set, or memory (one process; tests of the policy itself).
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { RateLimitError } from '../errors.js';

export interface Failures {
  count: number;
  /** Epoch ms of the last failure. */
  lastAt: number;
}

export interface RateLimitStore {
  get(key: string): Promise<Failures | null>;
  /** Counts one more failure; the counter is forgotten `ttlMs` after the last one. */
  hit(key: string, ttlMs: number): Promise<Failures>;
  clear(key: string): Promise<void>;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private entries = new Map<string, Failures & { expiresAt: number }>();

  async get(key: string): Promise<Failures | null> {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return { count: e.count, lastAt: e.lastAt };
  }

  async hit(key: string, ttlMs: number): Promise<Failures> {
    const now = Date.now();
    const count = ((await this.get(key))?.count ?? 0) + 1;
    this.entries.set(key, { count, lastAt: now, expiresAt: now + ttlMs });
    return { count, lastAt: now };
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

export class DatabaseRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Knex) {}

  async get(key: string): Promise<Failures | null> {
    const row = await this.db('folio_rate_limits').where({ key }).where('expires_at', '>', Date.now()).first();
    return row ? { count: Number(row.count), lastAt: Number(row.last_at) } : null;
  }

  async hit(key: string, ttlMs: number): Promise<Failures> {
    const now = Date.now();
    return this.db.transaction(async (trx) => {
      await trx('folio_rate_limits').where({ key }).where('expires_at', '<=', now).delete();
      await trx('folio_rate_limits')
        .insert({ key, count: 1, last_at: now, expires_at: now + ttlMs })
        .onConflict('key')
        .merge({ count: trx.raw('?? + 1', ['folio_rate_limits.count']), last_at: now, expires_at: now + ttlMs });
      const row = await trx('folio_rate_limits').where({ key }).first();
      return { count: Number(row.count), lastAt: Number(row.last_at) };
    });
  }

  async clear(key: string): Promise<void> {
    await this.db('folio_rate_limits').where({ key }).delete();
  }
}

export class RedisRateLimitStore implements RateLimitStore {
  constructor(private readonly redis: Redis, private readonly prefix = 'folio:rl:') {}

  async get(key: string): Promise<Failures | null> {
    const h = await this.redis.hgetall(this.prefix + key);
    if (!h.count) return null;
    return { count: Number(h.count), lastAt: Number(h.lastAt) };
  }

  async hit(key: string, ttlMs: number): Promise<Failures> {
    const now = Date.now();
    const k = this.prefix + key;
    const res = await this.redis.multi().hincrby(k, 'count', 1).hset(k, 'lastAt', String(now)).pexpire(k, ttlMs).exec();
    const count = Number(res?.[0]?.[1] ?? 1);
    return { count, lastAt: now };
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

export interface LockoutPolicy {
  /** Failures allowed before the first lockout. */
  freeFailures: number;
  /** First lockout; each further failure doubles it. */
  baseLockMs: number;
  maxLockMs: number;
  /** Failures are forgotten this long after the last one. */
  memoryMs: number;
}

export const ACCOUNT_POLICY: LockoutPolicy = { freeFailures: 5, baseLockMs: 60_000, maxLockMs: 3_600_000, memoryMs: 86_400_000 };
export const IP_POLICY: LockoutPolicy = { freeFailures: 20, baseLockMs: 60_000, maxLockMs: 3_600_000, memoryMs: 86_400_000 };

/** Milliseconds the key stays locked after these failures (0: not locked). */
export function lockRemainingMs(failures: Failures | null, policy: LockoutPolicy, now = Date.now()): number {
  if (!failures || failures.count < policy.freeFailures) return 0;
  const lock = Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** (failures.count - policy.freeFailures));
  return Math.max(0, failures.lastAt + lock - now);
}

export class Limiter {
  constructor(readonly store: RateLimitStore, readonly policy: LockoutPolicy, private readonly prefix: string) {}

  /** Throws 429 RateLimitError (with retryAfterSeconds) while the key is locked. */
  async assertOpen(key: string): Promise<void> {
    const remaining = lockRemainingMs(await this.store.get(this.prefix + key), this.policy);
    if (remaining > 0) {
      const err = new RateLimitError('Too many failed attempts, please try again later.') as RateLimitError & { retryAfterSeconds: number };
      err.retryAfterSeconds = Math.ceil(remaining / 1000);
      throw err;
    }
  }

  async fail(key: string): Promise<void> {
    await this.store.hit(this.prefix + key, this.policy.memoryMs);
  }

  async clear(key: string): Promise<void> {
    await this.store.clear(this.prefix + key);
  }
}
