// The folio_schedules table: what editors scheduled and how it went. Callers (operations/schedules.ts,
// run.ts) decide who may do what; this module only reads and writes rows, in the transaction it is given.
import type { Knex } from 'knex';
import { NotFoundError } from '../../errors.js';

export const SCHEDULES_TABLE = 'folio_schedules';

/** A schedule's `locale` acting on every locale of the document. */
export const ALL_LOCALES = '*';

export type ScheduleAction = 'publish' | 'unpublish';
export type ScheduleStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

/** A schedule as the Admin API answers it. */
export interface Schedule {
  id: number;
  uid: string;
  documentId: string;
  /** A locale code; '*' every locale of the document; null for a type that is not localized. */
  locale: string | null;
  action: ScheduleAction;
  /** When it runs (ISO 8601, UTC). */
  at: string;
  status: ScheduleStatus;
  /** Why it failed. */
  reason: string | null;
  /** The admin who scheduled it (its rights are checked again when it runs). */
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleRow {
  id: number | string;
  content_type: string;
  document_id: string;
  locale: string;
  action: ScheduleAction;
  run_at: number | string;
  status: ScheduleStatus;
  reason: string | null;
  done_locales: string;
  job_id: number | string;
  created_by: number | string;
  created_at: number | string;
  updated_at: number | string;
}

export function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: Number(row.id),
    uid: row.content_type,
    documentId: row.document_id,
    locale: row.locale === '' ? null : row.locale,
    action: row.action,
    at: new Date(Number(row.run_at)).toISOString(),
    status: row.status,
    reason: row.reason,
    createdBy: Number(row.created_by),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

export function doneLocales(row: ScheduleRow): string[] {
  return JSON.parse(row.done_locales) as string[];
}

export interface NewSchedule {
  uid: string;
  documentId: string;
  locale: string;
  action: ScheduleAction;
  runAt: number;
  jobId: number;
  createdBy: number;
}

export async function insertSchedule(trx: Knex.Transaction, schedule: NewSchedule): Promise<number> {
  const now = Date.now();
  const [id] = await trx(SCHEDULES_TABLE).insert({
    content_type: schedule.uid,
    document_id: schedule.documentId,
    locale: schedule.locale,
    action: schedule.action,
    run_at: schedule.runAt,
    status: 'pending',
    done_locales: '[]',
    job_id: schedule.jobId,
    created_by: schedule.createdBy,
    created_at: now,
    updated_at: now,
  });
  return Number(id);
}

export async function scheduleRow(db: Knex | Knex.Transaction, id: number): Promise<ScheduleRow | undefined> {
  return db(SCHEDULES_TABLE).where('id', id).first<ScheduleRow | undefined>();
}

export async function requireScheduleRow(db: Knex | Knex.Transaction, id: number): Promise<ScheduleRow> {
  const row = await scheduleRow(db, id);
  if (!row) throw new NotFoundError(`No schedule ${id}`);
  return row;
}

/** A document's schedules, soonest first. */
export function documentScheduleRows(db: Knex, uid: string, documentId: string): Promise<ScheduleRow[]> {
  return db(SCHEDULES_TABLE)
    .where({ content_type: uid, document_id: documentId })
    .orderBy([{ column: 'run_at' }, { column: 'id' }])
    .select<ScheduleRow[]>('*');
}

/** Pending schedules due in [from, to), soonest first, at most `limit`. */
export function upcomingScheduleRows(db: Knex, from: number, to: number, limit: number): Promise<ScheduleRow[]> {
  return db(SCHEDULES_TABLE)
    .where('status', 'pending')
    .andWhere('run_at', '>=', from)
    .andWhere('run_at', '<', to)
    .orderBy([{ column: 'run_at' }, { column: 'id' }])
    .limit(limit)
    .select<ScheduleRow[]>('*');
}

/**
 * Moves a pending schedule to `status` (with what else changes); false when it is not pending any
 * more (it ran, failed or was cancelled meanwhile).
 */
export async function settleSchedule(
  trx: Knex.Transaction,
  id: number,
  status: ScheduleStatus,
  change: { reason?: string; doneLocales?: string[] } = {},
): Promise<boolean> {
  const changed = await trx(SCHEDULES_TABLE)
    .where({ id, status: 'pending' })
    .update({
      status,
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.doneLocales ? { done_locales: JSON.stringify(change.doneLocales) } : {}),
      updated_at: Date.now(),
    });
  return changed > 0;
}

/** Records the locales done so far of a schedule still running. */
export async function recordDoneLocales(trx: Knex.Transaction, id: number, locales: string[]): Promise<void> {
  await trx(SCHEDULES_TABLE)
    .where({ id, status: 'pending' })
    .update({ done_locales: JSON.stringify(locales), updated_at: Date.now() });
}
