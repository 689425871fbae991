// CASL conditions → a knex WHERE. A role's conditions ("only entries I created", custom MongoDB-style
// queries) become part of the SQL of list, count, update and delete queries, so that pagination and
// totals are right and a forbidden row is never loaded then hidden (docs/architecture.md, "Permissions").
//
// Rule semantics follow CASL: rules are read from the highest priority down; a `can` rule grants the
// rows matching its conditions unless a higher-priority `cannot` rule matches them too.
import type { Knex } from 'knex';
import type { MongoQuery } from './conditions.js';
import type { AppAbility } from './ability.js';

/** Where a condition's field lives in SQL. */
export interface ColumnRef {
  /** A column the query can compare (qualified with its table or alias when a join is involved). */
  column: string;
  /**
   * Join hook for fields behind a relation: the engine wraps the comparison, e.g. in
   * `whereExists(select 1 from link join target … where <apply(inner)>)`. Without it the column is
   * compared directly on the query being built.
   */
  wrap?: (qb: Knex.QueryBuilder, apply: (inner: Knex.QueryBuilder) => void) => void;
}

/** Maps a condition's field path (`createdBy`, `category.slug`) to SQL; throws for unknown paths. */
export type FieldResolver = (fieldPath: string) => ColumnRef;

export class UnknownConditionFieldError extends Error {
  override name = 'UnknownConditionFieldError';
}

/** The default resolver of content rows: `createdBy` is `created_by_id`, other fields need the engine. */
export function contentRowResolver(table: string, fallback?: FieldResolver): FieldResolver {
  return (path) => {
    if (path === 'createdBy' || path === 'createdBy.id') return { column: `${table}.created_by_id` };
    if (fallback) return fallback(path);
    throw new UnknownConditionFieldError(`The condition field "${path}" does not exist`);
  };
}

type Scalar = string | number | boolean | null;
const OPERATORS = new Set(['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte', '$exists']);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith('$'));
}

function applyOperator(qb: Knex.QueryBuilder, column: string, op: string, value: unknown): void {
  switch (op) {
    case '$eq':
      if (value === null) qb.whereNull(column);
      else qb.where(column, '=', value as Scalar);
      return;
    case '$ne':
      // MongoDB (and CASL in memory) count a missing value as "not equal": so does the SQL.
      if (value === null) qb.whereNotNull(column);
      else qb.where((w) => w.where(column, '<>', value as Scalar).orWhereNull(column));
      return;
    case '$in': {
      const items = (Array.isArray(value) ? value : [value]) as Scalar[];
      const present = items.filter((v) => v !== null);
      const withNull = present.length !== items.length;
      if (!present.length && !withNull) qb.whereRaw('1 = 0');
      else
        qb.where((w) => {
          if (present.length) w.whereIn(column, present as readonly string[]);
          if (withNull) w.orWhereNull(column);
        });
      return;
    }
    case '$nin': {
      const items = (Array.isArray(value) ? value : [value]) as Scalar[];
      const present = items.filter((v) => v !== null);
      const withNull = present.length !== items.length;
      qb.where((w) => {
        if (present.length) {
          if (withNull) w.whereNotIn(column, present as readonly string[]).whereNotNull(column);
          else w.whereNotIn(column, present as readonly string[]).orWhereNull(column);
        } else if (withNull) w.whereNotNull(column);
        else w.whereRaw('1 = 1');
      });
      return;
    }
    case '$lt':
      qb.where(column, '<', value as Scalar);
      return;
    case '$lte':
      qb.where(column, '<=', value as Scalar);
      return;
    case '$gt':
      qb.where(column, '>', value as Scalar);
      return;
    case '$gte':
      qb.where(column, '>=', value as Scalar);
      return;
    case '$exists':
      if (value) qb.whereNotNull(column);
      else qb.whereNull(column);
      return;
    default:
      throw new UnknownConditionFieldError(`Unsupported condition operator "${op}"`);
  }
}

function applyField(qb: Knex.QueryBuilder, path: string, value: unknown, resolve: FieldResolver): void {
  const ref = resolve(path);
  const ops: [string, unknown][] = isOperatorObject(value) ? Object.entries(value) : [['$eq', value]];
  for (const [op] of ops) if (!OPERATORS.has(op)) throw new UnknownConditionFieldError(`Unsupported condition operator "${op}"`);
  const apply = (inner: Knex.QueryBuilder) => {
    for (const [op, v] of ops) applyOperator(inner, ref.column, op, v);
  };
  if (ref.wrap) ref.wrap(qb, apply);
  else qb.where((w) => apply(w));
}

/** Adds one MongoDB-style query (fields ANDed; $and, $or, $nor) to `qb` as a grouped WHERE. */
export function applyMongoQuery(qb: Knex.QueryBuilder, query: MongoQuery, resolve: FieldResolver): void {
  qb.where((group) => {
    for (const [key, value] of Object.entries(query)) {
      if (key === '$and') {
        for (const item of value as MongoQuery[]) applyMongoQuery(group, item, resolve);
      } else if (key === '$or') {
        const items = value as MongoQuery[];
        if (!items.length) group.whereRaw('1 = 0');
        else group.where((or) => {
          for (const item of items) or.orWhere((inner) => applyMongoQuery(inner, item, resolve));
        });
      } else if (key === '$nor') {
        for (const item of value as MongoQuery[]) group.whereNot((inner) => applyMongoQuery(inner, item, resolve));
      } else if (key.startsWith('$')) {
        throw new UnknownConditionFieldError(`Unsupported condition operator "${key}"`);
      } else {
        applyField(group, key, value, resolve);
      }
    }
  });
}

/**
 * The rows `ability` may `action` on `subject`, as one MongoDB-style query: `null` when none,
 * `{}` when all, otherwise `{ $or: [ { $and: [grant, { $nor: [denials above it] }] } ] }`.
 */
export function abilityQuery(ability: AppAbility, action: string, subject: string): MongoQuery | null {
  const branches: MongoQuery[] = [];
  const denials: MongoQuery[] = [];
  for (const rule of ability.rulesFor(action, subject)) {
    const conditions = rule.conditions as MongoQuery | undefined;
    if (rule.inverted) {
      if (rule.fields) continue; // a field-level denial does not hide the row
      if (!conditions) break; // everything below is shadowed
      denials.push(conditions);
      continue;
    }
    const grant: MongoQuery[] = conditions ? [conditions] : [];
    if (denials.length) grant.push({ $nor: [...denials] });
    branches.push(grant.length === 1 ? grant[0] : { $and: grant });
    if (!conditions) break; // an unconditional grant covers every lower-priority rule
  }
  if (!branches.length) return null;
  const unconditional = branches.find((b) => Object.keys(b).length === 0);
  if (unconditional) return unconditional;
  return branches.length === 1 ? branches[0] : { $or: branches };
}

/**
 * Restricts `qb` to the rows `ability` may `action` on `subject`. Returns false (and makes the
 * query match nothing) when the caller may not act on any row of the subject.
 */
export function applyAbility(qb: Knex.QueryBuilder, ability: AppAbility, action: string, subject: string, resolve: FieldResolver): boolean {
  const query = abilityQuery(ability, action, subject);
  if (query === null) {
    qb.whereRaw('1 = 0');
    return false;
  }
  if (Object.keys(query).length) applyMongoQuery(qb, query, resolve);
  return true;
}
