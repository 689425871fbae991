// Folio's caches of public reads, and what invalidates them.
//
//   responses  GET /api bodies with their ETag and Cache-Control, keyed by the caller's permission
//              fingerprint and the URL (CACHE=on|off, CACHE_MAX_MB, CACHE_TTL). Two callers share an
//              entry only when their rules are identical, so no caller ever gets a response computed
//              for other rights. A member role with own-entry permissions (`comment.find:own`) puts
//              the member's id in its rules' conditions: each member has its own entries, while
//              the members of a role without them share one.
//   counts     meta.pagination.total per count statement (always on: on InnoDB a COUNT(*) walks the
//              whole index and costs more than the page it describes).
//   positions  the id at a deep offset of a list in id order (always on): page 200 then starts at
//              that id instead of walking 5,000 index entries (server/content/query/execute.ts).
//
// Each entry is tagged with the content types it was computed from (tags.ts) and dropped exactly
// when one of them is written: a document write (after its commit), a media change, through Redis on
// the other instances too when REDIS_URL is set. Schema changes, permission changes and a new default
// locale drop everything.
import { createHash } from 'node:crypto';
import type { Caller } from '../access/caller.js';
import type { AppAbility } from '../access/ability.js';
import type { Logger } from '../logger.js';
import type { SchemaModel } from '../schema/model.js';
import { CacheBus, type Invalidation } from './bus.js';

export type { Invalidation } from './bus.js';
import { MEDIA_TAG } from './tags.js';
import { TaggedCache } from './tagged-cache.js';

export { TaggedCache, type ReadTicket } from './tagged-cache.js';
export { tagsOf, MEDIA_TAG } from './tags.js';

export interface CachedResponse {
  /** UTF-8 JSON, encoded once: the ETag is hashed from it and it is written as is. */
  body: Buffer;
  etag: string;
  cacheControl: string;
}

export interface ContentCacheOptions {
  enabled: boolean;
  maxBytes: number;
  ttlSeconds: number;
  redisUrl?: string;
  logger: Logger;
}

/** Enough for the totals (and deep-page positions) of every list a site serves; each is a few dozen bytes. */
const COUNT_ENTRIES = 10_000;

const fingerprints = new WeakMap<AppAbility, string>();

/**
 * Who may see what, as a short string: the hash of the caller's CASL rules (the Public role's, a
 * token's, a member role's). Undefined for callers whose rights are not described by rules alone:
 * they are not cached.
 */
const RULE_DESCRIBED = new Set<Caller['kind']>(['public', 'api-token', 'member']);

export function permissionFingerprint(caller: Caller | undefined): string | undefined {
  if (!caller || !RULE_DESCRIBED.has(caller.kind) || !('ability' in caller)) return undefined;
  const ability = (caller as Caller & { ability: AppAbility }).ability;
  let fingerprint = fingerprints.get(ability);
  if (!fingerprint) {
    fingerprint = createHash('sha256').update(JSON.stringify(ability.rules)).digest('base64url');
    fingerprints.set(ability, fingerprint);
  }
  return fingerprint;
}

export class ContentCache {
  /** Undefined when CACHE=off. */
  readonly responses?: TaggedCache<CachedResponse>;
  readonly counts: TaggedCache<number>;
  readonly positions: TaggedCache<number>;
  private readonly bus: CacheBus;
  private schemaSeen?: SchemaModel;

  constructor(options: ContentCacheOptions) {
    const ttlMs = options.ttlSeconds * 1000;
    if (options.enabled) {
      this.responses = new TaggedCache<CachedResponse>({
        maxSize: options.maxBytes,
        ttlMs,
        sizeOf: (r, key) => r.body.length + key.length + 200,
      });
    }
    this.counts = new TaggedCache<number>({ maxSize: COUNT_ENTRIES, ttlMs, sizeOf: () => 1 });
    this.positions = new TaggedCache<number>({ maxSize: COUNT_ENTRIES, ttlMs, sizeOf: () => 1 });
    this.bus = new CacheBus(options.redisUrl, options.logger);
    this.bus.on((invalidation) => this.apply(invalidation));
  }

  private apply(invalidation: Invalidation): void {
    if ('all' in invalidation) {
      this.responses?.clear();
      this.counts.clear();
      this.positions.clear();
      return;
    }
    this.responses?.invalidate(invalidation.tags);
    this.counts.invalidate(invalidation.tags);
    this.positions.invalidate(invalidation.tags);
  }

  /** Content of these types (content-type uids, or MEDIA_TAG) changed: here and on every instance. */
  invalidate(tags: string[]): void {
    this.bus.publish({ tags });
  }

  mediaChanged(): void {
    this.invalidate([MEDIA_TAG]);
  }

  /**
   * A setting every read depends on changed (the default locale, the schema): everything is dropped,
   * here and on every instance (whose LocaleService and schema registry forget their copies with it,
   * see folio.ts).
   */
  settingsChanged(): void {
    this.bus.publish({ all: true });
  }

  /** Roles or permissions changed. Only responses: a count statement already names what it counts. */
  permissionsChanged(): void {
    this.responses?.clear();
  }

  /**
   * Called with the schema model in force on each read. Every instance's registry also notices a new
   * schema version by itself (a CLI apply sends no message), within the age the read accepted.
   */
  observeSchema(model: SchemaModel): void {
    if (this.schemaSeen === model) return;
    if (this.schemaSeen) this.apply({ all: true });
    this.schemaSeen = model;
  }

  /** Called on every invalidation applied here, those from other instances included. */
  onInvalidate(listener: (invalidation: Invalidation) => void): () => void {
    return this.bus.on(listener);
  }

  /** Resolves once invalidations from other instances can arrive (at once without Redis). */
  ready(): Promise<void> {
    return this.bus.ready();
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
