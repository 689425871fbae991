// The job queue: one-off work due at a time (a scheduled publish; releases later), a task of the
// job runner (runner.ts). A job is a row of folio_jobs with a kind and a JSON payload; the kind's
// handler runs it once the job is due and claimed.
//
// Outcomes:
// - the handler returns: the job succeeded (if the handler did not already say so in its own
//   transaction, with `complete`);
// - the handler throws JobRefusal: the job failed for good — no retry would change the answer (the
//   author lost the right to publish, the entry does not validate). The kind's `failed` records it
//   where people see it, in the same transaction as the job's status;
// - anything else (the database went away): retried with exponential backoff; after maxAttempts the
//   job fails the same visible way;
// - ClaimLostError: another runner took the job over (this one was judged gone); nothing is touched.
//
// Exactly once: a handler whose effect is transactional calls `hold(trx)` (or `complete(trx)`) inside
// that transaction. Both are conditional UPDATEs of the job row on this claim's token: if the claim was
// released and taken by another runner in between, they throw and the effect rolls back; if not, the
// job row stays locked until the commit, so a runner taking over afterwards sees the effect done.
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { backoffDelay, UNCLAIMED, type JobRunner, type RunnerTask } from './runner.js';

export const JOBS_TABLE = 'folio_jobs';

export type JobStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export interface QueueOptions {
  /** Jobs claimed per step. */
  batchSize: number;
  /** Attempts before a job failing with an unexpected error is given up. */
  maxAttempts: number;
  /** Delay before the first retry; each later one doubles, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Finished jobs older than this leave the table (what they did stays where it was recorded). */
  retentionMs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  batchSize: 20,
  maxAttempts: 5,
  backoffMs: 15_000,
  maxBackoffMs: 3_600_000,
  retentionMs: 30 * 24 * 3_600_000,
};

/** A failure no retry would change: the job fails at once, visibly. */
export class JobRefusal extends Error {
  override name = 'JobRefusal';
}

/** This runner no longer holds the job: another one took it over. */
export class ClaimLostError extends Error {
  override name = 'ClaimLostError';
}

/** A job being run, as its handler sees it. */
export interface ClaimedJob<P> {
  id: number;
  payload: P;
  /** This attempt's number (1 the first time). */
  attempt: number;
  /** In the effect's transaction: throws ClaimLostError unless this claim still holds (and locks the job). */
  hold(trx: Knex.Transaction): Promise<void>;
  /** In the effect's transaction: marks the job succeeded, on the same condition as hold. */
  complete(trx: Knex.Transaction): Promise<void>;
}

export interface JobKind<P> {
  /** Does the work; throws JobRefusal for a failure that must not be retried. */
  run(job: ClaimedJob<P>): Promise<void>;
  /** Records a failure where people see it, in the transaction that marks the job failed. */
  failed(trx: Knex.Transaction, job: { id: number; payload: P }, reason: string): Promise<void>;
}

interface JobRow {
  id: number | string;
  kind: string;
  payload: string;
  attempts: number | string;
  claim: string;
}

export class JobQueue implements RunnerTask {
  readonly name = 'jobs';
  readonly options: QueueOptions;
  private readonly kinds = new Map<string, JobKind<never>>();
  private prunedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly runner: JobRunner,
    private readonly logger: Logger,
    options: Partial<QueueOptions> = {},
  ) {
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options };
    runner.add(this);
  }

  define<P>(kind: string, handler: JobKind<P>): void {
    if (this.kinds.has(kind)) throw new Error(`Job kind ${kind} is defined twice`);
    this.kinds.set(kind, handler);
  }

  /** Adds a job due at `runAt`, in the caller's transaction (it exists if and only if that commits). */
  async enqueue(trx: Knex | Knex.Transaction, kind: string, payload: unknown, runAt: number): Promise<number> {
    if (!this.kinds.has(kind)) throw new Error(`Unknown job kind ${kind}`);
    const now = Date.now();
    const [id] = await trx(JOBS_TABLE).insert({
      kind,
      payload: JSON.stringify(payload),
      status: 'pending',
      run_at: runAt,
      attempts: 0,
      created_at: now,
      updated_at: now,
    });
    return Number(id);
  }

  /** Cancels a job that has not run, in the caller's transaction; false when it is not pending any more. */
  async cancel(trx: Knex.Transaction, id: number): Promise<boolean> {
    const changed = await trx(JOBS_TABLE)
      .where({ id, status: 'pending' })
      .update({ status: 'cancelled', updated_at: Date.now() });
    return changed > 0;
  }

  /** A pass of this task alone, the runner's lease renewed first (tests). */
  async runOnce(now = Date.now()): Promise<number> {
    await this.runner.keepLease();
    return this.runPass(now);
  }

  /** Runs every job due at `now`, batch after batch. */
  async runPass(now: number): Promise<number> {
    let ran = 0;
    for (let n = await this.runDue(now); n > 0; n = await this.runDue(now)) ran += n;
    await this.prune(now);
    return ran;
  }

  /** Keeps the table bounded: finished jobs go after retentionMs (checked hourly). */
  private async prune(now: number): Promise<void> {
    if (now - this.prunedAt < 3_600_000) return;
    this.prunedAt = now;
    await this.db(JOBS_TABLE)
      .whereNot('status', 'pending')
      .andWhere('updated_at', '<', now - this.options.retentionMs)
      .delete();
  }

  private async runDue(now: number): Promise<number> {
    const token = await this.runner.claim({
      table: JOBS_TABLE,
      now,
      where: (q) => {
        q.where('status', 'pending').andWhere('run_at', '<=', now);
      },
      orderBy: ['run_at', 'id'],
      limit: this.options.batchSize,
    });
    if (!token) return 0;
    const rows = await this.db(JOBS_TABLE).where('claim', token).orderBy(['run_at', 'id']).select<JobRow[]>('*');
    for (const row of rows) await this.runJob(row);
    return rows.length;
  }

  private async runJob(row: JobRow): Promise<void> {
    const id = Number(row.id);
    const attempt = Number(row.attempts) + 1;
    const kind = this.kinds.get(row.kind);
    const payload = JSON.parse(row.payload) as never;
    const ours = (trx: Knex | Knex.Transaction) => trx(JOBS_TABLE).where({ id, claim: row.claim, status: 'pending' });
    const fenced = async (trx: Knex.Transaction, change: Record<string, unknown>) => {
      if (!(await ours(trx).update({ ...change, updated_at: Date.now() })))
        throw new ClaimLostError(`Job ${id} was taken over`);
    };
    const job: ClaimedJob<never> = {
      id,
      payload,
      attempt,
      hold: (trx) => fenced(trx, { attempts: attempt }),
      complete: (trx) => fenced(trx, { ...UNCLAIMED, attempts: attempt, status: 'succeeded', last_error: null }),
    };
    try {
      if (!kind) throw new JobRefusal(`No handler for jobs of kind ${row.kind}`);
      await kind.run(job);
      // A handler that completed the job itself left nothing to update here.
      await ours(this.db).update({ ...UNCLAIMED, attempts: attempt, status: 'succeeded', updated_at: Date.now() });
    } catch (err) {
      if (err instanceof ClaimLostError) {
        this.logger.warn({ jobId: id }, 'job taken over by another runner');
        return;
      }
      const last = err instanceof JobRefusal || attempt >= this.options.maxAttempts;
      const reason = (err as Error)?.message ?? String(err);
      if (!last) {
        const delay = backoffDelay(attempt, this.options.backoffMs, this.options.maxBackoffMs);
        await ours(this.db).update({
          ...UNCLAIMED,
          attempts: attempt,
          last_error: reason,
          run_at: Date.now() + delay,
          updated_at: Date.now(),
        });
        this.logger.warn({ err, jobId: id, kind: row.kind, attempt }, 'job failed, will retry');
        return;
      }
      await this.fail(row.claim, job, kind, reason);
      this.logger.warn({ jobId: id, kind: row.kind, attempt, reason }, 'job failed');
    }
  }

  /** Marks the job failed and has its kind record why, in one transaction (fenced like its work). */
  private async fail(
    claim: string,
    job: ClaimedJob<never>,
    kind: JobKind<never> | undefined,
    reason: string,
  ): Promise<void> {
    try {
      await this.db.transaction(async (trx) => {
        const ours = await trx(JOBS_TABLE)
          .where({ id: job.id, claim, status: 'pending' })
          .update({
            ...UNCLAIMED,
            attempts: job.attempt,
            status: 'failed',
            last_error: reason,
            updated_at: Date.now(),
          });
        if (!ours) throw new ClaimLostError(`Job ${job.id} was taken over`);
        await kind?.failed(trx, job, reason);
      });
    } catch (err) {
      if (!(err instanceof ClaimLostError)) throw err;
    }
  }
}
