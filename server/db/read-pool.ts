// Where reads go (DATABASE_READ_URLS): public content reads are spread over the replicas, round
// robin; writes, the Admin API, draft reads and anything that must see its own writes stay on the
// primary. Without replicas every read uses the primary.
//
// Replicas lag. Two rules keep that from showing:
// - a type written in the last `stickyMs` (on this instance, or on another one through the cache
//   invalidation bus) is read from the primary, so a client that just wrote reads its write back;
// - the response cache stores nothing read from a replica during that window either (the same rule:
//   such reads go to the primary), so a stale replica read is never cached past the write.
import type { Knex } from 'knex';
import { createDatabase, type DatabaseOptions } from './connection.js';

/** How long after a write its type is read from the primary: well above a healthy replica's lag. */
export const DEFAULT_STICKY_MS = 5_000;

export class ReadPool {
  readonly replicas: Knex[];
  private next = 0;
  private readonly writtenAt = new Map<string, number>();

  constructor(
    readonly primary: Knex,
    urls: string[],
    options: DatabaseOptions = {},
    private readonly stickyMs = DEFAULT_STICKY_MS,
  ) {
    this.replicas = urls.map((url) => createDatabase(url, options));
  }

  /** Notes that these types were just written (called for every cache invalidation). */
  written(tags: Iterable<string>): void {
    if (this.replicas.length === 0) return;
    const now = Date.now();
    for (const tag of tags) this.writtenAt.set(tag, now);
  }

  /** Everything was invalidated (schema, permissions): read from the primary for a while. */
  writtenAll(): void {
    this.written(['*']);
  }

  /** The connection for a read of these types: a replica, unless one of them was just written. */
  forRead(tags: Iterable<string>): Knex {
    if (this.replicas.length === 0) return this.primary;
    const now = Date.now();
    for (const tag of ['*', ...tags]) {
      const at = this.writtenAt.get(tag);
      if (at !== undefined && now - at < this.stickyMs) return this.primary;
    }
    this.next = (this.next + 1) % this.replicas.length;
    return this.replicas[this.next];
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.destroy()));
  }
}
