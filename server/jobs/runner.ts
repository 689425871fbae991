// The job runner: what lets several Folio instances on one database share background work without
// doing any piece of it twice at once (docs/architecture.md, "Background jobs").
//
// Work lives in rows ("claimable tables": columns claim, claimed_by, claimed_until). A runner takes
// rows with a conditional UPDATE — the same "free" conditions in the UPDATE as in the SELECT that
// found them — so of two runners racing for a row exactly one gets it. A claim names its owner (host,
// pid, process start, random) and every runner keeps a lease row in folio_dispatchers, renewed on its
// own timer. A runner releases the claims of owners that are gone: a lease not renewed for leaseMs
// (a crashed or frozen process elsewhere), or a process on this host that no longer runs (a restart
// releases its predecessor's claims at once). A claim also expires on its own after claimMs.
//
// That gives at-least-once: a row claimed by a process that dies is taken again. Exactly-once is a
// task's business, reached by fencing: it commits its effect in a transaction that also checks, with a
// conditional UPDATE, that its claim still holds (queue.ts, ClaimedJob.hold) — a runner whose claim
// was taken over rolls back instead of doing the work a second time.
//
// The tasks (webhook delivery, the job queue) are added to one runner per process; a pass runs them
// side by side.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';

/** The lease table (its name predates the runner: the webhook dispatcher's leases became the runner's). */
export const LEASES_TABLE = 'folio_dispatchers';

/** Every table whose rows are claimed: a gone owner's claims are released in all of them. */
export const CLAIMABLE_TABLES = ['folio_outbox', 'folio_webhook_deliveries', 'folio_jobs'] as const;
export type ClaimableTable = (typeof CLAIMABLE_TABLES)[number];

/** What frees a claim. */
export const UNCLAIMED = { claim: null, claimed_by: null, claimed_until: null } as const;

/** When this process started: tells it apart from an earlier process that had the same pid. */
const PROCESS_STARTED_AT = Math.round(performance.timeOrigin);

export interface RunnerOptions {
  /** How often a started runner makes a pass (it is also woken after each content write). */
  pollMs: number;
  /** How often a runner renews its lease. */
  heartbeatMs: number;
  /** A runner whose lease was not renewed for this long is gone: its claims are released. */
  leaseMs: number;
  /** How long a claim keeps other runners away if nothing releases it earlier (longer than a pass). */
  claimMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  pollMs: 1000,
  heartbeatMs: 5_000,
  leaseMs: 30_000,
  claimMs: 120_000,
};

/** One kind of background work, run by a runner's passes. */
export interface RunnerTask {
  readonly name: string;
  /** Does what is due at `now`; answers anything worth a log line. */
  runPass(now: number): Promise<unknown>;
}

export interface ClaimRequest {
  table: ClaimableTable;
  now: number;
  /** The rows that may be taken, besides being free (never claimed, or the claim expired). */
  where?: (q: Knex.QueryBuilder) => void;
  orderBy: string[];
  limit: number;
  /** Claim length; default the runner's claimMs. */
  claimMs?: number;
}

interface LeaseRow {
  id: string;
  host: string;
  pid: number | string;
  process_started_at: number | string;
  heartbeat_at: number | string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Exponential backoff: `base` before the 2nd attempt, doubling after each failure, at most `max`. */
export function backoffDelay(failedAttempts: number, base: number, max: number): number {
  return Math.min(base * 2 ** Math.max(0, failedAttempts - 1), max);
}

export class JobRunner {
  readonly options: RunnerOptions;
  /** Written into every claim; `id` is unique per runner (a process may hold several: tests). */
  readonly owner: { id: string; host: string; pid: number };
  private readonly tasks: RunnerTask[] = [];
  /** When the lease was last written; 0 until this runner has registered. */
  private leasedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;

  constructor(
    private readonly db: Knex,
    private readonly logger: Logger,
    options: Partial<RunnerOptions> = {},
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...options };
    const host = os.hostname().slice(0, 100);
    this.owner = { id: `${host}:${process.pid}:${randomBytes(6).toString('hex')}`, host, pid: process.pid };
  }

  add(task: RunnerTask): void {
    this.tasks.push(task);
  }

  /** Makes a pass every pollMs (the server process; the CLI and tests call runOnce themselves). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    // The lease is renewed on its own timer: a long pass must not make this process look dead.
    this.heartbeat = setInterval(() => {
      this.keepLease().catch((err: unknown) => this.logger.error({ err }, 'job runner lease failed'));
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    this.wake();
  }

  /** Makes a pass soon (once started); a pass already running is followed by another one. */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again && this.started);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * One pass: the tasks side by side (a webhook receiver that times out must not hold back a scheduled
   * publish); one task's failure is logged and does not stop the others.
   */
  async runOnce(now = Date.now()): Promise<void> {
    try {
      await this.keepLease();
    } catch (err) {
      this.logger.error({ err }, 'job runner lease failed');
      return;
    }
    await Promise.all(
      this.tasks.map(async (task) => {
        try {
          await task.runPass(now);
        } catch (err) {
          this.logger.error({ err, task: task.name }, 'job runner task failed');
        }
      }),
    );
  }

  /** Stops the timers, waits for the pass under way, and gives back what this runner holds. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.running;
    if (!this.leasedAt) return;
    this.leasedAt = 0;
    await this.release([this.owner.id]);
  }

  /**
   * Registers (first call) or renews this runner's lease, then releases the claims of owners that are
   * gone: a lease not renewed for leaseMs, or a process on this host that no longer runs.
   */
  async keepLease(): Promise<void> {
    const now = Date.now();
    if (this.leasedAt && now - this.leasedAt < this.options.heartbeatMs) return;
    this.leasedAt = now;
    const renewed = await this.db(LEASES_TABLE).where('id', this.owner.id).update({ heartbeat_at: now });
    if (!renewed) {
      // First registration, or another runner judged this one gone and released its claims (work
      // this one is doing then fails its fence and rolls back).
      await this.db(LEASES_TABLE).insert({
        id: this.owner.id,
        host: this.owner.host,
        pid: this.owner.pid,
        process_started_at: PROCESS_STARTED_AT,
        heartbeat_at: now,
      });
    }
    const leases = await this.db(LEASES_TABLE).whereNot('id', this.owner.id).select<LeaseRow[]>('*');
    const gone = leases
      .filter((lease) => Number(lease.heartbeat_at) < now - this.options.leaseMs || this.diedOnThisHost(lease))
      .map((lease) => lease.id);
    if (!gone.length) return;
    await this.release(gone);
    this.logger.info({ owners: gone }, 'released the claims of job runners that are gone');
  }

  private diedOnThisHost(lease: LeaseRow): boolean {
    if (lease.host !== this.owner.host) return false;
    const pid = Number(lease.pid);
    // Our own pid with another start time is an earlier process (a container's pid 1, say).
    if (pid === process.pid) return Number(lease.process_started_at) !== PROCESS_STARTED_AT;
    return !processAlive(pid);
  }

  /** Frees every row the owners claimed, in every claimable table, and drops their leases. */
  private async release(owners: string[]): Promise<void> {
    for (const table of CLAIMABLE_TABLES) await this.db(table).whereIn('claimed_by', owners).update(UNCLAIMED);
    await this.db(LEASES_TABLE).whereIn('id', owners).delete();
  }

  /**
   * Claims up to `limit` free rows matching `where`; answers the claim token, or null when none was
   * taken. Read the claimed rows back by token.
   */
  async claim(request: ClaimRequest): Promise<string | null> {
    const { table, now, where } = request;
    const eligible = (q: Knex.QueryBuilder) => {
      if (where) q.where(where);
      q.andWhere((free) => {
        free.whereNull('claimed_until').orWhere('claimed_until', '<', now);
      });
    };
    const ids = (await this.db(table).where(eligible).orderBy(request.orderBy).limit(request.limit).pluck('id')) as (
      number | string
    )[];
    if (!ids.length) return null;
    const token = randomBytes(12).toString('hex');
    // The same conditions again: a row another runner claimed in between is not taken twice.
    const claimed = await this.db(table)
      .whereIn('id', ids)
      .andWhere(eligible)
      .update({
        claim: token,
        claimed_by: this.owner.id,
        claimed_until: now + (request.claimMs ?? this.options.claimMs),
      });
    return claimed ? token : null;
  }
}
