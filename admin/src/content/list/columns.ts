// Which columns a content type's list can show, which of them it shows by default and which can be
// sorted. The default columns are decided here and nowhere else: a per-type list layout stored with
// the schema will take over from the rule below without the list screen changing.
import { contentType, isToMany, type Attribute, type ContentTypeInfo } from '../schema';

/** Attribute types shown as a value in a cell (and sortable by the server). */
const SCALAR_TYPES = new Set([
  'string',
  'email',
  'uid',
  'integer',
  'biginteger',
  'float',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'time',
  'enumeration',
]);

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
  return !attribute.private && (SCALAR_TYPES.has(attribute.type) || attribute.type === 'media' || isToOne(attribute));
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
 * The columns a list shows until the editor chooses others: the first single media (a thumbnail),
 * the main field, then short values and to-one relations up to five attributes; the locale, the
 * status and when it was last updated.
 */
export function defaultListColumns(type: ContentTypeInfo): string[] {
  const attributes = Object.entries(type.attributes).filter(([, a]) => isColumnAttribute(a) && a.type !== 'time');
  const media = attributes.find(([, a]) => a.type === 'media' && !a.multiple)?.[0];
  const main = attributes.find(([name]) => name === type.mainField)?.[0];
  const others = attributes.filter(([name, a]) => a.type !== 'media' && name !== main).map(([name]) => name);
  const chosen = [media, main, ...others].filter((n): n is string => n !== undefined);
  return [
    ...chosen.slice(0, 5),
    ...(type.localized ? ['locale'] : []),
    ...(type.draftAndPublish ? ['__status'] : []),
    'updatedAt',
  ];
}

/** Sortable by the server: plain values and the system dates (not relations, media, components or JSON). */
export function isSortable(column: ListColumn): boolean {
  if (column.kind === 'system') return column.source === 'createdAt' || column.source === 'updatedAt';
  return SCALAR_TYPES.has(column.attribute.type);
}
