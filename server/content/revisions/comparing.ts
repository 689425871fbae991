// Comparing a revision with another revision, the one before it, or the current draft, as the
// editor asking: the history's read rule (reading.ts) applies, both sides keep only the fields the
// caller may read and the related documents it may read under its conditions (all of them through a
// field it may write: the link right, visible-links.ts), and related documents are labelled only as
// the caller may read them (the type, its main field, the row's read conditions) — otherwise by
// documentId alone. The diff itself is diffing.ts's; the sides are ordered in time, older `before`,
// newer `after`.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import type { DialectName } from '../../db/connection.js';
import { NotFoundError } from '../../errors.js';
import type { ContentTypeModel, SchemaModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { mainFieldOf } from '../../schema/text-attributes.js';
import { editableStatus, type DocumentEntry, type Status } from '../documents.js';
import { readableFields, restrict } from '../operations/permissions.js';
import { diffData, type FieldDiff, type FileRef, type LinkRef } from './diffing.js';
import {
  documentRevisions,
  historyScope,
  storedRevision,
  type HistoryRequest,
  type HistoryScope,
  type Revision,
  type RevisionReadDeps,
  type RevisionSummary,
} from './reading.js';
import { snapshotOf, type RevisionData } from './snapshot.js';
import { visibleLinks } from './visible-links.js';

export interface DiffDeps extends RevisionReadDeps {
  dialect: DialectName;
  documents: {
    findOne(
      uid: string,
      documentId: string,
      options: { locale?: string; status?: Status },
    ): Promise<DocumentEntry | null>;
  };
}

/** The other side: a revision of the same document, the one before `id`, or the current draft. */
export type DiffTarget = number | 'previous' | 'current';

export interface DiffRequest extends HistoryRequest {
  id: number;
  to: DiffTarget;
}

export interface RevisionDiff {
  /** The older side; null when it is "the revision before" the document's first. */
  before: RevisionSummary | null;
  /** The newer side: a revision, or the draft as it is now. */
  after: RevisionSummary | { current: true };
  /** The fields that differ (unchanged ones are left out). */
  fields: FieldDiff[];
}

function summaryOf(revision: Revision): RevisionSummary {
  const { data: _, removedAttributes: __, ...summary } = revision;
  return summary;
}

/** The document's editable version in full, as a revision would record it now. */
async function currentData(deps: DiffDeps, scope: HistoryScope): Promise<RevisionData> {
  const { type } = scope;
  const entry = await deps.documents.findOne(type.uid, scope.documentId, {
    locale: type.localized ? scope.locale : undefined,
    status: editableStatus(type),
  });
  if (!entry) throw new NotFoundError(`No ${type.singularName} with documentId "${scope.documentId}"`);
  return deps.db.transaction((trx) => snapshotOf(trx, deps.dialect, scope.schema, type, entry));
}

async function previousOf(db: Knex, scope: HistoryScope, id: number): Promise<Revision | null> {
  const row = await documentRevisions(db, scope).where('id', '<', id).orderBy('id', 'desc').first<{ id: number }>('id');
  return row ? storedRevision(db, scope, Number(row.id)) : null;
}

interface Sides {
  before: RevisionSummary | null;
  after: RevisionSummary | { current: true };
  beforeData: RevisionData;
  afterData: RevisionData;
}

async function sidesOf(deps: DiffDeps, scope: HistoryScope, revision: Revision, to: DiffTarget): Promise<Sides> {
  if (to === 'current') {
    const afterData = await currentData(deps, scope);
    return { before: summaryOf(revision), after: { current: true }, beforeData: revision.data, afterData };
  }
  const other =
    to === 'previous' ? await previousOf(deps.db, scope, revision.id) : await storedRevision(deps.db, scope, to);
  if (!other) return { before: null, after: summaryOf(revision), beforeData: {}, afterData: revision.data };
  const [older, newer] = other.id <= revision.id ? [other, revision] : [revision, other];
  return { before: summaryOf(older), after: summaryOf(newer), beforeData: older.data, afterData: newer.data };
}

/** `data` without the type's fields the caller may not read (attributes gone from the schema stay). */
function readableData(caller: Caller, type: ContentTypeModel, data: RevisionData): RevisionData {
  const readable = readableFields(caller, type);
  return Object.fromEntries(Object.entries(data).filter(([name]) => !type.fields.has(name) || readable.has(name)));
}

/** Every relation and media reference in the diff, nested components' fields included. */
function* refsOf(fields: FieldDiff[]): Generator<{ target: string; ref: LinkRef } | { file: FileRef }> {
  for (const diff of fields) {
    if (diff.kind === 'relation') for (const ref of [...diff.before, ...diff.after]) yield { target: diff.target, ref };
    else if (diff.kind === 'media') for (const file of [...diff.before, ...diff.after]) yield { file };
    else if (diff.kind === 'component') yield* refsOf(diff.fields);
  }
}

/** documentId → main field of the `target` documents the caller may read, preferring `locale`'s version. */
async function labelsOf(
  db: Knex,
  schema: SchemaModel,
  caller: Caller,
  target: ContentTypeModel,
  documentIds: string[],
  locale: string,
): Promise<Map<string, string>> {
  const main = mainFieldOf(target);
  const column = main ? target.fields.get(main) : undefined;
  if (
    !column ||
    column.kind !== 'scalar' ||
    !caller.can('read', target.uid) ||
    !readableFields(caller, target).has(main!)
  )
    return new Map();
  const qb = db
    .from({ t0: target.table })
    .whereIn(`t0.${S.documentId}`, documentIds)
    .where(`t0.${S.status}`, editableStatus(target))
    .select({ documentId: `t0.${S.documentId}`, label: `t0.${column.column}`, locale: `t0.${S.locale}` });
  restrict(db, schema, qb, caller, 'read', target, 't0');
  const out = new Map<string, string>();
  // A main field is a string, email, uid or enumeration column.
  for (const row of (await qb) as { documentId: string; label: string | null; locale: string }[]) {
    if (row.label === null || row.label === undefined) continue;
    if (!out.has(row.documentId) || row.locale === locale) out.set(row.documentId, String(row.label));
  }
  return out;
}

/** Names the related documents (as the caller may read them) and the media files of the diff. */
async function label(db: Knex, scope: HistoryScope, caller: Caller, fields: FieldDiff[]): Promise<void> {
  const links = new Map<string, LinkRef[]>();
  const files: FileRef[] = [];
  for (const found of refsOf(fields)) {
    if ('file' in found) files.push(found.file);
    else links.set(found.target, [...(links.get(found.target) ?? []), found.ref]);
  }
  for (const [uid, refs] of links) {
    const target = scope.schema.contentTypes.get(uid);
    if (!target) continue;
    const ids = [...new Set(refs.map((r) => r.documentId))];
    const labels = await labelsOf(db, scope.schema, caller, target, ids, scope.locale);
    for (const ref of refs) {
      const name = labels.get(ref.documentId);
      if (name !== undefined) ref.label = name;
    }
  }
  if (!files.length) return;
  const rows = await db('folio_files')
    .whereIn('id', [...new Set(files.map((f) => f.id))])
    .select<{ id: number; name: string; url: string; mime: string }[]>('id', 'name', 'url', 'mime');
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  for (const file of files) {
    const row = byId.get(file.id);
    if (row) Object.assign(file, { name: row.name, url: row.url, mime: row.mime });
  }
}

/** The field-by-field diff between revision `id` and `to`, as the caller may read them. */
export async function compareRevisions(deps: DiffDeps, request: DiffRequest): Promise<RevisionDiff> {
  const scope = await historyScope(deps, request);
  const revision = await storedRevision(deps.db, scope, request.id);
  const sides = await sidesOf(deps, scope, revision, request.to);
  const { caller } = request;
  // Both sides show their relations as the entry does: targets outside the caller's read
  // conditions are left out, but for the link right (visible-links.ts).
  const shown = async (data: RevisionData) =>
    visibleLinks(deps.db, { ...scope, defaultLocale }, caller, readableData(caller, scope.type, data));
  const defaultLocale = await deps.locales.defaultCode();
  const fields = diffData(scope.schema, scope.type, await shown(sides.beforeData), await shown(sides.afterData));
  await label(deps.db, scope, caller, fields);
  return { before: sides.before, after: sides.after, fields };
}
