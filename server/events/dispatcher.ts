// Delivers webhooks from the outbox. Two steps, each safe with several Folio instances on one
// database: rows are claimed with a conditional UPDATE (a claim token, its owner and an expiry)
// before they are worked on, so two dispatchers never take the same row.
//   1. fan-out: each outbox event becomes one delivery per enabled webhook subscribed to it; the
//      event is deleted in the same transaction (the outbox is a queue, the deliveries are the log);
//   2. delivery: POST the payload as JSON; a 2xx is success; anything else is retried with
//      exponential backoff until the attempts run out.
// Claims carry the claiming process's identity (host, pid, process start) and every dispatcher keeps
// a lease row in folio_dispatchers: a restarted process releases at once the claims its dead
// predecessor on the same host left, and any dispatcher releases those of an owner whose lease ran
// out, so a crash delays nothing by the claim's expiry and events still go out in order.
// HTTP itself (destination checks, signature) is delivery.ts.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { send } from './delivery.js';
import { OUTBOX_TABLE, type EventPayload } from './outbox.js';
import { WEBHOOK_EVENTS, type DeliveryRow, type DeliveryTarget, type WebhookService } from './webhooks.js';

const DELIVERIES = 'folio_webhook_deliveries';
const DISPATCHERS = 'folio_dispatchers';

/** When this process started: tells it apart from an earlier process that had the same pid. */
const PROCESS_STARTED_AT = Math.round(performance.timeOrigin);

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

export interface DispatcherOptions {
  /** Rows taken per step. */
  batchSize: number;
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** Delay before the first retry; each later one doubles, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** How long a claim keeps other dispatchers away (longer than a batch can take). */
  claimMs: number;
  /** Deliveries sent at once. */
  concurrency: number;
  /** Finished deliveries older than this leave the log. */
  retentionMs: number;
  /** How often a dispatcher renews its lease. */
  heartbeatMs: number;
  /** A dispatcher whose lease was not renewed for this long is gone: its claims are released. */
  leaseMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  batchSize: 100,
  maxAttempts: 6,
  backoffMs: 10_000,
  maxBackoffMs: 3_600_000,
  timeoutMs: 10_000,
  claimMs: 120_000,
  concurrency: 4,
  retentionMs: 30 * 24 * 3_600_000,
  heartbeatMs: 5_000,
  leaseMs: 30_000,
};

export class WebhookDispatcher {
  readonly options: DispatcherOptions;
  /** Written into every claim; `id` is unique per dispatcher (a process may hold several: tests). */
  readonly owner: { id: string; host: string; pid: number };
  /** When the lease was last written; 0 until this dispatcher has registered. */
  private leasedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private prunedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly webhooks: WebhookService,
    private readonly logger: Logger,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
    const host = os.hostname().slice(0, 100);
    this.owner = { id: `${host}:${process.pid}:${randomBytes(6).toString('hex')}`, host, pid: process.pid };
  }

  /** Polls every `intervalMs` (the server process; the CLI and tests call runOnce themselves). */
  start(intervalMs = 1000): void {
    this.started = true;
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
    // The lease is renewed on its own timer: a long pass must not make this process look dead.
    this.heartbeat = setInterval(() => {
      this.keepLease().catch((err: unknown) => this.logger.error({ err }, 'webhook dispatcher lease failed'));
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    this.wake();
  }

  /** Runs a pass soon (once started); a pass already running is followed by another one. */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.runOnce();
        } catch (err) {
          this.logger.error({ err }, 'webhook dispatch failed');
        }
      } while (this.again && this.started);
    })().finally(() => {
      this.running = undefined;
    });
  }

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
   * Registers (first call) or renews this dispatcher's lease, then releases the claims of owners
   * that are gone: a lease not renewed for leaseMs, or a process on this host that no longer runs
   * (a restart on the same host delivers at once instead of waiting for the claims to expire).
   */
  async keepLease(): Promise<void> {
    const now = Date.now();
    if (this.leasedAt && now - this.leasedAt < this.options.heartbeatMs) return;
    this.leasedAt = now;
    const renewed = await this.db(DISPATCHERS).where('id', this.owner.id).update({ heartbeat_at: now });
    if (!renewed) {
      // First registration, or another dispatcher judged this one gone and released its claims.
      await this.db(DISPATCHERS).insert({
        id: this.owner.id,
        host: this.owner.host,
        pid: this.owner.pid,
        process_started_at: PROCESS_STARTED_AT,
        heartbeat_at: now,
      });
    }
    const leases = await this.db(DISPATCHERS).whereNot('id', this.owner.id).select<LeaseRow[]>('*');
    const gone = leases
      .filter((lease) => Number(lease.heartbeat_at) < now - this.options.leaseMs || this.diedOnThisHost(lease))
      .map((lease) => lease.id);
    if (!gone.length) return;
    await this.release(gone);
    this.logger.info({ owners: gone }, 'released the webhook claims of dispatchers that are gone');
  }

  private diedOnThisHost(lease: LeaseRow): boolean {
    if (lease.host !== this.owner.host) return false;
    const pid = Number(lease.pid);
    // Our own pid with another start time is an earlier process (a container's pid 1, say).
    if (pid === process.pid) return Number(lease.process_started_at) !== PROCESS_STARTED_AT;
    return !processAlive(pid);
  }

  /** Frees every row the owners claimed and drops their leases. */
  private async release(owners: string[]): Promise<void> {
    for (const table of [OUTBOX_TABLE, DELIVERIES]) {
      await this.db(table).whereIn('claimed_by', owners).update({ claim: null, claimed_by: null, claimed_until: null });
    }
    await this.db(DISPATCHERS).whereIn('id', owners).delete();
  }

  /** One pass: fan out what the outbox holds, then send every delivery that is due. */
  async runOnce(now = Date.now()): Promise<{ fannedOut: number; sent: number }> {
    await this.keepLease();
    let fannedOut = 0;
    for (let n = await this.fanOut(now); n > 0; n = await this.fanOut(now)) fannedOut += n;
    let sent = 0;
    for (let n = await this.deliverDue(now); n > 0; n = await this.deliverDue(now)) sent += n;
    await this.prune(now);
    return { fannedOut, sent };
  }

  /** Keeps the delivery log bounded: finished deliveries go after retentionMs (checked hourly). */
  private async prune(now: number): Promise<void> {
    if (now - this.prunedAt < 3_600_000) return;
    this.prunedAt = now;
    await this.db(DELIVERIES)
      .whereNot('status', 'pending')
      .andWhere('updated_at', '<', now - this.options.retentionMs)
      .delete();
  }

  /** Claims up to batchSize rows of `table` that are free (never claimed, or claim expired). */
  private async claim(table: string, now: number, due?: (q: Knex.QueryBuilder) => void): Promise<string | null> {
    const eligible = (q: Knex.QueryBuilder) => {
      if (due) q.where(due);
      q.andWhere((free) => {
        free.whereNull('claimed_until').orWhere('claimed_until', '<', now);
      });
    };
    const order = table === DELIVERIES ? ['outbox_id', 'id'] : ['id'];
    const ids = (await this.db(table).where(eligible).orderBy(order).limit(this.options.batchSize).pluck('id')) as (
      number | string
    )[];
    if (!ids.length) return null;
    const token = randomBytes(12).toString('hex');
    // The same conditions again: a row another dispatcher claimed in between is not taken twice.
    const claimed = await this.db(table)
      .whereIn('id', ids)
      .andWhere(eligible)
      .update({ claim: token, claimed_by: this.owner.id, claimed_until: now + this.options.claimMs });
    return claimed ? token : null;
  }

  private async fanOut(now: number): Promise<number> {
    const token = await this.claim(OUTBOX_TABLE, now);
    if (!token) return 0;
    const events: Array<{ id: number | string; topic: string; payload: string }> = await this.db(OUTBOX_TABLE)
      .where('claim', token)
      .orderBy('id')
      .select('id', 'topic', 'payload');
    await this.db.transaction(async (trx) => {
      const subscribersOf = await this.webhooks.subscribers([...new Set(events.map((event) => event.topic))], trx);
      for (const event of events) {
        const rows = (subscribersOf.get(event.topic) ?? []).map((target) => ({
          webhook_id: target.id,
          outbox_id: event.id,
          event: event.topic,
          payload: event.payload,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        }));
        if (rows.length) await trx(DELIVERIES).insert(rows);
      }
      await trx(OUTBOX_TABLE).where('claim', token).delete();
    });
    return events.length;
  }

  private async deliverDue(now: number): Promise<number> {
    const waiting = await this.orderingHolds(now);
    const token = await this.claim(DELIVERIES, now, (q) => {
      q.where('status', 'pending').andWhere('next_attempt_at', '<=', now);
      if (waiting.busyWebhooks.length) q.whereNotIn('webhook_id', waiting.busyWebhooks);
      if (waiting.firstUnfannedEvent !== null) q.andWhere('outbox_id', '<', waiting.firstUnfannedEvent);
    });
    if (!token) return 0;
    await this.yieldToEarlierClaims(token, now);
    const rows = await this.db(DELIVERIES)
      .where('claim', token)
      .orderBy(['outbox_id', 'id'])
      .select<DeliveryRow[]>('*');
    // One webhook's deliveries go one after the other, in the order the events happened, so a
    // receiver sees a create before the publish that followed it; different webhooks in parallel.
    const byWebhook = new Map<number, DeliveryRow[]>();
    for (const row of rows)
      byWebhook.set(Number(row.webhook_id), [...(byWebhook.get(Number(row.webhook_id)) ?? []), row]);
    const queues = [...byWebhook.entries()];
    const worker = async () => {
      for (let next = queues.shift(); next; next = queues.shift()) {
        const [webhookId, deliveries] = next;
        const target = await this.webhooks.target(webhookId).catch(() => null);
        for (const row of deliveries) await this.deliver(row, target);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, queues.length) }, worker));
    return rows.length;
  }

  /**
   * What keeps the event order across dispatchers: webhooks with a delivery another dispatcher is
   * sending now (theirs go first), and the first event still waiting in the outbox (it may have
   * deliveries to come that must go before those of later events).
   */
  private async orderingHolds(now: number): Promise<{ busyWebhooks: number[]; firstUnfannedEvent: number | null }> {
    const busy = (await this.db(DELIVERIES)
      .where('status', 'pending')
      .whereNotNull('claim')
      .andWhere('claimed_until', '>=', now)
      .distinct('webhook_id')
      .pluck('webhook_id')) as (number | string)[];
    const [{ first }] = await this.db(OUTBOX_TABLE).whereIn('topic', WEBHOOK_EVENTS).min({ first: 'id' });
    return {
      busyWebhooks: busy.map(Number),
      firstUnfannedEvent: first === null || first === undefined ? null : Number(first),
    };
  }

  /**
   * Two dispatchers claiming at the same moment may split one webhook's deliveries: the one holding
   * a later event gives it back, so they still go out one after the other, in order.
   */
  private async yieldToEarlierClaims(token: string, now: number): Promise<void> {
    const mine = this.db(DELIVERIES).where('claim', token).distinct('webhook_id');
    const rivals: Array<{ webhook_id: number | string; first: number | string }> = await this.db(DELIVERIES)
      .whereIn('webhook_id', mine)
      .andWhere('status', 'pending')
      .andWhereNot('claim', token)
      .andWhere('claimed_until', '>=', now)
      .groupBy('webhook_id')
      .select('webhook_id')
      .min({ first: 'outbox_id' });
    for (const rival of rivals) {
      await this.db(DELIVERIES)
        .where({ claim: token, webhook_id: rival.webhook_id })
        .andWhere('outbox_id', '>', rival.first)
        .update({ claim: null, claimed_by: null, claimed_until: null });
    }
  }

  private async deliver(row: DeliveryRow, target: DeliveryTarget | null): Promise<void> {
    const attempts = Number(row.attempts) + 1;
    const done = { claim: null, claimed_by: null, claimed_until: null, attempts, updated_at: Date.now() };
    if (!target || !target.enabled) {
      await this.db(DELIVERIES)
        .where('id', row.id)
        .update({ ...done, status: 'failed', error: 'The webhook was disabled before this delivery was sent' });
      return;
    }
    const scoped = await this.webhooks.scope(target, JSON.parse(row.payload) as EventPayload);
    if ('skipped' in scoped) {
      await this.db(DELIVERIES)
        .where('id', row.id)
        .update({ ...done, status: 'skipped', error: scoped.skipped });
      this.logger.info(
        { webhookId: target.id, deliveryId: Number(row.id), reason: scoped.skipped },
        'webhook delivery skipped',
      );
      return;
    }
    const result = await send(target, scoped.payload, Number(row.id), {
      timeoutMs: this.options.timeoutMs,
      destinations: this.webhooks.destinations,
    });
    const outcome = {
      response_status: result.status,
      response_body: result.body,
      error: result.error,
      duration_ms: result.durationMs,
    };
    if (result.ok) {
      await this.db(DELIVERIES)
        .where('id', row.id)
        .update({ ...done, ...outcome, status: 'succeeded' });
      return;
    }
    // A refused destination would be refused again: no retries.
    const last = result.refused || attempts >= this.options.maxAttempts;
    const delay = Math.min(this.options.backoffMs * 2 ** (attempts - 1), this.options.maxBackoffMs);
    await this.db(DELIVERIES)
      .where('id', row.id)
      .update({
        ...done,
        ...outcome,
        status: last ? 'failed' : 'pending',
        next_attempt_at: Date.now() + (last ? 0 : delay),
      });
    this.logger.warn(
      {
        webhookId: target.id,
        deliveryId: Number(row.id),
        attempts,
        error: result.error,
        cause: result.cause,
        final: last,
      },
      'webhook delivery failed',
    );
  }
}
