// The SQL shape a resolved schema model needs: tables, typed columns, indexes and foreign keys.
// Materialising and diffing both work on this description, so that what `schema apply` creates and
// what it later compares against can never drift apart. Column types are chosen here, once
// (documented in server/schema/README.md).
import type { Knex } from 'knex';
import type { ScalarAttribute } from './types.js';
import type { ComponentModel, ContentTypeModel, Model, SchemaModel } from './model.js';
import {
  COMPONENT_LINK_COLUMNS,
  RELATION_LINK_COLUMNS,
  SYSTEM_COLUMNS,
  attributeColumn,
  componentLinkTable,
  indexName,
} from './naming.js';

/** Portable column types; `signature` (below) is what diffs compare. */
export type ColumnType =
  | { kind: 'increments' }
  | { kind: 'string'; length: number }
  | { kind: 'text' }
  | { kind: 'json' }
  | { kind: 'integer'; unsigned?: boolean }
  | { kind: 'bigInteger' }
  | { kind: 'double' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'time' }
  | { kind: 'datetime' };

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
  defaultTo?: string | number;
  /** The attribute stored in this column (absent for system and link columns). */
  attribute?: string;
}

export interface IndexSpec {
  name: string;
  columns: string[];
  unique: boolean;
  /** Columns (of `columns`) kept in descending order. */
  descending?: string[];
  /**
   * Given by default (an attribute with no `index` whose type lists almost always sort on), not
   * declared: on an attribute that already existed without it, the plan only suggests it (plan.ts).
   */
  byDefault?: boolean;
}

/** MySQL's and MariaDB's "this ALTER cannot be done with that ALGORITHM/LOCK" errors. */
const ONLINE_REFUSED = new Set(['ER_ALTER_OPERATION_NOT_SUPPORTED', 'ER_ALTER_OPERATION_NOT_SUPPORTED_REASON']);

/**
 * `CREATE INDEX` for indexes knex's builder cannot express (descending columns), and for every index
 * built on a MySQL/MariaDB table that may hold rows: `online` asks for `ALGORITHM=INPLACE LOCK=NONE`
 * (the table takes writes while the index builds); a server that refuses it for this index builds it
 * the ordinary way.
 */
export async function createIndexSql(
  db: Knex,
  table: string,
  index: IndexSpec,
  options: { online?: boolean } = {},
): Promise<void> {
  const desc = new Set(index.descending ?? []);
  const columns = index.columns
    .map((c) => (desc.has(c) ? `${db.raw('??', [c]).toQuery()} DESC` : db.raw('??', [c]).toQuery()))
    .join(', ');
  const sql = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ?? ON ?? (${columns})`;
  if (options.online) {
    try {
      await db.raw(`${sql} ALGORITHM=INPLACE LOCK=NONE`, [index.name, table]);
      return;
    } catch (err) {
      if (!ONLINE_REFUSED.has((err as { code?: string }).code ?? '')) throw err;
    }
  }
  await db.raw(sql, [index.name, table]);
}

export interface ForeignKeySpec {
  column: string;
  references: { table: string; column: string };
  onDelete: 'CASCADE';
}

export type TableRole = 'contentType' | 'component' | 'relationLink' | 'componentLink';

export interface TableSpec {
  name: string;
  role: TableRole;
  /** The content type or component uid the table belongs to. */
  owner: string;
  /** For relation link tables: the owning attribute. */
  field?: string;
  columns: ColumnSpec[];
  indexes: IndexSpec[];
  foreignKeys: ForeignKeySpec[];
}

/** Longest `maxLength` kept in a varchar(255); longer strings are stored as text. */
export const VARCHAR_LENGTH = 255;
export const DECIMAL_PRECISION = 10;
export const DECIMAL_SCALE = 2;

/** The column type of a scalar attribute. */
export function attributeColumnType(attribute: ScalarAttribute): ColumnType {
  // An envelope is longer than its plaintext and is not JSON: text whatever the attribute's type.
  if (attribute.encrypted === true) return { kind: 'text' };
  switch (attribute.type) {
    case 'string':
    case 'email':
    case 'password':
    case 'uid': {
      const max = attribute.maxLength;
      return max !== undefined && max > VARCHAR_LENGTH ? { kind: 'text' } : { kind: 'string', length: VARCHAR_LENGTH };
    }
    case 'enumeration':
      return { kind: 'string', length: VARCHAR_LENGTH };
    case 'text':
    case 'richtext':
      return { kind: 'text' };
    case 'blocks':
    case 'json':
      return { kind: 'json' };
    case 'integer':
      return { kind: 'integer' };
    case 'biginteger':
      return { kind: 'bigInteger' };
    case 'float':
      return { kind: 'double' };
    case 'decimal':
      return { kind: 'decimal', precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE };
    case 'boolean':
      return { kind: 'boolean' };
    case 'date':
      return { kind: 'date' };
    case 'time':
      return { kind: 'time' };
    case 'datetime':
      return { kind: 'datetime' };
  }
}

/** A comparable name of a column type: equal signatures need no ALTER. */
export function signature(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return `varchar(${type.length})`;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'integer':
      return type.unsigned ? 'integer unsigned' : 'integer';
    default:
      return type.kind;
  }
}

/** Whether every value of `from` is kept exactly by `to` (a lossless ALTER). */
export function isLosslessChange(from: ColumnType, to: ColumnType): boolean {
  const a = signature(from);
  const b = signature(to);
  if (a === b) return true;
  const widening: Record<string, string[]> = {
    'varchar(255)': ['text'],
    integer: ['bigInteger', 'double'],
  };
  return widening[a]?.includes(b) ?? false;
}

function attributeColumns(model: Model): ColumnSpec[] {
  return model.scalars.map((field) => ({
    name: field.column,
    type: attributeColumnType(field.attribute),
    nullable: true,
    attribute: field.name,
  }));
}

function contentTypeTableSpec(model: ContentTypeModel): TableSpec {
  const t = model.table;
  const c = SYSTEM_COLUMNS;
  const columns: ColumnSpec[] = [
    { name: c.id, type: { kind: 'increments' }, nullable: false },
    { name: c.documentId, type: { kind: 'string', length: 32 }, nullable: false },
    { name: c.locale, type: { kind: 'string', length: 16 }, nullable: false, defaultTo: '' },
    { name: c.status, type: { kind: 'string', length: 9 }, nullable: false },
    { name: c.createdAt, type: { kind: 'datetime' }, nullable: false },
    { name: c.updatedAt, type: { kind: 'datetime' }, nullable: false },
    { name: c.publishedAt, type: { kind: 'datetime' }, nullable: true },
    { name: c.createdBy, type: { kind: 'integer', unsigned: true }, nullable: true },
    { name: c.updatedBy, type: { kind: 'integer', unsigned: true }, nullable: true },
    ...attributeColumns(model),
  ];
  const indexes: IndexSpec[] = [
    {
      name: indexName(t, [c.documentId, c.locale, c.status], 'unq'),
      columns: [c.documentId, c.locale, c.status],
      unique: true,
    },
    listIndex(t, []),
  ];
  for (const field of model.scalars) {
    if (field.attribute.unique) {
      const cols = [field.column, c.locale, c.status];
      indexes.push({ name: indexName(t, cols, 'unq'), columns: cols, unique: true });
    }
    const index = effectiveIndex(field.attribute);
    if (index) {
      const spec = listIndex(t, [{ column: field.column, desc: index === 'desc' }]);
      indexes.push(field.attribute.index === undefined ? { ...spec, byDefault: true } : spec);
    }
  }
  for (const composite of model.definition.options?.indexes ?? []) {
    const index = listIndex(
      t,
      composite.attributes.map((item) => {
        const [name, order] = item.split(':');
        return { column: attributeColumn(name), desc: order === 'desc' };
      }),
    );
    // One over a single attribute may be the same as that attribute's own `index` (or its default
    // one, which it then declares: no longer only a default to suggest).
    const same = indexes.findIndex((i) => i.name === index.name);
    if (same < 0) indexes.push(index);
    else if (indexes[same].byDefault) indexes[same] = index;
  }
  return { name: t, role: 'contentType', owner: model.uid, columns, indexes, foreignKeys: [] };
}

/**
 * Attribute types lists almost always sort on, newest first (a blog's `publishedDate`, an event's
 * `startsAt`): a content type's attribute of these types with no `index` gets a descending list
 * index, as if it said `index: 'desc'`. `index: false` opts out. Without it, the newest-first list
 * reads every published row through (status, locale, id) and sorts them (issue 24: 76 req/s against
 * 1,168 with the index on 10,000 articles).
 */
export const DEFAULT_INDEXED_TYPES: ReadonlySet<ScalarAttribute['type']> = new Set(['date', 'datetime']);

/** The list index a content type's attribute gets: its own `index`, else the default for its type. */
export function effectiveIndex(attribute: ScalarAttribute): boolean | 'asc' | 'desc' {
  if (attribute.index !== undefined) return attribute.index;
  return DEFAULT_INDEXED_TYPES.has(attribute.type) ? 'desc' : false;
}

/** Every content type's index for lists in id order: `(status, locale, id)`. */
export function idOrderIndex(table: string): string {
  return listIndex(table, []).name;
}

/**
 * The index a list filtering or sorting on `parts` reads: (status, locale, …parts, id), a descending
 * part named `<column>_desc` (an attribute's `index`, one of `options.indexes`, or none for id order).
 */
/** The name of the index an `options.indexes` entry (`["featured", "views:desc"]`) builds on `table`. */
export function compositeIndexName(table: string, attributes: readonly string[]): string {
  return listIndex(
    table,
    attributes.map((item) => {
      const [name, order] = item.split(':');
      return { column: attributeColumn(name), desc: order === 'desc' };
    }),
  ).name;
}

function listIndex(table: string, parts: Array<{ column: string; desc: boolean }>): IndexSpec {
  const c = SYSTEM_COLUMNS;
  const descending = parts.filter((p) => p.desc).map((p) => p.column);
  return {
    name: indexName(
      table,
      [c.status, c.locale, ...parts.map((p) => (p.desc ? `${p.column}_desc` : p.column)), c.id],
      'idx',
    ),
    columns: [c.status, c.locale, ...parts.map((p) => p.column), c.id],
    unique: false,
    ...(descending.length ? { descending } : {}),
  };
}

function componentTableSpec(model: ComponentModel): TableSpec {
  const t = model.table;
  const indexes: IndexSpec[] = [];
  // A component has no locale/status of its own (its rows are copied with each version), so
  // `unique` cannot hold per version here and is not a database constraint on components.
  for (const field of model.scalars) {
    if (field.attribute.index === 'desc')
      indexes.push({
        name: indexName(t, [`${field.column}_desc`], 'idx'),
        columns: [field.column],
        unique: false,
        descending: [field.column],
      });
    else if (field.attribute.index)
      indexes.push({ name: indexName(t, [field.column], 'idx'), columns: [field.column], unique: false });
  }
  return {
    name: t,
    role: 'component',
    owner: model.uid,
    columns: [{ name: 'id', type: { kind: 'increments' }, nullable: false }, ...attributeColumns(model)],
    indexes,
    foreignKeys: [],
  };
}

function relationLinkSpec(ownerTable: string, owner: string, field: string, linkTable: string): TableSpec {
  const c = RELATION_LINK_COLUMNS;
  return {
    name: linkTable,
    role: 'relationLink',
    owner,
    field,
    columns: [
      { name: c.id, type: { kind: 'increments' }, nullable: false },
      { name: c.entityId, type: { kind: 'integer', unsigned: true }, nullable: false },
      { name: c.targetDocumentId, type: { kind: 'string', length: 32 }, nullable: false },
      { name: c.position, type: { kind: 'integer' }, nullable: false, defaultTo: 0 },
    ],
    indexes: [
      { name: indexName(linkTable, [c.entityId, c.position], 'idx'), columns: [c.entityId, c.position], unique: false },
      // Covering for filters through the relation (`filters[category][slug]…`): the matching sources
      // are read from the index alone, not one link row at a time.
      {
        name: indexName(linkTable, [c.targetDocumentId, c.entityId], 'idx'),
        columns: [c.targetDocumentId, c.entityId],
        unique: false,
      },
    ],
    foreignKeys: [{ column: c.entityId, references: { table: ownerTable, column: 'id' }, onDelete: 'CASCADE' }],
  };
}

function componentLinkSpec(ownerTable: string, owner: string): TableSpec {
  const c = COMPONENT_LINK_COLUMNS;
  const name = componentLinkTable(ownerTable);
  return {
    name,
    role: 'componentLink',
    owner,
    columns: [
      { name: c.id, type: { kind: 'increments' }, nullable: false },
      { name: c.entityId, type: { kind: 'integer', unsigned: true }, nullable: false },
      { name: c.field, type: { kind: 'string', length: VARCHAR_LENGTH }, nullable: false },
      { name: c.componentType, type: { kind: 'string', length: VARCHAR_LENGTH }, nullable: false },
      { name: c.componentId, type: { kind: 'integer', unsigned: true }, nullable: false },
      { name: c.position, type: { kind: 'integer' }, nullable: false, defaultTo: 0 },
    ],
    indexes: [
      {
        name: indexName(name, [c.entityId, c.field, c.position], 'idx'),
        columns: [c.entityId, c.field, c.position],
        unique: false,
      },
      {
        name: indexName(name, [c.componentType, c.componentId], 'idx'),
        columns: [c.componentType, c.componentId],
        unique: false,
      },
    ],
    foreignKeys: [{ column: c.entityId, references: { table: ownerTable, column: 'id' }, onDelete: 'CASCADE' }],
  };
}

/** The tables one model (content type or component) owns: its own, its relation links, its `_cmps`. */
export function tablesOfModel(model: Model): TableSpec[] {
  const tables = [model.modelKind === 'contentType' ? contentTypeTableSpec(model) : componentTableSpec(model)];
  let hasComponents = false;
  for (const field of model.fields.values()) {
    if (field.kind === 'relation' && field.owner)
      tables.push(relationLinkSpec(model.table, model.uid, field.name, field.linkTable));
    if (field.kind === 'component' || field.kind === 'dynamiczone') hasComponents = true;
  }
  if (hasComponents) tables.push(componentLinkSpec(model.table, model.uid));
  return tables;
}

/** Every table of a schema, in creation order (each table after the ones its foreign keys name). */
export function physicalSchema(model: SchemaModel): TableSpec[] {
  const models: Model[] = [...model.contentTypes.values(), ...model.components.values()];
  const all = models.flatMap(tablesOfModel);
  const rank = (t: TableSpec) => (t.role === 'contentType' || t.role === 'component' ? 0 : 1);
  return all.sort((a, b) => rank(a) - rank(b));
}

/** Adds one column to a knex table builder. */
export function addColumn(
  t: Knex.CreateTableBuilder | Knex.AlterTableBuilder,
  column: ColumnSpec,
  dialect: 'sqlite' | 'mysql',
): Knex.ColumnBuilder {
  const { name, type } = column;
  let builder: Knex.ColumnBuilder;
  switch (type.kind) {
    case 'increments':
      return t.increments(name).primary();
    case 'string':
      builder = t.string(name, type.length);
      break;
    case 'text':
      builder = t.text(name, dialect === 'mysql' ? 'mediumtext' : undefined);
      break;
    case 'json':
      builder = t.json(name);
      break;
    case 'integer':
      builder = t.integer(name);
      if (type.unsigned) builder = builder.unsigned();
      break;
    case 'bigInteger':
      builder = t.bigInteger(name);
      break;
    case 'double':
      builder = t.double(name);
      break;
    case 'decimal':
      builder = t.decimal(name, type.precision, type.scale);
      break;
    case 'boolean':
      builder = t.boolean(name);
      break;
    case 'date':
      builder = t.date(name);
      break;
    case 'time':
      builder = t.time(name);
      break;
    case 'datetime':
      builder = t.datetime(name, { precision: 3 });
      break;
  }
  builder = column.nullable ? builder.nullable() : builder.notNullable();
  if (column.defaultTo !== undefined) builder = builder.defaultTo(column.defaultTo);
  return builder;
}

/** Creates a whole table with its columns, indexes and foreign keys (one statement batch). */
export async function createTable(db: Knex, spec: TableSpec, dialect: 'sqlite' | 'mysql'): Promise<void> {
  await db.schema.createTable(spec.name, (t) => {
    for (const column of spec.columns) addColumn(t, column, dialect);
    for (const index of spec.indexes) {
      if (index.descending?.length) continue; // created below
      if (index.unique) t.unique(index.columns, { indexName: index.name });
      else t.index(index.columns, index.name);
    }
    for (const fk of spec.foreignKeys) {
      t.foreign(fk.column, indexName(spec.name, [fk.column], 'fk'))
        .references(fk.references.column)
        .inTable(fk.references.table)
        .onDelete(fk.onDelete);
    }
  });
  for (const index of spec.indexes) if (index.descending?.length) await createIndexSql(db, spec.name, index);
}
