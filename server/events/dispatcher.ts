// Delivers webhooks from the outbox. Two steps, each safe with several Folio instances on one
// database: rows are claimed with a conditional UPDATE (a claim token and an expiry) before they are
// worked on, so two dispatchers never take the same row, and a crashed one's rows come back when its
// claim expires.
//   1. fan-out: each outbox event becomes one delivery per enabled webhook subscribed to it; the
//      event is deleted in the same transaction (the outbox is a queue, the deliveries are the log);
//   2. delivery: POST the payload as JSON; a 2xx is success; anything else is retried with
//      exponential backoff until the attempts run out.
// A receiver can check X-Folio-Signature (`t=<unix ms>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`)
// when the webhook has a signing secret.
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { OUTBOX_TABLE, type EventPayload } from './outbox.js';
import type { DeliveryRow, DeliveryTarget, WebhookService } from './webhooks.js';

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
  /** How long a claim keeps other dispatchers away (longer than a batch can take). */
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

export interface SendResult {
  ok: boolean;
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

const MAX_STORED_BODY = 2000;

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** One POST to a receiver; never throws (network errors and timeouts are results). */
export async function send(target: DeliveryTarget, payload: EventPayload, deliveryId: number | null, timeoutMs: number): Promise<SendResult> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    ...target.headers,
    'Content-Type': 'application/json',
    'User-Agent': 'Folio-Webhooks/1',
    'X-Folio-Event': payload.event,
  };
  if (deliveryId !== null) headers['X-Folio-Delivery'] = String(deliveryId);
  if (target.secret) headers['X-Folio-Signature'] = signature(target.secret, Date.now(), body);
  const started = performance.now();
  try {
    // redirect: 'manual' — a receiver's redirect is its answer (a 3xx is not a success), not a hop
    // to wherever it points.
    const res = await fetch(target.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = (await res.text().catch(() => '')).slice(0, MAX_STORED_BODY);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, body: text || null, error: ok ? null : `The receiver answered ${res.status}`, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === 'TimeoutError' ? `No answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, status: null, body: null, error: reason, durationMs: Math.round(performance.now() - started) };
  }
}

export class WebhookDispatcher {
  readonly options: DispatcherOptions;
  private timer: NodeJS.Timeout | undefined;
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
  }

  /** Polls every `intervalMs` (the server process; the CLI and tests call runOnce themselves). */
  start(intervalMs = 1000): void {
    this.started = true;
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
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
    await this.running;
  }

  /** One pass: fan out what the outbox holds, then send every delivery that is due. */
  async runOnce(now = Date.now()): Promise<{ fannedOut: number; sent: number }> {
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
    await this.db(DELIVERIES).whereNot('status', 'pending').andWhere('updated_at', '<', now - this.options.retentionMs).delete();
  }

  /** Claims up to batchSize rows of `table` that are free (never claimed, or claim expired). */
  private async claim(table: string, now: number, due?: (q: Knex.QueryBuilder) => void): Promise<string | null> {
    const eligible = (q: Knex.QueryBuilder) => {
      if (due) q.where(due);
      q.andWhere((free) => free.whereNull('claimed_until').orWhere('claimed_until', '<', now));
    };
    const ids = (await this.db(table).where(eligible).orderBy('id').limit(this.options.batchSize).pluck('id')) as (number | string)[];
    if (!ids.length) return null;
    const token = randomBytes(12).toString('hex');
    // The same conditions again: a row another dispatcher claimed in between is not taken twice.
    const claimed = await this.db(table).whereIn('id', ids).andWhere(eligible).update({ claim: token, claimed_until: now + this.options.claimMs });
    return claimed ? token : null;
  }

  private async fanOut(now: number): Promise<number> {
    const token = await this.claim(OUTBOX_TABLE, now);
    if (!token) return 0;
    const events: Array<{ id: number | string; topic: string; payload: string }> = await this.db(OUTBOX_TABLE).where('claim', token).orderBy('id').select('id', 'topic', 'payload');
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
    const token = await this.claim(DELIVERIES, now, (q) => q.where('status', 'pending').andWhere('next_attempt_at', '<=', now));
    if (!token) return 0;
    const rows: DeliveryRow[] = await this.db(DELIVERIES).where('claim', token).orderBy('id');
    // One webhook's deliveries go one after the other, in the order the events happened, so a
    // receiver sees a create before the publish that followed it; different webhooks in parallel.
    const byWebhook = new Map<number, DeliveryRow[]>();
    for (const row of rows) byWebhook.set(Number(row.webhook_id), [...(byWebhook.get(Number(row.webhook_id)) ?? []), row]);
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

  private async deliver(row: DeliveryRow, target: DeliveryTarget | null): Promise<void> {
    const attempts = Number(row.attempts) + 1;
    const done = { claim: null, claimed_until: null, attempts, updated_at: Date.now() };
    if (!target || !target.enabled) {
      await this.db(DELIVERIES).where('id', row.id).update({ ...done, status: 'failed', error: 'The webhook was disabled before this delivery was sent' });
      return;
    }
    const result = await send(target, JSON.parse(row.payload) as EventPayload, Number(row.id), this.options.timeoutMs);
    const outcome = { response_status: result.status, response_body: result.body, error: result.error, duration_ms: result.durationMs };
    if (result.ok) {
      await this.db(DELIVERIES).where('id', row.id).update({ ...done, ...outcome, status: 'succeeded' });
      return;
    }
    const last = attempts >= this.options.maxAttempts;
    const delay = Math.min(this.options.backoffMs * 2 ** (attempts - 1), this.options.maxBackoffMs);
    await this.db(DELIVERIES).where('id', row.id).update({
      ...done,
      ...outcome,
      status: last ? 'failed' : 'pending',
      next_attempt_at: Date.now() + (last ? 0 : delay),
    });
    this.logger.warn({ webhookId: target.id, deliveryId: Number(row.id), attempts, error: result.error, final: last }, 'webhook delivery failed');
  }
}
