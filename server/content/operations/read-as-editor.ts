// The content manager's reads, as the editor asking: each operation takes (deps, caller, uid, params)
// and answers what the Admin API sends, so routes only declare and validate.
//   - Reads see the EDITABLE version (the draft of draft & publish types), with the document's state
//     (`__status`: draft | published | modified) next to it.
//   - A role's conditions are Filter nodes of the query (access/conditions-filter.ts), ANDed with the
//     request's filters at every level (list, count, populate, picker): an Author's totals count only
//     their own entries, a document outside the conditions is a 404, and the statements are compiled
//     once per shape (content/query/statements.ts) like public reads.
//   - Field permissions strip unreadable fields from answers; filters, sorts, searches, populates and
//     relation labels see only the fields the caller may read of each type on their path (readContext
//     → the parser's canReadField), and only the related rows its conditions let it read
//     (relation-conditions.ts), but for the link right's documentId and label.
// Entries are identified by documentId; the top-level `id` of an answer IS the documentId, so that
// react-admin's generic dataProvider addresses them like any other resource.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import type { DialectName } from '../../db/connection.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type {
  ComponentModel,
  ContentTypeModel,
  Field,
  ScalarField,
  SchemaModel,
  SchemaSource,
} from '../../schema/model.js';
import { editSections, listColumns, type EditorLayout } from '../../schema/layout.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import type { FieldCipher } from '../../encryption/cipher.js';
import { isEncrypted, isPrivate, mainFieldOf, SEARCHABLE_TYPES } from '../../schema/text-attributes.js';
import { UID_SLUG } from '../input.js';
import { slugify } from '../../slug.js';
import { editableStatus } from '../documents.js';
import { toIsoDateTime } from '../values.js';
import { allOf, EVERY_ROW, type DocumentState, type Filter, type NodeSelection } from '../query/ast.js';
import { QueryEngine, type FindResult, type ListObserver } from '../query/execute.js';
import { DEFAULT_LIMITS, parseContentQuery, type ParseContext, type QueryLimits } from '../query/parse.js';
import { columnText, type Entry } from '../query/serialize.js';
import { runTemplate } from '../query/statements.js';
import type { EditorNames } from './home-summary.js';
import { mayLinkThrough, readableFields, restrict, rowFilter } from './permissions.js';
import { restrictRelations } from './relation-conditions.js';

export type { DocumentState } from '../query/ast.js';

/**
 * The type's view layout as this editor sees it: every attribute they may read placed in the form
 * (layout.ts), and list columns among those, a relation only when they may read its target.
 */
function editorLayout(caller: Caller, type: ContentTypeModel, allowed: Set<string>): EditorLayout {
  const listable = (name: string) => {
    const field = type.fields.get(name);
    return allowed.has(name) && (field?.kind !== 'relation' || caller.can('read', field.target));
  };
  return {
    edit: editSections(type.definition, (name) => allowed.has(name)),
    list: listColumns(type.definition, mainFieldOf(type), listable),
  };
}

/** What the editor's reads need of Folio. */
export interface EditorReadDeps {
  db: Knex;
  dialect: DialectName;
  schema: SchemaSource;
  locales: { defaultCode(): Promise<string> };
  /** The query advisor, told the duration of every list read (server/performance/). */
  advisor?: { observer?: ListObserver };
  /** Decrypts the encrypted fields the editor may read (server/encryption/). */
  cipher?: FieldCipher;
}

/** The Admin API's limits: the Content API's, with pages of up to 100 entries. */
export const EDITOR_LIMITS: QueryLimits = { ...DEFAULT_LIMITS, maxPageSize: 100 };

/** An editor's answer for one entry: its readable fields, id = documentId, and its document state. */
export type EditorEntry = Record<string, unknown>;

interface StateOf {
  state: DocumentState;
  publishedAt: string | null;
}

/** The type `uid` (of `kind` when given), or 404. */
export function contentTypeOf(schema: SchemaModel, uid: string, kind?: ContentTypeModel['kind']): ContentTypeModel {
  const type = schema.contentTypes.get(uid);
  if (!type || (kind && type.kind !== kind)) {
    throw new NotFoundError(`No ${kind === 'singleType' ? 'single' : 'content'} type "${uid}"`);
  }
  return type;
}

/** The locale a read of `type` is in: the one asked for or the default; '' for types not localized. */
async function localeOf(deps: EditorReadDeps, type: ContentTypeModel, locale?: string): Promise<string> {
  return type.localized ? (locale ?? (await deps.locales.defaultCode())) : '';
}

function engineFor(deps: EditorReadDeps, schema: SchemaModel, defaultLocale: string): QueryEngine {
  return new QueryEngine({
    db: deps.db,
    dialect: deps.dialect,
    schema,
    defaultLocale,
    observer: deps.advisor?.observer,
    cipher: deps.cipher,
  });
}

/**
 * How a caller's reads are parsed: the types it may read and, for every filter, sort, search, field
 * and populate segment at any depth, the attributes of that segment's type it may read.
 */
export async function readContext(deps: EditorReadDeps, caller: Caller, schema: SchemaModel): Promise<ParseContext> {
  const fields = new Map<string, Set<string>>();
  const readableOf = (uid: string): Set<string> => {
    let set = fields.get(uid);
    if (!set) {
      const type = schema.contentTypes.get(uid);
      set = type ? readableFields(caller, type) : new Set();
      fields.set(uid, set);
    }
    return set;
  };
  return {
    schema,
    limits: EDITOR_LIMITS,
    defaultLocale: await deps.locales.defaultCode(),
    canRead: (uid) => caller.can('read', uid),
    forbidden: (uid) => new ForbiddenError(`You may not read ${uid}`),
    canReadField: (uid, field) => readableOf(uid).has(field),
  };
}

/** What a relation shows of a target: its main field when the caller may read it, else the documentId alone. */
export function labelOf(caller: Caller, target: ContentTypeModel): { fields: string[] } {
  const main = mainFieldOf(target);
  return { fields: main && readableFields(caller, target).has(main) ? [main] : ['documentId'] };
}

/** Relation fields of a type → their target, for the fields whose links are shown by the link right. */
export type LinkedTargets = Map<string, ContentTypeModel>;

/**
 * The link right in the edit form: a relation field the caller may read and write shows what it
 * links — documentId and main field, nothing else — whatever the caller may read of the targets,
 * as the picker lists them (pickerAccess). Without it an Author who picked someone else's category
 * would find the field empty after saving.
 */
function linkedTargets(
  schema: SchemaModel,
  type: ContentTypeModel,
  caller: Caller,
  readable: Set<string>,
): LinkedTargets {
  const out: LinkedTargets = new Map();
  for (const field of type.fields.values()) {
    if (field.kind !== 'relation' || isPrivate(field) || !readable.has(field.name)) continue;
    const target = schema.contentTypes.get(field.target);
    if (target && mayLinkThrough(caller, type, [field.name])) out.set(field.name, target);
  }
  return out;
}

/**
 * A read context that also lets the linked targets' main fields and documentIds be read — shown,
 * filtered by (the list's relation filters), sorted by — and, of a target the caller may not read
 * otherwise, nothing else: not even when it was created or updated.
 */
function withLinkLabels(context: ParseContext, links: LinkedTargets): ParseContext {
  if (!links.size) return context;
  const targets = new Map([...links.values()].map((t) => [t.uid, mainFieldOf(t)]));
  return {
    ...context,
    canRead: (uid) => targets.has(uid) || context.canRead(uid),
    canReadField: (uid, field) =>
      (targets.has(uid) && targets.get(uid) === field) || (context.canReadField?.(uid, field) ?? true),
    canReadSystemField: (uid, name) =>
      (!targets.has(uid) || context.canRead(uid)) && (context.canReadSystemField?.(uid, name) ?? true),
  };
}

/** Populate spec reading every relation (readable targets only: main field), media and component, nested. */
export function populateOf(
  schema: SchemaModel,
  model: ContentTypeModel | ComponentModel,
  caller: Caller,
  only: Set<string> | null,
  depth = 1,
  links: LinkedTargets = new Map(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > EDITOR_LIMITS.populateDepth) return out;
  const nested = (uid: string) => {
    const component = schema.components.get(uid);
    return component && { populate: populateOf(schema, component, caller, null, depth + 1) };
  };
  for (const field of model.fields.values()) {
    if (only && !only.has(field.name)) continue;
    if (field.kind === 'scalar' || isPrivate(field)) continue;
    if (field.kind === 'relation') {
      const linked = links.get(field.name);
      if (linked) {
        out[field.name] = { fields: [mainFieldOf(linked) ?? 'documentId'] };
        continue;
      }
      const target = schema.contentTypes.get(field.target);
      if (!target || !caller.can('read', target.uid)) continue;
      if (!field.owner && model.modelKind === 'component') continue;
      out[field.name] = labelOf(caller, target);
    } else if (field.kind === 'media') {
      out[field.name] = {};
    } else if (field.kind === 'component') {
      out[field.name] = nested(field.component) ?? {};
    } else {
      const on: Record<string, unknown> = {};
      for (const uid of field.components) {
        const spec = nested(uid);
        if (spec) on[uid] = spec;
      }
      out[field.name] = { on };
    }
  }
  return out;
}

/**
 * Related entries are shown only when the role may read them (its conditions, at every level): an
 * Author does not see the titles of other people's entries through a relation. Writes from the
 * dashboard send relation changes as connect/disconnect, so links it does not show are kept.
 */
export function restrictPopulate(
  selection: NodeSelection,
  caller: Caller,
  links: LinkedTargets = new Map(),
  /** The action reading a related type: the editor's `read`, the Content API's `find`. */
  action = 'read',
): void {
  for (const [name, item] of selection.populate) {
    if (item.kind === 'relation' && links.has(name)) continue; // shown by the link right (linkedTargets)
    if (item.kind === 'relation') {
      item.filter = allOf(item.filter, rowFilter(caller, action, item.target));
      restrictPopulate(item.selection, caller, new Map(), action);
    } else if (item.kind === 'component') {
      for (const nested of item.components.values()) restrictPopulate(nested, caller, new Map(), action);
    }
  }
}

/** documentId → state of its editable versions in `locale` (one statement for the whole page). */
export async function statesOf(
  deps: EditorReadDeps,
  schema: SchemaModel,
  type: ContentTypeModel,
  locale: string,
  entries: Array<{ documentId: string; updatedAt: string | null }>,
): Promise<Map<string, StateOf>> {
  const out = new Map<string, StateOf>();
  if (!type.draftAndPublish) {
    for (const e of entries) out.set(e.documentId, { state: 'published', publishedAt: e.updatedAt });
    return out;
  }
  const ids = [...new Set(entries.map((e) => e.documentId))];
  const published = ids.length
    ? await runTemplate(deps.db, deps.dialect, schema, `states|${type.uid}`, [locale, ...ids], ([at, ...slots]) =>
        deps
          .db(type.table)
          .whereIn(S.documentId, slots)
          .where(S.locale, at)
          .where(S.status, 'published')
          .select(S.documentId, S.updatedAt, S.publishedAt),
      )
    : [];
  const byId = new Map(published.map((r) => [String(r[S.documentId]), r]));
  for (const e of entries) {
    const row = byId.get(e.documentId);
    if (!row) {
      out.set(e.documentId, { state: 'draft', publishedAt: null });
      continue;
    }
    const newer = Date.parse(e.updatedAt ?? '') > Date.parse(toIsoDateTime(row[S.updatedAt]) ?? '');
    out.set(e.documentId, { state: newer ? 'modified' : 'published', publishedAt: toIsoDateTime(row[S.publishedAt]) });
  }
  return out;
}

/** The shape of an admin answer: id = documentId, unreadable fields stripped, document state added. */
function present(entry: Entry, allowed: Set<string>, state: StateOf | undefined, type: ContentTypeModel): EditorEntry {
  const out: EditorEntry = {};
  for (const [key, value] of Object.entries(entry)) {
    if (type.fields.has(key) && !allowed.has(key)) continue;
    out[key] = value;
  }
  out.id = entry.documentId;
  out.__status = state?.state ?? 'draft';
  out.__publishedAt = state?.publishedAt ?? null;
  return out;
}

const updatedAtOf = (e: Entry) => ({
  documentId: String(e.documentId),
  updatedAt: typeof e.updatedAt === 'string' ? e.updatedAt : null,
});

/**
 * Private attributes are for the Content API's public: editors see and edit those they may read
 * (never passwords), read with the rest of the entry.
 */
export function selectPrivate(selection: NodeSelection, type: ContentTypeModel, allowed: Set<string>): void {
  for (const field of type.scalars) {
    if (field.attribute.private !== true || field.attribute.type === 'password' || !allowed.has(field.name)) continue;
    selection.fields.push({ name: field.name, column: field.column, type: field.attribute.type });
  }
}

/** The locales a document has an editable version in, for the locale switcher. */
async function localesOf(
  deps: EditorReadDeps,
  schema: SchemaModel,
  type: ContentTypeModel,
  documentId: string,
): Promise<string[]> {
  const rows = await runTemplate(deps.db, deps.dialect, schema, `locales|${type.uid}`, [documentId], ([id]) =>
    deps
      .db(type.table)
      .where(S.documentId, id)
      .where(S.status, editableStatus(type))
      .distinct(S.locale)
      .orderBy(S.locale),
  );
  return rows.map((r) => String(r[S.locale]));
}

/**
 * One document's editable version as the editor sees it, relations, media and components populated;
 * 404 when it does not exist or is outside the caller's read conditions (existence does not leak).
 */
export async function readEditableDocument(
  deps: EditorReadDeps & { auth: { users: EditorNames } },
  caller: Caller,
  uid: string,
  documentId: string,
  locale: string | undefined,
): Promise<EditorEntry> {
  const schema = await deps.schema.current();
  const type = contentTypeOf(schema, uid);
  const allowed = readableFields(caller, type);
  const context = await readContext(deps, caller, schema);
  const links = linkedTargets(schema, type, caller, allowed);
  const query = parseContentQuery(
    type,
    {
      status: editableStatus(type),
      ...(locale ? { locale } : {}),
      populate: populateOf(schema, type, caller, allowed, 1, links),
    },
    withLinkLabels(context, links),
    { single: true },
  );
  restrictRelations(query, caller, schema);
  query.filter = allOf(query.filter, rowFilter(caller, 'read', type));
  restrictPopulate(query.selection, caller, links);
  selectPrivate(query.selection, type, allowed);
  // Who created and last saved it, read with the rest (named below, for the side panel).
  query.selection.fields.push(
    { name: 'createdBy', column: S.createdBy, type: 'integer' },
    { name: 'updatedBy', column: S.updatedBy, type: 'integer' },
  );
  const entry = await engineFor(deps, schema, context.defaultLocale).findOne(query, documentId);
  if (!entry) throw new NotFoundError(`No ${type.singularName} with documentId "${documentId}"`);
  const states = await statesOf(deps, schema, type, await localeOf(deps, type, locale), [updatedAtOf(entry)]);
  const out = present(entry, allowed, states.get(documentId), type);
  Object.assign(out, await editorsOf(deps.auth.users, entry.createdBy, entry.updatedBy));
  if (type.localized) out.__locales = await localesOf(deps, schema, type, documentId);
  return out;
}

/** An admin named in an answer, as the dashboard names editors. */
interface EditorRef {
  id: number;
  name: string;
}

/**
 * Who created and who last saved this version (the edit form's side panel), as `{ id, name }`; null
 * when no admin did (the CLI, the demo, an API token) or the account is gone.
 */
async function editorsOf(
  users: EditorNames,
  createdBy: unknown,
  updatedBy: unknown,
): Promise<{ createdBy: EditorRef | null; updatedBy: EditorRef | null }> {
  const idOf = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? Number(value) : null);
  const [created, updated] = [idOf(createdBy), idOf(updatedBy)];
  const names = await users.displayNames([...new Set([created, updated].filter((id) => id !== null))]);
  const ref = (id: number | null): EditorRef | null => {
    const name = id === null ? undefined : names.get(id);
    return id === null || name === undefined ? null : { id, name };
  };
  return { createdBy: ref(created), updatedBy: ref(updated) };
}

export interface ListParams {
  page: number;
  pageSize: number;
  sort?: string;
  /** Contains (any case) in one of the text fields the caller may read. */
  q?: string;
  status?: DocumentState;
  locale?: string;
  /** The Content API's filters, checked by the parser against what the caller may read. */
  filters?: unknown;
}

/** `q`: the Content API's _q over the text fields the caller may read, minus hidden and encrypted ones. */
function searchFilter(type: ContentTypeModel, allowed: Set<string>, q: string): Record<string, unknown> {
  const searchable = (f: ScalarField) =>
    SEARCHABLE_TYPES.has(f.attribute.type) && !isPrivate(f) && !isEncrypted(f.attribute) && allowed.has(f.name);
  const fields = type.scalars.filter(searchable);
  if (!fields.length) return { id: { $lt: 0 } }; // nothing to search in: nothing matches
  return { $or: fields.map((f) => ({ [f.name]: { $containsi: q } })) };
}

/**
 * What a list row populates: to-one relations with their label — the caller's read rule, or the
 * link right's main field for a field it may write — and media fields (the list's thumbnails).
 * To-many relations and components stay out of lists.
 */
function listPopulate(
  schema: SchemaModel,
  type: ContentTypeModel,
  caller: Caller,
  allowed: Set<string>,
  links: LinkedTargets,
): Record<string, unknown> {
  const populate: Record<string, unknown> = {};
  for (const field of type.fields.values()) {
    if (!allowed.has(field.name) || isPrivate(field)) continue;
    if (field.kind === 'media') populate[field.name] = {};
    if (field.kind !== 'relation' || field.toMany) continue;
    const linked = links.get(field.name);
    const target = schema.contentTypes.get(field.target);
    if (linked) populate[field.name] = { fields: [mainFieldOf(linked) ?? 'documentId'] };
    else if (target && caller.can('read', target.uid)) populate[field.name] = labelOf(caller, target);
  }
  return populate;
}

/**
 * The list reads drafts, whose own publishedAt is empty: a filter on publishedAt asks about the
 * document's published version (when it went live, the date the list shows); `$null` means never
 * published. Relations and components keep their own rows' columns.
 */
function publishedAtOfDocument(filter: Filter | null, type: ContentTypeModel): Filter | null {
  if (!filter || !type.draftAndPublish) return filter;
  const published = (inner: Filter): Filter => ({ kind: 'publishedVersion', type, filter: inner });
  const walk = (f: Filter): Filter => {
    switch (f.kind) {
      case 'and':
      case 'or':
        return { kind: f.kind, items: f.items.map(walk) };
      case 'not':
        return { kind: 'not', item: walk(f.item) };
      case 'compare': {
        if (f.column.column !== S.publishedAt) return f;
        if (f.op !== '$null' && f.op !== '$notNull') return published(f);
        const hasOne = (f.op === '$notNull') === (f.value === true);
        return hasOne ? published(EVERY_ROW) : { kind: 'not', item: published(EVERY_ROW) };
      }
      default:
        return f;
    }
  };
  return walk(filter);
}

/** A page of a collection type's entries as the editor sees them, with their document states. */
export async function listDocuments(
  deps: EditorReadDeps,
  caller: Caller,
  uid: string,
  params: ListParams,
): Promise<{ data: EditorEntry[]; meta: FindResult['meta'] }> {
  const schema = await deps.schema.current();
  const type = contentTypeOf(schema, uid, 'collectionType');
  const { page, pageSize, sort, q, status, locale, filters } = params;
  const allowed = readableFields(caller, type);
  // Sorting, filtering or searching on an unreadable field, at any depth, would leak its values: the
  // parser refuses them (400) through readContext's canReadField. Relations the caller may write
  // are shown and filtered by their targets' documentId and label (the link right), as the pickers
  // list them.
  const search = q?.trim() ? searchFilter(type, allowed, q.trim()) : undefined;
  const where = search && filters !== undefined ? { $and: [filters, search] } : (search ?? filters);
  const links = linkedTargets(schema, type, caller, allowed);
  // To-one labels and media come with the list: one batched statement per relation and one for all
  // media fields, whatever the page size.
  const populate = listPopulate(schema, type, caller, allowed, links);
  const context = withLinkLabels(await readContext(deps, caller, schema), links);
  const query = parseContentQuery(
    type,
    {
      status: editableStatus(type),
      ...(locale ? { locale } : {}),
      ...(where !== undefined ? { filters: where } : {}),
      ...(Object.keys(populate).length ? { populate } : {}),
      sort: sort ?? 'updatedAt:desc',
      pagination: { page: String(page), pageSize: String(pageSize) },
    },
    context,
  );
  // Related rows are held to the caller's conditions too, in filters and sorts (relation-conditions.ts).
  restrictRelations(query, caller, schema);
  const state: Filter | null = status ? { kind: 'documentState', type, state: status } : null;
  query.filter = allOf(publishedAtOfDocument(query.filter, type), rowFilter(caller, 'read', type), state);
  restrictPopulate(query.selection, caller, links);
  const result = await engineFor(deps, schema, context.defaultLocale).find(query);
  const states = await statesOf(deps, schema, type, await localeOf(deps, type, locale), result.data.map(updatedAtOf));
  return {
    data: result.data.map((e) => present(e, allowed, states.get(String(e.documentId)), type)),
    meta: result.meta,
  };
}

/** The fields of `type` whose component (or dynamic zone), at any nesting, holds component `uid`. */
function fieldsReaching(schema: SchemaModel, type: ContentTypeModel, uid: string): string[] {
  const holds = (componentUid: string, seen: Set<string>): boolean => {
    if (componentUid === uid) return true;
    const component = schema.components.get(componentUid);
    if (!component || seen.has(componentUid)) return false;
    seen.add(componentUid);
    return [...component.fields.values()].some((f) => componentsOf(f).some((c) => holds(c, seen)));
  };
  return [...type.fields.values()].filter((f) => componentsOf(f).some((c) => holds(c, new Set()))).map((f) => f.name);
}

function componentsOf(field: Field): string[] {
  return field.kind === 'component' ? [field.component] : field.kind === 'dynamiczone' ? field.components : [];
}

/**
 * What a relation picker lists and shows. A caller who may write the relation field (create or
 * update it, as Strapi's picker) lists every target it could link — a write accepts any existing
 * target, whatever the caller may read of it — with the main field as label, even without read on
 * the target type: that is how an Author links a category. A caller who may only read lists the
 * targets its read conditions allow and sees, like anywhere else, only the fields it may read (the
 * documentId as label when the main field is hidden). `q` searches only what is shown or read.
 */
export function pickerAccess(
  caller: Caller,
  type: ContentTypeModel,
  via: string[],
  target: ContentTypeModel,
): {
  rows: 'all' | 'readable';
  canReadField: (uid: string, field: string) => boolean;
} {
  const mayLink = mayLinkThrough(caller, type, via);
  const mayRead = caller.can('read', target.uid);
  if (!mayLink && !mayRead) throw new ForbiddenError(`You may not read ${target.uid}`);
  // Rows beyond the caller's read conditions show (and `q` searches) their label only.
  if (mayLink) {
    const main = mainFieldOf(target);
    return { rows: 'all', canReadField: (uid, field) => uid === target.uid && field === main };
  }
  const reads = readableFields(caller, target);
  return { rows: 'readable', canReadField: (uid, field) => uid === target.uid && reads.has(field) };
}

export interface PickerParams {
  /** The relation field, of the type or of `component`. */
  field: string;
  component?: string;
  q?: string;
  /** Only these targets (the picker's chosen ones, to label them): what a search lists, by id. */
  documentIds?: string[];
  page: number;
  pageSize: number;
}

export interface PickedEntry {
  id: string;
  documentId: string;
  label: string;
  __status: DocumentState;
}

/** The targets a relation field of `uid` (or of one of its components) can link, as the picker lists them. */
export async function pickRelated(
  deps: EditorReadDeps,
  caller: Caller,
  uid: string,
  params: PickerParams,
): Promise<{ data: PickedEntry[]; meta: FindResult['meta'] & { target: string; mainField: string | null } }> {
  const schema = await deps.schema.current();
  const type = contentTypeOf(schema, uid);
  const { field: name, component, q, documentIds, page, pageSize } = params;
  let model: ContentTypeModel | ComponentModel = type;
  if (component) {
    const found = schema.components.get(component);
    if (!found) throw ValidationError.query(`Unknown component ${component}`, 'component', 'component');
    model = found;
  }
  const field: Field | undefined = model.fields.get(name);
  if (field?.kind !== 'relation') throw new NotFoundError(`${model.uid} has no relation "${name}"`);
  // The type's own fields the relation is reached through: itself, or the fields holding its component.
  const via = model === type ? [name] : fieldsReaching(schema, type, model.uid);
  if (!via.length) throw new NotFoundError(`${type.uid} has no component ${model.uid}`);
  const readable = readableFields(caller, type);
  if (!via.some((f) => readable.has(f))) throw new ForbiddenError(`You may not read ${type.uid}.${name}`);
  const target = schema.contentTypes.get(field.target);
  if (!target) throw new NotFoundError(`Unknown target type ${field.target}`);
  const picker = pickerAccess(caller, type, via, target);
  const main = mainFieldOf(target);
  const label = main && picker.canReadField(target.uid, main) ? main : null;
  const context = await readContext(deps, caller, schema);
  const query = parseContentQuery(
    target,
    {
      status: editableStatus(target),
      fields: label ? [label] : [],
      sort: label ? `${label}:asc` : 'id:asc',
      ...(q ? { _q: q } : {}),
      ...(documentIds ? { filters: { documentId: { $in: documentIds } } } : {}),
      pagination: { page: String(page), pageSize: String(pageSize) },
    },
    { ...context, canReadField: picker.canReadField },
  );
  if (picker.rows === 'readable') query.filter = allOf(query.filter, rowFilter(caller, 'read', target));
  const result = await engineFor(deps, schema, context.defaultLocale).find(query);
  const ids = result.data.map((e) => ({ documentId: String(e.documentId), updatedAt: null }));
  const states = await statesOf(deps, schema, target, await localeOf(deps, target), ids);
  const shown = (e: Entry) => {
    const value = label ? e[label] : null;
    return value !== null && value !== undefined && value !== '' ? columnText(value) : null;
  };
  return {
    data: result.data.map((e) => ({
      id: String(e.documentId),
      documentId: String(e.documentId),
      label: shown(e) ?? String(e.documentId),
      __status: states.get(String(e.documentId))?.state ?? 'draft',
    })),
    meta: { ...result.meta, target: target.uid, mainField: label },
  };
}

export interface UidParams {
  field: string;
  value?: string;
  /** The text a suggestion is made from (the title being typed). */
  from?: string;
  /** The document being edited: its own value is not a clash. */
  documentId?: string;
  locale?: string;
}

/** Whether a uid value is free and a free suggestion, among the entries the caller may read. */
export async function uidAvailability(
  deps: EditorReadDeps,
  caller: Caller,
  uid: string,
  params: UidParams,
): Promise<{
  field: string;
  value: string | null;
  available: boolean | null;
  suggestion: string | null;
}> {
  const schema = await deps.schema.current();
  const type = contentTypeOf(schema, uid);
  const { field: name, value, from, documentId, locale } = params;
  const field = type.fields.get(name);
  if (field?.kind !== 'scalar' || field.attribute.type !== 'uid' || !readableFields(caller, type).has(name)) {
    throw ValidationError.query(`${name} is not a uid attribute of ${type.uid}`, 'field', 'field');
  }
  // Taken = used by another document's editable version in the same locale (uniqueness holds per
  // locale and status; the draft is what the editor is about to publish), among the rows the caller
  // may read: the answer must not tell whether entries it cannot read use a value (a title oracle).
  // Such a clash is only learnt from the write's "already taken".
  const scopeLocale = await localeOf(deps, type, locale);
  const { db } = deps;
  const taken = async (candidate: string) => {
    const qb = db
      .from({ t0: type.table })
      .where(`t0.${field.column}`, candidate)
      .where(`t0.${S.locale}`, scopeLocale)
      .where(`t0.${S.status}`, editableStatus(type))
      .first(`t0.${S.id}`);
    if (documentId) qb.whereNot(`t0.${S.documentId}`, documentId);
    restrict(db, schema, qb, caller, 'read', type, 't0');
    return Boolean(await qb);
  };
  const base = slugify(from ?? value ?? '', UID_SLUG) || (value ? '' : 'entry');
  let suggestion: string | null = null;
  if (base) {
    for (let i = 0; i < 1000 && suggestion === null; i++) {
      const candidate = i === 0 ? base : `${base}-${i}`;
      if (!(await taken(candidate))) suggestion = candidate;
    }
  }
  const available = value === undefined || value === '' ? null : !(await taken(value));
  return { field: name, value: value ?? null, available, suggestion };
}

/** The types the caller may read, as the content manager describes them (attributes it may read, its actions). */
export async function editorContentTypes(
  deps: EditorReadDeps & {
    locales: { list(): Promise<Array<{ code: string }>> };
    config: { revisions: { enabled: boolean } };
  },
  caller: Caller,
): Promise<{ contentTypes: Array<Record<string, unknown>>; components: Array<Record<string, unknown>> }> {
  const schema = await deps.schema.current();
  const actions = ['read', 'create', 'update', 'delete', 'publish'];
  // Localized types: the configured locales (default first, Settings › Locales) and any other still
  // in use, for the locale switcher.
  const configured = (await deps.locales.list()).map((l) => l.code);
  const contentTypes: Array<Record<string, unknown>> = [];
  for (const t of schema.contentTypes.values()) {
    if (!caller.can('read', t.uid)) continue;
    const allowed = readableFields(caller, t);
    const described: Record<string, unknown> = {
      uid: t.uid,
      kind: t.kind,
      singularName: t.singularName,
      pluralName: t.pluralName,
      displayName: t.displayName,
      draftAndPublish: t.draftAndPublish,
      localized: t.localized,
      // The edit screen's Preview button (the URL itself is filled by the preview operation).
      preview: typeof t.definition.options?.previewUrl === 'string' && t.definition.options.previewUrl.trim() !== '',
      // The edit screen's History: versions are recorded for this type.
      history: deps.config.revisions.enabled && t.definition.options?.revisions !== false,
      mainField: mainFieldOf(t),
      // The owner (a member relation the server sets): shown read-only in the edit form.
      owner: t.owner?.name ?? null,
      actions: actions.filter((a) => caller.can(a, t.uid)),
      attributes: Object.fromEntries(Object.entries(t.definition.attributes).filter(([name]) => allowed.has(name))),
      layout: editorLayout(caller, t, allowed),
    };
    if (t.localized) {
      const rows = (await deps.db(t.table).distinct(S.locale).orderBy(S.locale)) as Array<Record<string, unknown>>;
      described.locales = [...new Set([...configured, ...rows.map((r) => String(r[S.locale])).filter(Boolean)])];
    }
    contentTypes.push(described);
  }
  const components = [...schema.components.values()].map((c) => ({
    uid: c.uid,
    displayName: c.displayName,
    attributes: c.definition.attributes,
    layout: { edit: editSections(c.definition) },
  }));
  return { contentTypes, components };
}
