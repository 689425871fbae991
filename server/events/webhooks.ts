// Webhooks: the endpoints admins subscribe to Folio's events (Strapi's event names and payload
// shape, so receivers written for Strapi keep working). This module owns their configuration; the
// outbox (outbox.ts) records events, the dispatcher (dispatcher.ts) delivers them.
//
// A webhook reads content on behalf of the admins who configured it: an entry event is delivered
// only when the admin who created the webhook and the one who last changed it (both still existing
// and active) may read that content type — without row conditions, since a receiver gets every
// entry of the type — and only with the fields both may read; media events need `read upload`
// likewise. Otherwise the delivery is logged as skipped, with the reason. Webhooks saved before
// Folio recorded who configured them (no creator) act for the system, as they did then.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { AbilityCaller } from '../access/service.js';
import { dialectOf } from '../db/connection.js';
import { isUniqueViolation } from '../db/errors.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { DestinationRefusedError, type DestinationPolicy } from './destinations.js';
import type { EventPayload } from './outbox.js';

export const WEBHOOK_EVENTS = [
  'entry.create',
  'entry.update',
  'entry.delete',
  'entry.publish',
  'entry.unpublish',
  'entry.draft-discard',
  // A scheduled publish or unpublish that could not run (server/content/schedules/run.ts).
  'entry.publish-failed',
  // A release published (one event for it, besides each entry's), or its scheduled run that could not
  // (server/content/releases/).
  'release.publish',
  'release.publish-failed',
  'media.create',
  'media.update',
  'media.delete',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: number;
  name: string;
  url: string;
  headers: Record<string, string>;
  events: WebhookEvent[];
  enabled: boolean;
  /** Whether deliveries are signed; the key itself is never read back. */
  signed: boolean;
  /** The admins who created it and last changed it (null: before Folio recorded them). */
  createdBy: number | null;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  name: string;
  url: string;
  headers?: Record<string, string>;
  events: WebhookEvent[];
  enabled?: boolean;
  /** A signing key; null removes it. */
  secret?: string | null;
}

export interface Delivery {
  id: number;
  webhookId: number;
  event: string;
  status: 'pending' | 'succeeded' | 'failed' | 'skipped';
  attempts: number;
  nextAttemptAt: string | null;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string;
  updatedAt: string;
}

interface WebhookRow {
  id: number | string;
  name: string;
  url: string;
  headers: string;
  events: string;
  enabled: number | boolean;
  secret: string | null;
  created_by: number | string | null;
  updated_by: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

export interface DeliveryRow {
  id: number | string;
  webhook_id: number | string;
  event: string;
  payload: string;
  status: Delivery['status'];
  attempts: number | string;
  next_attempt_at: number | string;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  created_at: number | string;
  updated_at: number | string;
}

/** A webhook as the dispatcher needs it: with its signing key in clear. */
export interface DeliveryTarget {
  id: number;
  url: string;
  headers: Record<string, string>;
  enabled: boolean;
  secret: string | null;
  /** The admins whose read rights bound what it delivers (none: the system). */
  configuredBy: number[];
}

/** The caller of an active admin (null when the account is gone or deactivated). */
export type ActiveAdmin = (userId: number) => Promise<AbilityCaller | null>;

/** An event as this webhook may deliver it, or why it may not. */
export type ScopedEvent = { payload: EventPayload } | { skipped: string };

/** Entry keys every receiver gets whatever the field permissions: identity and timestamps. */
const ENTRY_META = new Set(['id', 'documentId', 'locale', 'createdAt', 'updatedAt', 'publishedAt']);

/** How long saving waits for the URL's host to resolve before accepting it unchecked until delivery. */
const SAVE_RESOLVE_TIMEOUT_MS = 5000;

const nullableId = (value: number | string | null) => (value === null ? null : Number(value));

/** May read every row of `subject` (a rule with conditions only covers some of them). */
function readsAllOf(caller: AbilityCaller, subject: string): boolean {
  return (
    caller.can('read', subject) &&
    caller.ability.rulesFor('read', subject).every((rule) => rule.inverted || !rule.conditions)
  );
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: Number(row.id),
    name: row.name,
    url: row.url,
    headers: JSON.parse(row.headers) as Record<string, string>,
    events: JSON.parse(row.events) as WebhookEvent[],
    enabled: Boolean(Number(row.enabled)),
    signed: row.secret !== null,
    createdBy: nullableId(row.created_by),
    updatedBy: nullableId(row.updated_by),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: Number(row.id),
    webhookId: Number(row.webhook_id),
    event: row.event,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    responseStatus: row.response_status === null ? null : Number(row.response_status),
    responseBody: row.response_body,
    error: row.error,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Signing keys are kept encrypted (AES-256-GCM under a key derived from the Folio secret): they must
 * be readable to sign, but a database dump alone should not let anyone forge deliveries.
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(folioSecret: string) {
    this.key = createHash('sha256').update(`folio:webhook-secrets:${folioSecret}`).digest();
  }
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.');
  }
  open(box: string): string {
    const [iv, tag, sealed] = box.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  }
}

export class WebhookService {
  private readonly box: SecretBox;

  constructor(
    private readonly db: Knex,
    folioSecret: string,
    /** Where webhooks may send (checked at save and at each delivery). */
    readonly destinations: DestinationPolicy,
    private readonly activeAdmin: ActiveAdmin,
  ) {
    this.box = new SecretBox(folioSecret);
  }

  async list(): Promise<Webhook[]> {
    const rows = await this.db('folio_webhooks').orderBy('id').select<WebhookRow[]>('*');
    return rows.map(toWebhook);
  }

  async get(id: number): Promise<Webhook> {
    return toWebhook(await this.row(id));
  }

  /** Creates a webhook, unchecked (fixtures); callers go through access/operations/webhooks.ts. */
  async create(input: WebhookInput, by: number | null): Promise<Webhook> {
    await this.vet(input.url);
    return this.db.transaction((trx) => this.createIn(trx, input, by));
  }

  /** Writes a new webhook in `trx` (its URL vetted before); `by`: the admin whose read rights bound it. */
  async createIn(trx: Knex.Transaction, input: WebhookInput, by: number | null): Promise<Webhook> {
    const now = Date.now();
    const values = {
      name: input.name,
      url: input.url,
      headers: JSON.stringify(input.headers ?? {}),
      events: JSON.stringify(input.events),
      enabled: input.enabled ?? true,
      secret: input.secret ? this.box.seal(input.secret) : null,
      created_by: by,
      updated_by: by,
      created_at: now,
      updated_at: now,
    };
    try {
      const [id] = await trx('folio_webhooks').insert(values);
      return toWebhook(await this.row(Number(id), trx));
    } catch (err) {
      throw this.translate(err, input.name);
    }
  }

  /**
   * Changes a webhook in `trx` (a new URL vetted before; its row locked on MySQL); `by`: the admin
   * changing it, whose read rights bound it from then on too.
   */
  async updateIn(trx: Knex.Transaction, id: number, input: Partial<WebhookInput>, by: number | null): Promise<Webhook> {
    await this.row(id, trx, { lock: true });
    const values: Record<string, unknown> = { updated_at: Date.now(), updated_by: by };
    if (input.name !== undefined) values.name = input.name;
    if (input.url !== undefined) values.url = input.url;
    if (input.headers !== undefined) values.headers = JSON.stringify(input.headers);
    if (input.events !== undefined) values.events = JSON.stringify(input.events);
    if (input.enabled !== undefined) values.enabled = input.enabled;
    if (input.secret !== undefined) values.secret = input.secret ? this.box.seal(input.secret) : null;
    try {
      await trx('folio_webhooks').where('id', id).update(values);
    } catch (err) {
      throw this.translate(err, input.name);
    }
    return toWebhook(await this.row(id, trx));
  }

  /** Deletes the webhook and its delivery log (pending deliveries are dropped). */
  async delete(id: number): Promise<Webhook> {
    return this.db.transaction((trx) => this.deleteIn(trx, id));
  }

  /** Deletes the webhook and its delivery log in `trx`. */
  async deleteIn(trx: Knex.Transaction, id: number): Promise<Webhook> {
    const webhook = toWebhook(await this.row(id, trx, { lock: true }));
    await trx('folio_webhook_deliveries').where('webhook_id', id).delete();
    await trx('folio_webhooks').where('id', id).delete();
    return webhook;
  }

  /** The enabled webhooks subscribed to each of `events`, read in one statement. */
  async subscribers(events: readonly string[], db: Knex = this.db): Promise<Map<string, DeliveryTarget[]>> {
    const rows = await db('folio_webhooks').where('enabled', true).select<WebhookRow[]>('*');
    const wanted = new Set(events);
    const subscribed = rows
      .map((row) => ({ row, events: JSON.parse(row.events) as string[] }))
      .filter((w) => w.events.some((event) => wanted.has(event)))
      // a target opens its secret: only those subscribed
      .map((w) => ({ events: w.events, target: this.targetOf(w.row) }));
    return new Map(
      events.map((event) => [event, subscribed.filter((w) => w.events.includes(event)).map((w) => w.target)]),
    );
  }

  async target(id: number): Promise<DeliveryTarget> {
    return this.targetOf(await this.row(id));
  }

  private targetOf(row: WebhookRow): DeliveryTarget {
    return {
      id: Number(row.id),
      url: row.url,
      headers: JSON.parse(row.headers) as Record<string, string>,
      enabled: Boolean(Number(row.enabled)),
      secret: row.secret === null ? null : this.box.open(row.secret),
      configuredBy: [...new Set([row.created_by, row.updated_by].flatMap((id) => (id === null ? [] : [Number(id)])))],
    };
  }

  /**
   * The event as `target` may deliver it: skipped when an admin who configured the webhook may not
   * read its subject (or is gone); an entry keeps only the fields they may all read.
   */
  async scope(target: DeliveryTarget, payload: EventPayload): Promise<ScopedEvent> {
    const subject = payload.uid ?? (payload.media ? 'upload' : null);
    if (subject === null || !target.configuredBy.length) return { payload };
    const callers: AbilityCaller[] = [];
    for (const id of target.configuredBy) {
      const caller = await this.activeAdmin(id);
      if (!caller)
        return { skipped: `The admin who configured this webhook (id ${id}) no longer exists or is deactivated` };
      if (!readsAllOf(caller, subject))
        return { skipped: `The admin who configured this webhook (id ${id}) may not read every ${subject}` };
      callers.push(caller);
    }
    if (!payload.entry || !payload.uid) return { payload };
    const uid = payload.uid;
    const entry = Object.fromEntries(
      Object.entries(payload.entry).filter(
        ([field]) => ENTRY_META.has(field) || callers.every((caller) => caller.can('read', uid, field)),
      ),
    );
    return { payload: { ...payload, entry } };
  }

  /**
   * Saving a destination webhooks may not reach is refused (a name that does not resolve yet is
   * not). A name lookup: made before the save's transaction opens, never while it holds locks.
   */
  async vet(url: string): Promise<void> {
    try {
      await this.destinations.vet(url, SAVE_RESOLVE_TIMEOUT_MS);
    } catch (err) {
      if (!(err instanceof DestinationRefusedError)) return;
      throw ValidationError.fromErrors([{ path: ['url'], message: err.message, name: 'ValidationError' }]);
    }
  }

  async deliveries(
    webhookId: number,
    page: number,
    pageSize: number,
  ): Promise<{ deliveries: Delivery[]; total: number }> {
    await this.row(webhookId);
    const base = this.db('folio_webhook_deliveries').where('webhook_id', webhookId);
    const [{ total }] = await base.clone().count({ total: '*' });
    const rows = await base
      .clone()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .select<DeliveryRow[]>('*');
    return { deliveries: rows.map(toDelivery), total: Number(total) };
  }

  private async row(id: number, db: Knex = this.db, opts: { lock?: boolean } = {}): Promise<WebhookRow> {
    const query = db('folio_webhooks').where('id', id).first<WebhookRow | undefined>();
    if (opts.lock && dialectOf(db) === 'mysql') query.forUpdate();
    const row = await query;
    if (!row) throw new NotFoundError(`No webhook with id ${id}`);
    return row;
  }

  private translate(err: unknown, name: string | undefined): unknown {
    if (isUniqueViolation(err)) {
      return ValidationError.fromErrors([
        { path: ['name'], message: `A webhook named "${name}" already exists`, name: 'ValidationError' },
      ]);
    }
    return err;
  }
}
