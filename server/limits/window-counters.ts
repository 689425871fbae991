// Where request-rate counters live: one counter per (key, fixed time window), incremented atomically.
// The same three homes as the login lockout's failures (server/auth/rate-limit.ts): the database by
// default (shared by every instance on it), Redis when REDIS_URL is set, memory for one process
// (tests of the policy); server/auth/index.ts picks one for both.
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { dialectOf } from '../db/connection.js';
import { isDeadlock } from '../db/errors.js';

export interface CounterWindow {
  /** The window's number since the epoch (its start divided by its length). */
  index: number;
  /** Epoch ms when the window ends: the counter may be forgotten from then on. */
  endsAt: number;
}

export interface WindowCounterStore {
  /** Adds one to `key`'s counter of `window` and answers the count this very increment made. */
  increment(key: string, window: CounterWindow): Promise<number>;
}

function rowKey(key: string, window: CounterWindow): string {
  return `${key}@${window.index}`;
}

export class MemoryWindowCounterStore implements WindowCounterStore {
  private readonly counters = new Map<string, { count: number; endsAt: number }>();
  private sweptAt = 0;

  increment(key: string, window: CounterWindow): Promise<number> {
    this.sweep(Date.now());
    const k = rowKey(key, window);
    const counter = this.counters.get(k) ?? { count: 0, endsAt: window.endsAt };
    counter.count += 1;
    this.counters.set(k, counter);
    return Promise.resolve(counter.count);
  }

  /** Drops ended windows now and then, so that keys seen once do not pile up. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [k, c] of this.counters) if (c.endsAt <= now) this.counters.delete(k);
  }
}

const TABLE = 'folio_rate_limits';
/** Rows of this store in the login lockout's table; its own rows never start with it. */
export const WINDOW_ROW_PREFIX = 'rate:';
const PURGE_EVERY_MS = 10 * 60_000;

export class DatabaseWindowCounterStore implements WindowCounterStore {
  private purgedAt = Date.now();
  private readonly mysql: boolean;

  constructor(
    private readonly db: Knex,
    private readonly onPurgeError: (err: unknown) => void = () => undefined,
    private readonly purgeEveryMs = PURGE_EVERY_MS,
  ) {
    this.mysql = dialectOf(db) === 'mysql';
  }

  async increment(key: string, window: CounterWindow): Promise<number> {
    if (!key.startsWith(WINDOW_ROW_PREFIX)) throw new Error(`Window counter keys start with ${WINDOW_ROW_PREFIX}`);
    this.purgeNowAndThen();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.upsert(rowKey(key, window), window);
      } catch (err) {
        // A deadlock victim is rolled back whole: counting it again counts it once.
        if (!isDeadlock(err) || attempt >= 3) throw err;
      }
    }
  }

  /**
   * One statement inserts a new window's row at 1 or adds 1 to it, and answers the count it wrote
   * (reading it back afterwards could see later increments too, and refuse a whole burst).
   */
  private async upsert(k: string, window: CounterWindow): Promise<number> {
    const now = Date.now();
    const insert = this.db(TABLE)
      .insert({ key: k, count: 1, last_at: now, expires_at: window.endsAt })
      .onConflict('key');
    if (this.mysql) {
      // MySQL has no RETURNING: LAST_INSERT_ID(expr) hands the new count back as the statement's
      // insert id (0 when the row was inserted, at 1).
      const [id] = await insert.merge({
        count: this.db.raw('LAST_INSERT_ID(?? + 1)', [`${TABLE}.count`]),
        last_at: now,
      });
      return Number(id) || 1;
    }
    const [row] = await insert
      .merge({ count: this.db.raw('?? + 1', [`${TABLE}.count`]), last_at: now })
      .returning<Array<{ count: number }>>('count');
    return Number(row.count);
  }

  /** Housekeeping off the request's path: ended windows of this store only, never a lockout's row. */
  private purgeNowAndThen(): void {
    const now = Date.now();
    if (now - this.purgedAt < this.purgeEveryMs) return;
    this.purgedAt = now;
    this.db(TABLE)
      .where('key', '>=', WINDOW_ROW_PREFIX)
      .where('key', '<', `${WINDOW_ROW_PREFIX.slice(0, -1)};`) // ';' follows ':' in ASCII
      .where('expires_at', '<=', now)
      .delete()
      .catch(this.onPurgeError);
  }
}

export class RedisWindowCounterStore implements WindowCounterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'folio:rl:',
  ) {}

  async increment(key: string, window: CounterWindow): Promise<number> {
    const k = this.prefix + rowKey(key, window);
    const res = await this.redis.multi().incr(k).pexpireat(k, window.endsAt).exec();
    return Number(res?.[0]?.[1] ?? 1);
  }
}
