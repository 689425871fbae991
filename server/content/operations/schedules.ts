// scheduleDocument, cancelSchedule, documentSchedules and upcomingSchedules: scheduled publishing
// (issue 21). Scheduling takes the right to publish the entry now — the type's `publish` and the
// role's conditions on the draft of every locale it covers (else 404, as a missing document) — and
// only an admin schedules: the run re-checks that admin's rights (content/schedules/run.ts). The
// schedule, its job and its audit row (`content.schedule`) commit together; so do a cancel, the job's
// cancel and `content.cancelSchedule`. Reads list what the caller may read.
import type { Knex } from 'knex';
import { ApplicationError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { Caller } from '../../access/caller.js';
import { JOBS_TABLE, type JobQueue } from '../../jobs/queue.js';
import type { ContentTypeModel, SchemaSource } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { NO_LOCALE, resolveLocale } from '../locales.js';
import type { LocaleService } from '../locale-service.js';
import {
  ALL_LOCALES,
  documentScheduleRows,
  insertSchedule,
  requireScheduleRow,
  settleSchedule,
  toSchedule,
  upcomingScheduleRows,
  type Schedule,
  type ScheduleAction,
} from '../schedules/store.js';
import type { OperationCaller, OperationDeps } from './deps.js';
import { rowPermits } from './permissions.js';
import { notFound } from './row-guards.js';

/** The job kind that runs a schedule (content/schedules/run.ts). */
export const SCHEDULE_JOB = 'content.schedule';

export type ScheduleDeps = OperationDeps & { db: Knex; schema: SchemaSource; locales: LocaleService; jobs: JobQueue };

export interface ScheduleRequest extends OperationCaller {
  uid: string;
  documentId: string;
  /** A locale code, '*' for every locale of the document, none for the default one. */
  locale?: string;
  action: ScheduleAction;
  /** When (epoch ms, UTC); must lie ahead. */
  at: number;
}

export interface ScheduleRef extends OperationCaller {
  uid: string;
  documentId: string;
  scheduleId: number;
}

/** The type, which must have draft & publish. */
async function draftAndPublishType(deps: ScheduleDeps, uid: string): Promise<ContentTypeModel> {
  const type = (await deps.schema.current()).contentTypes.get(uid);
  if (!type) throw new NotFoundError(`No content type "${uid}"`);
  if (!type.draftAndPublish) throw new ApplicationError(`${type.displayName} has no draft & publish`);
  return type;
}

/** The document's drafts in `locale` ('*': every locale), as row id and locale. */
export async function draftsOf(
  db: Knex | Knex.Transaction,
  type: ContentTypeModel,
  documentId: string,
  locale: string,
): Promise<{ id: number; locale: string }[]> {
  const q = db(type.table).where(S.documentId, documentId).andWhere(S.status, 'draft');
  if (locale !== ALL_LOCALES) q.andWhere(S.locale, locale);
  const rows: Array<{ id: number | string; locale: string }> = await q
    .orderBy(S.locale)
    .select({ id: S.id, locale: S.locale });
  return rows.map((r) => ({ id: Number(r.id), locale: r.locale }));
}

/** Every draft the schedule covers must lie within the caller's conditions for `action` (else 404). */
async function requirePermittedDrafts(
  deps: ScheduleDeps,
  caller: Caller,
  action: string,
  type: ContentTypeModel,
  documentId: string,
  locale: string,
): Promise<void> {
  const schema = await deps.schema.current();
  const drafts = await draftsOf(deps.db, type, documentId, locale);
  if (!drafts.length) throw notFound(type, documentId);
  for (const draft of drafts) {
    if (!(await rowPermits(deps.db, schema, caller, action, type, draft.id))) throw notFound(type, documentId);
  }
}

export async function scheduleDocument(deps: ScheduleDeps, request: ScheduleRequest): Promise<Schedule> {
  const { caller, uid, documentId, action, at } = request;
  if (!caller.can('publish', uid)) throw new ForbiddenError(`You may not publish ${uid}`);
  // The run acts for the admin who scheduled it, whose rights it checks again then.
  if (caller.kind !== 'admin' || caller.id === undefined) throw new ForbiddenError('Only admin users schedule');
  const type = await draftAndPublishType(deps, uid);
  if (at <= Date.now()) {
    throw ValidationError.fromErrors([{ path: ['at'], message: 'The time must lie ahead', name: 'ValidationError' }]);
  }
  const locale =
    type.localized && request.locale === ALL_LOCALES
      ? ALL_LOCALES
      : resolveLocale(type, request.locale, await deps.locales.defaultCode());
  await requirePermittedDrafts(deps, caller, 'publish', type, documentId, locale);
  const createdBy = caller.id;
  const id = await deps.db.transaction(async (trx) => {
    const jobId = await deps.jobs.enqueue(trx, SCHEDULE_JOB, {}, at);
    const scheduleId = await insertSchedule(trx, { uid, documentId, locale, action, runAt: at, jobId, createdBy });
    // The job finds its schedule by id: written once both rows exist.
    await trx(JOBS_TABLE)
      .where('id', jobId)
      .update({ payload: JSON.stringify({ scheduleId }) });
    await deps.audit.record(
      {
        actor: caller,
        action: 'content.schedule',
        subject: uid,
        entityId: documentId,
        ip: request.ip,
        details: { scheduleId, action, at: new Date(at).toISOString(), ...(locale === NO_LOCALE ? {} : { locale }) },
      },
      trx,
    );
    return scheduleId;
  });
  return toSchedule(await requireScheduleRow(deps.db, id));
}

/** The schedule, which must be one of this document's (else 404, whatever it is). */
async function scheduleOf(deps: ScheduleDeps, ref: ScheduleRef) {
  const row = await requireScheduleRow(deps.db, ref.scheduleId).catch(() => undefined);
  if (!row || row.content_type !== ref.uid || row.document_id !== ref.documentId)
    throw new NotFoundError(`No schedule ${ref.scheduleId} on this document`);
  return row;
}

/** Cancels a pending schedule: the caller needs what scheduling it took. */
export async function cancelSchedule(deps: ScheduleDeps, request: ScheduleRef): Promise<Schedule> {
  const { caller, uid, documentId } = request;
  if (!caller.can('publish', uid)) throw new ForbiddenError(`You may not publish ${uid}`);
  const type = await draftAndPublishType(deps, uid);
  const row = await scheduleOf(deps, request);
  // A document deleted since leaves nothing to check conditions on: the schedule can still go.
  if ((await draftsOf(deps.db, type, documentId, row.locale)).length)
    await requirePermittedDrafts(deps, caller, 'publish', type, documentId, row.locale);
  await deps.db.transaction(async (trx) => {
    if (!(await settleSchedule(trx, Number(row.id), 'cancelled')))
      throw new ConflictError(`Schedule ${row.id} is not pending any more`);
    await deps.jobs.cancel(trx, Number(row.job_id));
    await deps.audit.record(
      {
        actor: caller,
        action: 'content.cancelSchedule',
        subject: uid,
        entityId: documentId,
        ip: request.ip,
        details: { scheduleId: Number(row.id) },
      },
      trx,
    );
  });
  return toSchedule(await requireScheduleRow(deps.db, Number(row.id)));
}

/** A document's schedules (every status), for a caller who may read the document. */
export async function documentSchedules(
  deps: ScheduleDeps,
  request: OperationCaller & { uid: string; documentId: string },
): Promise<Schedule[]> {
  const { caller, uid, documentId } = request;
  if (!caller.can('read', uid)) throw new ForbiddenError(`You may not read ${uid}`);
  const type = await draftAndPublishType(deps, uid);
  const schema = await deps.schema.current();
  const drafts = await draftsOf(deps.db, type, documentId, ALL_LOCALES);
  let readable = false;
  for (const draft of drafts) readable ||= await rowPermits(deps.db, schema, caller, 'read', type, draft.id);
  if (!readable) throw notFound(type, documentId);
  return (await documentScheduleRows(deps.db, uid, documentId)).map(toSchedule);
}

/** The most schedules one upcoming list answers. */
export const UPCOMING_LIMIT = 500;

/**
 * Pending schedules due in [from, to), soonest first: those of types the caller may read, and of
 * documents within its read conditions.
 */
export async function upcomingSchedules(
  deps: ScheduleDeps,
  request: OperationCaller & { from: number; to: number },
): Promise<Schedule[]> {
  const { caller } = request;
  const schema = await deps.schema.current();
  const visible: Schedule[] = [];
  for (const row of await upcomingScheduleRows(deps.db, request.from, request.to, UPCOMING_LIMIT)) {
    const type = schema.contentTypes.get(row.content_type);
    if (!type || !caller.can('read', type.uid)) continue;
    const drafts = await draftsOf(deps.db, type, row.document_id, row.locale);
    let readable = false;
    for (const draft of drafts) readable ||= await rowPermits(deps.db, schema, caller, 'read', type, draft.id);
    if (readable) visible.push(toSchedule(row));
  }
  return visible;
}
