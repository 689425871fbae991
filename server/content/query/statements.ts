// Statements compiled once per shape. knex compiles a query builder to SQL on every run, and on the
// bench's reads that compiling was a third of the server's CPU for one entry by documentId (E4) and
// a sixth for a populated list (E2). A read is the same SQL every time for the same type, status,
// locale, selection, sort, page and filter shape: it is compiled once and run again with only its
// values bound. A role's conditions are filter nodes like any other (access/conditions-filter.ts), so
// admin reads share templates too: two authors' lists differ only in the user id bound.
//
// The key names everything the SQL text and its constant bindings depend on; the values that vary
// under one key (a filter's values, a documentId, the ids a populate reads) are passed as slots and
// found again in the compiled bindings by identity, never by equality, so a constant can never be
// taken for a slot.
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { DialectName } from '../../db/connection.js';
import { selectRows } from '../../db/driver.js';
import type { SchemaModel } from '../../schema/model.js';
import type { Filter, NodeSelection, RelationPopulate, SortItem, SqlValue } from './ast.js';
import type { Row } from './serialize.js';

/** A placeholder for the value at `index` while a template is compiled. */
export class Slot {
  constructor(readonly index: number) {}
}

interface Template {
  sql: string;
  /** Constants, and Slots to be replaced by the run's values. */
  bindings: readonly unknown[];
}

/** How many shapes one schema version keeps; the least recently run is dropped first. */
const MAX_TEMPLATES = 2000;

/**
 * Templates of one schema version: a new SchemaModel (an applied change) starts empty, and the old
 * one's templates go with it.
 */
const bySchema = new WeakMap<SchemaModel, LRUCache<string, Template>>();

function templatesOf(schema: SchemaModel): LRUCache<string, Template> {
  let templates = bySchema.get(schema);
  if (!templates) {
    templates = new LRUCache({ max: MAX_TEMPLATES });
    bySchema.set(schema, templates);
  }
  return templates;
}

function compile(build: (slots: Slot[]) => Knex.QueryBuilder, count: number): Template {
  const slots = Array.from({ length: count }, (_, i) => new Slot(i));
  const { sql, bindings } = build(slots).toSQL();
  const used = new Set(
    (bindings as readonly unknown[]).filter((b): b is Slot => b instanceof Slot).map((b) => b.index),
  );
  // A slot the builder did not bind would leave its value out: a bug to surface, not a query to run.
  if (used.size !== count || [...used].some((i) => i >= count))
    throw new Error(`a statement template bound ${used.size} of its ${count} values`);
  return { sql, bindings };
}

/**
 * Runs the statement `build` makes for `values`, compiled once per `key` of `schema` and dialect.
 * `build` binds a Slot in place of each value (those it receives, or a filter's from filterShape).
 */
export async function runTemplate(
  db: Knex,
  dialect: DialectName,
  schema: SchemaModel,
  key: string,
  values: readonly Knex.Value[],
  build: (slots: Slot[]) => Knex.QueryBuilder,
): Promise<Row[]> {
  const templates = templatesOf(schema);
  // The count of values is part of the key: n ids are n placeholders.
  const fullKey = `${dialect}\u0000${values.length}\u0000${key}`;
  let template = templates.get(fullKey);
  if (!template) {
    template = compile(build, values.length);
    templates.set(fullKey, template);
  }
  const bindings = template.bindings.map((b) => (b instanceof Slot ? values[b.index] : b));
  return selectRows(db, dialect, template.sql, bindings);
}

// Keys: each names what a statement's SQL is built from, so two reads share a key only when their
// builders would write the same SQL and the same constants.

/** A sort with the values of its steps' conditions (SortItem.where) taken out as Slots. */
export interface SortShape {
  key: string;
  sort: SortItem[];
  values: Knex.Value[];
}

/**
 * The shape of `sort`: its key, and the values of its steps' conditions as Slots numbered from
 * `first` (they come after the filter's values); undefined when a value decides the SQL. A sort
 * without conditions has no values and the key it always had.
 */
export function sortShape(sort: SortItem[], first: number): SortShape | undefined {
  const values: Knex.Value[] = [];
  const keys: string[] = [];
  const items: SortItem[] = [];
  for (const item of sort) {
    const key = `${item.via.map((f) => f.name).join('.')}.${item.column.column}:${item.direction}`;
    if (!item.where) {
      keys.push(key);
      items.push(item);
      continue;
    }
    const where: Array<Filter | null> = [];
    const steps: string[] = [];
    for (const readable of item.where) {
      const shaped = readable && filterShape(readable, first + values.length);
      if (shaped === undefined) return undefined;
      if (shaped) values.push(...shaped.values);
      where.push(shaped ? shaped.filter : null);
      steps.push(shaped ? shaped.key : '*');
    }
    keys.push(`${key}[${steps.map((step) => `(${step})`).join('')}]`);
    items.push({ ...item, where });
  }
  return { key: keys.join(','), sort: items, values };
}

/** The columns a selection reads (not what it populates). */
export function columnsKey(selection: NodeSelection): string {
  const columns = selection.fields.map((f) => f.column).join(',');
  return `${selection.model.uid}(${columns};${[...selection.system].join(',')})`;
}

/** The rows' statement: the selection's columns and the to-one relations folded into it. */
export function rowsKey(selection: NodeSelection, folded: Array<[string, RelationPopulate]>): string {
  const folds = folded.map(([name, item]) => `+${name}>${item.field.linkTable}:${columnsKey(item.selection)}`);
  return `${columnsKey(selection)}${folds.join('')}`;
}

/** A filter whose values are Slots, the key of its shape, and the values in slot order. */
export interface FilterShape {
  key: string;
  filter: Filter;
  values: Knex.Value[];
}

/** Operators whose SQL is the same for every non-null value: their value can be a slot. */
const SLOTTED = new Set(['$eq', '$ne', '$eqi', '$nei', '$lt', '$lte', '$gt', '$gte', '$between', '$in', '$notIn']);

/**
 * The shape of `filter` with its values taken out as Slots (numbered from `first`: a statement's
 * other values may come before), or undefined when a value decides the SQL itself: the LIKE family
 * writes its pattern from the value, `$in` drops nulls, `$eq: null` is IS NULL. What stays in the
 * filter (`$null: true`, a null) is written into the key.
 */
export function filterShape(filter: Filter, first = 0): FilterShape | undefined {
  const values: Knex.Value[] = [];
  const slot = (value: unknown): Slot => {
    values.push(value as Knex.Value);
    return new Slot(first + values.length - 1);
  };
  const walk = (f: Filter): { key: string; filter: Filter } | undefined => {
    switch (f.kind) {
      case 'and':
      case 'or': {
        const items = f.items.map(walk);
        if (items.some((i) => i === undefined)) return undefined;
        const done = items as Array<{ key: string; filter: Filter }>;
        return {
          key: `${f.kind}(${done.map((i) => i.key).join(',')})`,
          filter: { kind: f.kind, items: done.map((i) => i.filter) },
        };
      }
      case 'not': {
        const item = walk(f.item);
        return item && { key: `not(${item.key})`, filter: { kind: 'not', item: item.filter } };
      }
      case 'relation': {
        const inner = f.filter ? walk(f.filter) : null;
        if (inner === undefined) return undefined;
        return {
          key: `${f.field.name}>${f.target.uid}:${f.exists}(${inner?.key ?? ''})`,
          filter: { ...f, filter: inner?.filter ?? null },
        };
      }
      case 'component': {
        const inner = walk(f.filter);
        return inner && { key: `${f.field.name}>${f.model.uid}(${inner.key})`, filter: { ...f, filter: inner.filter } };
      }
      case 'documentState':
        return { key: `state(${f.type.uid}:${f.state})`, filter: f };
      case 'publishedVersion': {
        const inner = walk(f.filter);
        return inner && { key: `published(${f.type.uid}:${inner.key})`, filter: { ...f, filter: inner.filter } };
      }
      case 'compare': {
        const head = `${f.column.column}:${f.column.type}:${f.op}`;
        if (!SLOTTED.has(f.op))
          return f.op === '$null' || f.op === '$notNull' ? { key: `${head}=${String(f.value)}`, filter: f } : undefined;
        if (f.value === null) return f.op === '$eq' || f.op === '$ne' ? { key: `${head}=null`, filter: f } : undefined;
        if (Array.isArray(f.value)) {
          if (f.value.some((v) => v === null)) return undefined;
          return {
            key: `${head}[${f.value.length}]`,
            filter: { ...f, value: f.value.map(slot) as unknown as SqlValue[] },
          };
        }
        // A Slot stands in for the value only while the template is compiled (never parsed or typed).
        return { key: head, filter: { ...f, value: slot(f.value) as unknown as SqlValue } };
      }
    }
  };
  const shaped = walk(filter);
  return shaped && { ...shaped, values };
}
