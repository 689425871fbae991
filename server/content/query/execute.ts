// Runs a ContentQuery: one statement for the rows (their plain to-one relations joined in), one for
// the count (skipped when withCount=false), and per populated level one statement per other relation
// and one for components (plus one per component type present), each batched with WHERE IN over the
// whole page — never one per row.
import type { Knex } from 'knex';
import type { DialectName } from '../../db/connection.js';
import type { SchemaModel } from '../../schema/model.js';
import {
  COMPONENT_LINK_COLUMNS as C,
  FILE_LINK_COLUMNS as F,
  FILE_LINK_TABLE,
  RELATION_LINK_COLUMNS as L,
  SYSTEM_COLUMNS as S,
} from '../../schema/naming.js';
import type { ColumnRef, ContentQuery, MediaPopulate, NodeSelection, RelationPopulate } from './ast.js';
import { ENVELOPE_PREFIX } from '../../encryption/envelope.js';
import type { FieldCipher } from '../../encryption/cipher.js';
import { isEncrypted } from '../../schema/text-attributes.js';
import { toMediaFile, type FileRow } from '../../media/shape.js';
import { Compiler, crossesRelations, type ReadScope } from './compile.js';
import { datetimeValue, scalarValue, type Entry, type Row } from './serialize.js';
import type { TaggedCache } from '../../cache/tagged-cache.js';
import { tagsOf } from '../../cache/tags.js';
import { idOrderIndex } from '../../schema/physical.js';
import { columnsKey, filterShape, rowsKey, runTemplate, sortShape, type Slot } from './statements.js';

export interface PaginationMeta {
  page?: number;
  pageSize?: number;
  pageCount?: number;
  start?: number;
  limit?: number;
  total?: number;
}

export interface FindResult {
  data: Entry[];
  meta: { pagination: PaginationMeta };
}

export interface QueryEngineOptions {
  db: Knex;
  dialect: DialectName;
  schema: SchemaModel;
  defaultLocale: string;
  /** Totals by count statement, dropped on writes to the types counted (server/cache/). */
  counts?: TaggedCache<number>;
  /** Ids at deep offsets of lists in id order, dropped like the totals (see `window`). */
  positions?: TaggedCache<number>;
  /**
   * Decrypts the encrypted fields the query selects (the parser selected only those the caller may
   * read). Without it they are left out of every entry: a revision never records their plaintext.
   */
  cipher?: FieldCipher;
  /** Told the duration of every list read (the query advisor, server/performance/). */
  observer?: ListObserver;
}

/** What a list read tells the query advisor: called once per `find`, on the request's own path. */
export interface ListObserver {
  listed(query: ContentQuery, engine: QueryEngine, ms: number, returned: number): void;
}

/** A list's statements as the database is sent them, for EXPLAIN (server/performance/plan.ts). */
export interface ListStatements {
  page: { sql: string; bindings: readonly Knex.Value[] };
  count: { sql: string; bindings: readonly Knex.Value[] };
}

/**
 * A number read by a statement (a total, a deep page's first id), from `cache` when the same
 * statement (`key`) read it since the last write to the types `query` reads. Undefined (nothing
 * found) is not remembered.
 */
async function remembered<T extends number | undefined>(
  cache: TaggedCache<number>,
  key: string,
  query: ContentQuery,
  read: () => Promise<T>,
): Promise<T> {
  const known = cache.get(key);
  if (known !== undefined) return known as T;
  const ticket = cache.begin();
  const value = await read();
  if (value !== undefined) cache.set(key, value, tagsOf(query), ticket);
  return value;
}

/** Which rows of the sorted list a page is: by offset, or from a known id on (lists in id order). */
type Window = { limit: number; offset: number } | { limit: number; fromId: number };

/** A query's statements, compiled once per shape: see QueryEngine.shapeOf. */
interface Shape {
  key: string;
  values: Knex.Value[];
  query: ContentQuery;
}

/** The values' part of a remembered number's key (a total is per filter value, not per shape). */
const valuesKey = (shape: Shape) => JSON.stringify(shape.values);

const windowKey = (w: Window) => ('fromId' in w ? `${w.limit}@${w.fromId}` : `${w.limit}+${w.offset}`);

/** What identifies a statement that `shape` cannot: its own SQL and values. */
function compiledKey(qb: Knex.QueryBuilder): string {
  const { sql, bindings } = qb.toSQL();
  return `${sql}\u0000${JSON.stringify(bindings)}`;
}

function applyWindow(qb: Knex.QueryBuilder, window: Window): Knex.QueryBuilder {
  if ('fromId' in window) return qb.where(`t0.${S.id}`, '>=', window.fromId).limit(window.limit);
  return qb.limit(window.limit).offset(window.offset);
}

/**
 * From this offset on, a page is read in two steps: the ids of the page first (an index-only scan of
 * the index the sort uses), then the rows by id. Walking past `offset` rows then reads index entries
 * instead of whole rows with their bodies.
 */
const DEEP_OFFSET = 200;

// A list whose filter goes through relations or components (crossesRelations) is read ids first
// too: the database joins the matching link rows and sorts what matched, and sorting (id, sort key)
// is far cheaper than sorting whole rows with their long text columns.

const SRC = '__src';
/** Columns of pageByIds' derived table: the id, and each sort key by position. */
const PAGE_ID = '__page_id';
const sortAlias = (i: number) => `__sort${i}`;

function columnNames(selection: NodeSelection): string[] {
  const system =
    selection.model.modelKind === 'component'
      ? [S.id]
      : [S.id, S.documentId, S.createdAt, S.updatedAt, S.publishedAt, S.locale];
  return [...system, ...selection.fields.map((f) => f.column)];
}

function selectColumns(selection: NodeSelection, alias: string): string[] {
  return columnNames(selection).map((c) => `${alias}.${c}`);
}

/**
 * To-one relations read from the owning side with nothing nested and no filter of their own: these
 * are LEFT JOINed into the statement that reads the rows (one statement fewer each; on a loaded
 * machine every statement's round trip costs more than its SQL). The link is the row's first by
 * position, exactly as the separate statement would pick it, so a row is never multiplied.
 */
function foldedRelations(selection: NodeSelection): Array<[string, RelationPopulate]> {
  const folded: Array<[string, RelationPopulate]> = [];
  for (const [name, item] of selection.populate) {
    if (item.kind !== 'relation' || !item.field.owner || item.field.toMany) continue;
    if (item.filter || item.count || item.selection.populate.size > 0) continue;
    folded.push([name, item]);
  }
  return folded;
}

/** The column alias a folded relation's column is read under. */
const foldedColumn = (name: string, column: string) => `__${name}__${column}`;

/** The related row of a folded relation, out of the row it was read with. */
function foldedRow(row: Row, name: string): Row {
  const prefix = foldedColumn(name, '');
  const related: Row = {};
  for (const key in row) if (key.startsWith(prefix)) related[key.slice(prefix.length)] = row[key];
  return related;
}

/**
 * A selected field's value: ciphertext is decrypted with `cipher`, or the field left out (undefined)
 * without one. An attribute whose `encrypted` option is being turned on or off holds both forms, so
 * each value is asked (by its envelope prefix), not only the attribute.
 */
function fieldValue(selection: NodeSelection, f: ColumnRef, raw: unknown, cipher?: FieldCipher): unknown {
  const sealed = typeof raw === 'string' && raw.startsWith(ENVELOPE_PREFIX);
  if (!sealed) {
    if (cipher) return scalarValue(f.type, raw);
    const field = selection.model.fields.get(f.name);
    return field?.kind === 'scalar' && isEncrypted(field.attribute) ? undefined : scalarValue(f.type, raw);
  }
  return cipher ? scalarValue(f.type, cipher.reveal(raw)) : undefined;
}

function serializeRow(selection: NodeSelection, row: Row, component?: string, cipher?: FieldCipher): Entry {
  const model = selection.model;
  const entry: Entry = {};
  if (component) entry.__component = component;
  entry.id = Number(row[S.id]);
  if (model.modelKind === 'contentType') entry.documentId = row[S.documentId];
  for (const f of selection.fields) {
    const value = fieldValue(selection, f, row[f.column], cipher);
    if (value !== undefined) entry[f.name] = value;
  }
  if (model.modelKind === 'contentType') {
    if (selection.system.has('createdAt')) entry.createdAt = datetimeValue(row[S.createdAt]);
    if (selection.system.has('updatedAt')) entry.updatedAt = datetimeValue(row[S.updatedAt]);
    if (selection.system.has('publishedAt')) {
      // Types without draft & publish show their creation time.
      entry.publishedAt = datetimeValue(row[S.publishedAt] ?? (model.draftAndPublish ? null : row[S.createdAt]));
    }
    if (selection.system.has('locale') && model.localized) entry.locale = row[S.locale];
  }
  return entry;
}

/** The key grouping populated items by owner row and field (ids and names never hold a NUL). */
function linkKey(ownerId: unknown, field: unknown): string {
  return `${String(ownerId)}\u0000${String(field)}`;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export class QueryEngine {
  /** The shapes of the queries run (a query's page, count and window statements share one). */
  private readonly shapes = new WeakMap<ContentQuery, Shape | null>();

  constructor(private readonly options: QueryEngineOptions) {}

  /** The database this engine reads (a replica for some public reads): EXPLAIN asks the same one. */
  get db(): Knex {
    return this.options.db;
  }

  get dialect(): DialectName {
    return this.options.dialect;
  }

  private compiler(query: Pick<ContentQuery, 'status' | 'locale'>): Compiler {
    const scope: ReadScope = { status: query.status, locale: query.locale, defaultLocale: this.options.defaultLocale };
    return new Compiler(this.options.db, this.options.dialect, this.options.schema, scope);
  }

  /**
   * What the statements over `query`'s rows share when they can be compiled once per shape
   * (statements.ts): the key's common part, the filter's values, and the query with Slots in their
   * place to build from. Undefined: compile each time (a filter whose values decide its SQL). A
   * role's conditions are part of the filter (access/conditions-filter.ts), shaped like the rest.
   */
  private shapeOf(query: ContentQuery): Shape | undefined {
    if (this.shapes.has(query)) return this.shapes.get(query) ?? undefined;
    let shape: Shape | undefined;
    const head = `${query.type.uid}|${query.status}|${query.locale}|${this.options.defaultLocale}`;
    const filter = query.filter ? filterShape(query.filter) : { key: '', filter: null, values: [] };
    if (filter) {
      shape = { key: `${head}|${filter.key}`, values: filter.values, query: { ...query, filter: filter.filter } };
    }
    this.shapes.set(query, shape ?? null);
    return shape;
  }

  private templated(
    key: string,
    values: readonly Knex.Value[],
    build: (slots: Slot[]) => Knex.QueryBuilder,
  ): Promise<Row[]> {
    return runTemplate(this.options.db, this.options.dialect, this.options.schema, key, values, build);
  }

  /**
   * The rows' table as `t0`. For a page starting at a remembered id, MySQL is told the (status,
   * locale, id) index: MariaDB reads `status = ? AND locale = ? AND id >= ?` as a lookup on (status,
   * locale) and walks every entry before the id (0.51 ms at page 200 of 10,000 articles); told the
   * index, it reads the range from the id on (0.10 ms).
   */
  private from(query: ContentQuery, window?: Window): Knex.QueryBuilder {
    const { db, dialect } = this.options;
    const table = query.type.table;
    if (window && 'fromId' in window && dialect === 'mysql')
      return db.from(db.raw('?? AS ?? FORCE INDEX (??)', [table, 't0', idOrderIndex(table)]));
    return db.from({ t0: table });
  }

  private base(query: ContentQuery, compiler: Compiler, window?: Window): Knex.QueryBuilder {
    const qb = this.from(query, window);
    compiler.whereVersion(qb, 't0', query.type);
    if (query.filter) compiler.applyFilter(qb, query.filter, 't0');
    return qb;
  }

  async find(query: ContentQuery): Promise<FindResult> {
    const observer = this.options.observer;
    if (!observer) return this.findList(query);
    const started = performance.now();
    const found = await this.findList(query);
    observer.listed(query, this, performance.now() - started, found.data.length);
    return found;
  }

  /**
   * The statements `find` sends for `query`'s page (a page by offset, as its first read would) and
   * count, compiled but not run: the query advisor EXPLAINs them with the sample's own values.
   */
  listStatements(query: ContentQuery): ListStatements {
    const compiler = this.compiler(query);
    const p = query.pagination;
    const offset = p.style === 'page' ? (p.page - 1) * p.pageSize : p.start;
    const window: Window = { limit: p.style === 'page' ? p.pageSize : p.limit, offset };
    const page =
      crossesRelations(query.filter) || offset >= DEEP_OFFSET
        ? this.pageByIdsStatement(query, compiler, window)
        : this.pageStatement(query, compiler, window);
    const count = this.base(query, this.compiler(query)).count({ n: '*' });
    const native = (qb: Knex.QueryBuilder) => {
      const { sql, bindings } = qb.toSQL();
      return { sql, bindings };
    };
    return { page: native(page), count: native(count) };
  }

  private pageStatement(query: ContentQuery, compiler: Compiler, window: Window): Knex.QueryBuilder {
    const qb = this.selectRows(this.base(query, compiler, window), query.selection, compiler);
    compiler.applySort(qb, query.sort, 't0');
    return applyWindow(qb, window);
  }

  private async findList(query: ContentQuery): Promise<FindResult> {
    const compiler = this.compiler(query);
    const p = query.pagination;
    const offset = p.style === 'page' ? (p.page - 1) * p.pageSize : p.start;
    const limit = p.style === 'page' ? p.pageSize : p.limit;
    const window = await this.window(query, limit, offset);
    let rows: Row[] = [];
    if (window) {
      // A page from a remembered id is an index range read: only a relation filter still wants ids first.
      const deep = 'offset' in window && window.offset >= DEEP_OFFSET;
      rows =
        crossesRelations(query.filter) || deep
          ? await this.pageByIds(query, compiler, window)
          : await this.page(query, compiler, window);
    }
    const total = p.withCount ? await this.count(query) : undefined;
    const data = await this.load(query.selection, rows, compiler, undefined, true);
    const pagination: PaginationMeta =
      p.style === 'page'
        ? {
            page: p.page,
            pageSize: p.pageSize,
            ...(total === undefined ? {} : { pageCount: Math.ceil(total / p.pageSize), total }),
          }
        : { start: p.start, limit: p.limit, ...(total === undefined ? {} : { total }) };
    return { data, meta: { pagination } };
  }

  /**
   * A deep page of a list in id order (no sort given, as sites paging through everything ask) starts
   * at the id found at its offset, remembered until a write to the types the list reads: the page is
   * then an index range read, not a walk over every entry before it. Undefined: the offset is past
   * the end.
   */
  private async window(query: ContentQuery, limit: number, offset: number): Promise<Window | undefined> {
    const positions = this.options.positions;
    if (!positions || offset < DEEP_OFFSET || query.sort.length > 0) return { limit, offset };
    const fromId = await this.rememberedRead(
      positions,
      query,
      (shape) => `position|${shape.key}|${valuesKey(shape)}|${offset}`,
      () =>
        this.base(query, this.compiler(query))
          .select(`t0.${S.id}`)
          .orderBy(`t0.${S.id}`, 'asc')
          .limit(1)
          .offset(offset),
      async (qb) => {
        const [row] = (await qb) as Row[];
        return row ? Number(row[S.id]) : undefined;
      },
    );
    return fromId === undefined ? undefined : { limit, fromId };
  }

  /** Selects the rows' columns and those of their folded to-one relations (see foldedRelations). */
  private selectRows(qb: Knex.QueryBuilder, selection: NodeSelection, compiler: Compiler): Knex.QueryBuilder {
    qb.select(selectColumns(selection, 't0'));
    for (const [name, item] of foldedRelations(selection)) {
      const { field, target } = item;
      const la = compiler.alias();
      const ta = compiler.alias();
      const first = this.options.db
        .from({ fl: field.linkTable })
        .select(`fl.${L.id}`)
        .whereRaw('?? = ??', [`fl.${L.entityId}`, `t0.${S.id}`])
        .orderBy([`fl.${L.position}`, `fl.${L.id}`])
        .limit(1);
      qb.leftJoin({ [la]: field.linkTable }, (join) => {
        join
          .on(`${la}.${L.entityId}`, '=', `t0.${S.id}`)
          .andOn(`${la}.${L.id}`, '=', this.options.db.raw('(?)', [first]));
      });
      qb.leftJoin({ [ta]: target.table }, (join) => {
        join.on(`${ta}.${S.documentId}`, '=', `${la}.${L.targetDocumentId}`);
        compiler.joinVersion(join, ta, target);
      });
      qb.select(Object.fromEntries(columnNames(item.selection).map((c) => [foldedColumn(name, c), `${ta}.${c}`])));
    }
    return qb;
  }

  private async page(query: ContentQuery, compiler: Compiler, window: Window): Promise<Row[]> {
    const build = (q: ContentQuery) => this.pageStatement(q, compiler, window);
    const shape = this.shapeOf(query);
    // The sort's values (its steps' conditions) come after the filter's.
    const sorted = shape && sortShape(query.sort, shape.values.length);
    if (shape === undefined || sorted === undefined) return (await build(query)) as Row[];
    const key =
      `page|${shape.key}|${rowsKey(query.selection, foldedRelations(query.selection))}|` +
      `${sorted.key}|${windowKey(window)}`;
    return this.templated(key, [...shape.values, ...sorted.values], () => build({ ...shape.query, sort: sorted.sort }));
  }

  /**
   * The page's ids and sort keys first (a derived table: index entries, or (id, sort key) pairs to
   * sort), then the rows joined to them by id, in one statement: a second statement cost more in
   * round trip and syscalls than the rows' SQL.
   */
  private async pageByIds(query: ContentQuery, compiler: Compiler, window: Window): Promise<Row[]> {
    const shape = this.shapeOf(query);
    const sorted = shape && sortShape(query.sort, shape.values.length);
    if (shape === undefined || sorted === undefined)
      return (await this.pageByIdsStatement(query, compiler, window)) as Row[];
    const key =
      `ids|${shape.key}|${rowsKey(query.selection, foldedRelations(query.selection))}|` +
      `${sorted.key}|${windowKey(window)}`;
    return this.templated(key, [...shape.values, ...sorted.values], () =>
      this.pageByIdsStatement({ ...shape.query, sort: sorted.sort }, compiler, window),
    );
  }

  private pageByIdsStatement(query: ContentQuery, compiler: Compiler, window: Window): Knex.QueryBuilder {
    const { db } = this.options;
    const keys = compiler.sortKeys(query.sort, 't0');
    const ids = this.base(query, compiler, window).select({ [PAGE_ID]: `t0.${S.id}` });
    keys.forEach((key, i) => {
      // Plain columns are sorted by name (so an index can give the order); subqueries by alias, not twice.
      if (typeof key.expression === 'string') {
        ids.select({ [sortAlias(i)]: key.expression }).orderBy(key.expression, key.direction);
      } else {
        ids.select(db.raw('(?) as ??', [key.expression, sortAlias(i)])).orderBy(sortAlias(i), key.direction);
      }
    });
    ids.orderBy(`t0.${S.id}`, 'asc');
    const qb = db.from({ t0: query.type.table }).join(applyWindow(ids, window).as('p'), `t0.${S.id}`, `p.${PAGE_ID}`);
    this.selectRows(qb, query.selection, compiler);
    keys.forEach((key, i) => {
      qb.orderBy(`p.${sortAlias(i)}`, key.direction);
    });
    return qb.orderBy(`p.${PAGE_ID}`, 'asc');
  }

  /** meta.pagination.total, from the count cache when an earlier read counted the same rows. */
  private async count(query: ContentQuery): Promise<number> {
    const statement = () => this.base(query, this.compiler(query)).count({ n: '*' });
    const run = async (qb: Knex.QueryBuilder) => Number(((await qb) as Array<{ n: number | string }>)[0].n);
    const { counts } = this.options;
    if (!counts) {
      // Not remembered (the Admin API's engine): still compiled once per shape.
      const shape = this.shapeOf(query);
      if (shape === undefined) return run(statement());
      const build = () => this.base(shape.query, this.compiler(query)).count({ n: '*' });
      const rows = await this.templated(`count|${shape.key}`, shape.values, build);
      return Number(rows[0].n);
    }
    return this.rememberedRead(counts, query, (shape) => `count|${shape.key}|${valuesKey(shape)}`, statement, run);
  }

  /**
   * A number read by `statement` and remembered in `cache`: keyed by the query's shape and values
   * when it has a shape (the statement is then built only when the number is not known), else by
   * the compiled statement.
   */
  private rememberedRead<T extends number | undefined>(
    cache: TaggedCache<number>,
    query: ContentQuery,
    keyOf: (shape: Shape) => string,
    statement: () => Knex.QueryBuilder,
    read: (qb: Knex.QueryBuilder) => Promise<T>,
  ): Promise<T> {
    const shape = this.shapeOf(query);
    if (shape !== undefined) return remembered(cache, keyOf(shape), query, () => read(statement()));
    const qb = statement();
    return remembered(cache, compiledKey(qb), query, () => read(qb));
  }

  /** One document (findOne, or a single type when documentId is undefined); null when not visible. */
  async findOne(query: ContentQuery, documentId?: string): Promise<Entry | null> {
    const compiler = this.compiler(query);
    const build = (q: ContentQuery, document: unknown) => {
      const qb = this.selectRows(this.base(q, compiler), q.selection, compiler).orderBy('t0.id', 'asc').limit(1);
      return documentId === undefined ? qb : qb.where(`t0.${S.documentId}`, document as Knex.Value);
    };
    const shape = this.shapeOf(query);
    let rows: Row[];
    if (shape === undefined) rows = (await build(query, documentId)) as Row[];
    else {
      // The documentId is the slot after the filter's values.
      const values = documentId === undefined ? shape.values : [...shape.values, documentId];
      const key =
        `one|${shape.key}|${rowsKey(query.selection, foldedRelations(query.selection))}|` +
        `${documentId === undefined ? 'single' : 'document'}`;
      rows = await this.templated(key, values, (slots) => build(shape.query, slots[shape.values.length]));
    }
    if (rows.length === 0) return null;
    const [entry] = await this.load(query.selection, rows, compiler, undefined, true);
    return entry;
  }

  /**
   * Serialises `rows` of `selection.model` and attaches their populated fields, level by level.
   * `withFolded`: the rows were read by selectRows, with their folded to-one relations.
   */
  private async load(
    selection: NodeSelection,
    rows: Row[],
    compiler: Compiler,
    components?: string[],
    withFolded = false,
  ): Promise<Entry[]> {
    const cipher = this.options.cipher;
    // Data keys another process added (a rotation) are picked up before values sealed under them are read.
    await cipher?.fresh(this.options.db);
    const entries = rows.map((row, i) => serializeRow(selection, row, components?.[i], cipher));
    if (rows.length === 0 || selection.populate.size === 0) return entries;

    const folded = new Set<string>();
    if (withFolded) {
      for (const [name, item] of foldedRelations(selection)) {
        folded.add(name);
        rows.forEach((row, i) => {
          entries[i][name] =
            row[foldedColumn(name, S.id)] == null
              ? null
              : serializeRow(item.selection, foldedRow(row, name), undefined, cipher);
        });
      }
    }
    const componentFields: string[] = [];
    const mediaFields: MediaPopulate[] = [];
    for (const [name, item] of selection.populate) {
      if (folded.has(name)) continue;
      if (item.kind === 'relation') await this.populateRelation(name, item, rows, entries, compiler);
      else if (item.kind === 'media') mediaFields.push(item);
      else componentFields.push(name);
    }
    if (componentFields.length) await this.populateComponents(selection, componentFields, rows, entries, compiler);
    if (mediaFields.length) await this.populateMedia(selection, mediaFields, rows, entries);
    return entries;
  }

  /**
   * The visible targets of `item` linked to the rows keyed `keys` (ids, or document ids on the inverse side), or
   * their counts.
   */
  private relatedStatement(item: RelationPopulate, keys: Knex.Value[], compiler: Compiler): Knex.QueryBuilder {
    const { db } = this.options;
    const { field, target } = item;
    const la = compiler.alias();
    const ta = compiler.alias();
    const qb = db.from({ [la]: field.linkTable });
    if (field.owner) {
      qb.join({ [ta]: target.table }, `${ta}.${S.documentId}`, `${la}.${L.targetDocumentId}`)
        .whereIn(`${la}.${L.entityId}`, keys)
        .select({ [SRC]: `${la}.${L.entityId}` });
    } else {
      qb.join({ [ta]: target.table }, `${ta}.${S.id}`, `${la}.${L.entityId}`)
        .whereIn(`${la}.${L.targetDocumentId}`, keys)
        .select({ [SRC]: `${la}.${L.targetDocumentId}` });
    }
    compiler.whereVersion(qb, ta, target);
    if (item.filter) compiler.applyFilter(qb, item.filter, ta);
    if (item.count) return qb.groupBy(SRC).count({ n: '*' });
    qb.select(selectColumns(item.selection, ta));
    // Grouped by source first: the rows are split by source anyway, and the link table's index on
    // (source key, position) then gives the order without sorting the rows (MariaDB sorted the 75
    // tags of a page of 25 articles: about a tenth of that statement's CPU).
    qb.orderBy(`${la}.${field.owner ? L.entityId : L.targetDocumentId}`, 'asc');
    compiler.applySort(qb, item.sort, ta, false);
    // Link order (connection order) on the owning side; creation order on the inverse side (the
    // owner's id, which the inverse index (target document, entity id) holds in order).
    if (field.owner) qb.orderBy([`${la}.${L.position}`, `${la}.${L.id}`]);
    else qb.orderBy(`${la}.${L.entityId}`);
    return qb;
  }

  private async populateRelation(
    name: string,
    item: RelationPopulate,
    rows: Row[],
    entries: Entry[],
    compiler: Compiler,
  ): Promise<void> {
    const { field } = item;
    // Owner side: the rows' links by row id; inverse side: the links pointing at the rows' documents.
    const keyOf = field.owner ? (r: Row) => r[S.id] : (r: Row) => r[S.documentId];
    const keys = unique(rows.map(keyOf)) as Knex.Value[];
    // A filter's values (a populate's own filters, a role's conditions) come first, then the sort's
    // (its steps' conditions), then the keys.
    const shape = item.filter ? filterShape(item.filter) : { key: '', filter: null, values: [] };
    const sorted = shape && sortShape(item.sort, shape.values.length);
    const { status, locale, defaultLocale } = compiler.scope;
    const related =
      shape === undefined || sorted === undefined
        ? ((await this.relatedStatement(item, keys, compiler)) as Row[])
        : await this.templated(
            `related|${status}|${locale}|${defaultLocale}|${field.linkTable}|${field.owner}|${item.count}|` +
              `${columnsKey(item.selection)}|${sorted.key}|${shape.key}`,
            [...shape.values, ...sorted.values, ...keys],
            (slots) => {
              const slotKeys = slots.slice(shape.values.length + sorted.values.length) as unknown as Knex.Value[];
              return this.relatedStatement({ ...item, filter: shape.filter, sort: sorted.sort }, slotKeys, compiler);
            },
          );
    if (item.count) {
      const bySource = new Map(related.map((c) => [String(c[SRC]), Number(c.n)]));
      rows.forEach((row, i) => {
        entries[i][name] = { count: bySource.get(String(keyOf(row))) ?? 0 };
      });
      return;
    }
    const relatedEntries = await this.load(item.selection, related, compiler);
    const groups = new Map<string, Entry[]>();
    related.forEach((r, i) => {
      const key = String(r[SRC]);
      const list = groups.get(key) ?? [];
      list.push(relatedEntries[i]);
      groups.set(key, list);
    });
    rows.forEach((row, i) => {
      const list = groups.get(String(keyOf(row))) ?? [];
      entries[i][name] = field.toMany ? list : (list[0] ?? null);
    });
  }

  /**
   * Components and dynamic zones of one level: one statement per requested component type (its link
   * rows joined to its table) over all owners at once. The number of statements depends on the query,
   * never on the data or the page size.
   */
  private async populateComponents(
    selection: NodeSelection,
    names: string[],
    rows: Row[],
    entries: Entry[],
    compiler: Compiler,
  ): Promise<void> {
    const { db } = this.options;
    const first = selection.model.fields.get(names[0]);
    if (!first || (first.kind !== 'component' && first.kind !== 'dynamiczone')) return;
    const ownerIds = unique(rows.map((r) => r[S.id])) as Knex.Value[];

    // Which fields want which component type, with which selection (the first one asked wins).
    const wanted = new Map<string, { selection: NodeSelection; fields: string[] }>();
    for (const name of names) {
      const item = selection.populate.get(name);
      if (item?.kind !== 'component') continue;
      for (const [uid, sel] of item.components) {
        const w = wanted.get(uid) ?? { selection: sel, fields: [] };
        w.fields.push(name);
        wanted.set(uid, w);
      }
    }

    interface Placed {
      owner: string;
      field: string;
      position: number;
      linkId: number;
      entry: Entry;
    }
    const placed: Placed[] = [];
    for (const [uid, { selection: sel, fields }] of wanted) {
      const build = (owners: readonly unknown[]) => {
        const la = compiler.alias();
        const ca = compiler.alias();
        return db
          .from({ [la]: first.linkTable })
          .join({ [ca]: sel.model.table }, `${ca}.id`, `${la}.${C.componentId}`)
          .whereIn(`${la}.${C.entityId}`, owners as Knex.Value[])
          .whereIn(`${la}.${C.field}`, fields)
          .where(`${la}.${C.componentType}`, uid)
          .select({ __owner: `${la}.${C.entityId}`, __field: `${la}.${C.field}` })
          .select({ __pos: `${la}.${C.position}`, __lid: `${la}.${C.id}` })
          .select(selectColumns(sel, ca));
      };
      const key = `components|${first.linkTable}|${uid}|${fields.join(',')}|${columnsKey(sel)}`;
      const found = await this.templated(key, ownerIds, build);
      const items = await this.load(sel, found, compiler);
      found.forEach((r, i) => {
        const field = selection.model.fields.get(String(r.__field));
        const entry = field?.kind === 'dynamiczone' ? { __component: uid, ...items[i] } : items[i];
        placed.push({
          owner: String(r.__owner),
          field: String(r.__field),
          position: Number(r.__pos),
          linkId: Number(r.__lid),
          entry,
        });
      });
    }
    placed.sort((a, b) => a.position - b.position || a.linkId - b.linkId);

    const byOwner = new Map<string, Entry[]>();
    for (const p of placed) {
      const key = linkKey(p.owner, p.field);
      const list = byOwner.get(key) ?? [];
      list.push(p.entry);
      byOwner.set(key, list);
    }
    rows.forEach((row, i) => {
      for (const name of names) {
        const field = selection.model.fields.get(name);
        if (!field || (field.kind !== 'component' && field.kind !== 'dynamiczone')) continue;
        const items = byOwner.get(linkKey(row[S.id], name)) ?? [];
        entries[i][name] = field.kind === 'dynamiczone' || field.repeatable ? items : (items[0] ?? null);
      }
    });
  }

  /**
   * Media fields of one level, all in one statement: folio_file_links (entity_table = the owner's
   * table) joined to folio_files and, for the folder path, folio_folders. Shaped by the media
   * module's own serializer (server/media/shape.ts), so /api/upload and populate never disagree.
   */
  private async populateMedia(
    selection: NodeSelection,
    items: MediaPopulate[],
    rows: Row[],
    entries: Entry[],
  ): Promise<void> {
    const { db } = this.options;
    const found = await db
      .from({ l: FILE_LINK_TABLE })
      .join({ f: 'folio_files' }, 'f.id', `l.${F.fileId}`)
      .leftJoin({ fo: 'folio_folders' }, 'fo.id', 'f.folder_id')
      .where(`l.${F.entityTable}`, selection.model.table)
      .whereIn(
        `l.${F.field}`,
        items.map((i) => i.field.name),
      )
      .whereIn(`l.${F.entityId}`, unique(rows.map((r) => r[S.id])) as Knex.Value[])
      .orderBy([`l.${F.entityId}`, `l.${F.field}`, `l.${F.position}`, 'l.id'])
      .select<Array<FileRow & Row>>('f.*', {
        __owner: `l.${F.entityId}`,
        __field: `l.${F.field}`,
        __folder_path: 'fo.path',
      });
    const groups = new Map<string, Entry[]>();
    const wanted = new Map(items.map((i) => [i.field.name, i]));
    for (const row of found) {
      const item = wanted.get(String(row.__field));
      if (!item) continue;
      const file = toMediaFile(
        row,
        typeof row.__folder_path === 'string' ? row.__folder_path : '/',
      ) as unknown as Entry;
      const entry: Entry =
        item.fields === null
          ? file
          : Object.fromEntries(
              Object.entries(file).filter(([k]) => k === 'id' || k === 'documentId' || item.fields?.includes(k)),
            );
      const key = linkKey(row.__owner, row.__field);
      const list = groups.get(key) ?? [];
      list.push(entry);
      groups.set(key, list);
    }
    rows.forEach((row, i) => {
      for (const item of items) {
        const list = groups.get(linkKey(row[S.id], item.field.name)) ?? [];
        entries[i][item.field.name] = item.field.multiple ? list : (list[0] ?? null);
      }
    });
  }
}
