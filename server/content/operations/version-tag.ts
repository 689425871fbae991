// Optimistic concurrency for editors: the admin API answers a document with an ETag naming the
// state of its editable version, and a write sent with `If-Match` applies only to that state.
//
// The tag is a strong validator of the editable version (the draft; the single row of types without
// draft & publish) in one locale: a hash of its documentId, locale and updatedAt. Every update of a
// version moves its updatedAt forward by at least a millisecond (DocumentService.updateVersion), so
// two states never share a tag; discarding a draft gives it the published version's updatedAt, and
// its content then is that version's, the same representation each time.
//
// The race it closes: two editors read the same version, both save; without it the second save
// silently overwrites the first. The check runs in the write's transaction on the locked row
// (`check`/`prepare` hooks), so two saves with the same tag cannot both pass: the second sees the
// first's updatedAt. A request without If-Match keeps "last write wins" for existing clients.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { EditableVersion } from '../documents.js';
import { ConflictError } from '../../errors.js';

/** What a tag is computed from: the same three values in a DocumentEntry and in an admin answer. */
export interface TaggedVersion {
  documentId: string;
  locale?: string | null;
  updatedAt: string;
}

export function versionTag(version: TaggedVersion): string {
  const named = `${version.documentId}\u0000${version.locale ?? ''}\u0000${version.updatedAt}`;
  return `"${createHash('sha256').update(named).digest('base64url').slice(0, 27)}"`;
}

/** Does an If-Match header name this version (`*`: any existing one)? Weak tags never match (RFC 9110 §13.1.1). */
function matches(ifMatch: string, current: string | null): boolean {
  if (current === null) return false;
  return ifMatch
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === current);
}

async function lastEditor(trx: Knex.Transaction, userId: number | null): Promise<{ id: number; name: string } | null> {
  if (userId === null) return null;
  type Editor = { firstname: string; lastname: string; email: string };
  const user = await trx('folio_admin_users')
    .where({ id: userId })
    .first<Editor | undefined>('firstname', 'lastname', 'email');
  if (!user) return { id: userId, name: '' };
  return { id: userId, name: `${user.firstname} ${user.lastname}`.trim() || user.email };
}

/**
 * 409 unless `ifMatch` (the request's If-Match; none: no check) names the version about to be
 * written; the answer says who changed it last and when, for the editor to compare before retrying.
 */
export async function requireCurrentVersion(version: EditableVersion, ifMatch: string | undefined): Promise<void> {
  if (ifMatch === undefined) return;
  const { row } = version;
  if (matches(ifMatch, row ? versionTag(row) : null)) return;
  throw new ConflictError('The entry was changed since you read it: reload it before saving again', {
    updatedAt: row?.updatedAt ?? null,
    updatedBy: await lastEditor(version.trx, row?.updatedBy ?? null),
  });
}
