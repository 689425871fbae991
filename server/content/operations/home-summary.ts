// What the dashboard's Home shows, as the caller asking: entries per content type, the latest edits and
// the caller's own unpublished drafts. Everything is filtered by what the caller may read: the role's
// conditions are a Filter (access/conditions-filter.ts) compiled into each statement by the one
// compiler, so an Author's counts are their own entries and a type it may not read does not appear.
import type { Knex } from 'knex';
import { UnknownConditionFieldError, roleFilter } from '../../access/conditions-filter.js';
import { abilityOf } from '../../access/service.js';
import type { Caller } from '../../access/caller.js';
import type { ContentTypeModel, SchemaModel, SchemaSource } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { mainFieldOf } from '../../schema/text-attributes.js';
import { editableStatus } from '../documents.js';
import { NO_ROW, type Filter } from '../query/ast.js';
import { applyRowFilter } from '../query/compile.js';
import { toIsoDateTime } from '../values.js';
import { columnText } from '../query/serialize.js';
import { readableFields } from './permissions.js';

/** How many recent edits and drafts Home lists. */
const LIST_SIZE = 10;

export interface HomeCount {
  uid: string;
  displayName: string;
  kind: ContentTypeModel['kind'];
  /** Documents the caller may read (each counted once, whatever its locales and versions). */
  total: number;
  /** Of those, documents with a published version (draft & publish types; otherwise every one). */
  published: number;
}

export interface HomeEntry {
  uid: string;
  displayName: string;
  documentId: string;
  /** The entry's title (its first readable text field), null when none is readable. */
  label: string | null;
  locale: string | null;
  updatedAt: string;
  updatedBy: { id: number; name: string } | null;
  /** Draft & publish types: whether a published version exists. */
  published: boolean;
}

interface Row {
  document_id: string;
  locale: string;
  updated_at: unknown;
  updated_by_id: number | null;
  label?: unknown;
  published_id?: number | null;
}

/** The column that names an entry: its main field, as lists and pickers show it, when the caller may read it. */
export function labelColumn(type: ContentTypeModel, caller: Caller): string | undefined {
  const main = mainFieldOf(type);
  if (main === null || !readableFields(caller, type).has(main)) return undefined;
  const field = type.fields.get(main);
  return field?.kind === 'scalar' ? field.column : undefined;
}

/**
 * The rows of `type` the caller may read as a Filter (null: all); undefined when no rule grants any
 * or its conditions cannot be compiled.
 */
export function readFilter(caller: Caller, type: ContentTypeModel): Filter | null | undefined {
  try {
    const filter = roleFilter(abilityOf(caller), 'read', type);
    return filter === NO_ROW ? undefined : filter;
  } catch (err) {
    // A condition Folio cannot compile (a relation path): leave the type out rather than count
    // rows the role may not see.
    if (err instanceof UnknownConditionFieldError) return undefined;
    throw err;
  }
}

/** Restricts `qb` (rows of `type` aliased t0) to `filter`, by the one compiler. */
export function restricted(
  db: Knex,
  schema: SchemaModel,
  qb: Knex.QueryBuilder,
  filter: Filter | null,
): Knex.QueryBuilder {
  if (filter) applyRowFilter(db, schema, qb, filter, 't0');
  return qb;
}

/** Documents of `type` the caller may read, and how many of them are published. */
async function countOf(
  db: Knex,
  schema: SchemaModel,
  type: ContentTypeModel,
  filter: Filter | null,
): Promise<HomeCount> {
  const documents = async (status: string) => {
    const qb = db
      .from({ t0: type.table })
      .where(`t0.${S.status}`, status)
      .countDistinct({ n: `t0.${S.documentId}` });
    return Number(((await restricted(db, schema, qb, filter)) as Array<{ n: number | string }>)[0]?.n ?? 0);
  };
  const total = await documents(editableStatus(type));
  const published = type.draftAndPublish ? await documents('published') : total;
  return { uid: type.uid, displayName: type.displayName, kind: type.kind, total, published };
}

/** The latest editable rows of `type` the caller may read, optionally only their own unpublished drafts. */
async function entriesOf(
  db: Knex,
  schema: SchemaModel,
  caller: Caller,
  type: ContentTypeModel,
  filter: Filter | null,
  mine?: number,
): Promise<Array<HomeEntry & { sortKey: number }>> {
  const label = labelColumn(type, caller);
  const qb = db
    .from({ t0: type.table })
    .where(`t0.${S.status}`, editableStatus(type))
    .orderBy([
      { column: `t0.${S.updatedAt}`, order: 'desc' },
      { column: `t0.${S.id}`, order: 'desc' },
    ])
    .limit(LIST_SIZE)
    .select(`t0.${S.documentId} as document_id`, `t0.${S.locale} as locale`)
    .select(`t0.${S.updatedAt} as updated_at`, `t0.${S.updatedBy} as updated_by_id`);
  if (label) qb.select(`t0.${label} as label`);
  if (type.draftAndPublish) {
    qb.leftJoin({ p: type.table }, (on) => {
      on.on(`p.${S.documentId}`, '=', `t0.${S.documentId}`)
        .andOn(`p.${S.locale}`, '=', `t0.${S.locale}`)
        .andOnVal(`p.${S.status}`, '=', 'published');
    }).select(`p.${S.id} as published_id`);
    if (mine !== undefined) qb.whereNull(`p.${S.id}`);
  }
  if (mine !== undefined) qb.where(`t0.${S.createdBy}`, mine);
  const rows = (await restricted(db, schema, qb, filter)) as Row[];
  return rows.map((r) => {
    const updatedAt = toIsoDateTime(r.updated_at) ?? new Date(0).toISOString();
    return {
      uid: type.uid,
      displayName: type.displayName,
      documentId: r.document_id,
      label: r.label === undefined || r.label === null || r.label === '' ? null : columnText(r.label),
      locale: type.localized ? r.locale : null,
      updatedAt,
      updatedBy: r.updated_by_id === null ? null : { id: Number(r.updated_by_id), name: '' },
      published: type.draftAndPublish ? r.published_id !== null && r.published_id !== undefined : true,
      sortKey: Date.parse(updatedAt),
    };
  });
}

/** Who names the editors of the entries listed. */
export interface EditorNames {
  displayNames(ids: readonly number[]): Promise<Map<number, string>>;
}

/** The latest `LIST_SIZE` of several types' lists, newest first, with the editors' names. */
async function latest(users: EditorNames, lists: Array<Array<HomeEntry & { sortKey: number }>>): Promise<HomeEntry[]> {
  const merged = lists
    .flat()
    .sort((a, b) => b.sortKey - a.sortKey)
    .slice(0, LIST_SIZE);
  const names = await users.displayNames([...new Set(merged.flatMap((e) => (e.updatedBy ? [e.updatedBy.id] : [])))]);
  return merged.map(({ sortKey: _sortKey, ...entry }) => {
    const name = entry.updatedBy ? names.get(entry.updatedBy.id) : undefined;
    return { ...entry, updatedBy: entry.updatedBy && name !== undefined ? { id: entry.updatedBy.id, name } : null };
  });
}

export interface HomeSummary {
  counts: HomeCount[];
  recent: HomeEntry[];
  myDrafts: HomeEntry[];
}

/** Home for `caller`: the types it may read (by display name), its latest edits and its own drafts. */
export async function homeSummary(
  deps: { db: Knex; schema: SchemaSource; auth: { users: EditorNames } },
  caller: Caller,
): Promise<HomeSummary> {
  const { db } = deps;
  const { users } = deps.auth;
  const schema = await deps.schema.current();
  const me = caller.kind === 'admin' ? caller.id : undefined;
  const shown: Array<{ type: ContentTypeModel; filter: Filter | null }> = [];
  const counts: HomeCount[] = [];
  const types = [...schema.contentTypes.values()].filter((t) => caller.can('read', t.uid));
  for (const type of types.sort((a, b) => a.displayName.localeCompare(b.displayName))) {
    const filter = readFilter(caller, type);
    if (filter === undefined) continue;
    counts.push(await countOf(db, schema, type, filter));
    shown.push({ type, filter });
  }
  const listed = (list: typeof shown, mine?: number) =>
    Promise.all(list.map(({ type, filter }) => entriesOf(db, schema, caller, type, filter, mine)));
  const recent = await latest(users, await listed(shown));
  const withDrafts = shown.filter((s) => s.type.draftAndPublish);
  const drafts = me === undefined ? [] : await latest(users, await listed(withDrafts, me));
  return { counts, recent, myDrafts: drafts };
}
