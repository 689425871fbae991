// Retention: old revisions pruned in the background, in batches, so that no write pays for it and no
// statement holds the table long. The policy is the installation's (REVISIONS_KEEP: revisions kept
// per document and locale; REVISIONS_MAX_AGE_DAYS: older ones go), 0 meaning no limit, unless the
// type's schema sets its own (`options.revisions: { keep, maxAgeDays }`, each option it leaves out
// being the installation's). The newest revision of a document and locale is never pruned by age, so
// every document keeps its last state. A type with `revisions: false` records no new history; what it
// recorded before stays under the installation's policy, like the history of a removed type.
import type { Knex } from 'knex';
import type { Logger } from '../../logger.js';
import type { SchemaModel } from '../../schema/model.js';
import { REVISIONS_TABLE } from './recording.js';

export interface RetentionPolicy {
  /** Revisions kept per document and locale (0: all). */
  keep: number;
  /** Revisions older than this many days are pruned (0: no age limit). */
  maxAgeDays: number;
}

/** The types whose schema sets its own retention, with what it sets. */
export type TypeRetention = ReadonlyMap<string, Partial<RetentionPolicy>>;

export interface PrunerOptions {
  /** Revisions deleted per statement. */
  batchSize?: number;
  /** The types' own policies, asked at each pass (the schema may have changed since the last). */
  typePolicies?: () => Promise<TypeRetention>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many revisions of the same document and locale are newer than `r`: walks the history index. */
const NEWER =
  `(SELECT COUNT(*) FROM ${REVISIONS_TABLE} n WHERE n.content_type = r.content_type` +
  ' AND n.document_id = r.document_id AND n.locale = r.locale AND n.id > r.id)';

/** The types of the schema that set their own retention (`options.revisions` as an object). */
export function typeRetentionPolicies(schema: SchemaModel): TypeRetention {
  const policies = new Map<string, Partial<RetentionPolicy>>();
  for (const [uid, type] of schema.contentTypes) {
    const own = type.definition.options?.revisions;
    if (own && typeof own === 'object') policies.set(uid, own);
  }
  return policies;
}

/** Whether a policy lets anything go (0 and 0: keep all). */
function limits(policy: RetentionPolicy): boolean {
  return policy.keep > 0 || policy.maxAgeDays > 0;
}

/** Narrows `q` to the revisions `policy` lets go. */
function prunable(q: Knex.QueryBuilder, policy: RetentionPolicy, now: number): void {
  const { keep, maxAgeDays } = policy;
  q.where((any) => {
    if (keep > 0) any.orWhereRaw(`${NEWER} >= ?`, [keep]);
    if (maxAgeDays > 0)
      any.orWhere((old) => {
        old.where('r.created_at', '<', now - maxAgeDays * DAY_MS).whereRaw(`${NEWER} >= 1`);
      });
  });
}

export class RevisionPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly batchSize: number;
  private readonly typePolicies: () => Promise<TypeRetention>;

  constructor(
    private readonly db: Knex,
    private readonly policy: RetentionPolicy,
    private readonly logger: Logger,
    options: PrunerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.typePolicies = options.typePolicies ?? (() => Promise.resolve(new Map()));
  }

  /** Deletes at most one batch of the revisions the policies let go; answers how many. */
  async pruneBatch(now = Date.now()): Promise<number> {
    const own = await this.typePolicies();
    // A type with a policy of its own is pruned by it; every other type by the installation's.
    const typed = [...own].map(([uid, policy]) => ({ uid, policy: { ...this.policy, ...policy } }));
    const pruned = typed.filter((t) => limits(t.policy));
    const installation = limits(this.policy);
    if (!pruned.length && !installation) return 0;
    const rows: unknown[] = await this.db({ r: REVISIONS_TABLE })
      .where((q) => {
        for (const { uid, policy } of pruned) q.orWhere((g) => prunable(g.where('r.content_type', uid), policy, now));
        if (installation) q.orWhere((g) => prunable(g.whereNotIn('r.content_type', [...own.keys()]), this.policy, now));
      })
      .orderBy('r.id')
      .limit(this.batchSize)
      .pluck('r.id');
    const ids = rows.map(Number);
    if (!ids.length) return 0;
    return this.db(REVISIONS_TABLE).whereIn('id', ids).delete();
  }

  /** Batch after batch until none is left; answers how many were deleted. */
  async pruneAll(now = Date.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.pruneBatch(now);
      total += deleted;
      if (deleted < this.batchSize) return total;
    }
  }

  /**
   * Prunes every `intervalMs` in the server process (the CLI and tests call pruneAll themselves).
   * It runs whatever the installation's policy: a type may set one of its own.
   */
  start(intervalMs = 10 * 60 * 1000): void {
    if (this.timer) return;
    const pass = () => {
      if (this.running) return;
      this.running = this.pruneAll()
        .then((n) => n && this.logger.info({ pruned: n }, 'pruned old revisions'))
        .catch((err: unknown) => this.logger.error({ err }, 'pruning revisions failed'))
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(pass, intervalMs);
    this.timer.unref();
    pass();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
