// A role's CASL conditions as the query AST's own Filter nodes (content/query/ast.ts): "only entries I
// created", custom MongoDB-style queries. ANDed with a read's own filters (allOf), they are compiled by
// the one compiler (content/query/compile.ts) into the SQL of lists, counts, populates and the row
// checks of writes, so pagination and totals are right, a forbidden row is never loaded then hidden,
// and an admin read has a shape like any other (content/query/statements.ts).
//
// Semantics follow CASL, which checks the same conditions in memory:
//   - rules are read from the highest priority down; a `can` rule grants the rows matching its
//     conditions unless a higher-priority `cannot` rule with conditions matches them too; an
//     unconditional rule shadows every rule below it; a `cannot` naming fields hides fields, not rows;
//   - a missing value (NULL) is "not equal" to any value ($ne, $nin) and matches `$eq: null`,
//     `$in: [null]`, `$exists: false` (ability.ts reads `$exists` as "is not null", like SQL);
//   - under a negation (a `cannot`, `$nor`) `$eq` and `$in` are guarded with IS NOT NULL: SQL's
//     `NOT (col = 1)` is NULL, not true, for a missing value, where CASL's is true.
import { OWNER_CONDITION_FIELD, type AppAbility } from './ability.js';
import type { MongoQuery } from './conditions.js';
import { allOf, EVERY_ROW, NO_ROW, type ColumnRef, type Filter, type SqlValue } from '../content/query/ast.js';
import type { ContentTypeModel } from '../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../schema/naming.js';

/** A condition names a field or an operator Folio cannot turn into SQL. */
export class UnknownConditionFieldError extends Error {
  override name = 'UnknownConditionFieldError';
}

const CREATED_BY: ColumnRef = { name: 'createdBy', column: S.createdBy, type: 'integer' };
const ID: ColumnRef = { name: 'id', column: S.id, type: 'id' };
const DOCUMENT_ID: ColumnRef = { name: 'documentId', column: S.documentId, type: 'string' };

/** The column a condition's field path names: the creator, the ids, or a scalar attribute. */
function columnOf(type: ContentTypeModel, path: string): ColumnRef {
  if (path === 'createdBy' || path === 'createdBy.id') return CREATED_BY;
  if (path === 'id') return ID;
  if (path === 'documentId') return DOCUMENT_ID;
  if (path === OWNER_CONDITION_FIELD && type.owner)
    return { name: type.owner.name, column: type.owner.column, type: 'integer' };
  const field = type.fields.get(path);
  // The database holds only ciphertext of an encrypted field: a condition on it could never match.
  if (field?.kind === 'scalar' && field.attribute.encrypted === true)
    throw new UnknownConditionFieldError(`The condition field "${path}" of ${type.uid} is encrypted`);
  if (field?.kind === 'scalar') return { name: path, column: field.column, type: field.attribute.type };
  throw new UnknownConditionFieldError(`The condition field "${path}" cannot be applied to ${type.uid}`);
}

type Scalar = Exclude<SqlValue, Date>;

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function scalarsOf(value: unknown, op: string): Scalar[] {
  const items = Array.isArray(value) ? value : [value];
  if (!items.every(isScalar)) throw new UnknownConditionFieldError(`${op} takes a list of scalars`);
  return items;
}

type ComparisonOp = '$eq' | '$ne' | '$in' | '$notIn' | '$lt' | '$lte' | '$gt' | '$gte';
const compare = (column: ColumnRef, op: ComparisonOp, value: SqlValue | SqlValue[]): Filter => ({
  kind: 'compare',
  column,
  op,
  value,
});
const isNull = (column: ColumnRef, is: boolean): Filter => ({ kind: 'compare', column, op: '$null', value: is });
const anyOf = (items: Filter[]): Filter => (items.length === 1 ? items[0] : { kind: 'or', items });
/** A condition no row meets (`$in: []`, `$or: []`): its own object, never the NO_ROW of "no rule grants". */
const noRowMatches = (): Filter => ({ kind: 'not', item: EVERY_ROW });

/**
 * `filter`, false rather than NULL for a missing value when it is to be negated (`negated`): SQL's
 * NOT keeps NULL, so `NOT (col = 1)` would leave out the rows CASL finds "not equal".
 */
const present = (column: ColumnRef, filter: Filter, negated: boolean): Filter =>
  negated ? { kind: 'and', items: [filter, isNull(column, false)] } : filter;

/** One field operator as a Filter, NULL handled as CASL does in memory. */
function operatorFilter(column: ColumnRef, op: string, value: unknown, negated: boolean): Filter {
  if (op === '$exists') return isNull(column, value !== true);
  if (op === '$in' || op === '$nin') {
    const items = scalarsOf(value, op);
    const values = items.filter((v) => v !== null);
    const withNull = values.length !== items.length;
    if (op === '$in') {
      if (!withNull) return values.length ? present(column, compare(column, '$in', values), negated) : noRowMatches();
      return values.length ? anyOf([compare(column, '$in', values), isNull(column, true)]) : isNull(column, true);
    }
    if (!values.length) return withNull ? isNull(column, false) : EVERY_ROW;
    return withNull
      ? { kind: 'and', items: [compare(column, '$notIn', values), isNull(column, false)] }
      : anyOf([compare(column, '$notIn', values), isNull(column, true)]);
  }
  if (!isScalar(value)) throw new UnknownConditionFieldError(`${op} takes a scalar`);
  switch (op) {
    case '$eq':
      return value === null ? isNull(column, true) : present(column, compare(column, '$eq', value), negated);
    case '$ne':
      // MongoDB (and CASL in memory) count a missing value as "not equal": so does the SQL.
      return value === null ? isNull(column, false) : anyOf([compare(column, '$ne', value), isNull(column, true)]);
    case '$lt':
    case '$lte':
    case '$gt':
    case '$gte':
      return compare(column, op, value);
    default:
      throw new UnknownConditionFieldError(`Unsupported condition operator "${op}"`);
  }
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function fieldFilter(type: ContentTypeModel, path: string, value: unknown, negated: boolean): Filter {
  // A member's owner condition on a type without an owner holds on no entry.
  if (path === OWNER_CONDITION_FIELD && !type.owner) return noRowMatches();
  const column = columnOf(type, path);
  const ops: Array<[string, unknown]> = isOperatorObject(value) ? Object.entries(value) : [['$eq', value]];
  return allOf(...ops.map(([op, operand]) => operatorFilter(column, op, operand, negated))) ?? EVERY_ROW;
}

function subQueries(value: unknown, key: string): MongoQuery[] {
  if (!Array.isArray(value)) throw new UnknownConditionFieldError(`${key} takes a list of conditions`);
  return value as MongoQuery[];
}

/**
 * One MongoDB-style query over rows of `type` (fields ANDed; $and, $or, $nor) as a Filter; `negated`:
 * it will be under an odd number of NOTs.
 */
export function conditionsFilter(query: MongoQuery, type: ContentTypeModel, negated = false): Filter {
  const parts = Object.entries(query).map(([key, value]): Filter => {
    if (key === '$and') {
      return allOf(...subQueries(value, key).map((q) => conditionsFilter(q, type, negated))) ?? EVERY_ROW;
    }
    if (key === '$or') {
      const items = subQueries(value, key);
      // An `or` of nothing is no restriction to the compiler; to MongoDB it matches nothing.
      return items.length ? anyOf(items.map((q) => conditionsFilter(q, type, negated))) : noRowMatches();
    }
    if (key === '$nor') {
      const negation = (q: MongoQuery): Filter => ({ kind: 'not', item: conditionsFilter(q, type, !negated) });
      const negations = subQueries(value, key).map(negation);
      return allOf(...negations) ?? EVERY_ROW;
    }
    if (key.startsWith('$')) throw new UnknownConditionFieldError(`Unsupported condition operator "${key}"`);
    return fieldFilter(type, key, value, negated);
  });
  return allOf(...parts) ?? EVERY_ROW;
}

/**
 * The rows of `type` that `ability` may `action`, as a Filter: null when every row (no condition
 * applies), NO_ROW itself when no rule grants any, otherwise `grant₁ AND NOT (denials above it) OR
 * grant₂ AND …`.
 */
export function roleFilter(ability: AppAbility, action: string, type: ContentTypeModel): Filter | null {
  const branches: Filter[] = [];
  const denials: Filter[] = [];
  for (const rule of ability.rulesFor(action, type.uid)) {
    const conditions = rule.conditions;
    if (rule.inverted) {
      if (rule.fields) continue; // a field-level denial does not hide the row
      if (!conditions) break; // everything below is shadowed
      denials.push(conditionsFilter(conditions, type, true));
      continue;
    }
    const denied: Filter | null = denials.length ? { kind: 'not', item: anyOf([...denials]) } : null;
    const branch = allOf(conditions ? conditionsFilter(conditions, type) : null, denied);
    if (branch === null) return null; // an unconditional grant no denial restricts: every row
    branches.push(branch);
    if (!conditions) break; // an unconditional grant covers every lower-priority rule
  }
  return branches.length ? anyOf(branches) : NO_ROW;
}
