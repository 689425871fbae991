// Recording revisions: the DocumentService's in-transaction hook that stores, with every write an
// operation makes (create, update, publish, unpublish, discardDraft, restore), the version it wrote
// in full, its author and the schema version — in the write's transaction, so a write that rolls
// back (a validation error, a refused permission, a lost race) leaves no revision behind.
import type { Knex } from 'knex';
import type { DialectName } from '../../db/connection.js';
import { SCHEMA_TABLE } from '../../schema/registry.js';
import type { InTransactionHook, WriteOrigin } from '../documents.js';
import { snapshotOf } from './snapshot.js';

export const REVISIONS_TABLE = 'folio_revisions';

/** The operations that leave a version behind (a delete leaves none to record). */
const RECORDED = new Set(['create', 'update', 'publish', 'unpublish', 'discardDraft', 'restore']);

/** How the author is named in the history: an admin's name (or email), an API token's name. */
async function authorName(trx: Knex.Transaction, caller: WriteOrigin['caller']): Promise<string | null> {
  if (caller.id === undefined) return null;
  if (caller.kind === 'admin') {
    const user = await trx('folio_admin_users')
      .where({ id: caller.id })
      .first<{ firstname: string; lastname: string; email: string } | undefined>('firstname', 'lastname', 'email');
    return user ? `${user.firstname ?? ''} ${user.lastname ?? ''}`.trim() || user.email : null;
  }
  if (caller.kind === 'api-token') {
    const token = await trx('folio_api_tokens').where({ id: caller.id }).first<{ name: string } | undefined>('name');
    return token?.name ?? null;
  }
  return null;
}

async function schemaVersion(trx: Knex.Transaction): Promise<number> {
  const row = await trx(SCHEMA_TABLE).where({ id: 1 }).first<{ version: number | string } | undefined>('version');
  return Number(row?.version ?? 0);
}

/**
 * The hook, registered by folio.ts unless the installation keeps no history (REVISIONS=off); writes
 * without an origin (schema reshaping, seeding) and writes to a type whose schema says
 * `options.revisions: false` are not history.
 */
export function recordRevisions(dialect: DialectName): InTransactionHook {
  return async (trx, events, entry, schema, origin) => {
    if (!origin || !entry || !RECORDED.has(origin.operation)) return;
    const event = events.find((e) => e.documentId === entry.documentId);
    const type = event && schema.contentTypes.get(event.uid);
    if (!type || type.definition.options?.revisions === false) return;
    const data = await snapshotOf(trx, dialect, schema, type, entry);
    await trx(REVISIONS_TABLE).insert({
      content_type: type.uid,
      document_id: entry.documentId,
      locale: entry.locale,
      operation: origin.operation,
      data: JSON.stringify(data),
      schema_version: await schemaVersion(trx),
      created_by_kind: origin.caller.kind,
      created_by_id: origin.caller.id ?? null,
      created_by_name: await authorName(trx, origin.caller),
      created_at: Date.now(),
    });
  };
}
