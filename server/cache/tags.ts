// The content types a read depends on: the type read, every type reached by a populated relation, a
// filter or a sort through relations, and the media library when media are populated. A write to any
// of them may change the response, a write to anything else cannot (components are written with
// their owner, so the owner's tag covers them).
import type { ContentQuery, Filter, NodeSelection, SortItem } from '../content/query/ast.js';

/** The tag of the media library's files and folders. */
export const MEDIA_TAG = 'upload';

function fromFilter(filter: Filter | null, out: Set<string>): void {
  if (!filter) return;
  switch (filter.kind) {
    case 'and':
    case 'or':
      for (const item of filter.items) fromFilter(item, out);
      return;
    case 'not':
      fromFilter(filter.item, out);
      return;
    case 'relation':
      out.add(filter.target.uid);
      fromFilter(filter.filter, out);
      return;
    case 'component':
    case 'publishedVersion':
      fromFilter(filter.filter, out);
      return;
    case 'compare':
      return;
  }
}

function fromSort(sort: SortItem[], out: Set<string>): void {
  for (const item of sort) for (const field of item.via) out.add(field.target);
}

function fromSelection(selection: NodeSelection, out: Set<string>): void {
  for (const item of selection.populate.values()) {
    if (item.kind === 'media') out.add(MEDIA_TAG);
    else if (item.kind === 'component') for (const nested of item.components.values()) fromSelection(nested, out);
    else {
      out.add(item.target.uid);
      fromFilter(item.filter, out);
      fromSort(item.sort, out);
      fromSelection(item.selection, out);
    }
  }
}

export function tagsOf(query: ContentQuery): Set<string> {
  const out = new Set<string>([query.type.uid]);
  fromFilter(query.filter, out);
  fromSort(query.sort, out);
  fromSelection(query.selection, out);
  return out;
}
