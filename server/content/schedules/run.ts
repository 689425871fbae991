// Running a schedule when it is due: a job of the job queue (server/jobs/queue.ts), run once.
//
// The publish (or unpublish) goes through the publishing operation as the system caller, bounded by
// the rights of the admin who scheduled it as they are now: that admin must still exist, be active,
// hold `publish` on the type and have the draft within their conditions (checked on the locked draft,
// in the write's transaction). Revisions, audit row and outbox event commit with the change, and so
// does the schedule's progress and the job's completion — the fence that makes the run happen once
// even if another instance takes the job over (queue.ts, "Exactly once").
//
// A refusal (the admin gone or without the right, the entry gone or not validating) fails the schedule
// visibly, in one transaction: status `failed` with the reason on the schedule, an audit row
// `content.scheduleFailed`, a webhook event `entry.publish-failed`. Every locale is its own
// transaction (as a bulk publish): a schedule over all locales that fails at one keeps those done.
import type { Knex } from 'knex';
import { SYSTEM_CALLER, type Caller } from '../../access/caller.js';
import type { AuditLog } from '../../events/audit.js';
import { enqueue } from '../../events/outbox.js';
import {
  ConflictError,
  FolioError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../errors.js';
import { JobRefusal, type ClaimedJob, type JobKind } from '../../jobs/queue.js';
import type { SchemaSource } from '../../schema/model.js';
import type { DocumentService } from '../documents.js';
import { NO_LOCALE } from '../locales.js';
import { publishDocument, unpublishDocument } from '../operations/publishing.js';
import { draftsOf } from '../operations/schedules.js';
import {
  doneLocales,
  recordDoneLocales,
  requireScheduleRow,
  scheduleRow,
  settleSchedule,
  type ScheduleRow,
} from './store.js';

export interface ScheduleRunDeps {
  db: Knex;
  schema: SchemaSource;
  documents: DocumentService;
  audit: AuditLog;
  /** The admin's caller if they exist and are active, else null. */
  activeAdmin: (userId: number) => Promise<Caller | null>;
}

export interface ScheduleJobPayload {
  scheduleId: number;
}

const OPERATIONS = { publish: publishDocument, unpublish: unpublishDocument } as const;

/** Why a refused write refuses the schedule, in words for the editor. */
function refusalOf(err: unknown, locale: string): JobRefusal | null {
  const where = locale === NO_LOCALE ? '' : ` (${locale})`;
  if (err instanceof ValidationError) return new JobRefusal(`The entry does not validate${where}: ${err.message}`);
  if (err instanceof NotFoundError) return new JobRefusal(`The entry no longer exists${where}`);
  if (err instanceof ForbiddenError) return new JobRefusal(err.message);
  // A database gone for a while is worth a retry; any other answer of the operation (no draft &
  // publish any more, say) would be the same on a retry.
  if (err instanceof ServiceUnavailableError || err instanceof ConflictError) return null;
  if (err instanceof FolioError) return new JobRefusal(err.message);
  return null;
}

async function run(deps: ScheduleRunDeps, job: ClaimedJob<ScheduleJobPayload>): Promise<void> {
  const schedule = await scheduleRow(deps.db, job.payload.scheduleId);
  // Cancelled (the job was cancelled with it) or settled by an earlier run: nothing left to do.
  if (!schedule || schedule.status !== 'pending') return;
  const uid = schedule.content_type;
  const type = (await deps.schema.current()).contentTypes.get(uid);
  if (!type) throw new JobRefusal(`The content type ${uid} no longer exists`);
  const authorId = Number(schedule.created_by);
  const author = await deps.activeAdmin(authorId);
  if (!author) throw new JobRefusal(`The admin who scheduled this (id ${authorId}) no longer exists or is deactivated`);
  if (!author.can('publish', uid)) throw new JobRefusal(`The admin who scheduled this may no longer publish ${uid}`);

  const locales = (await draftsOf(deps.db, type, schedule.document_id, schedule.locale)).map((d) => d.locale);
  if (!locales.length) throw new JobRefusal('The entry no longer exists');
  const done = doneLocales(schedule);
  const todo = locales.filter((locale) => !done.includes(locale));
  for (const [i, locale] of todo.entries()) {
    const last = i === todo.length - 1;
    const progress = [...done, ...todo.slice(0, i + 1)];
    try {
      await OPERATIONS[schedule.action](deps, {
        caller: SYSTEM_CALLER,
        onBehalfOf: author,
        uid,
        documentId: schedule.document_id,
        locale: locale === NO_LOCALE ? undefined : locale,
        auditDetails: { scheduleId: Number(schedule.id), scheduledBy: authorId },
        inTransaction: async (trx) => {
          if (!last) {
            await job.hold(trx);
            await recordDoneLocales(trx, Number(schedule.id), progress);
            return;
          }
          await job.complete(trx);
          await settleSchedule(trx, Number(schedule.id), 'succeeded', { doneLocales: progress });
        },
      });
    } catch (err) {
      throw refusalOf(err, locale) ?? err;
    }
  }
  // A run resumed after its last write committed finds nothing to do but to settle.
  if (!todo.length) {
    await deps.db.transaction(async (trx) => {
      await job.complete(trx);
      await settleSchedule(trx, Number(schedule.id), 'succeeded');
    });
  }
}

/** The failure, where people see it: on the schedule, in the audit log, as a webhook event. */
async function failed(deps: ScheduleRunDeps, trx: Knex.Transaction, scheduleId: number, reason: string): Promise<void> {
  const schedule: ScheduleRow = await requireScheduleRow(trx, scheduleId);
  if (!(await settleSchedule(trx, scheduleId, 'failed', { reason }))) return;
  const uid = schedule.content_type;
  const locale = schedule.locale === NO_LOCALE ? undefined : schedule.locale;
  const details = {
    scheduleId,
    action: schedule.action,
    reason,
    scheduledBy: Number(schedule.created_by),
    ...(locale ? { locale } : {}),
  };
  await deps.audit.record(
    { actor: SYSTEM_CALLER, action: 'content.scheduleFailed', subject: uid, entityId: schedule.document_id, details },
    trx,
  );
  await enqueue(trx, {
    event: 'entry.publish-failed',
    createdAt: new Date().toISOString(),
    // A type's uid is its singularName; the schema is not read here, inside the transaction (SQLite
    // has one connection: a read outside the transaction would wait for it).
    model: uid,
    uid,
    entry: { documentId: schedule.document_id, ...(locale ? { locale } : {}) },
    schedule: {
      id: scheduleId,
      action: schedule.action,
      scheduledAt: new Date(Number(schedule.run_at)).toISOString(),
      reason,
    },
  });
}

/** The job kind running schedules. */
export function scheduleJobKind(deps: ScheduleRunDeps): JobKind<ScheduleJobPayload> {
  return {
    run: (job) => run(deps, job),
    failed: (trx, job, reason) => failed(deps, trx, job.payload.scheduleId, reason),
  };
}
