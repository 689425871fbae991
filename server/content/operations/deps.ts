// What every operation needs, and the two things each does the same way inside its transaction:
// the audit row of the change, and the origin (operation and caller) handed to the DocumentService's
// in-transaction hooks — the revision hook point: a revisions feature registers an in-transaction
// hook there and records the version with its author, committed or rolled back with the change.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import type { DocumentService, WriteOrigin } from '../documents.js';
import type { AuditLog } from '../../events/audit.js';

export interface OperationDeps {
  documents: DocumentService;
  audit: AuditLog;
}

/** The operations, as audit actions (`content.<name>`) and in-transaction hook origins. */
export type OperationName =
  'create' | 'update' | 'delete' | 'publish' | 'unpublish' | 'discardDraft' | 'bulkDelete' | 'bulkPublish' | 'restore';

/** Who asks and from where: what every operation request carries. */
export interface OperationCaller {
  caller: Caller;
  /** The request's address, for the audit row. */
  ip?: string;
}

export function originOf(operation: OperationName, caller: Caller): WriteOrigin {
  return { operation, caller: { kind: caller.kind, id: caller.id } };
}

/** Stored as createdBy/updatedBy: admin users only. */
export function userIdOf(caller: Caller): number | undefined {
  return caller.kind === 'admin' ? caller.id : undefined;
}

export interface AuditedChange {
  operation: OperationName;
  uid: string;
  documentId?: string;
  details: Record<string, unknown>;
}

/** The change's audit row, in the change's transaction: both commit or neither does. */
export function auditIn(
  deps: OperationDeps,
  trx: Knex.Transaction,
  who: OperationCaller,
  change: AuditedChange,
): Promise<void> {
  return deps.audit.record(
    {
      actor: who.caller,
      action: `content.${change.operation}`,
      subject: change.uid,
      entityId: change.documentId,
      ip: who.ip,
      details: change.details,
    },
    trx,
  );
}

/** `{ locale }` when the request named one, as the audit rows have always carried it. */
export function localeDetails(locale: string | undefined): Record<string, unknown> {
  return locale ? { locale } : {};
}
