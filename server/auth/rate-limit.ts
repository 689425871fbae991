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
  /**
   * Counts one more only if the counter stays within `limit` (a counter whose time is up counts as
   * 0), in one atomic step: answers whether it was counted.
   */
  hitWithin(key: string, ttlMs: number, limit: number): Promise<boolean>;
  /** Takes one back from a counter that still exists (an attempt reserved, then not a failure). */
  release(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private entries = new Map<string, Failures & { expiresAt: number }>();

  get(key: string): Promise<Failures | null> {
    const e = this.live(key);
    return Promise.resolve(e ? { count: e.count, lastAt: e.lastAt } : null);
  }

  // Read and written without an await in between: concurrent hits must not read the same count.
  private live(key: string): (Failures & { expiresAt: number }) | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  hit(key: string, ttlMs: number): Promise<Failures> {
    const now = Date.now();
    const count = (this.live(key)?.count ?? 0) + 1;
    this.entries.set(key, { count, lastAt: now, expiresAt: now + ttlMs });
    return Promise.resolve({ count, lastAt: now });
  }

  async hitWithin(key: string, ttlMs: number, limit: number): Promise<boolean> {
    if ((this.live(key)?.count ?? 0) + 1 > limit) return false;
    await this.hit(key, ttlMs);
    return true;
  }

  release(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (e && e.count > 0) e.count -= 1;
    return Promise.resolve();
  }

  clear(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
}

const TABLE = 'folio_rate_limits';

/** A counter's row; the drivers answer BIGINT columns as numbers or strings. */
interface CounterRow {
  count: number | string;
  last_at: number | string;
}

export class DatabaseRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Knex) {}

  async get(key: string): Promise<Failures | null> {
    const row = await this.db(TABLE)
      .where({ key })
      .where('expires_at', '>', Date.now())
      .first<CounterRow | undefined>();
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
    const row = await this.db(TABLE).where({ key }).first<CounterRow>();
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

  async hitWithin(key: string, ttlMs: number, limit: number): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.conditionalIncrement(key, ttlMs, limit);
      } catch (err) {
        if (!isDeadlock(err) || attempt >= 3) throw err;
      }
    }
  }

  /** A conditional UPDATE is the compare-and-increment; a missing row is created at 0 first. */
  private async conditionalIncrement(key: string, ttlMs: number, limit: number): Promise<boolean> {
    const now = Date.now();
    const increment = () =>
      this.db(TABLE)
        .where({ key })
        .andWhere((q) => {
          q.where('expires_at', '<=', now).orWhere('count', '<', limit);
        })
        .update({
          count: this.db.raw('CASE WHEN ?? <= ? THEN 1 ELSE ?? + 1 END', [
            `${TABLE}.expires_at`,
            now,
            `${TABLE}.count`,
          ]),
          last_at: now,
          expires_at: now + ttlMs,
        });
    if (await increment()) return true;
    await this.db(TABLE)
      .insert({ key, count: 0, last_at: now, expires_at: now + ttlMs })
      .onConflict('key')
      .ignore();
    return (await increment()) > 0;
  }

  async release(key: string): Promise<void> {
    await this.db(TABLE).where({ key }).andWhere('count', '>', 0).decrement('count', 1);
  }

  async clear(key: string): Promise<void> {
    await this.db(TABLE).where({ key }).delete();
  }
}

// KEYS[1]: the counter; ARGV: limit, now, ttlMs. Redis runs a script atomically.
const HIT_WITHIN = `
if tonumber(redis.call('hget', KEYS[1], 'count') or '0') + 1 > tonumber(ARGV[1]) then return 0 end
redis.call('hincrby', KEYS[1], 'count', 1)
redis.call('hset', KEYS[1], 'lastAt', ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[3])
return 1`;

export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'folio:rl:',
  ) {}

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

  async hitWithin(key: string, ttlMs: number, limit: number): Promise<boolean> {
    const counted = await this.redis.eval(
      HIT_WITHIN,
      1,
      this.prefix + key,
      String(limit),
      String(Date.now()),
      String(ttlMs),
    );
    return counted === 1;
  }

  async release(key: string): Promise<void> {
    // Only an existing counter: HINCRBY on a key cleared meanwhile would recreate it without expiry.
    await this.redis.eval(
      "if redis.call('exists', KEYS[1]) == 1 then redis.call('hincrby', KEYS[1], 'count', -1) end",
      1,
      this.prefix + key,
    );
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

export const ACCOUNT_POLICY: LockoutPolicy = {
  freeFailures: 5,
  baseLockMs: 60_000,
  maxLockMs: 3_600_000,
  memoryMs: 86_400_000,
};
export const IP_POLICY: LockoutPolicy = {
  freeFailures: 20,
  baseLockMs: 60_000,
  maxLockMs: 3_600_000,
  memoryMs: 86_400_000,
};

/** Milliseconds the key stays locked after these failures (0: not locked). */
export function lockRemainingMs(failures: Failures | null, policy: LockoutPolicy, now = Date.now()): number {
  if (!failures || failures.count < policy.freeFailures) return 0;
  const lock = Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** (failures.count - policy.freeFailures));
  return Math.max(0, failures.lastAt + lock - now);
}

export class Limiter {
  constructor(
    readonly store: RateLimitStore,
    readonly policy: LockoutPolicy,
    private readonly prefix: string,
  ) {}

  /** Throws 429 RateLimitError (with retryAfterSeconds) while the key is locked. */
  async assertOpen(key: string): Promise<void> {
    refuseFor(lockRemainingMs(await this.store.get(this.prefix + key), this.policy));
  }

  /**
   * Counts an attempt BEFORE the slow check it guards (a password hash), atomically in the store, so
   * that attempts running side by side, on one instance or several, cannot all find the key open:
   * it is counted only while the counter leaves room (the free allowance, or exactly one more once a
   * lockout has run out), and refused (429) otherwise. A reserved attempt stays counted as a failure
   * unless it is given back with release() or clear().
   * `enforce: false` counts without refusing (a caller that decided this key does not bind it).
   */
  async reserve(key: string, options: { enforce?: boolean } = {}): Promise<void> {
    if (options.enforce === false) {
      await this.fail(key);
      return;
    }
    const before = await this.store.get(this.prefix + key);
    refuseFor(lockRemainingMs(before, this.policy));
    const limit = Math.max(this.policy.freeFailures, (before?.count ?? 0) + 1);
    if (await this.store.hitWithin(this.prefix + key, this.policy.memoryMs, limit)) return;
    refuseFor(Math.max(1000, lockRemainingMs(await this.store.get(this.prefix + key), this.policy)));
  }

  async fail(key: string): Promise<void> {
    await this.store.hit(this.prefix + key, this.policy.memoryMs);
  }

  /** Gives back one reserved attempt (it succeeded, or another check refused it). */
  async release(key: string): Promise<void> {
    await this.store.release(this.prefix + key);
  }

  async clear(key: string): Promise<void> {
    await this.store.clear(this.prefix + key);
  }
}

/** Throws the 429 RateLimitError (with retryAfterSeconds) when `remainingMs` is above 0. */
export function refuseFor(remainingMs: number): void {
  if (remainingMs <= 0) return;
  const err = new RateLimitError('Too many failed attempts, please try again later.') as RateLimitError & {
    retryAfterSeconds: number;
  };
  err.retryAfterSeconds = Math.ceil(remainingMs / 1000);
  throw err;
}
