// Carries cache invalidations between instances: in-process listeners always, a Redis pub/sub
// channel as well when REDIS_URL is set — the same shape as the access bus (server/access/bus.ts),
// with a payload: the content types written, or "everything" (schema and permission changes).
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export const CACHE_CHANNEL = 'folio:cache:invalidate';

/** What changed: these content types (or 'upload' for media), or everything. */
export type Invalidation = { tags: string[] } | { all: true };

interface Message {
  origin: string;
  invalidation: Invalidation;
}

export class CacheBus {
  private readonly listeners = new Set<(invalidation: Invalidation) => void>();
  private pub?: Redis;
  private sub?: Redis;
  private readonly origin = Math.random().toString(36).slice(2);
  private subscribed: Promise<unknown> = Promise.resolve();

  constructor(
    redisUrl: string | undefined,
    private readonly logger: Logger,
    private readonly channel = CACHE_CHANNEL,
  ) {
    if (!redisUrl) return;
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    this.sub = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    for (const c of [this.pub, this.sub])
      c.on('error', (err) => this.logger.warn({ err }, 'redis (cache invalidation) error'));
    this.subscribed = this.sub
      .subscribe(this.channel)
      .catch((err) => this.logger.warn({ err }, 'cannot subscribe to cache invalidations'));
    this.sub.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      let message: Message;
      try {
        message = JSON.parse(raw) as Message;
      } catch {
        this.logger.warn({ raw }, 'unreadable cache invalidation');
        return;
      }
      if (message.origin !== this.origin) this.emitLocal(message.invalidation);
    });
  }

  /** Resolves once this instance listens on Redis (at once without Redis). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  on(listener: (invalidation: Invalidation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emitLocal(invalidation: Invalidation): void {
    for (const l of this.listeners) l(invalidation);
  }

  /** Invalidates here at once, and on the other instances through Redis. */
  publish(invalidation: Invalidation): void {
    this.emitLocal(invalidation);
    const message: Message = { origin: this.origin, invalidation };
    this.pub
      ?.publish(this.channel, JSON.stringify(message))
      .catch((err) => this.logger.warn({ err }, 'cannot publish a cache invalidation'));
  }

  async close(): Promise<void> {
    await Promise.all([this.pub?.quit().catch(() => undefined), this.sub?.quit().catch(() => undefined)]);
  }
}
