// Delivers webhooks from the outbox: a task of the job runner (server/jobs/runner.ts), which claims
// its rows with a conditional UPDATE so that two instances never take the same one, and releases the
// claims of a process that is gone (a restart on the same host at once, elsewhere once its lease ran
// out), so a crash delays nothing by the claim's expiry and events still go out in order.
//   1. fan-out: each outbox event becomes one delivery per enabled webhook subscribed to it; the
//      event is deleted in the same transaction (the outbox is a queue, the deliveries are the log);
//   2. delivery: POST the payload as JSON; a 2xx is success; anything else is retried with
//      exponential backoff until the attempts run out.
// Delivery is at least once (a receiver may see an event again after a crash mid-POST) and in
// order per webhook. HTTP itself (destination checks, signature) is delivery.ts.
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { backoffDelay, JobRunner, UNCLAIMED, type RunnerTask } from '../jobs/runner.js';
import { send } from './delivery.js';
import { OUTBOX_TABLE, type EventPayload } from './outbox.js';
import { WEBHOOK_EVENTS, type DeliveryRow, type DeliveryTarget, type WebhookService } from './webhooks.js';

const DELIVERIES = 'folio_webhook_deliveries';

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
  /** How long a claim keeps other instances away (longer than a batch can take). */
  claimMs: number;
  /** Deliveries sent at once. */
  concurrency: number;
  /** Finished deliveries older than this leave the log. */
  retentionMs: number;
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
};

export class WebhookDispatcher implements RunnerTask {
  readonly name = 'webhooks';
  readonly options: DispatcherOptions;
  /** The runner this task runs on: the process's one runner, or (tests, the CLI) one of its own. */
  readonly runner: JobRunner;
  private prunedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly webhooks: WebhookService,
    private readonly logger: Logger,
    options: Partial<DispatcherOptions> = {},
    runner?: JobRunner,
  ) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
    this.runner = runner ?? new JobRunner(db, logger);
    this.runner.add(this);
  }

  /** Whose claims this dispatcher writes: its runner's identity. */
  get owner(): JobRunner['owner'] {
    return this.runner.owner;
  }

  /** Delivers soon (after each content write): a pass of the runner. */
  wake(): void {
    this.runner.wake();
  }

  /** Stops the runner this dispatcher runs on, giving its claims back. */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** A pass of this task alone, its runner's lease renewed first (the CLI and tests call it). */
  async runOnce(now = Date.now()): Promise<{ fannedOut: number; sent: number }> {
    await this.runner.keepLease();
    return this.runPass(now);
  }

  /** Fans out what the outbox holds, then sends every delivery that is due. */
  async runPass(now: number): Promise<{ fannedOut: number; sent: number }> {
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

  /** Claims up to batchSize free rows of `table`, in event order. */
  private claim(
    table: typeof OUTBOX_TABLE | typeof DELIVERIES,
    now: number,
    due?: (q: Knex.QueryBuilder) => void,
  ): Promise<string | null> {
    return this.runner.claim({
      table,
      now,
      where: due,
      orderBy: table === DELIVERIES ? ['outbox_id', 'id'] : ['id'],
      limit: this.options.batchSize,
      claimMs: this.options.claimMs,
    });
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
        .update(UNCLAIMED);
    }
  }

  private async deliver(row: DeliveryRow, target: DeliveryTarget | null): Promise<void> {
    const attempts = Number(row.attempts) + 1;
    const done = { ...UNCLAIMED, attempts, updated_at: Date.now() };
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
    const delay = backoffDelay(attempts, this.options.backoffMs, this.options.maxBackoffMs);
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
