// deleteDocument and bulkDeleteDocuments. Inside the delete's one transaction, on the locked rows:
// the caller may delete the type, and its role's conditions allow every editable version removed
// (a document outside them is a 404, as one that does not exist); the audit row (`content.delete`,
// or one `content.bulkDelete` naming every document) and the outbox events `entry.delete` commit
// with the delete. A bulk delete removes every document or none.
import { ForbiddenError } from '../../errors.js';
import { auditIn, localeDetails, originOf, type OperationCaller, type OperationDeps } from './deps.js';
import { requirePermittedDeletion } from './row-guards.js';

export interface DeleteDocumentRequest extends OperationCaller {
  uid: string;
  documentId: string;
  /** One locale of the document; none: every locale. */
  locale?: string;
}

export interface BulkDeleteRequest extends OperationCaller {
  uid: string;
  documentIds: readonly string[];
  /** One locale of each document; none: every locale. */
  locale?: string;
}

/** Deletes the document (or one locale of it); answers the number of rows deleted. */
export async function deleteDocument(deps: OperationDeps, request: DeleteDocumentRequest): Promise<number> {
  const { caller, uid, documentId, locale } = request;
  if (!caller.can('delete', uid)) throw new ForbiddenError(`You may not delete ${uid}`);
  return deps.documents.delete(uid, documentId, {
    locale,
    origin: originOf('delete', caller),
    hooks: {
      check: (versions) => requirePermittedDeletion(caller, 'delete', versions),
      written: (trx) =>
        auditIn(deps, trx, request, {
          operation: 'delete',
          uid,
          documentId,
          details: localeDetails(locale),
        }),
    },
  });
}

/** Deletes every document named, or none of them; answers the number of rows deleted. */
export async function bulkDeleteDocuments(deps: OperationDeps, request: BulkDeleteRequest): Promise<number> {
  const { caller, uid, documentIds, locale } = request;
  if (!caller.can('delete', uid)) throw new ForbiddenError(`You may not delete ${uid}`);
  return deps.documents.deleteMany(uid, documentIds, {
    locale,
    origin: originOf('bulkDelete', caller),
    hooks: {
      check: (versions) => requirePermittedDeletion(caller, 'delete', versions),
      written: (trx) => auditIn(deps, trx, request, { operation: 'bulkDelete', uid, details: { documentIds } }),
    },
  });
}
