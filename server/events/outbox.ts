// The transactional outbox: events recorded in the same transaction as the change they describe
// (docs/architecture.md, "Side effects"), so that a crash between the commit and the delivery loses nothing and a
// rolled-back change announces nothing. The dispatcher (dispatcher.ts) drains it.
import type { Knex } from 'knex';
import type { DocumentAction, DocumentEntry, DocumentEvent, InTransactionHook } from '../content/documents.js';
import type { SchemaModel } from '../schema/model.js';
import type { MediaFile } from '../media/shape.js';
import type { WebhookEvent } from './webhooks.js';

export const OUTBOX_TABLE = 'folio_outbox';

/** What a receiver gets: Strapi's webhook payload (`event`, `createdAt`, then `model`/`uid`/`entry` or `media`). */
export interface EventPayload {
  event: WebhookEvent | 'trigger-test';
  createdAt: string;
  model?: string;
  uid?: string;
  entry?: Record<string, unknown>;
  media?: MediaFile;
  /** entry.publish-failed: the schedule that failed, and why. */
  schedule?: { id: number; action: string; scheduledAt: string; reason: string };
  /**
   * release.publish / release.publish-failed: the release, without its entries (each published entry
   * has its own event, scoped to what the webhook's admins may read).
   */
  release?: { id: number; name: string; actions: number; releasedBy: number; reason?: string };
}

/** Records events in one statement; their ids keep the order given. */
export async function enqueue(trx: Knex | Knex.Transaction, ...payloads: EventPayload[]): Promise<void> {
  if (!payloads.length) return;
  const createdAt = Date.now();
  await trx(OUTBOX_TABLE).insert(
    payloads.map((payload) => ({ topic: payload.event, payload: JSON.stringify(payload), created_at: createdAt })),
  );
}

const ENTRY_EVENTS: Record<DocumentAction, WebhookEvent> = {
  create: 'entry.create',
  update: 'entry.update',
  delete: 'entry.delete',
  publish: 'entry.publish',
  unpublish: 'entry.unpublish',
  discardDraft: 'entry.draft-discard',
};

/** The entry as a receiver may see it: private, password and encrypted attributes never leave the server. */
function publicEntry(schema: SchemaModel, event: DocumentEvent, entry: DocumentEntry | null): Record<string, unknown> {
  const type = schema.contentTypes.get(event.uid);
  if (!entry || entry.documentId !== event.documentId || !type) {
    return { documentId: event.documentId, ...(event.locale ? { locale: event.locale } : {}) };
  }
  const values: Record<string, unknown> = {};
  for (const field of type.scalars) {
    const attribute = field.attribute as { type: string; private?: boolean; encrypted?: boolean };
    // Encrypted attributes are omitted: the outbox, the deliveries and the receivers never hold them.
    if (attribute.private || attribute.type === 'password' || attribute.encrypted) continue;
    values[field.name] = entry.values[field.name];
  }
  return {
    id: entry.id,
    documentId: entry.documentId,
    ...values,
    ...(type.localized ? { locale: entry.locale } : {}),
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    publishedAt: entry.publishedAt,
  };
}

/** The DocumentService hook that records every content event in the write's transaction. */
export const documentEventsToOutbox: InTransactionHook = async (trx, events, entry, schema) => {
  const createdAt = new Date().toISOString();
  // A create that publishes is two events (entry.create, entry.publish): one insert for both.
  await enqueue(
    trx,
    ...events.map((event): EventPayload => ({
      event: ENTRY_EVENTS[event.action],
      createdAt,
      model: schema.contentTypes.get(event.uid)?.singularName ?? event.uid,
      uid: event.uid,
      entry: publicEntry(schema, event, entry),
    })),
  );
};

/** The MediaService hook: media.create / media.update / media.delete with the file as the API shows it. */
export async function mediaEventToOutbox(
  trx: Knex.Transaction,
  event: 'media.create' | 'media.update' | 'media.delete',
  file: MediaFile,
): Promise<void> {
  await enqueue(trx, { event, createdAt: new Date().toISOString(), media: file });
}
