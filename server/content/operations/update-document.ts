// The operations layer: what a caller does to content, checked as that caller, in the write's own
// transaction. Routes (admin, Content API, uploads linking a file) call these instead of the
// DocumentService, so one rule guards every path.
//
// updateDocument: a partial update of one locale's editable version — the draft on draft & publish
// types, the single 'published' row otherwise; never the published version of a draft & publish
// type. Inside the transaction, on the very row being written: the caller may update the type, that
// row (its role's conditions) and every field written (its field allowlists); the audit row
// `content.update` is written in the same transaction, and the DocumentService's in-transaction
// hooks record `entry.update` in the outbox. An entry outside the caller's conditions is a 404, as
// one that does not exist: existence does not leak.
import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import type { Caller } from '../../access/caller.js';
import { editableStatus, type DocumentEntry, type DocumentService, type EditableVersion } from '../documents.js';
import type { AuditLog } from '../../events/audit.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { checkWritableFields, restrict } from './permissions.js';

export interface OperationDeps {
  documents: DocumentService;
  audit: AuditLog;
}

export interface UpdateDocumentRequest {
  caller: Caller;
  uid: string;
  documentId: string;
  /** The locale as the request named it (none: the default one). */
  locale?: string;
  /** The fields to write; or computed inside the transaction from the version written (appending files). */
  data: Record<string, unknown> | ((version: EditableVersion) => Promise<Record<string, unknown>>);
  /** The request's address, for the audit row. */
  ip?: string;
}

/** The caller's role conditions allow updating this version (or, for a locale not written yet, the document). */
async function requireUpdatableRow(caller: Caller, version: EditableVersion): Promise<void> {
  const { trx, schema, type, documentId, row } = version;
  const qb = trx.from({ t0: type.table })
    .where(`t0.${S.documentId}`, documentId)
    .where(`t0.${S.status}`, editableStatus(type))
    .first(`t0.${S.id}`);
  // A new locale of a document is written through a version the caller may update.
  if (row) qb.where(`t0.${S.id}`, row.id);
  restrict(trx, schema, qb, caller, 'update', type, 't0');
  // Locked until the commit on MySQL (READ COMMITTED): a concurrent write cannot move the row out
  // of the conditions between this check and the update. SQLite writes one at a time.
  if (dialectOf(trx) === 'mysql') qb.forUpdate();
  if (!(await qb)) throw new NotFoundError(`No ${type.singularName} with documentId "${documentId}"`);
}

function objectData(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw ValidationError.fromErrors([{ path: [], message: 'The body must be a JSON object of fields', name: 'ValidationError' }]);
  }
  return data as Record<string, unknown>;
}

export async function updateDocument(deps: OperationDeps, request: UpdateDocumentRequest): Promise<DocumentEntry> {
  const { caller, uid, documentId, locale } = request;
  if (!caller.can('update', uid)) throw new ForbiddenError(`You may not update ${uid}`);
  let written: string[] = [];
  return deps.documents.update(uid, documentId, {
    data: typeof request.data === 'function' ? {} : request.data,
    locale,
    // Only ever the editable version: publishing is its own right.
    status: 'draft',
    userId: caller.kind === 'admin' ? caller.id : undefined,
    hooks: {
      prepare: async (version, given) => {
        await requireUpdatableRow(caller, version);
        const data = typeof request.data === 'function' ? await request.data(version) : objectData(given);
        checkWritableFields(caller, 'update', version.type, data);
        written = Object.keys(data).filter((key) => version.type.fields.has(key));
        return data;
      },
      written: (trx: Knex.Transaction) => deps.audit.record({
        actor: caller, action: 'content.update', subject: uid, entityId: documentId, ip: request.ip,
        details: { ...(locale ? { locale } : {}), fields: written },
      }, trx),
    },
  });
}
