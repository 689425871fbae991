// Retention: old revisions pruned in the background, in batches, so that no write pays for it and no
// statement holds the table long. The policy is the installation's (REVISIONS_KEEP: revisions kept
// per document and locale; REVISIONS_MAX_AGE_DAYS: older ones go), 0 meaning no limit; the newest
// revision of a document and locale is never pruned by age, so every document keeps its last state.
import type { Knex } from 'knex';
import type { Logger } from '../../logger.js';
import { REVISIONS_TABLE } from './recording.js';

export interface RetentionPolicy {
  /** Revisions kept per document and locale (0: all). */
  keep: number;
  /** Revisions older than this many days are pruned (0: no age limit). */
  maxAgeDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many revisions of the same document and locale are newer than `r`: walks the history index. */
const NEWER =
  `(SELECT COUNT(*) FROM ${REVISIONS_TABLE} n WHERE n.content_type = r.content_type` +
  ' AND n.document_id = r.document_id AND n.locale = r.locale AND n.id > r.id)';

export class RevisionPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: Knex,
    private readonly policy: RetentionPolicy,
    private readonly logger: Logger,
    private readonly batchSize = 500,
  ) {}

  get active(): boolean {
    return this.policy.keep > 0 || this.policy.maxAgeDays > 0;
  }

  /** Deletes at most one batch of the revisions the policy lets go; answers how many. */
  async pruneBatch(now = Date.now()): Promise<number> {
    if (!this.active) return 0;
    const { keep, maxAgeDays } = this.policy;
    const rows: unknown[] = await this.db({ r: REVISIONS_TABLE })
      .where((q) => {
        if (keep > 0) q.orWhereRaw(`${NEWER} >= ?`, [keep]);
        if (maxAgeDays > 0)
          q.orWhere((old) => {
            old.where('r.created_at', '<', now - maxAgeDays * DAY_MS).whereRaw(`${NEWER} >= 1`);
          });
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

  /** Prunes every `intervalMs` in the server process (the CLI and tests call pruneAll themselves). */
  start(intervalMs = 10 * 60 * 1000): void {
    if (!this.active || this.timer) return;
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
