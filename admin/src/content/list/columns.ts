// Which columns a content type's list can show, which of them it shows by default (the type's list
// layout, server/schema/layout.ts) and which can be sorted.
import { LIST_SCALAR_TYPES } from '../../../../server/schema/layout.js';
import { contentType, isToMany, type Attribute, type ContentTypeInfo } from '../schema';

/** Columns every list can have besides the attributes: the entry's system fields. */
export type SystemColumn = 'locale' | '__status' | 'createdAt' | 'updatedAt' | '__publishedAt';

export type ListColumn =
  { source: string; kind: 'attribute'; attribute: Attribute } | { source: SystemColumn; kind: 'system' };

/** A to-one relation to a type the editor may read: the list answers its label. */
function isToOne(attribute: Attribute): boolean {
  return attribute.type === 'relation' && !isToMany(attribute) && contentType(attribute.target ?? '') !== undefined;
}

/** Attributes a list row carries and a cell can show: short values, to-one relations and media. */
export function isColumnAttribute(attribute: Attribute): boolean {
  return (
    !attribute.private && (LIST_SCALAR_TYPES.has(attribute.type) || attribute.type === 'media' || isToOne(attribute))
  );
}

/** Every column the type's list can show, attributes in schema order then the system fields. */
export function listColumns(type: ContentTypeInfo): ListColumn[] {
  const columns: ListColumn[] = Object.entries(type.attributes)
    .filter(([, attribute]) => isColumnAttribute(attribute))
    .map(([source, attribute]) => ({ source, kind: 'attribute', attribute }));
  const system: SystemColumn[] = [
    ...(type.localized ? (['locale'] as const) : []),
    ...(type.draftAndPublish ? (['__status', '__publishedAt'] as const) : []),
    'createdAt',
    'updatedAt',
  ];
  return [...columns, ...system.map((source) => ({ source, kind: 'system' as const }))];
}

/**
 * The columns a list shows until the editor chooses others: the type's list layout (Configure the
 * view, completed by the server with its default when the schema names none) that this list can
 * show, then the locale, the status and when it was last updated.
 */
export function defaultListColumns(type: ContentTypeInfo): string[] {
  const shown = type.layout.list.filter(
    (name) => Object.hasOwn(type.attributes, name) && isColumnAttribute(type.attributes[name]),
  );
  return [...shown, ...(type.localized ? ['locale'] : []), ...(type.draftAndPublish ? ['__status'] : []), 'updatedAt'];
}

/** Sortable by the server: plain values and the system dates (not relations, media, components or JSON). */
export function isSortable(column: ListColumn): boolean {
  if (column.kind === 'system') return column.source === 'createdAt' || column.source === 'updatedAt';
  return LIST_SCALAR_TYPES.has(column.attribute.type);
}
