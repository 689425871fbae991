// Brute-force protection: failed attempts are counted per key (an IP, an account) and, past a free
// allowance, lock the key for a time that doubles with each further failure.
// The counters live in a RateLimitStore: the database by default (shared by every instance on the
// same database, and reachable from the CLI, whose `admin reset-password` lifts a lockout), Redis
// when REDIS_URL is set, or memory (one process; tests of the policy itself).
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { isDeadlock } from '../db/errors.js';
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

const TABLE = 'folio_rate_limits';

export class DatabaseRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Knex) {}

  async get(key: string): Promise<Failures | null> {
    const row = await this.db(TABLE).where({ key }).where('expires_at', '>', Date.now()).first();
    return row ? { count: Number(row.count), lastAt: Number(row.last_at) } : null;
  }

  /**
   * One upsert, no transaction: a counter whose time is up starts again at 1. (Deleting the expired
   * row first, in a transaction, took gap locks on MySQL, and the IP's and the account's counters of
   * one failed login deadlocked one another now and then: a 500 for a wrong password.) A deadlock
   * victim is rolled back whole, so the rare one left is simply counted again.
   */
  async hit(key: string, ttlMs: number): Promise<Failures> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.upsert(key, ttlMs);
        break;
      } catch (err) {
        if (!isDeadlock(err) || attempt >= 3) throw err;
      }
    }
    // A concurrent failure may already be counted in what is read back: the counter is "at least".
    const row = await this.db(TABLE).where({ key }).first();
    return { count: Number(row.count), lastAt: Number(row.last_at) };
  }

  private async upsert(key: string, ttlMs: number): Promise<void> {
    const now = Date.now();
    await this.db(TABLE)
      .insert({ key, count: 1, last_at: now, expires_at: now + ttlMs })
      .onConflict('key')
      .merge({
        // MySQL assigns left to right, so `count` still sees the old expiry; SQLite's SET sees old values.
        count: this.db.raw('CASE WHEN ?? <= ? THEN 1 ELSE ?? + 1 END', [`${TABLE}.expires_at`, now, `${TABLE}.count`]),
        last_at: now,
        expires_at: now + ttlMs,
      });
  }

  async clear(key: string): Promise<void> {
    await this.db(TABLE).where({ key }).delete();
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
