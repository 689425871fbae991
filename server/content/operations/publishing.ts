// publishDocument, unpublishDocument, discardDraft and bulkPublishDocuments: the draft & publish
// verbs. Inside each write's transaction, on the locked draft: the caller may `publish` the type
// (unpublishing is part of publishing rights; discarding a draft is an edit, `update`), its role's
// conditions for that action allow the draft (else 404, as a missing document), the draft is the
// one the caller read (If-Match, when given: publish and discard act on what the editor saw); the
// audit row (`content.publish`, `content.unpublish`, `content.discardDraft`) and the outbox event
// commit with the change.
//
// A bulk publish publishes each document in its own transaction (one invalid draft must not hold
// back the others) with its own `content.publish` audit row; the answer lists the documents that
// failed validation. Its summary row `content.bulkPublish` follows the last one: it records the
// request, each change being audited already.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import type { DocumentEntry, EditableVersion, VersionOptions, WriteBatch } from '../documents.js';
import { ApplicationError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { SchemaSource } from '../../schema/model.js';
import {
  auditIn,
  localeDetails,
  originOf,
  userIdOf,
  type OperationCaller,
  type OperationDeps,
  type OperationName,
} from './deps.js';
import { rowPermits } from './permissions.js';
import { notFound, requirePermittedVersion } from './row-guards.js';
import { requireCurrentVersion } from './version-tag.js';

export interface VersionRequest extends OperationCaller {
  uid: string;
  documentId: string;
  /** The locale as the request named it (none: the default one). */
  locale?: string;
  /** The request's If-Match: the version (ETag) of the draft the caller read; none: no check. */
  ifMatch?: string;
  /**
   * Whose rights also bound the write, checked like the caller's on the locked draft: a scheduled
   * publish runs as the system for the admin who scheduled it (their refusal is a ForbiddenError).
   */
  onBehalfOf?: Caller;
  /** Work that commits with the change, or neither does (a scheduled publish records its run). */
  inTransaction?: (trx: Knex.Transaction) => Promise<void>;
  /** More for the audit row (a scheduled publish: its schedule and admin). */
  auditDetails?: Record<string, unknown>;
  /** The transaction of several writes that commit together (a release; DocumentService.batch). */
  batch?: WriteBatch;
}

export interface BulkPublishRequest extends OperationCaller {
  uid: string;
  documentIds: readonly string[];
  locale?: string;
}

/** A bulk publish also reads: which documents the caller may publish, before any is. */
export type BulkPublishDeps = OperationDeps & { db: Knex; schema: SchemaSource };

export interface BulkPublishResult {
  count: number;
  failed: { documentId: string; message: string; errors?: unknown }[];
}

type VersionVerb = Extract<OperationName, 'publish' | 'unpublish' | 'discardDraft'>;

const RIGHT: Record<VersionVerb, 'publish' | 'update'> = {
  publish: 'publish',
  unpublish: 'publish',
  discardDraft: 'update',
};

function versionOptions(deps: OperationDeps, verb: VersionVerb, request: VersionRequest): VersionOptions {
  const { caller, uid, documentId, locale, onBehalfOf } = request;
  const action = RIGHT[verb];
  if (!caller.can(action, uid)) throw new ForbiddenError(`You may not ${action} ${uid}`);
  if (onBehalfOf && !onBehalfOf.can(action, uid)) throw onBehalfRefusal(action, uid);
  return {
    locale,
    userId: userIdOf(caller),
    origin: originOf(verb, caller),
    batch: request.batch,
    hooks: {
      check: async (version: EditableVersion) => {
        await requirePermittedVersion(caller, action, version);
        if (onBehalfOf) {
          await requirePermittedVersion(onBehalfOf, action, version).catch((err: unknown) => {
            throw err instanceof NotFoundError ? onBehalfRefusal(action, uid) : err;
          });
        }
        await requireCurrentVersion(version, request.ifMatch);
      },
      written: async (trx) => {
        await auditIn(deps, trx, request, {
          operation: verb,
          uid,
          documentId,
          details: { ...localeDetails(locale), ...request.auditDetails },
        });
        await request.inTransaction?.(trx);
      },
    },
  };
}

function onBehalfRefusal(action: string, uid: string): ForbiddenError {
  return new ForbiddenError(`The admin this is done for may no longer ${action} this ${uid}`);
}

export async function publishDocument(deps: OperationDeps, request: VersionRequest): Promise<DocumentEntry> {
  return deps.documents.publish(request.uid, request.documentId, versionOptions(deps, 'publish', request));
}

/** Removes the published version; the draft stays. */
export async function unpublishDocument(deps: OperationDeps, request: VersionRequest): Promise<DocumentEntry> {
  return deps.documents.unpublish(request.uid, request.documentId, versionOptions(deps, 'unpublish', request));
}

/** Replaces the draft by a copy of the published version. */
export async function discardDraft(deps: OperationDeps, request: VersionRequest): Promise<DocumentEntry> {
  return deps.documents.discardDraft(request.uid, request.documentId, versionOptions(deps, 'discardDraft', request));
}

/**
 * Publishes each document named in its own transaction. A document the caller may not publish
 * (outside its conditions, or missing) refuses the whole request before any is published (404);
 * each publish checks again on its locked draft, and one that lost a race since is reported failed.
 */
export async function bulkPublishDocuments(
  deps: BulkPublishDeps,
  request: BulkPublishRequest,
): Promise<BulkPublishResult> {
  const { caller, uid, documentIds, locale } = request;
  if (!caller.can('publish', uid)) throw new ForbiddenError(`You may not publish ${uid}`);
  const schema = await deps.schema.current();
  const type = schema.contentTypes.get(uid);
  if (!type?.draftAndPublish) throw new ApplicationError(`"${uid}" has no draft & publish`);
  for (const documentId of documentIds) {
    const draft = await deps.documents.findOne(uid, documentId, { locale, status: 'draft' });
    if (!draft || !(await rowPermits(deps.db, schema, caller, 'publish', type, draft.id)))
      throw notFound(type, documentId);
  }
  const failed: BulkPublishResult['failed'] = [];
  for (const documentId of documentIds) {
    try {
      await publishDocument(deps, { caller, uid, documentId, locale, ip: request.ip });
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof NotFoundError)) throw err;
      failed.push({ documentId, message: err.message, errors: (err.details as { errors?: unknown }).errors });
    }
  }
  await deps.audit.record({
    actor: caller,
    action: 'content.bulkPublish',
    subject: uid,
    ip: request.ip,
    details: { documentIds, failed: failed.map((f) => f.documentId) },
  });
  return { count: documentIds.length - failed.length, failed };
}
