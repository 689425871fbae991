// Releases (issue 21): a named group of publish/unpublish actions over many documents and locales,
// published all at once in one transaction (content/releases/publish.ts) — now, or at a time by the
// job runner (content/releases/run.ts), exactly once.
//
// Any admin may create, rename and delete releases and read them; what a release does is bounded
// entry by entry: adding (or removing) an entry takes the right to publish it now — the type's
// `publish` and the role's conditions on its draft (else 403 / 404 as a missing document), as
// scheduling does. Releasing now publishes every entry as the caller, checked again on each locked
// draft; scheduling takes the right to publish every entry at the time it is scheduled, and the run
// checks the scheduling admin again. Each change commits with its audit row (`release.*`).
//
// A release's entries are shown to a caller who may read them (the others are counted, not named),
// each with whether it would publish now (`valid`, `problem`) and whether its draft changed after it
// was added (`changedSinceAdded`: the draft's updatedAt later than the time it was added).
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import { ApplicationError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { ContentTypeModel, SchemaSource } from '../../schema/model.js';
import type { LocaleService } from '../locale-service.js';
import { NO_LOCALE, resolveLocale } from '../locales.js';
import { actionProblem, entryLabel, publishRelease } from '../releases/publish.js';
import { RELEASE_JOB } from '../releases/run.js';
import {
  RELEASE_ACTIONS_TABLE,
  RELEASES_TABLE,
  actionCounts,
  actionRows,
  documentActionRows,
  insertRelease,
  releaseRow,
  releaseRows,
  requireReleaseRow,
  toRelease,
  upsertAction,
  type Release,
  type ReleaseAction,
  type ReleaseActionKind,
  type ReleaseActionRow,
  type DocumentRelease,
  type ReleaseDetail,
  type ReleaseRow,
  type ReleaseSummary,
} from '../releases/store.js';
import type { OperationCaller, OperationDeps } from './deps.js';
import { rowPermits } from './permissions.js';
import { draftsOf } from './schedules.js';
import { notFound } from './row-guards.js';

export type { DocumentRelease, ReleaseAction, ReleaseDetail, ReleaseSummary };

export type ReleaseDeps = OperationDeps & { db: Knex; schema: SchemaSource; locales: LocaleService; jobs: JobQueue };

export interface ReleaseRef extends OperationCaller {
  releaseId: number;
}

/** The most releases one list answers (newest first). */
export const RELEASES_LIMIT = 500;

function adminOf(caller: Caller): number {
  // A release acts for an admin (its scheduled run checks that admin again): only admins hold them.
  if (caller.kind !== 'admin' || caller.id === undefined) throw new ForbiddenError('Only admin users manage releases');
  return caller.id;
}

/** The release, which must not be published (it is history then). */
function requireEditable(row: ReleaseRow): void {
  if (row.status === 'published') throw new ConflictError(`Release ${row.id} is published: it cannot change`);
}

/** The release row is changed with every change of its entries: a release published meanwhile refuses it. */
async function touchEditable(trx: Knex.Transaction, id: number, change: Partial<ReleaseRow> = {}): Promise<void> {
  const changed = await trx(RELEASES_TABLE)
    .where('id', id)
    .whereNot('status', 'published')
    .update({ ...change, updated_at: Date.now() });
  if (!changed) throw new ConflictError(`Release ${id} is published: it cannot change`);
}

function nameOf(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 191)
    throw ValidationError.fromErrors([
      { path: ['name'], message: 'Expected a name of 1 to 191 characters', name: 'ValidationError' },
    ]);
  return trimmed;
}

async function audit(
  deps: ReleaseDeps,
  trx: Knex.Transaction,
  who: OperationCaller,
  action: string,
  releaseId: number,
  details: Record<string, unknown>,
): Promise<void> {
  await deps.audit.record(
    { actor: who.caller, action: `release.${action}`, subject: 'release', entityId: releaseId, ip: who.ip, details },
    trx,
  );
}

export async function createRelease(deps: ReleaseDeps, request: OperationCaller & { name: string }): Promise<Release> {
  const createdBy = adminOf(request.caller);
  const name = nameOf(request.name);
  const id = await deps.db.transaction(async (trx) => {
    const releaseId = await insertRelease(trx, name, createdBy);
    await audit(deps, trx, request, 'create', releaseId, { name });
    return releaseId;
  });
  return toRelease(await requireReleaseRow(deps.db, id));
}

export async function renameRelease(deps: ReleaseDeps, request: ReleaseRef & { name: string }): Promise<Release> {
  adminOf(request.caller);
  const name = nameOf(request.name);
  requireEditable(await requireReleaseRow(deps.db, request.releaseId));
  await deps.db.transaction(async (trx) => {
    await touchEditable(trx, request.releaseId, { name });
    await audit(deps, trx, request, 'update', request.releaseId, { name });
  });
  return toRelease(await requireReleaseRow(deps.db, request.releaseId));
}

/** Deletes a release (a scheduled one's job is cancelled with it); a published one stays as history. */
export async function deleteRelease(deps: ReleaseDeps, request: ReleaseRef): Promise<void> {
  adminOf(request.caller);
  const row = await requireReleaseRow(deps.db, request.releaseId);
  requireEditable(row);
  await deps.db.transaction(async (trx) => {
    await touchEditable(trx, request.releaseId);
    if (row.job_id !== null) await deps.jobs.cancel(trx, Number(row.job_id));
    await trx(RELEASE_ACTIONS_TABLE).where('release_id', request.releaseId).delete();
    await trx(RELEASES_TABLE).where('id', request.releaseId).delete();
    await audit(deps, trx, request, 'delete', request.releaseId, { name: row.name });
  });
}

async function draftAndPublishType(deps: ReleaseDeps, uid: string): Promise<ContentTypeModel> {
  const type = (await deps.schema.current()).contentTypes.get(uid);
  if (!type) throw new NotFoundError(`No content type "${uid}"`);
  if (!type.draftAndPublish) throw new ApplicationError(`${type.displayName} has no draft & publish`);
  return type;
}

/** The caller may publish this entry now: the type's right, and its conditions on the draft (else 404). */
async function requirePublishable(
  deps: ReleaseDeps,
  caller: Caller,
  type: ContentTypeModel,
  documentId: string,
  locale: string,
): Promise<void> {
  if (!caller.can('publish', type.uid)) throw new ForbiddenError(`You may not publish ${type.uid}`);
  const schema = await deps.schema.current();
  const [draft] = await draftsOf(deps.db, type, documentId, locale);
  if (!draft || !(await rowPermits(deps.db, schema, caller, 'publish', type, draft.id)))
    throw notFound(type, documentId);
}

export interface AddActionRequest extends ReleaseRef {
  uid: string;
  documentId: string;
  /** A locale code; none: the default one. */
  locale?: string;
  action: ReleaseActionKind;
}

/** Adds an entry to the release (or changes the action of the one already there). */
export async function addReleaseAction(deps: ReleaseDeps, request: AddActionRequest): Promise<ReleaseDetail> {
  const addedBy = adminOf(request.caller);
  const { releaseId, uid, documentId, action } = request;
  const type = await draftAndPublishType(deps, uid);
  const locale = resolveLocale(type, request.locale, await deps.locales.defaultCode());
  await requirePublishable(deps, request.caller, type, documentId, locale);
  requireEditable(await requireReleaseRow(deps.db, releaseId));
  await deps.db.transaction(async (trx) => {
    await touchEditable(trx, releaseId);
    const actionId = await upsertAction(trx, { releaseId, uid, documentId, locale, action, addedBy });
    await audit(deps, trx, request, 'addAction', releaseId, {
      actionId,
      uid,
      documentId,
      action,
      ...(locale === NO_LOCALE ? {} : { locale }),
    });
  });
  return getRelease(deps, request);
}

/** Removes an entry: the caller needs what adding it took (the entry may be gone: then the type's right). */
export async function removeReleaseAction(
  deps: ReleaseDeps,
  request: ReleaseRef & { actionId: number },
): Promise<ReleaseDetail> {
  adminOf(request.caller);
  const { releaseId, actionId } = request;
  const row = await deps
    .db(RELEASE_ACTIONS_TABLE)
    .where({ id: actionId, release_id: releaseId })
    .first<ReleaseActionRow | undefined>();
  if (!row) throw new NotFoundError(`No entry ${actionId} in release ${releaseId}`);
  const type = (await deps.schema.current()).contentTypes.get(row.content_type);
  if (!request.caller.can('publish', row.content_type))
    throw new ForbiddenError(`You may not publish ${row.content_type}`);
  if (type && (await draftsOf(deps.db, type, row.document_id, row.locale)).length)
    await requirePublishable(deps, request.caller, type, row.document_id, row.locale);
  await deps.db.transaction(async (trx) => {
    await touchEditable(trx, releaseId);
    await trx(RELEASE_ACTIONS_TABLE).where('id', actionId).delete();
    await audit(deps, trx, request, 'removeAction', releaseId, {
      actionId,
      uid: row.content_type,
      documentId: row.document_id,
    });
  });
  return getRelease(deps, request);
}

/** Releases, newest first, with their entry counts. */
export async function listReleases(deps: ReleaseDeps, request: OperationCaller): Promise<ReleaseSummary[]> {
  adminOf(request.caller);
  const rows = await releaseRows(deps.db, RELEASES_LIMIT);
  const counts = await actionCounts(
    deps.db,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((row) => ({ ...toRelease(row), actionCount: counts.get(Number(row.id)) ?? 0 }));
}

async function describeAction(deps: ReleaseDeps, row: ReleaseActionRow, published: boolean): Promise<ReleaseAction> {
  const locale = row.locale === NO_LOCALE ? undefined : row.locale;
  const type = (await deps.schema.current()).contentTypes.get(row.content_type);
  const draft = type?.draftAndPublish
    ? await deps.documents.findOne(row.content_type, row.document_id, { locale, status: 'draft' })
    : null;
  // A published release is history: its entries are not judged any more.
  const problem = published ? null : await actionProblem(deps, row);
  return {
    id: Number(row.id),
    uid: row.content_type,
    documentId: row.document_id,
    locale: locale ?? null,
    action: row.action,
    addedBy: Number(row.added_by),
    addedAt: new Date(Number(row.added_at)).toISOString(),
    valid: problem === null,
    problem,
    changedSinceAdded: draft !== null && Date.parse(draft.updatedAt) > Number(row.added_at),
  };
}

/** May the caller see this entry: read on the type and its conditions on some version of it. */
async function readable(deps: ReleaseDeps, caller: Caller, row: ReleaseActionRow): Promise<boolean> {
  const schema = await deps.schema.current();
  const type = schema.contentTypes.get(row.content_type);
  if (!type || !caller.can('read', type.uid)) return false;
  const [draft] = await draftsOf(deps.db, type, row.document_id, row.locale);
  // An entry whose document is gone shows as such to whoever may read its type.
  return !draft || rowPermits(deps.db, schema, caller, 'read', type, draft.id);
}

/** The release with each entry the caller may read: its validation state and whether it changed since added. */
export async function getRelease(deps: ReleaseDeps, request: ReleaseRef): Promise<ReleaseDetail> {
  adminOf(request.caller);
  const row = await requireReleaseRow(deps.db, request.releaseId);
  const actions: ReleaseAction[] = [];
  let hiddenActions = 0;
  for (const action of await actionRows(deps.db, request.releaseId)) {
    if (!(await readable(deps, request.caller, action))) {
      hiddenActions += 1;
      continue;
    }
    actions.push(await describeAction(deps, action, row.status === 'published'));
  }
  return { ...toRelease(row), actions, hiddenActions };
}

/**
 * The releases not published yet that hold this document, with its entries there (the edit screen's
 * side panel): only entries the caller may read, as on the release page.
 */
export async function releasesOfDocument(
  deps: ReleaseDeps,
  request: OperationCaller & { uid: string; documentId: string },
): Promise<DocumentRelease[]> {
  adminOf(request.caller);
  const byRelease = new Map<number, DocumentRelease>();
  for (const row of await documentActionRows(deps.db, request.uid, request.documentId)) {
    if (!(await readable(deps, request.caller, row))) continue;
    const releaseId = Number(row.release_id);
    let entry = byRelease.get(releaseId);
    if (!entry) {
      const release = await releaseRow(deps.db, releaseId);
      if (!release) continue;
      entry = { release: toRelease(release), actions: [] };
      byRelease.set(releaseId, entry);
    }
    entry.actions.push({
      id: Number(row.id),
      locale: row.locale === NO_LOCALE ? null : row.locale,
      action: row.action,
    });
  }
  return [...byRelease.values()];
}

/** Publishes the release now, as the caller (who needs publish on every entry): all entries or none. */
export async function releaseNow(deps: ReleaseDeps, request: ReleaseRef): Promise<ReleaseDetail> {
  const releasedBy = adminOf(request.caller);
  const row = await requireReleaseRow(deps.db, request.releaseId);
  requireEditable(row);
  await publishRelease(deps, request.releaseId, {
    caller: request.caller,
    releasedBy,
    ip: request.ip,
    // A release published now does not run again at its scheduled time.
    inTransaction: async (trx) => {
      if (row.job_id !== null) await deps.jobs.cancel(trx, Number(row.job_id));
    },
  });
  return getRelease(deps, request);
}

/**
 * Schedules the release at `at` (replacing an earlier time): the caller must may publish every
 * entry now; the run checks again, for this caller, then.
 */
export async function scheduleRelease(deps: ReleaseDeps, request: ReleaseRef & { at: number }): Promise<Release> {
  const scheduledBy = adminOf(request.caller);
  const { releaseId, at } = request;
  if (at <= Date.now()) {
    throw ValidationError.fromErrors([{ path: ['at'], message: 'The time must lie ahead', name: 'ValidationError' }]);
  }
  const row = await requireReleaseRow(deps.db, releaseId);
  requireEditable(row);
  const actions = await actionRows(deps.db, releaseId);
  if (!actions.length) throw new ValidationError('The release has no entries');
  for (const action of actions) {
    const type = await draftAndPublishType(deps, action.content_type);
    await requirePublishable(deps, request.caller, type, action.document_id, action.locale).catch((err: unknown) => {
      throw err instanceof NotFoundError ? new NotFoundError(`${entryLabel(action)}: ${err.message}`) : err;
    });
  }
  await deps.db.transaction(async (trx) => {
    if (row.job_id !== null) await deps.jobs.cancel(trx, Number(row.job_id));
    const jobId = await deps.jobs.enqueue(trx, RELEASE_JOB, { releaseId }, at);
    await touchEditable(trx, releaseId, {
      status: 'scheduled',
      run_at: at,
      job_id: jobId,
      scheduled_by: scheduledBy,
      reason: null,
    });
    await audit(deps, trx, request, 'schedule', releaseId, { at: new Date(at).toISOString() });
  });
  return toRelease(await requireReleaseRow(deps.db, releaseId));
}

/** Cancels the release's schedule: it is open again. */
export async function cancelReleaseSchedule(deps: ReleaseDeps, request: ReleaseRef): Promise<Release> {
  adminOf(request.caller);
  const row = await requireReleaseRow(deps.db, request.releaseId);
  if (row.status !== 'scheduled' || row.job_id === null)
    throw new ConflictError(`Release ${request.releaseId} is not scheduled`);
  await deps.db.transaction(async (trx) => {
    const changed = await trx(RELEASES_TABLE)
      .where({ id: request.releaseId, status: 'scheduled' })
      .update({ status: 'open', run_at: null, job_id: null, scheduled_by: null, updated_at: Date.now() });
    if (!changed) throw new ConflictError(`Release ${request.releaseId} is not scheduled`);
    await deps.jobs.cancel(trx, Number(row.job_id));
    await audit(deps, trx, request, 'cancelSchedule', request.releaseId, {});
  });
  return toRelease(await requireReleaseRow(deps.db, request.releaseId));
}
