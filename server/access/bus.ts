// Tells every instance that roles or permissions changed, so that each rebuilds its abilities.
// In-process listeners always; a Redis pub/sub channel as well when REDIS_URL is set.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export const ACCESS_CHANNEL = 'folio:access:invalidate';

export class InvalidationBus {
  private readonly listeners = new Set<() => void>();
  private pub?: Redis;
  private sub?: Redis;
  private readonly origin = Math.random().toString(36).slice(2);
  private subscribed: Promise<unknown> = Promise.resolve();

  constructor(
    redisUrl: string | undefined,
    private readonly logger: Logger,
    private readonly channel = ACCESS_CHANNEL,
  ) {
    if (!redisUrl) return;
    this.pub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.sub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    for (const c of [this.pub, this.sub])
      c.on('error', (err) => this.logger.warn({ err }, 'redis (access invalidation) error'));
    this.subscribed = this.sub
      .subscribe(this.channel)
      .catch((err) => this.logger.warn({ err }, 'cannot subscribe to access invalidations'));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel && message !== this.origin) this.emitLocal();
    });
  }

  /** Resolves once this instance listens on Redis (at once without Redis). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emitLocal(): void {
    for (const l of this.listeners) l();
  }

  /** Invalidates here at once, and on the other instances through Redis. */
  publish(): void {
    this.emitLocal();
    this.pub
      ?.publish(this.channel, this.origin)
      .catch((err) => this.logger.warn({ err }, 'cannot publish an access invalidation'));
  }

  async close(): Promise<void> {
    await Promise.all([this.pub?.quit().catch(() => undefined), this.sub?.quit().catch(() => undefined)]);
  }
}
