// An in-process LRU whose entries carry tags (the content types a value was computed from), so that
// a write drops exactly the entries it can have changed — and nothing else.
//
// The race every read-through cache has: a read starts, a write commits and invalidates, then the
// read (which saw the old rows) stores its result — stale until the TTL. `begin()` takes a snapshot
// of the invalidation counters before the read; `set()` refuses the value when any of its tags was
// invalidated since, so a value computed before a write is never stored after it.
import { LRUCache } from 'lru-cache';

export interface TaggedCacheOptions<V> {
  /** Upper bound of the summed sizes of the entries. */
  maxSize: number;
  /** Entry lifetime in ms (0: until evicted or invalidated). */
  ttlMs: number;
  /** The size of one entry (in the unit of maxSize). */
  sizeOf: (value: V, key: string) => number;
}

/** Where the invalidation counters stood when a read began. */
export interface ReadTicket {
  readonly epoch: number;
  readonly seq: number;
}

interface Stored<V> {
  value: V;
  tags: readonly string[];
}

export class TaggedCache<V> {
  private readonly lru: LRUCache<string, Stored<V>>;
  private readonly byTag = new Map<string, Set<string>>();
  /** Bumped by clear(): every read begun before is refused. */
  private epoch = 0;
  /** Bumped by every invalidate(); `invalidatedAt` records it per tag. */
  private seq = 0;
  private readonly invalidatedAt = new Map<string, number>();

  constructor(options: TaggedCacheOptions<V>) {
    this.lru = new LRUCache<string, Stored<V>>({
      maxSize: options.maxSize,
      sizeCalculation: (stored, key) => Math.max(1, options.sizeOf(stored.value, key)),
      ttl: options.ttlMs || undefined,
      // The tag index must forget what the LRU dropped (evicted, expired, replaced or deleted).
      dispose: (stored, key) => this.unindex(key, stored.tags),
    });
  }

  get size(): number {
    return this.lru.size;
  }

  begin(): ReadTicket {
    return { epoch: this.epoch, seq: this.seq };
  }

  get(key: string): V | undefined {
    return this.lru.get(key)?.value;
  }

  /** Stores `value` unless one of `tags` was invalidated after `ticket` was taken. */
  set(key: string, value: V, tags: Iterable<string>, ticket: ReadTicket): boolean {
    const list = [...new Set(tags)];
    if (ticket.epoch !== this.epoch) return false;
    for (const tag of list) if ((this.invalidatedAt.get(tag) ?? -1) > ticket.seq) return false;
    this.lru.set(key, { value, tags: list });
    if (!this.lru.has(key)) return false; // larger than the whole cache
    for (const tag of list) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /** Drops every entry tagged with one of `tags`. */
  invalidate(tags: Iterable<string>): void {
    this.seq += 1;
    for (const tag of tags) {
      this.invalidatedAt.set(tag, this.seq);
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      this.byTag.delete(tag);
      for (const key of keys) this.lru.delete(key);
    }
  }

  clear(): void {
    this.epoch += 1;
    this.lru.clear();
    this.byTag.clear();
    this.invalidatedAt.clear();
  }

  private unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.byTag.delete(tag);
    }
  }
}
