// The operations layer: what a caller does to content, checked as that caller, in the write's own
// transaction. The Admin API, the Content API, uploads linking a file, the CLI and the demo seeder
// call these instead of the DocumentService, so one rule guards every path (docs/architecture.md,
// "Operations").
//
// updateDocument: a partial update of one locale's editable version — the draft on draft & publish
// types, the single 'published' row otherwise; never the published version directly (the Content
// API's default `status: 'published'` publishes the draft after writing it, as in Strapi 5). Inside
// the transaction, on the very row being written: the caller may update the type, that row (its
// role's conditions) and every field written (its field allowlists); the version is the one the
// caller read (If-Match, when given); the audit row `content.update` is written in the same
// transaction, and the DocumentService's in-transaction hooks record `entry.update` in the outbox.
import type { Caller } from '../../access/caller.js';
import type { DocumentEntry, EditableVersion, Status } from '../documents.js';
import { ForbiddenError, ValidationError } from '../../errors.js';
import { auditIn, originOf, userIdOf, type OperationCaller, type OperationDeps } from './deps.js';
import { checkWritableFields, refuseOwnerInBody } from './permissions.js';
import { resolveMemberRelations } from './member-relations.js';
import { requirePermittedVersion } from './row-guards.js';
import { requireCurrentVersion } from './version-tag.js';

export type { OperationDeps } from './deps.js';

export interface UpdateDocumentRequest extends OperationCaller {
  caller: Caller;
  uid: string;
  documentId: string;
  /** The locale as the request named it (none: the default one). */
  locale?: string;
  /** The fields to write; or computed inside the transaction from the version written (appending files). */
  data: Record<string, unknown> | ((version: EditableVersion) => Promise<Record<string, unknown>>);
  /** 'published' publishes the draft once written (the Content API's default); 'draft' (default) does not. */
  status?: Status;
  /** The request's If-Match: the version (ETag) the caller read; none: last write wins. */
  ifMatch?: string;
  /** What the update is, for its audit row and its revision: 'restore' when it brings back a revision. */
  operation?: 'update' | 'restore';
}

function objectData(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw ValidationError.fromErrors([
      { path: [], message: 'The body must be a JSON object of fields', name: 'ValidationError' },
    ]);
  }
  return data as Record<string, unknown>;
}

export async function updateDocument(deps: OperationDeps, request: UpdateDocumentRequest): Promise<DocumentEntry> {
  const { caller, uid, documentId, locale } = request;
  const operation = request.operation ?? 'update';
  if (!caller.can('update', uid)) throw new ForbiddenError(`You may not update ${uid}`);
  let written: string[] = [];
  return deps.documents.update(uid, documentId, {
    data: typeof request.data === 'function' ? {} : request.data,
    locale,
    status: request.status ?? 'draft',
    userId: userIdOf(caller),
    origin: originOf(operation, caller),
    hooks: {
      prepare: async (version, given) => {
        await requirePermittedVersion(caller, 'update', version);
        await requireCurrentVersion(version, request.ifMatch);
        const data = typeof request.data === 'function' ? await request.data(version) : objectData(given);
        if (typeof request.data !== 'function') refuseOwnerInBody(version.type, data);
        checkWritableFields(caller, 'update', version.type, data);
        await resolveMemberRelations(caller, version.type, data, version.trx);
        written = Object.keys(data).filter((key) => version.type.fields.has(key));
        return data;
      },
      written: (trx) =>
        auditIn(deps, trx, request, {
          operation,
          uid,
          documentId,
          details: { ...(locale ? { locale } : {}), fields: written },
        }),
    },
  });
}
