// The media library's operations: what a caller does to files and folders, checked as that caller
// inside the change's own transaction, like server/content/operations/ for entries. Routes (the
// Content API's upload plugin routes and the admin's) call these, never MediaService's writes.
//
// A role allowed only some files or folders (the Author's "update and delete their own") is checked
// against the item as it is when the change runs (MediaService hands it to the guard, its row locked
// on MySQL): nothing is read first and acted on later. The audit row `media.*` is written in the
// same transaction, so it commits or rolls back with the change. Folders are not audited (as before).
import { subject } from '@casl/ability';
import type { Knex } from 'knex';
import type { Caller } from '../access/caller.js';
import { abilityOf } from '../access/service.js';
import { ForbiddenError } from '../errors.js';
import type { AuditLog } from '../events/audit.js';
import type {
  FileInfo,
  FileRecordWriter,
  GuardedItem,
  IncomingFile,
  MediaGuard,
  MediaService,
  UnlinkHook,
} from './service.js';
import type { ImageEdit, MediaFile, MediaFolder } from './shape.js';

export interface MediaOperationDeps {
  media: MediaService;
  audit: AuditLog;
}

/** Who acts, and from where (the audit row's address). */
export interface Acting {
  caller: Caller;
  ip?: string;
}

type ItemAction = 'update' | 'delete';
type Kind = 'file' | 'folder';

function userIdOf(caller: Caller): number | undefined {
  return caller.kind === 'admin' ? caller.id : undefined;
}

/** 403 unless the caller may `action` this very item (its role's conditions, `createdBy` its creator). */
function requireItemAction(caller: Caller, action: ItemAction, kind: Kind, item: GuardedItem): void {
  if (!caller.can(action, 'upload')) throw new ForbiddenError(`This action (${action} on upload) is not allowed`);
  const fields: Record<string, unknown> = { ...item };
  if (!abilityOf(caller).can(action, subject('upload', fields))) {
    throw new ForbiddenError(
      `You may not ${action} the ${kind} "${item.name}": your role may only ${action} ${kind}s it created`,
    );
  }
}

type AuditDetails = (item: { id: number; name: string }) => Record<string, unknown>;

function audited(deps: MediaOperationDeps, acting: Acting, action: string, details: AuditDetails) {
  return (trx: Knex.Transaction, item: { id: number; name: string }) =>
    deps.audit.record(
      {
        actor: acting.caller,
        action: `media.${action}`,
        subject: 'upload',
        entityId: item.id,
        ip: acting.ip,
        details: details(item),
      },
      trx,
    );
}

/** The guard of a change to one existing item: the caller's check, then (files) the audit row. */
function guard(
  deps: MediaOperationDeps,
  acting: Acting,
  action: ItemAction,
  kind: Kind,
  audit?: [string, AuditDetails],
): MediaGuard {
  return {
    check: (_trx, item) => {
      requireItemAction(acting.caller, action, kind, item);
      return Promise.resolve();
    },
    ...(audit ? { written: audited(deps, acting, audit[0], audit[1]) } : {}),
  };
}

/** New files in the library, each audited in the upload's transaction. */
export function uploadFiles(
  deps: MediaOperationDeps,
  acting: Acting,
  files: IncomingFile[],
  infos: FileInfo[],
): Promise<MediaFile[]> {
  return deps.media.upload(files, infos, {
    userId: userIdOf(acting.caller),
    written: audited(deps, acting, 'create', ({ name }) => ({ name })),
  });
}

/**
 * New files whose rows `write` records in a transaction it opens (an entry update linking them:
 * server/content/operations/link-upload.ts), each audited there too.
 */
export function uploadFilesWithin(
  deps: MediaOperationDeps,
  acting: Acting,
  files: IncomingFile[],
  infos: FileInfo[],
  allowedTypes: readonly string[] | undefined,
  write: FileRecordWriter,
): Promise<MediaFile[]> {
  const written = audited(deps, acting, 'create', ({ name }) => ({ name }));
  return deps.media.uploadWithin(files, infos, { allowedTypes, userId: userIdOf(acting.caller), written }, write);
}

/** New content for a file (same id and links): an update of that file. */
export function replaceFile(
  deps: MediaOperationDeps,
  acting: Acting,
  id: number,
  file: IncomingFile,
  info: FileInfo,
): Promise<MediaFile> {
  return deps.media.replace(id, file, info, {
    userId: userIdOf(acting.caller),
    guard: guard(deps, acting, 'update', 'file', ['replace', ({ name }) => ({ name })]),
  });
}

export function updateFileInfo(
  deps: MediaOperationDeps,
  acting: Acting,
  id: number,
  info: FileInfo,
): Promise<MediaFile> {
  return deps.media.updateInfo(
    id,
    info,
    userIdOf(acting.caller),
    guard(deps, acting, 'update', 'file', ['update', () => ({ changed: Object.keys(info) })]),
  );
}

/**
 * Rotates, crops or sets the focal point of an image (its formats made anew, the original kept): an
 * update of that file, checked and audited in the change's transaction like any other.
 */
export function editImage(deps: MediaOperationDeps, acting: Acting, id: number, edit: ImageEdit): Promise<MediaFile> {
  return deps.media.editImage(id, edit, {
    userId: userIdOf(acting.caller),
    guard: guard(deps, acting, 'update', 'file', ['update', () => ({ edited: edit })]),
  });
}

/**
 * Deletes a file; `unlink` (a forced delete) is the hook that checks and records, as updates by the
 * caller, the entries losing it (server/content/operations/unlink-file.ts).
 */
export function deleteFile(
  deps: MediaOperationDeps,
  acting: Acting,
  id: number,
  unlink?: UnlinkHook,
): Promise<MediaFile> {
  const force = unlink !== undefined;
  return deps.media.delete(id, {
    ...(unlink ? { force, beforeUnlink: unlink } : {}),
    guard: guard(deps, acting, 'delete', 'file', ['delete', ({ name }) => ({ name, force })]),
  });
}

export function createFolder(
  deps: MediaOperationDeps,
  acting: Acting,
  input: { name: string; parent?: number | null },
): Promise<MediaFolder> {
  if (!acting.caller.can('create', 'upload')) throw new ForbiddenError('This action (create on upload) is not allowed');
  return deps.media.createFolder(input, userIdOf(acting.caller));
}

export function updateFolder(
  deps: MediaOperationDeps,
  acting: Acting,
  id: number,
  changes: { name?: string; parent?: number | null },
): Promise<MediaFolder> {
  return deps.media.updateFolder(id, changes, userIdOf(acting.caller), guard(deps, acting, 'update', 'folder'));
}

export function deleteFolder(deps: MediaOperationDeps, acting: Acting, id: number): Promise<MediaFolder> {
  return deps.media.deleteFolder(id, guard(deps, acting, 'delete', 'folder'));
}
