// `render=html` (docs/content-api.md, "Rich text as HTML"): the Content API answers `richtext` and
// `blocks` fields as sanitised HTML strings. Applied by the read operation to the entries it read,
// after population, by walking the query's selection — the schema's attributes of each type and
// component actually answered, down through populated relations, components and dynamic zones — so a
// value is rendered because its attribute is rich text, never because it looks like Markdown or blocks.
import type { ComponentPopulate, NodeSelection } from '../query/ast.js';
import type { Entry } from '../query/serialize.js';
import { blocksToHtml } from './blocks.js';
import { markdownToHtml } from './markdown.js';

export { blocksToHtml } from './blocks.js';
export { markdownToHtml } from './markdown.js';

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A populated value's entries: a to-one's object, a to-many's list; null and `{ count }` have none. */
function entriesOf(value: unknown): Entry[] {
  if (Array.isArray(value)) return value.filter(isEntry);
  return isEntry(value) ? [value] : [];
}

/**
 * The selection a component instance was read with: a dynamic zone's item names its component
 * (`__component`), a component field has the one its attribute declares.
 */
function componentSelection(
  owner: NodeSelection,
  name: string,
  item: ComponentPopulate,
  entry: Entry,
): NodeSelection | undefined {
  const field = owner.model.fields.get(name);
  if (field?.kind === 'dynamiczone') {
    return typeof entry.__component === 'string' ? item.components.get(entry.__component) : undefined;
  }
  return field?.kind === 'component' ? item.components.get(field.component) : undefined;
}

/** Renders, in place, the rich text of `entry` and of everything populated in it. */
function renderEntry(entry: Entry, selection: NodeSelection): void {
  for (const column of selection.fields) {
    const value = entry[column.name];
    if (column.type === 'richtext' && typeof value === 'string') entry[column.name] = markdownToHtml(value);
    else if (column.type === 'blocks' && value !== null && value !== undefined) {
      entry[column.name] = blocksToHtml(value);
    }
  }
  for (const [name, item] of selection.populate) {
    if (item.kind === 'media' || (item.kind === 'relation' && item.count)) continue;
    for (const child of entriesOf(entry[name])) {
      const childSelection =
        item.kind === 'relation' ? item.selection : componentSelection(selection, name, item, child);
      if (childSelection) renderEntry(child, childSelection);
    }
  }
}

/**
 * The entries of an answer with their `richtext` and `blocks` values as HTML, changed in place: they
 * were read for this answer alone (the response cache keeps the encoded body, never these objects).
 */
export function renderHtml(entries: Entry[], selection: NodeSelection): void {
  for (const entry of entries) renderEntry(entry, selection);
}
