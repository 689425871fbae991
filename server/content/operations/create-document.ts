// createDocument: a new document, in one locale. Inside the write's transaction: the caller may
// create the type and every field it writes (its field allowlists); the audit row `content.create`
// and the outbox event `entry.create` commit with the document. On draft & publish types the
// Content API's default `status: 'published'` publishes it at once (Strapi 5); the admin keeps a draft.
import type { DocumentEntry, Status } from '../documents.js';
import { ForbiddenError } from '../../errors.js';
import { auditIn, localeDetails, originOf, userIdOf, type OperationCaller, type OperationDeps } from './deps.js';
import { checkWritableFields, refuseOwnerInBody } from './permissions.js';
import { resolveMemberRelations } from './member-relations.js';

export interface CreateDocumentRequest extends OperationCaller {
  uid: string;
  /** The locale as the request named it (none: the default one). */
  locale?: string;
  data: Record<string, unknown>;
  /** 'published' (the DocumentService's default) publishes at once on draft & publish types. */
  status?: Status;
  /** The permission creating takes: `update` for a Content API PUT creating a single type's entry (Strapi 5). */
  right?: 'create' | 'update';
  /** More for the audit row (a duplicate names its source). */
  auditDetails?: Record<string, unknown>;
}

export async function createDocument(deps: OperationDeps, request: CreateDocumentRequest): Promise<DocumentEntry> {
  const { caller, uid, locale, data } = request;
  const right = request.right ?? 'create';
  if (!caller.can(right, uid)) throw new ForbiddenError(`You may not ${right} ${uid}`);
  // What is written: the body, plus the owner once the check has the type (a copy: the body stays as given).
  const written: Record<string, unknown> = { ...data };
  return deps.documents.create(uid, {
    data: written,
    locale,
    status: request.status,
    userId: userIdOf(caller),
    origin: originOf('create', caller),
    hooks: {
      check: async (version) => {
        refuseOwnerInBody(version.type, data);
        checkWritableFields(caller, right, version.type, data);
        await resolveMemberRelations(caller, version.type, written, version.trx);
        // The member asking owns what it creates; anyone else's entry has no owner.
        const owner = version.type.owner;
        if (owner && caller.kind === 'member' && caller.id !== undefined) written[owner.name] = caller.id;
      },
      written: (trx, entry) =>
        auditIn(deps, trx, request, {
          operation: 'create',
          uid,
          documentId: entry.documentId,
          details: { ...localeDetails(locale), ...request.auditDetails },
        }),
    },
  });
}
