// The shape of a list read: its type, status, filter paths and operators, sort and populate — never
// a value. Two requests that differ only in their values (another category, another page) are one
// shape; the advisor keeps its timings per shape (advisor.ts).
import type { ContentQuery, Filter, NodeSelection } from '../content/query/ast.js';

function filterKey(f: Filter): string {
  switch (f.kind) {
    case 'and':
    case 'or':
      return f.items.length === 0 ? '' : `${f.kind}(${f.items.map(filterKey).join(',')})`;
    case 'not':
      return f.item.kind === 'and' && f.item.items.length === 0 ? 'none' : `not(${filterKey(f.item)})`;
    case 'compare':
      // A null or a list's length decides the SQL, not the shape a person reads: left out.
      return `${f.column.name}${f.op}`;
    case 'relation':
      return `${f.field.name}.${f.exists ? '' : '!'}(${f.filter ? filterKey(f.filter) : ''})`;
    case 'component':
      return `${f.field.name}.(${filterKey(f.filter)})`;
    case 'documentState':
      return `state=${f.state}`;
    case 'publishedVersion':
      return `published(${filterKey(f.filter)})`;
  }
}

function populateKey(selection: NodeSelection): string {
  if (selection.populate.size === 0) return '';
  const items: string[] = [];
  for (const [name, item] of selection.populate) {
    if (item.kind === 'relation') items.push(`${name}${item.count ? '#' : ''}${populateKey(item.selection)}`);
    else if (item.kind === 'component') items.push(`${name}${[...item.components.values()].map(populateKey).join('')}`);
    else items.push(name);
  }
  return `(${items.join(',')})`;
}

/** The shape's key: `article|published|and(category.(id$eq),featured$eq)|views:desc|(cover)`. */
export function shapeKey(query: ContentQuery): string {
  const sort = query.sort
    .map((s) => `${s.via.map((v) => `${v.name}.`).join('')}${s.column.name}:${s.direction}`)
    .join(',');
  const filter = query.filter ? filterKey(query.filter) : '';
  return `${query.type.uid}|${query.status}|${filter}|${sort}|${populateKey(query.selection)}`;
}
