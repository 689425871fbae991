// The index that would serve a list, in the `options.indexes` vocabulary (docs/schema.md): every
// index of a list already starts with (status, locale) and ends with id, so what it names is the
// attributes in between — the columns the filter pins to one value first (equality), then the sort
// column with its direction, or, without a sort, one range-filtered column. Only the type's own
// scalar attributes can be named: relation paths, system columns (createdAt, updatedAt, publishedAt)
// and role conditions are left out, and a list sorted by a system column gets no suggestion.
import type { ContentQuery, Filter } from '../content/query/ast.js';
import type { ContentTypeModel } from '../schema/model.js';
import { effectiveIndex } from '../schema/physical.js';
import { unindexable } from '../schema/validate.js';

const MAX_ATTRIBUTES = 5;
const RANGE = new Set(['$lt', '$lte', '$gt', '$gte', '$between']);

/** The top-level AND's comparisons (an OR or NOT cannot be served by an index prefix). */
function conjuncts(filter: Filter | null): Filter[] {
  if (!filter) return [];
  if (filter.kind === 'and') return filter.items.flatMap(conjuncts);
  return [filter];
}

/** `name` is an attribute of the type an index can hold (not a long text, JSON or relation). */
function attributeOf(type: ContentTypeModel, name: string): boolean {
  const field = type.fields.get(name);
  return field?.kind === 'scalar' && unindexable(field.attribute) === undefined;
}

/** The attributes (`name`, `name:desc`) of the index serving `query`, or null when none can be named. */
export function suggestedAttributes(query: ContentQuery): string[] | null {
  const type = query.type;
  const equal: string[] = [];
  const range: string[] = [];
  for (const f of conjuncts(query.filter)) {
    if (f.kind !== 'compare' || !attributeOf(type, f.column.name)) continue;
    if ((f.op === '$eq' && f.value !== null) || f.op === '$null') {
      if (!equal.includes(f.column.name)) equal.push(f.column.name);
    } else if (RANGE.has(f.op) && !range.includes(f.column.name)) range.push(f.column.name);
  }
  const sorted: string[] = [];
  for (const item of query.sort) {
    if (item.via.length > 0 || !attributeOf(type, item.column.name)) break;
    if (equal.includes(item.column.name)) continue; // one value: it sorts nothing
    sorted.push(item.direction === 'desc' ? `${item.column.name}:desc` : item.column.name);
  }
  // A sort by a system column or through a relation cannot be named: an index on the filter alone
  // would still leave the sort to the database, so only a filter without any sort gets one.
  if (sorted.length === 0 && query.sort.length > 0) return null;
  const tail = sorted.length > 0 ? sorted : range.filter((r) => !equal.includes(r)).slice(0, 1);
  const attributes = [...equal, ...tail].slice(0, MAX_ATTRIBUTES);
  return attributes.length > 0 ? attributes : null;
}

const normal = (attributes: readonly string[]) => attributes.map((a) => a.replace(/:asc$/, '')).join(',');

/** Whether the type's schema already declares this index (its own `options.indexes` or an attribute's `index`). */
export function alreadyDeclared(type: ContentTypeModel, attributes: readonly string[]): boolean {
  const wanted = normal(attributes);
  for (const index of type.definition.options?.indexes ?? []) if (normal(index.attributes) === wanted) return true;
  if (attributes.length !== 1) return false;
  const [name, direction] = attributes[0].split(':');
  const field = type.fields.get(name);
  if (field?.kind !== 'scalar') return false;
  const own = effectiveIndex(field.attribute);
  return own === (direction === 'desc' ? 'desc' : true) || (direction !== 'desc' && own === 'asc');
}
