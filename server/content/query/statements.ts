// Statements compiled once per shape. knex compiles a query builder to SQL on every run, and on the
// bench's reads that compiling was a third of the server's CPU for one entry by documentId (E4) and
// a sixth for a populated list (E2). Reads that carry no value of the caller's own (no filter, no
// role conditions) are the same SQL every time for the same shape: they are compiled once and run
// again with only their ids bound.
//
// The key names everything the SQL text and its constant bindings depend on; the values that vary
// under one key (a documentId, the ids a populate reads) are passed as slots and found again in the
// compiled bindings by identity, never by equality, so a constant can never be taken for a slot.
import type { Knex } from 'knex';
import type { DialectName } from '../../db/connection.js';
import type { SchemaModel } from '../../schema/model.js';
import type { NodeSelection, RelationPopulate, SortItem } from './ast.js';
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

/** How many shapes one schema version keeps; the oldest is dropped first. */
const MAX_TEMPLATES = 2000;

/**
 * Templates of one schema version: a new SchemaModel (an applied change) starts empty, and the old
 * one's templates go with it.
 */
const bySchema = new WeakMap<SchemaModel, Map<string, Template>>();

function templatesOf(schema: SchemaModel): Map<string, Template> {
  let templates = bySchema.get(schema);
  if (!templates) {
    templates = new Map();
    bySchema.set(schema, templates);
  }
  return templates;
}

function compile(build: (slots: Slot[]) => Knex.QueryBuilder, count: number): Template {
  const slots = Array.from({ length: count }, (_, i) => new Slot(i));
  const { sql, bindings } = build(slots).toSQL();
  const used = new Set((bindings as readonly unknown[]).filter((b): b is Slot => b instanceof Slot));
  // A slot the builder did not bind would leave its value out: a bug to surface, not a query to run.
  if (used.size !== count) throw new Error(`a statement template bound ${used.size} of its ${count} values`);
  return { sql, bindings };
}

/**
 * Runs the statement `build` makes for `values`, compiled once per `key` of `schema` and dialect.
 * `build` receives a Slot in place of each value and must bind each of them.
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
    if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value as string);
    templates.set(fullKey, template);
  }
  const bindings = template.bindings.map((b) => (b instanceof Slot ? values[b.index] : b)) as Knex.RawBinding[];
  const result = (await db.raw(template.sql, bindings)) as unknown;
  // mysql2 answers [rows, fields]; better-sqlite3 the rows.
  return (dialect === 'mysql' ? (result as [Row[]])[0] : result) as Row[];
}

// Keys: each names what a statement's SQL is built from, so two reads share a key only when their
// builders would write the same SQL and the same constants.

export function sortKey(sort: SortItem[]): string {
  return sort.map((s) => `${s.via.map((f) => f.name).join('.')}.${s.column.column}:${s.direction}`).join(',');
}

/** The columns a selection reads (not what it populates). */
export function columnsKey(selection: NodeSelection): string {
  return `${selection.model.uid}(${selection.fields.map((f) => f.column).join(',')};${[...selection.system].join(',')})`;
}

/** The rows' statement: the selection's columns and the to-one relations folded into it. */
export function rowsKey(selection: NodeSelection, folded: Array<[string, RelationPopulate]>): string {
  return `${columnsKey(selection)}${folded.map(([name, item]) => `+${name}>${item.field.linkTable}:${columnsKey(item.selection)}`).join('')}`;
}
