// Query string → validated ContentQuery (docs/content-api.md, "Query language"; Strapi 5 where it is silent).
// Parsing is the only place that looks at user input: every key is checked against the model, every
// value typed by its attribute; anything else is a 400 naming the parameter, never a 500 later.
import qs from 'qs';
import { PaginationError, ValidationError } from '../../errors.js';
import { LOCALE_PARAM_FORMAT } from '../locales.js';
import type { ComponentModel, ContentTypeModel, Field, RelationField, SchemaModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS } from '../../schema/naming.js';
import { isEncrypted, isPrivate, SEARCHABLE_TYPES, TEXT_COMPARABLE_TYPES } from '../../schema/text-attributes.js';
import {
  OPERATORS,
  type ColumnRef,
  type ContentQuery,
  type Filter,
  type NodeSelection,
  type Operator,
  type Pagination,
  type PopulateItem,
  type SortItem,
  type SqlValue,
} from './ast.js';

export interface QueryLimits {
  /** Nesting of filter objects (relations and logical operators). */
  filterDepth: number;
  /** Items in `$in` / `$notIn`. */
  inItems: number;
  /** Levels of nested populate. */
  populateDepth: number;
  /** The pageSize / limit cap (config.apiMaxPageSize). */
  maxPageSize: number;
  defaultPageSize: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  filterDepth: 5,
  inItems: 100,
  populateDepth: 5,
  maxPageSize: 100,
  defaultPageSize: 25,
};

export interface ParseContext {
  schema: SchemaModel;
  limits: QueryLimits;
  defaultLocale: string;
  /** May the caller read (find) this content type? Populating a relation needs it (403 otherwise). */
  canRead(uid: string): boolean;
  /** Raised for a populate the caller may not read. */
  forbidden(uid: string): Error;
  /**
   * May the caller read this attribute of this content type? The Admin API's field permissions:
   * every filter, sort, `_q`, field and populate segment is checked against the type it belongs to,
   * at every depth (400 `Invalid key` otherwise), and unreadable fields are left out of selections.
   * On the Content API, the member roles' field allowlists (find-documents.ts).
   */
  canReadField?(uid: string, field: string): boolean;
  /**
   * May the caller read this system column (createdAt, updatedAt, publishedAt, locale) of this
   * content type? Absent: yes. The id and documentId are always readable. A type reached by the
   * link right alone shows its documentId and label, not when it was written.
   */
  canReadSystemField?(uid: string, name: string): boolean;
}

const TOP_LEVEL_KEYS = new Set([
  'filters',
  'sort',
  'pagination',
  'fields',
  'populate',
  'status',
  'locale',
  '_q',
  'render',
]);

const KNOWN_OPERATORS: ReadonlySet<string> = new Set(OPERATORS);
const TEXT_OPERATORS = new Set<Operator>([
  '$eqi',
  '$nei',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
]);

type Raw = unknown;
type RawObject = Record<string, unknown>;

function isObject(value: Raw): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isList(value: Raw): value is Raw[] {
  return Array.isArray(value);
}

/** qs turns arrays past its arrayLimit into objects with numeric keys; both mean a list here. */
function asList(value: Raw): Raw[] | undefined {
  if (isList(value)) return value;
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
    }
  }
  return undefined;
}

function bad(message: string, param: string, key: string, path: string): ValidationError {
  return ValidationError.query(message, param, key, path);
}

/** Parses the raw query string with the limits Strapi's clients need and no more. */
export function parseQueryString(querystring: string): RawObject {
  try {
    return qs.parse(querystring, {
      depth: 20,
      strictDepth: true,
      arrayLimit: 200,
      parameterLimit: 1000,
      throwOnLimitExceeded: true,
      allowPrototypes: false,
      plainObjects: true,
      ignoreQueryPrefix: true,
    });
  } catch (err) {
    // qs refuses too deep nesting or too many parameters; name the first parameter that is too deep.
    const keys = querystring
      .replace(/^\?/, '')
      .split('&')
      .map((pair) => {
        const raw = pair.split('=')[0];
        try {
          return decodeURIComponent(raw);
        } catch {
          return raw;
        }
      });
    const culprit = keys.reduce(
      (a, b) => ((b.match(/\[/g)?.length ?? 0) > (a.match(/\[/g)?.length ?? 0) ? b : a),
      keys[0] ?? '',
    );
    const param = culprit.split('[')[0] || 'query';
    throw ValidationError.query(`Invalid query string: ${(err as Error).message}`, param, param, culprit || param);
  }
}

// ---------------------------------------------------------------------------------------------
// Columns

const ID_REF: ColumnRef = { name: 'id', column: SYSTEM_COLUMNS.id, type: 'id' };
const LOCALE_REF: ColumnRef = { name: 'locale', column: SYSTEM_COLUMNS.locale, type: 'string' };
/** A Map, never a plain object: user-supplied names (`constructor`, `toString`) must not find Object.prototype. */
const SYSTEM_REFS = new Map<string, ColumnRef>([
  ['documentId', { name: 'documentId', column: SYSTEM_COLUMNS.documentId, type: 'string' }],
  ['createdAt', { name: 'createdAt', column: SYSTEM_COLUMNS.createdAt, type: 'datetime' }],
  ['updatedAt', { name: 'updatedAt', column: SYSTEM_COLUMNS.updatedAt, type: 'datetime' }],
  ['publishedAt', { name: 'publishedAt', column: SYSTEM_COLUMNS.publishedAt, type: 'datetime' }],
]);

/** A filterable/sortable column of a model by API name, or undefined. */
function columnOf(model: ContentTypeModel | ComponentModel, name: string): ColumnRef | undefined {
  const field = model.fields.get(name);
  if (field?.kind === 'scalar') return { name, column: field.column, type: field.attribute.type };
  if (field) return undefined;
  if (name === 'id') return ID_REF;
  if (model.modelKind !== 'contentType') return undefined;
  if (name === 'locale') return model.localized ? LOCALE_REF : undefined;
  return SYSTEM_REFS.get(name);
}

/**
 * Whether the caller may read attribute `name` of `model` (ParseContext.canReadField) or its system
 * column `name` (canReadSystemField). Component attributes are readable: a component is read
 * through its owner's field, which was checked on the way in.
 */
function readable(model: ContentTypeModel | ComponentModel, name: string, ctx: ParseContext): boolean {
  if (model.modelKind !== 'contentType') return true;
  if (!model.fields.has(name))
    return name === 'id' || name === 'documentId' || (ctx.canReadSystemField?.(model.uid, name) ?? true);
  return ctx.canReadField ? ctx.canReadField(model.uid, name) : true;
}

// ---------------------------------------------------------------------------------------------
// Values

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const TIME_RE = /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

function validDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Types a filter value by its column; throws a 400 for a value of the wrong type. */
function typedValue(raw: Raw, column: ColumnRef, param: string, key: string, path: string): SqlValue {
  if (raw === null) return null;
  if (typeof raw !== 'string') throw bad(`Invalid value for ${path}: expected a single value`, param, key, path);
  const fail = (what: string) => bad(`Invalid value "${raw}" for ${path}: expected ${what}`, param, key, path);
  switch (column.type) {
    case 'id':
    case 'integer': {
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw fail('an integer');
      return Number(raw);
    }
    case 'biginteger': {
      if (!/^-?\d{1,19}$/.test(raw)) throw fail('an integer');
      const n = BigInt(raw);
      if (n > 9223372036854775807n || n < -9223372036854775808n) throw fail('a 64-bit integer');
      return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    }
    case 'float':
    case 'decimal': {
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) || !Number.isFinite(Number(raw))) throw fail('a number');
      return Number(raw);
    }
    case 'boolean': {
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw fail('true or false');
    }
    case 'date':
      if (!DATE_RE.test(raw) || !validDate(raw)) throw fail('a date (YYYY-MM-DD)');
      return raw;
    case 'datetime': {
      if (!DATETIME_RE.test(raw)) throw fail('an ISO 8601 date-time');
      const iso =
        raw.length === 10
          ? `${raw}T00:00:00Z`
          : /(Z|[+-]\d{2}:?\d{2})$/.test(raw)
            ? raw.replace(' ', 'T')
            : `${raw.replace(' ', 'T')}Z`;
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) throw fail('an ISO 8601 date-time');
      return d;
    }
    case 'time':
      if (!TIME_RE.test(raw)) throw fail('a time (HH:mm:ss)');
      return raw;
    case 'json':
    case 'blocks':
      throw fail('no value: JSON fields can only be tested with $null / $notNull');
    default:
      return raw;
  }
}

function booleanFlag(raw: Raw, param: string, key: string, path: string): boolean {
  if (raw === 'true' || raw === '1' || raw === true) return true;
  if (raw === 'false' || raw === '0' || raw === false) return false;
  throw bad(`Invalid value for ${path}: expected true or false`, param, key, path);
}

// ---------------------------------------------------------------------------------------------
// Filters

function parseOperator(column: ColumnRef, op: Operator, raw: Raw, ctx: ParseContext, path: string): Filter {
  const param = 'filters';
  const opPath = `${path}.${op}`;
  if (op === '$null' || op === '$notNull') {
    const isNull = booleanFlag(raw, param, op, opPath) === (op === '$null');
    return { kind: 'compare', column, op: '$null', value: isNull };
  }
  if (column.type === 'json' || column.type === 'blocks') {
    throw bad(`Operator ${op} cannot be used on the JSON field ${path}`, param, op, opPath);
  }
  if (TEXT_OPERATORS.has(op) && !TEXT_COMPARABLE_TYPES.has(column.type)) {
    throw bad(`Operator ${op} needs a text field; ${path} is ${column.type}`, param, op, opPath);
  }
  if (op === '$in' || op === '$notIn') {
    const list = asList(raw) ?? (typeof raw === 'string' ? [raw] : undefined);
    if (!list) throw bad(`Invalid value for ${opPath}: expected a list`, param, op, opPath);
    if (list.length > ctx.limits.inItems) {
      throw bad(`Too many values for ${opPath} (at most ${ctx.limits.inItems})`, param, op, opPath);
    }
    return {
      kind: 'compare',
      column,
      op,
      value: list.map((v, i) => typedValue(v, column, param, op, `${opPath}.${i}`)),
    };
  }
  if (op === '$between') {
    const list = asList(raw) ?? (typeof raw === 'string' ? raw.split(',') : undefined);
    if (!list || list.length !== 2) throw bad(`Invalid value for ${opPath}: expected two values`, param, op, opPath);
    return {
      kind: 'compare',
      column,
      op,
      value: list.map((v, i) => typedValue(v, column, param, op, `${opPath}.${i}`)),
    };
  }
  const list = asList(raw);
  if (list) {
    // An array given to a scalar operator means OR of its items.
    if (list.length > ctx.limits.inItems)
      throw bad(`Too many values for ${opPath} (at most ${ctx.limits.inItems})`, param, op, opPath);
    return {
      kind: 'or',
      items: list.map((v, i) => ({
        kind: 'compare',
        column,
        op,
        value: typedValue(v, column, param, op, `${opPath}.${i}`),
      })),
    };
  }
  if (raw === null || raw === undefined) throw bad(`Missing value for ${opPath}`, param, op, opPath);
  return { kind: 'compare', column, op, value: typedValue(raw, column, param, op, opPath) };
}

function parseColumnCondition(column: ColumnRef, raw: Raw, ctx: ParseContext, path: string, depth: number): Filter {
  if (!isObject(raw) || asList(raw)) {
    // A bare value (or list of values) means $eq.
    return parseOperator(column, '$eq', raw, ctx, path);
  }
  const items: Filter[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$not') {
      items.push({ kind: 'not', item: parseColumnCondition(column, value, ctx, `${path}.$not`, depth + 1) });
      continue;
    }
    if (key === '$or' || key === '$and') {
      const list = asList(value);
      if (!list) throw bad(`Invalid value for ${path}.${key}: expected a list`, 'filters', key, `${path}.${key}`);
      const sub = list.map((v, i) => parseColumnCondition(column, v, ctx, `${path}.${key}.${i}`, depth + 1));
      items.push({ kind: key === '$or' ? 'or' : 'and', items: sub });
      continue;
    }
    if (!KNOWN_OPERATORS.has(key)) {
      throw bad(`Invalid operator ${key} in ${path}`, 'filters', key, `${path}.${key}`);
    }
    items.push(parseOperator(column, key as Operator, value, ctx, path));
  }
  if (items.length === 0) throw bad(`Empty condition for ${path}`, 'filters', column.name, path);
  return items.length === 1 ? items[0] : { kind: 'and', items };
}

function parseRelationCondition(
  field: RelationField,
  raw: Raw,
  ctx: ParseContext,
  path: string,
  depth: number,
): Filter {
  const target = ctx.schema.contentTypes.get(field.target);
  if (!target) throw bad(`The relation ${path} points at an unknown type`, 'filters', field.name, path);
  // As Strapi's restricted relations: a type the caller may not read cannot be filtered through.
  if (!ctx.canRead(target.uid))
    throw bad(`Invalid key ${field.name}: the caller may not read ${target.uid}`, 'filters', field.name, path);
  if (!isObject(raw) || asList(raw)) {
    // `filters[category]=3` / `filters[category][$in]=…` address the related entry's id.
    return {
      kind: 'relation',
      field,
      target,
      filter: parseColumnCondition(ID_REF, raw, ctx, `${path}.id`, depth),
      exists: true,
    };
  }
  const entries = Object.entries(raw);
  const nullKey = entries.find(([k]) => k === '$null' || k === '$notNull');
  if (nullKey && entries.length === 1) {
    const isNull = booleanFlag(nullKey[1], 'filters', nullKey[0], `${path}.${nullKey[0]}`) === (nullKey[0] === '$null');
    // "has no related entry" / "has one"
    return { kind: 'relation', field, target, filter: null, exists: !isNull };
  }
  const idOps: RawObject = {};
  const rest: RawObject = {};
  for (const [k, v] of entries) {
    if (KNOWN_OPERATORS.has(k)) idOps[k] = v;
    else rest[k] = v;
  }
  const parts: Filter[] = [];
  if (Object.keys(idOps).length) parts.push(parseColumnCondition(ID_REF, idOps, ctx, `${path}.id`, depth));
  if (Object.keys(rest).length) parts.push(parseFilterObject(target, rest, ctx, path, depth));
  const filter = parts.length === 1 ? parts[0] : { kind: 'and' as const, items: parts };
  return { kind: 'relation', field, target, filter, exists: true };
}

function parseFilterObject(
  model: ContentTypeModel | ComponentModel,
  raw: Raw,
  ctx: ParseContext,
  path: string,
  depth: number,
): Filter {
  if (depth > ctx.limits.filterDepth) {
    throw bad(
      `Filters are nested too deeply (at most ${ctx.limits.filterDepth} levels)`,
      'filters',
      path.split('.').pop() ?? 'filters',
      path,
    );
  }
  if (!isObject(raw) || asList(raw))
    throw bad(`Invalid filters at ${path}: expected an object`, 'filters', path.split('.').pop() ?? 'filters', path);
  const items: Filter[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const keyPath = `${path}.${key}`;
    if (key === '$or' || key === '$and') {
      const list = asList(value) ?? (isObject(value) ? [value] : undefined);
      if (!list) throw bad(`Invalid value for ${keyPath}: expected a list of conditions`, 'filters', key, keyPath);
      const sub = list.map((v, i) => parseFilterObject(model, v, ctx, `${keyPath}.${i}`, depth + 1));
      items.push({ kind: key === '$or' ? 'or' : 'and', items: sub });
      continue;
    }
    if (key === '$not') {
      items.push({ kind: 'not', item: parseFilterObject(model, value, ctx, keyPath, depth + 1) });
      continue;
    }
    const field = model.fields.get(key);
    if (field && isPrivate(field))
      throw bad(`Invalid key ${key}: private fields cannot be filtered`, 'filters', key, keyPath);
    if (field?.kind === 'scalar' && isEncrypted(field.attribute))
      throw bad(
        `Invalid key ${key}: encrypted fields cannot be filtered (the database holds only ciphertext)`,
        'filters',
        key,
        keyPath,
      );
    if (!readable(model, key, ctx)) throw bad(`Invalid key ${key}`, 'filters', key, keyPath);
    if (field?.kind === 'relation') {
      if (!field.owner && model.modelKind === 'component')
        throw bad(`Invalid key ${key} in filters`, 'filters', key, keyPath);
      items.push(parseRelationCondition(field, value, ctx, keyPath, depth + 1));
      continue;
    }
    if (field?.kind === 'component') {
      const component = ctx.schema.components.get(field.component);
      if (!component) throw bad(`Invalid key ${key} in filters`, 'filters', key, keyPath);
      items.push({
        kind: 'component',
        field,
        model: component,
        filter: parseFilterObject(component, value, ctx, keyPath, depth + 1),
      });
      continue;
    }
    const column = columnOf(model, key);
    if (!column) throw bad(`Invalid key ${key} in filters`, 'filters', key, keyPath);
    items.push(parseColumnCondition(column, value, ctx, keyPath, depth));
  }
  if (items.length === 0) return { kind: 'and', items: [] };
  return items.length === 1 ? items[0] : { kind: 'and', items };
}

// ---------------------------------------------------------------------------------------------
// Sort

function parseSort(model: ContentTypeModel | ComponentModel, raw: Raw, ctx: ParseContext, param: string): SortItem[] {
  const specs: Array<{ key: string; dir: string | undefined; path: string }> = [];
  const pushString = (s: string, path: string) => {
    for (const part of s.split(',')) {
      const trimmed = part.trim();
      if (!trimmed) throw bad(`Invalid sort "${s}"`, param, s, path);
      const [key, dir, ...extra] = trimmed.split(':');
      if (extra.length) throw bad(`Invalid sort "${trimmed}"`, param, trimmed, path);
      specs.push({ key, dir, path });
    }
  };
  if (typeof raw === 'string') pushString(raw, param);
  else if (asList(raw)) {
    (asList(raw) as Raw[]).forEach((item, i) => {
      if (typeof item === 'string') pushString(item, `${param}.${i}`);
      else if (isObject(item)) {
        for (const [k, v] of Object.entries(item)) {
          if (typeof v !== 'string') throw bad(`Invalid sort direction for ${k}`, param, k, `${param}.${i}.${k}`);
          specs.push({ key: k, dir: v, path: `${param}.${i}.${k}` });
        }
      } else throw bad('Invalid sort', param, String(i), `${param}.${i}`);
    });
  } else if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string') throw bad(`Invalid sort direction for ${k}`, param, k, `${param}.${k}`);
      specs.push({ key: k, dir: v, path: `${param}.${k}` });
    }
  } else throw bad('Invalid sort', param, param, param);

  return specs.map(({ key, dir, path }) => {
    const direction = (dir ?? 'asc').toLowerCase();
    if (direction !== 'asc' && direction !== 'desc')
      throw bad(`Invalid sort direction "${dir}" (asc or desc)`, param, key, path);
    const segments = key.split('.');
    const via: RelationField[] = [];
    let current: ContentTypeModel | ComponentModel = model;
    for (let i = 0; i < segments.length - 1; i += 1) {
      const f = current.fields.get(segments[i]);
      if (!readable(current, segments[i], ctx)) throw bad(`Invalid sort key ${key}`, param, key, path);
      if (!f || f.kind !== 'relation' || f.toMany) {
        throw bad(`Invalid sort key ${key}: ${segments[i]} is not a to-one relation`, param, key, path);
      }
      const target = ctx.schema.contentTypes.get(f.target);
      if (!target || !ctx.canRead(target.uid)) throw bad(`Invalid sort key ${key}`, param, key, path);
      via.push(f);
      current = target;
    }
    const last = segments[segments.length - 1];
    const lastField = current.fields.get(last);
    if (lastField && isPrivate(lastField))
      throw bad(`Invalid sort key ${key}: private fields cannot be sorted`, param, key, path);
    if (lastField?.kind === 'scalar' && isEncrypted(lastField.attribute))
      throw bad(`Invalid sort key ${key}: encrypted fields cannot be sorted`, param, key, path);
    if (!readable(current, last, ctx)) throw bad(`Invalid sort key ${key}`, param, key, path);
    const column = columnOf(current, last);
    if (!column || column.type === 'json' || column.type === 'blocks')
      throw bad(`Invalid sort key ${key}`, param, key, path);
    return { via, column, direction };
  });
}

// ---------------------------------------------------------------------------------------------
// Pagination (Strapi 5: page/pageSize or start/limit; mixing them is a PaginationError)

function positiveInt(raw: Raw, param: string, key: string, min: number): number {
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw bad(`Invalid pagination[${key}]: expected a whole number ≥ ${min}`, param, key, `${param}.${key}`);
  }
  return Number(raw);
}

function parsePagination(raw: Raw, limits: QueryLimits): Pagination {
  const param = 'pagination';
  if (raw === undefined) return { style: 'page', page: 1, pageSize: limits.defaultPageSize, withCount: true };
  if (!isObject(raw)) throw bad('Invalid pagination: expected an object', param, param, param);
  for (const key of Object.keys(raw)) {
    if (!['page', 'pageSize', 'start', 'limit', 'withCount'].includes(key)) {
      throw bad(`Invalid key ${key} in pagination`, param, key, `${param}.${key}`);
    }
  }
  const withCount =
    raw.withCount === undefined ? true : booleanFlag(raw.withCount, param, 'withCount', `${param}.withCount`);
  const pageStyle = raw.page !== undefined || raw.pageSize !== undefined;
  const offsetStyle = raw.start !== undefined || raw.limit !== undefined;
  if (pageStyle && offsetStyle) {
    throw new PaginationError('Invalid pagination parameters. Expected either page and pageSize or start and limit');
  }
  if (offsetStyle) {
    const start = raw.start === undefined ? 0 : positiveInt(raw.start, param, 'start', 0);
    let limit = limits.defaultPageSize;
    if (raw.limit !== undefined) {
      limit = raw.limit === '-1' ? limits.maxPageSize : positiveInt(raw.limit, param, 'limit', 1);
    }
    return { style: 'offset', start, limit: Math.min(limit, limits.maxPageSize), withCount };
  }
  const page = raw.page === undefined ? 1 : positiveInt(raw.page, param, 'page', 1);
  const pageSize =
    raw.pageSize === undefined ? limits.defaultPageSize : positiveInt(raw.pageSize, param, 'pageSize', 1);
  return { style: 'page', page, pageSize: Math.min(pageSize, limits.maxPageSize), withCount };
}

// ---------------------------------------------------------------------------------------------
// Fields and populate

function stringList(raw: Raw, param: string, path: string): string[] {
  if (typeof raw === 'string')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const list = asList(raw);
  if (list) {
    return list.flatMap((item, i) => {
      if (typeof item !== 'string') throw bad(`Invalid ${path}: expected names`, param, String(i), `${path}.${i}`);
      return item
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    });
  }
  throw bad(`Invalid ${path}: expected a list of names`, param, path.split('.').pop() ?? param, path);
}

/** The keys of a populated media file (server/media/shape.ts). */
const MEDIA_KEYS = new Set([
  'id',
  'documentId',
  'name',
  'alternativeText',
  'caption',
  'width',
  'height',
  'formats',
  'hash',
  'ext',
  'mime',
  'size',
  'url',
  'previewUrl',
  'placeholder',
  'provider',
  'provider_metadata',
  'folder',
  'folderPath',
  'rotation',
  'crop',
  'focalPoint',
  'createdAt',
  'updatedAt',
  'publishedAt',
]);

const SYSTEM_FIELD_NAMES = ['createdAt', 'updatedAt', 'publishedAt', 'locale'] as const;
type SystemFieldName = (typeof SYSTEM_FIELD_NAMES)[number];

function defaultSelection(model: ContentTypeModel | ComponentModel, ctx: ParseContext): NodeSelection {
  const fields = model.scalars
    .filter((f) => !isPrivate(f) && readable(model, f.name, ctx))
    .map((f) => ({ name: f.name, column: f.column, type: f.attribute.type }));
  const system = new Set<SystemFieldName>();
  if (model.modelKind === 'contentType') {
    system.add('createdAt').add('updatedAt').add('publishedAt');
    if (model.localized) system.add('locale');
  }
  return { model, fields, system, populate: new Map() };
}

function applyFields(selection: NodeSelection, raw: Raw, ctx: ParseContext, param: string, path: string): void {
  const names = stringList(raw, param, path);
  if (names.includes('*')) return;
  const model = selection.model;
  const fields: ColumnRef[] = [];
  const system = new Set<SystemFieldName>();
  for (const name of names) {
    if (name === 'id' || name === 'documentId') continue;
    const field = model.fields.get(name);
    if (field && isPrivate(field))
      throw bad(`Invalid field ${name}: private fields cannot be selected`, param, name, path);
    if (!readable(model, name, ctx)) throw bad(`Invalid field ${name}`, param, name, path);
    if (field?.kind === 'scalar') {
      fields.push({ name, column: field.column, type: field.attribute.type });
      continue;
    }
    if (!field && model.modelKind === 'contentType' && (SYSTEM_FIELD_NAMES as readonly string[]).includes(name)) {
      if (name !== 'locale' || model.localized) {
        system.add(name as SystemFieldName);
        continue;
      }
    }
    throw bad(`Invalid field ${name}${field ? ': only scalar fields can be selected' : ''}`, param, name, path);
  }
  selection.fields = fields;
  selection.system = system;
}

function populatable(model: ContentTypeModel | ComponentModel): Field[] {
  return [...model.fields.values()].filter((f) => f.kind !== 'scalar' && !isPrivate(f));
}

function populateItem(
  field: Field,
  raw: Raw,
  ctx: ParseContext,
  path: string,
  depth: number,
  star: boolean,
): PopulateItem | undefined {
  if (depth > ctx.limits.populateDepth) {
    throw bad(
      `Populate is nested too deeply (at most ${ctx.limits.populateDepth} levels)`,
      'populate',
      field.name,
      path,
    );
  }
  const options: RawObject =
    raw === true || raw === 'true' || raw === '*' || raw === undefined
      ? {}
      : isObject(raw) && !asList(raw)
        ? raw
        : (() => {
            throw bad(`Invalid populate for ${field.name}`, 'populate', field.name, path);
          })();
  switch (field.kind) {
    case 'relation': {
      const target = ctx.schema.contentTypes.get(field.target);
      if (!target) throw bad(`Invalid populate: ${field.name} points at an unknown type`, 'populate', field.name, path);
      if (!ctx.canRead(target.uid)) {
        if (star) return undefined;
        throw ctx.forbidden(target.uid);
      }
      for (const key of Object.keys(options)) {
        if (!['fields', 'filters', 'sort', 'populate', 'count'].includes(key))
          throw bad(`Invalid key ${key} in populate`, 'populate', key, `${path}.${key}`);
      }
      const count =
        options.count === undefined ? false : booleanFlag(options.count, 'populate', 'count', `${path}.count`);
      const selection = defaultSelection(target, ctx);
      if (options.fields !== undefined) applyFields(selection, options.fields, ctx, 'populate', `${path}.fields`);
      if (options.populate !== undefined)
        parsePopulate(selection, options.populate, ctx, `${path}.populate`, depth + 1);
      const filter =
        options.filters === undefined
          ? null
          : parseFilterObject(target, options.filters, { ...ctx }, `${path}.filters`, 1);
      const sort = options.sort === undefined ? [] : parseSort(target, options.sort, ctx, 'populate');
      return { kind: 'relation', field, target, selection, filter, sort, count };
    }
    case 'component':
      for (const key of Object.keys(options)) {
        if (!['fields', 'populate'].includes(key))
          throw bad(`Invalid key ${key} in populate`, 'populate', key, `${path}.${key}`);
      }
      return {
        kind: 'component',
        components: new Map([componentSelection(field.component, options, ctx, path, depth)]),
      };
    case 'dynamiczone': {
      for (const key of Object.keys(options)) {
        if (!['on', 'populate'].includes(key))
          throw bad(`Invalid key ${key} in populate`, 'populate', key, `${path}.${key}`);
      }
      if (options.on === undefined) {
        const all = field.components.flatMap((uid) =>
          ctx.schema.components.has(uid) ? [componentSelection(uid, options, ctx, path, depth)] : [],
        );
        return { kind: 'component', components: new Map(all) };
      }
      return { kind: 'component', components: fragments(field.components, options, ctx, path, depth) };
    }
    case 'media': {
      for (const key of Object.keys(options)) {
        if (key !== 'fields') throw bad(`Invalid key ${key} in populate`, 'populate', key, `${path}.${key}`);
      }
      let fields: string[] | null = null;
      if (options.fields !== undefined) {
        fields = stringList(options.fields, 'populate', `${path}.fields`);
        for (const name of fields) {
          if (!MEDIA_KEYS.has(name)) throw bad(`Invalid field ${name} of media`, 'populate', name, `${path}.fields`);
        }
      }
      return { kind: 'media', field, fields };
    }
    default:
      throw bad(`Invalid populate: ${field.name} is not a relation, media or component`, 'populate', field.name, path);
  }
}

/** One component type of a component field or dynamic zone, read as `spec` (fields, populate) says. */
function componentSelection(
  uid: string,
  spec: RawObject,
  ctx: ParseContext,
  path: string,
  depth: number,
): [string, NodeSelection] {
  const model = ctx.schema.components.get(uid);
  if (!model) throw bad(`Invalid populate: ${uid} is an unknown component`, 'populate', uid, path);
  const selection = defaultSelection(model, ctx);
  if (spec.fields !== undefined) applyFields(selection, spec.fields, ctx, 'populate', `${path}.fields`);
  if (spec.populate !== undefined) parsePopulate(selection, spec.populate, ctx, `${path}.populate`, depth + 1);
  return [uid, selection];
}

/**
 * `populate[zone][on][<component>]=…`: only the component types listed are read (Strapi 5 adds
 * `component_type IN (…)`), each as its own fragment says. Strapi keeps nothing beside `on`; a
 * `populate` next to it would be silently dropped there, so it is refused here.
 */
function fragments(
  uids: string[],
  options: RawObject,
  ctx: ParseContext,
  path: string,
  depth: number,
): Map<string, NodeSelection> {
  const on = options.on;
  if (!isObject(on) || asList(on)) throw bad(`Invalid populate ${path}.on`, 'populate', 'on', `${path}.on`);
  if (options.populate !== undefined) {
    throw bad(`Invalid populate ${path}: use on or populate, not both`, 'populate', 'populate', `${path}.populate`);
  }
  const components = new Map<string, NodeSelection>();
  for (const [uid, raw] of Object.entries(on)) {
    const at = `${path}.on.${uid}`;
    if (!uids.includes(uid)) throw bad(`Invalid component ${uid} in ${path}.on`, 'populate', uid, at);
    const spec: RawObject =
      raw === true || raw === 'true' || raw === '*'
        ? {}
        : isObject(raw) && !asList(raw)
          ? raw
          : (() => {
              throw bad(`Invalid populate ${at}`, 'populate', uid, at);
            })();
    for (const key of Object.keys(spec)) {
      if (!['fields', 'populate'].includes(key))
        throw bad(`Invalid key ${key} in populate`, 'populate', key, `${at}.${key}`);
    }
    const [, selection] = componentSelection(uid, spec, ctx, at, depth);
    components.set(uid, selection);
  }
  return components;
}

function parsePopulate(selection: NodeSelection, raw: Raw, ctx: ParseContext, path: string, depth: number): void {
  const model = selection.model;
  if (depth > ctx.limits.populateDepth) {
    throw bad(
      `Populate is nested too deeply (at most ${ctx.limits.populateDepth} levels)`,
      'populate',
      'populate',
      path,
    );
  }
  const add = (name: string, value: Raw, star: boolean, itemPath: string) => {
    const field = model.fields.get(name);
    if (!field || field.kind === 'scalar' || isPrivate(field))
      throw bad(`Invalid populate key ${name}`, 'populate', name, itemPath);
    if (!readable(model, name, ctx)) {
      if (star) return;
      throw bad(`Invalid populate key ${name}`, 'populate', name, itemPath);
    }
    if (field.kind === 'relation' && !field.owner && model.modelKind === 'component') {
      // Component rows have no documentId for an owner's links to point at.
      throw bad(
        `Invalid populate key ${name}: inverse relations of components are not supported`,
        'populate',
        name,
        itemPath,
      );
    }
    const item = populateItem(field, value, ctx, itemPath, depth, star);
    if (item) selection.populate.set(name, item);
  };
  if (raw === '*' || raw === 'true' || raw === true) {
    for (const field of populatable(model)) {
      add(field.name, true, true, `${path}.${field.name}`);
    }
    return;
  }
  if (typeof raw === 'string' || asList(raw)) {
    for (const name of stringList(raw, 'populate', path)) {
      if (name === '*') {
        parsePopulate(selection, '*', ctx, path, depth);
        continue;
      }
      // `populate=category.cover`: dotted paths populate nested levels.
      const [head, ...tail] = name.split('.');
      const nested: Raw = tail.length ? { populate: tail.join('.') } : true;
      const existing = selection.populate.get(head);
      if (existing && tail.length) {
        const sel =
          existing.kind === 'relation'
            ? [existing.selection]
            : existing.kind === 'component'
              ? [...existing.components.values()]
              : [];
        if (existing.kind === 'media')
          throw bad(`Invalid populate ${name}: media has no nested fields`, 'populate', name, `${path}.${head}`);
        for (const s of sel) parsePopulate(s, tail.join('.'), ctx, `${path}.${head}.populate`, depth + 1);
      } else add(head, nested, false, `${path}.${head}`);
    }
    return;
  }
  if (isObject(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      if (value === 'false' || value === false) continue;
      add(name, value, false, `${path}.${name}`);
    }
    return;
  }
  throw bad('Invalid populate', 'populate', 'populate', path);
}

// ---------------------------------------------------------------------------------------------

export interface ParseOptions {
  /** findOne / single types: pagination and sort do not apply. */
  single?: boolean;
}

export function parseContentQuery(
  type: ContentTypeModel,
  raw: RawObject,
  ctx: ParseContext,
  options: ParseOptions = {},
): ContentQuery {
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.has(key)) throw bad(`Invalid query parameter ${key}`, key, key, key);
  }
  let status: 'draft' | 'published' = 'published';
  if (raw.status !== undefined) {
    if (raw.status !== 'draft' && raw.status !== 'published')
      throw bad('Invalid status (draft or published)', 'status', 'status', 'status');
    status = raw.status;
  }
  // Folio's own: how rich text is answered. Only `html` exists; anything else is refused, not ignored.
  if (raw.render !== undefined && raw.render !== 'html') {
    throw bad('Invalid render (html, or leave it out for the stored values)', 'render', 'render', 'render');
  }
  let locale = type.localized ? ctx.defaultLocale : '';
  if (raw.locale !== undefined) {
    if (typeof raw.locale !== 'string' || !LOCALE_PARAM_FORMAT.test(raw.locale)) {
      throw bad('Invalid locale', 'locale', 'locale', 'locale');
    }
    if (type.localized) locale = raw.locale;
  }

  const filters: Filter[] = [];
  if (raw.filters !== undefined) filters.push(parseFilterObject(type, raw.filters, ctx, 'filters', 1));
  if (raw._q !== undefined) {
    if (typeof raw._q !== 'string') throw bad('Invalid _q: expected text', '_q', '_q', '_q');
    const q = raw._q.trim();
    if (q) {
      const items: Filter[] = type.scalars
        // Encrypted fields are not searched: the database holds only their ciphertext.
        .filter(
          (f) =>
            SEARCHABLE_TYPES.has(f.attribute.type) &&
            !isPrivate(f) &&
            !isEncrypted(f.attribute) &&
            readable(type, f.name, ctx),
        )
        .map((f) => ({
          kind: 'compare',
          column: { name: f.name, column: f.column, type: f.attribute.type },
          op: '$containsi',
          value: q,
        }));
      // Nothing to search in (no text field the caller may read): nothing matches.
      filters.push(
        items.length ? { kind: 'or', items } : { kind: 'compare', column: ID_REF, op: '$null', value: true },
      );
    }
  }
  const filter =
    filters.length === 0 ? null : filters.length === 1 ? filters[0] : { kind: 'and' as const, items: filters };

  const sort = raw.sort === undefined || options.single ? [] : parseSort(type, raw.sort, ctx, 'sort');
  const pagination = options.single
    ? { style: 'page' as const, page: 1, pageSize: 1, withCount: false }
    : parsePagination(raw.pagination, ctx.limits);
  const selection = defaultSelection(type, ctx);
  if (raw.fields !== undefined) applyFields(selection, raw.fields, ctx, 'fields', 'fields');
  if (raw.populate !== undefined) parsePopulate(selection, raw.populate, ctx, 'populate', 1);

  const query: ContentQuery = { type, status, locale, filter, sort, pagination, selection };
  if (raw.render === 'html') query.render = 'html';
  return query;
}
