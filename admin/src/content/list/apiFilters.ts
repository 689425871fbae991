// The list's filters as the editor sets them (one form value per input) → the Admin API's
// Strapi-style filters. A range is two inputs of one attribute, `<name>@from` and `<name>@to` ('@'
// cannot be part of an attribute name). Names are looked up in the schema as own properties; values
// left over from an older schema (a saved filter on a deleted field) are dropped, not sent.

/** What filtering needs of an attribute and of a content type (schema.ts: Attribute, ContentTypeInfo). */
interface FilterableAttribute {
  type: string;
  private?: boolean;
}
interface FilterableType {
  attributes: Record<string, FilterableAttribute>;
}

export type Bound = 'from' | 'to';

/** The form value of one end of a range. */
export const boundKey = (name: string, bound: Bound): string => `${name}@${bound}`;

/** The entry's own dates, which every list can be filtered by. */
export const SYSTEM_DATES = ['createdAt', 'updatedAt', 'publishedAt'] as const;

export type FilterKind = 'text' | 'number' | 'boolean' | 'enumeration' | 'date' | 'datetime' | 'relation';

const KIND_OF_TYPE: ReadonlyMap<string, FilterKind> = new Map([
  ['string', 'text'],
  ['text', 'text'],
  ['richtext', 'text'],
  ['email', 'text'],
  ['uid', 'text'],
  ['integer', 'number'],
  ['float', 'number'],
  ['decimal', 'number'],
  ['boolean', 'boolean'],
  ['enumeration', 'enumeration'],
  ['date', 'date'],
  ['datetime', 'datetime'],
  ['relation', 'relation'],
]);

/** How an attribute is filtered; undefined when it is not (media, components, JSON, private fields). */
export function filterKindOf(attribute: FilterableAttribute): FilterKind | undefined {
  return attribute.private ? undefined : KIND_OF_TYPE.get(attribute.type);
}

function kindOfName(type: FilterableType, name: string): FilterKind | undefined {
  if (Object.hasOwn(type.attributes, name)) return filterKindOf(type.attributes[name]);
  return (SYSTEM_DATES as readonly string[]).includes(name) ? 'datetime' : undefined;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant a local calendar day (YYYY-MM-DD) starts, `offset` days later. */
function dayStart(day: unknown, offset: number): string | undefined {
  const match = typeof day === 'string' ? DAY.exec(day) : null;
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offset).toISOString();
}

/** One end of a range: from is inclusive, to includes the whole day it names. */
function rangeCondition(kind: FilterKind, value: unknown, bound: Bound): Record<string, unknown> | undefined {
  const inclusive = bound === 'from' ? '$gte' : '$lte';
  if (kind === 'number')
    return typeof value === 'number' && Number.isFinite(value) ? { [inclusive]: value } : undefined;
  if (kind === 'date') return typeof value === 'string' && DAY.test(value) ? { [inclusive]: value } : undefined;
  if (kind !== 'datetime') return undefined;
  // Days are the editor's own (local) days; "to" ends where the next one starts.
  const at = dayStart(value, bound === 'from' ? 0 : 1);
  return at ? { [bound === 'from' ? '$gte' : '$lt']: at } : undefined;
}

function valueCondition(kind: FilterKind, value: unknown): Record<string, unknown> | undefined {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? { $containsi: value } : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? { $eq: value } : undefined;
    case 'enumeration':
      return typeof value === 'string' ? { $eq: value } : undefined;
    case 'relation': {
      // Entries linking any of the chosen targets (by documentId, as the pickers list them).
      const ids = (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string' && v !== '');
      return ids.length ? { documentId: { $in: ids } } : undefined;
    }
    default:
      return undefined;
  }
}

/** The form's filter values (without q, status and locale) as the API's `filters`. */
export function toApiFilters(type: FilterableType, values: Record<string, unknown>): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    const [name, bound, ...rest] = key.split('@');
    if (rest.length || (bound !== undefined && bound !== 'from' && bound !== 'to')) continue;
    const kind = kindOfName(type, name);
    const condition = kind && (bound ? rangeCondition(kind, value, bound) : valueCondition(kind, value));
    if (condition) parts.push({ [name]: condition });
  }
  return parts.length ? { $and: parts } : {};
}
