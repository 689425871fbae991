// Request-rate limits: at most `limit` requests per key (an IP, an email asked about, …) in each fixed
// window of `windowMs`. Unlike the login lockout (server/auth/rate-limit.ts), which counts failures,
// this counts every request it is asked about, before the work it protects is done.
//
//   const limiter = new RequestRateLimiter(store, { limit: 5, windowMs: 60_000 }, 'signup:ip');
//   const { allowed, retryAfterSeconds } = await limiter.consume(ctx.ip);   // or limiter.assert(key)
//   router.post('/signup', requestRateLimit(limiter), handler);              // 429 + Retry-After
//
// The race: many requests for one key arrive at once, on one or several instances. A check-then-count
// would let them all read "under the limit" before any is counted. Instead each request adds itself
// to its window's counter and gets the count its own increment made, in one atomic step of the store
// (an upsert answering the new count, Redis INCR); it is allowed only if that count is at most
// `limit`. The invariant: the increments of one window yield the distinct counts 1, 2, 3, …, so at
// most `limit` requests are allowed per key and window however they interleave, and exactly `limit`
// of a burst. A refused request still counts, so a flood stays refused until the window ends.
// Windows are fixed, not sliding: a client may get up to 2 × limit across a window's boundary.
import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { RateLimitError } from '../errors.js';
import { WINDOW_ROW_PREFIX, type WindowCounterStore } from './window-counters.js';

export interface RequestRatePolicy {
  /** Requests allowed per key in each window. */
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window ends (0 when allowed). */
  retryAfterSeconds: number;
}

export class RequestRateLimiter {
  constructor(
    private readonly store: WindowCounterStore,
    readonly policy: RequestRatePolicy,
    /** Names the counters (e.g. `reset:email`): limiters of different names never share one. */
    private readonly name: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; allowed while the window's count is within the limit. */
  async consume(key: string): Promise<RateDecision> {
    const now = this.now();
    const index = Math.floor(now / this.policy.windowMs);
    const endsAt = (index + 1) * this.policy.windowMs;
    const count = await this.store.increment(this.counterKey(key), { index, endsAt });
    if (count <= this.policy.limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)) };
  }

  /** Counts one request for `key`; throws 429 RateLimitError (with retryAfterSeconds) past the limit. */
  async assert(key: string): Promise<void> {
    const decision = await this.consume(key);
    if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
  }

  /** Keys are user input of any length: stored as a digest (bounded, and no email or IP at rest). */
  private counterKey(key: string): string {
    return `${WINDOW_ROW_PREFIX}${this.name}:${createHash('sha256').update(key).digest('base64url')}`;
  }
}

export function tooManyRequests(retryAfterSeconds: number): RateLimitError & { retryAfterSeconds: number } {
  return Object.assign(new RateLimitError('Too many requests, please try again later.'), { retryAfterSeconds });
}

/** Koa middleware: one request counted per key (the client's IP unless `keyOf` says otherwise). */
export function requestRateLimit(
  limiter: RequestRateLimiter,
  keyOf: (ctx: Context) => string = (ctx) => ctx.ip,
): Middleware {
  return async (ctx, next) => {
    await limiter.assert(keyOf(ctx));
    await next();
  };
}
