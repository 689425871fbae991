// Reading a document's history, as the editor asking: the caller must read the type, and the
// document's editable version in that locale must pass its role's read conditions (otherwise 404,
// as a document that does not exist: its history does not leak either). Fields the caller may not
// read are left out of a revision's data, as they are of the entry itself.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import type { ComponentModel, ContentTypeModel, SchemaModel, SchemaSource } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { editableStatus } from '../documents.js';
import { contentTypeOf } from '../operations/read-as-editor.js';
import { readableFields, rowPermits } from '../operations/permissions.js';
import { REVISIONS_TABLE } from './recording.js';
import type { RevisionData } from './snapshot.js';
import { visibleLinks } from './visible-links.js';

export interface RevisionReadDeps {
  db: Knex;
  schema: SchemaSource;
  locales: { defaultCode(): Promise<string> };
}

/** Which document's history: the type, the document and (localized types) the locale. */
export interface HistoryRequest {
  caller: Caller;
  uid: string;
  documentId: string;
  locale?: string;
}

export interface RevisionSummary {
  id: number;
  operation: string;
  locale: string | null;
  createdAt: string;
  createdBy: { kind: string; id: number | null; name: string | null } | null;
  schemaVersion: number;
}

export interface Revision extends RevisionSummary {
  data: RevisionData;
  /** Attributes the revision holds that the type no longer has (shown, never restored). */
  removedAttributes: string[];
}

export interface HistoryScope {
  schema: SchemaModel;
  type: ContentTypeModel;
  documentId: string;
  /** '' for types that are not localized. */
  locale: string;
}

type RevisionRow = Record<string, unknown>;

/** The document's history the caller may read, or 403 (the type) / 404 (the document, its conditions). */
export async function historyScope(deps: RevisionReadDeps, request: HistoryRequest): Promise<HistoryScope> {
  const { caller, uid, documentId } = request;
  if (!caller.can('read', uid)) throw new ForbiddenError(`You may not read ${uid}`);
  const schema = await deps.schema.current();
  const type = contentTypeOf(schema, uid);
  const locale = type.localized ? (request.locale ?? (await deps.locales.defaultCode())) : '';
  const row = await deps
    .db(type.table)
    .where({ [S.documentId]: documentId, [S.locale]: locale, [S.status]: editableStatus(type) })
    .first<{ id: number } | undefined>(S.id);
  if (!row || !(await rowPermits(deps.db, schema, caller, 'read', type, Number(row.id)))) {
    throw new NotFoundError(`No ${type.singularName} with documentId "${documentId}"`);
  }
  return { schema, type, documentId, locale };
}

function summaryOf(type: ContentTypeModel, row: RevisionRow): RevisionSummary {
  const kind = row.created_by_kind;
  return {
    id: Number(row.id),
    operation: String(row.operation),
    locale: type.localized ? String(row.locale) : null,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    createdBy:
      typeof kind === 'string'
        ? {
            kind,
            id: row.created_by_id === null ? null : Number(row.created_by_id),
            name: typeof row.created_by_name === 'string' ? row.created_by_name : null,
          }
        : null,
    schemaVersion: Number(row.schema_version),
  };
}

/** The scoped document's revisions (a query to narrow, order and select from). */
export const documentRevisions = (db: Knex, scope: HistoryScope) =>
  db(REVISIONS_TABLE).where({
    content_type: scope.type.uid,
    document_id: scope.documentId,
    locale: scope.locale,
  });

export interface RevisionPage {
  data: RevisionSummary[];
  total: number;
}

/** One page of the history, newest first. */
export async function listRevisions(
  deps: RevisionReadDeps,
  request: HistoryRequest & { page: number; pageSize: number },
): Promise<RevisionPage> {
  const scope = await historyScope(deps, request);
  const counted = await documentRevisions(deps.db, scope).count<{ n: number | string }[]>({ n: '*' });
  const rows: RevisionRow[] = await documentRevisions(deps.db, scope)
    .orderBy('id', 'desc')
    .limit(request.pageSize)
    .offset((request.page - 1) * request.pageSize)
    .select(
      'id',
      'operation',
      'locale',
      'schema_version',
      'created_by_kind',
      'created_by_id',
      'created_by_name',
      'created_at',
    );
  return { data: rows.map((row) => summaryOf(scope.type, row)), total: Number(counted[0]?.n ?? 0) };
}

/** Names in `data` that `model` no longer has, nested ones as `field.sub` (components, dynamic zones). */
export function removedAttributes(
  schema: SchemaModel,
  model: ContentTypeModel | ComponentModel,
  data: RevisionData,
  prefix = '',
): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    const field = model.fields.get(name);
    if (!field) {
      out.push(`${prefix}${name}`);
      continue;
    }
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const item of items) {
      if (typeof item !== 'object' || item === null) continue;
      const uid =
        field.kind === 'component'
          ? field.component
          : field.kind === 'dynamiczone'
            ? String((item as RevisionData).__component)
            : undefined;
      const component = uid === undefined ? undefined : schema.components.get(uid);
      if (!component) continue;
      const { __component: _, ...fields } = item as RevisionData;
      for (const nested of removedAttributes(schema, component, fields, `${prefix}${name}.`))
        if (!out.includes(nested)) out.push(nested);
    }
  }
  return out;
}

/** The stored revision `id` of the scoped document (any fields), or 404. */
export async function storedRevision(db: Knex, scope: HistoryScope, id: number): Promise<Revision> {
  const row = (await documentRevisions(db, scope).where({ id }).first()) as RevisionRow | undefined;
  if (!row) throw new NotFoundError(`No revision ${id} of this ${scope.type.singularName}`);
  const raw = row.data;
  const data = (typeof raw === 'string' ? JSON.parse(raw) : raw) as RevisionData;
  return { ...summaryOf(scope.type, row), data, removedAttributes: removedAttributes(scope.schema, scope.type, data) };
}

/**
 * One revision in full, its fields as the caller may read them, and its relations' targets as the
 * entry's populated relations show them (visible-links.ts).
 */
export async function readRevision(
  deps: RevisionReadDeps,
  request: HistoryRequest & { id: number },
): Promise<Revision> {
  const scope = await historyScope(deps, request);
  const revision = await storedRevision(deps.db, scope, request.id);
  const readable = readableFields(request.caller, scope.type);
  const fields = Object.fromEntries(
    Object.entries(revision.data).filter(([name]) => !scope.type.fields.has(name) || readable.has(name)),
  );
  const defaultLocale = await deps.locales.defaultCode();
  const data = await visibleLinks(deps.db, { ...scope, defaultLocale }, request.caller, fields);
  return { ...revision, data };
}
