// The folio_releases and folio_release_actions tables. Callers (operations/releases.ts, publish.ts)
// decide who may do what; this module only reads and writes rows, in the transaction it is given.
import type { Knex } from 'knex';
import { NotFoundError } from '../../errors.js';

export const RELEASES_TABLE = 'folio_releases';
export const RELEASE_ACTIONS_TABLE = 'folio_release_actions';

export type ReleaseStatus = 'open' | 'scheduled' | 'published' | 'failed';
export type ReleaseActionKind = 'publish' | 'unpublish';

export interface ReleaseRow {
  id: number | string;
  name: string;
  status: ReleaseStatus;
  run_at: number | string | null;
  job_id: number | string | null;
  scheduled_by: number | string | null;
  reason: string | null;
  released_by: number | string | null;
  released_at: number | string | null;
  created_by: number | string;
  created_at: number | string;
  updated_at: number | string;
}

export interface ReleaseActionRow {
  id: number | string;
  release_id: number | string;
  content_type: string;
  document_id: string;
  locale: string;
  action: ReleaseActionKind;
  added_by: number | string;
  added_at: number | string;
}

/** A release as the Admin API answers it (without its entries). */
export interface Release {
  id: number;
  name: string;
  status: ReleaseStatus;
  /** When a scheduled release runs (ISO 8601, UTC); null when it is not scheduled. */
  scheduledAt: string | null;
  /** The admin a scheduled release runs for (whose rights are checked again then). */
  scheduledBy: number | null;
  /** Why its scheduled run failed. */
  reason: string | null;
  releasedAt: string | null;
  releasedBy: number | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

/** An entry of a release as the Admin API answers it. */
export interface ReleaseAction {
  id: number;
  uid: string;
  documentId: string;
  /** A locale code; null for a type that is not localized. */
  locale: string | null;
  action: ReleaseActionKind;
  addedBy: number;
  addedAt: string;
  /** Whether it would be released now; why not otherwise. */
  valid: boolean;
  problem: string | null;
  /** The draft was updated after the entry was added (what the release publishes is no longer what was added). */
  changedSinceAdded: boolean;
}

export interface ReleaseDetail extends Release {
  actions: ReleaseAction[];
  /** Entries of documents the caller may not read: counted, not shown. */
  hiddenActions: number;
}

export interface ReleaseSummary extends Release {
  actionCount: number;
}

/** A release not published yet that holds entries of one document: those entries (the side panel). */
export interface DocumentRelease {
  release: Release;
  actions: Array<{ id: number; locale: string | null; action: ReleaseActionKind }>;
}

const iso = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const num = (n: number | string | null) => (n === null ? null : Number(n));

export function toRelease(row: ReleaseRow): Release {
  return {
    id: Number(row.id),
    name: row.name,
    status: row.status,
    scheduledAt: row.status === 'scheduled' ? iso(row.run_at) : null,
    scheduledBy: row.status === 'scheduled' ? num(row.scheduled_by) : null,
    reason: row.reason,
    releasedAt: iso(row.released_at),
    releasedBy: num(row.released_by),
    createdBy: Number(row.created_by),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

export async function insertRelease(trx: Knex.Transaction, name: string, createdBy: number): Promise<number> {
  const now = Date.now();
  const [id] = await trx(RELEASES_TABLE).insert({
    name,
    status: 'open',
    created_by: createdBy,
    created_at: now,
    updated_at: now,
  });
  return Number(id);
}

export async function releaseRow(db: Knex | Knex.Transaction, id: number): Promise<ReleaseRow | undefined> {
  return db(RELEASES_TABLE).where('id', id).first<ReleaseRow | undefined>();
}

export async function requireReleaseRow(db: Knex | Knex.Transaction, id: number): Promise<ReleaseRow> {
  const row = await releaseRow(db, id);
  if (!row) throw new NotFoundError(`No release ${id}`);
  return row;
}

/** The entries of one document in releases not published yet, oldest release first. */
export function documentActionRows(db: Knex, uid: string, documentId: string): Promise<ReleaseActionRow[]> {
  return db(`${RELEASE_ACTIONS_TABLE} as a`)
    .join(`${RELEASES_TABLE} as r`, 'r.id', 'a.release_id')
    .where({ 'a.content_type': uid, 'a.document_id': documentId })
    .whereNot('r.status', 'published')
    .orderBy([{ column: 'a.release_id' }, { column: 'a.id' }])
    .select<ReleaseActionRow[]>('a.*');
}

export function releaseRows(db: Knex, limit: number): Promise<ReleaseRow[]> {
  return db(RELEASES_TABLE)
    .orderBy([{ column: 'id', order: 'desc' }])
    .limit(limit)
    .select<ReleaseRow[]>('*');
}

export async function actionCounts(db: Knex, releaseIds: number[]): Promise<Map<number, number>> {
  if (!releaseIds.length) return new Map();
  const rows: Array<{ release_id: number | string; n: number | string }> = await db(RELEASE_ACTIONS_TABLE)
    .whereIn('release_id', releaseIds)
    .groupBy('release_id')
    .select('release_id')
    .count({ n: '*' });
  return new Map(rows.map((r) => [Number(r.release_id), Number(r.n)]));
}

export function actionRows(db: Knex | Knex.Transaction, releaseId: number): Promise<ReleaseActionRow[]> {
  return db(RELEASE_ACTIONS_TABLE).where('release_id', releaseId).orderBy('id').select<ReleaseActionRow[]>('*');
}

export interface NewReleaseAction {
  releaseId: number;
  uid: string;
  documentId: string;
  locale: string;
  action: ReleaseActionKind;
  addedBy: number;
}

/** Adds the entry, or changes the action of the entry already there (its added time with it). */
export async function upsertAction(trx: Knex.Transaction, action: NewReleaseAction): Promise<number> {
  const key = {
    release_id: action.releaseId,
    content_type: action.uid,
    document_id: action.documentId,
    locale: action.locale,
  };
  const change = { action: action.action, added_by: action.addedBy, added_at: Date.now() };
  const existing = await trx(RELEASE_ACTIONS_TABLE).where(key).first<{ id: number | string } | undefined>('id');
  if (existing) {
    await trx(RELEASE_ACTIONS_TABLE).where('id', existing.id).update(change);
    return Number(existing.id);
  }
  const [id] = await trx(RELEASE_ACTIONS_TABLE).insert({ ...key, ...change });
  return Number(id);
}

/**
 * Moves a release that is not published yet to `published`; false when it is published already (a
 * concurrent release of it won).
 */
export async function markPublished(trx: Knex.Transaction, id: number, releasedBy: number): Promise<boolean> {
  const now = Date.now();
  const changed = await trx(RELEASES_TABLE).where('id', id).whereNot('status', 'published').update({
    status: 'published',
    released_by: releasedBy,
    released_at: now,
    reason: null,
    run_at: null,
    job_id: null,
    updated_at: now,
  });
  return changed > 0;
}
