// The text-like attribute types, grouped once by what each group is for, and the rule that picks
// the attribute naming an entry (its main field). The query parser and compiler, the Admin API and
// the schema validator all ask here, so a new text type is added in one place.
import type { ComponentModel, ContentTypeModel, Field } from './model.js';
import type { Attribute, ScalarType } from './types.js';

/** Read as plain strings: callers ask about types not yet validated too. */
type TypeSet = ReadonlySet<string>;

/** Types stored and compared as text: the text operators ($containsi, $startsWith…) apply to them. */
export const TEXT_COMPARABLE_TYPES: TypeSet = new Set<ScalarType>([
  'string',
  'text',
  'richtext',
  'email',
  'uid',
  'enumeration',
  'password',
]);

/** Types whose value has a length, bounded by the attribute's minLength / maxLength. */
export const LENGTH_BOUNDED_TYPES: TypeSet = new Set<ScalarType>([
  'string',
  'text',
  'richtext',
  'email',
  'password',
  'uid',
]);

/** Types the full-text parameter searches (the Content API's `_q`, the Admin API's `q`). */
export const SEARCHABLE_TYPES: TypeSet = new Set<ScalarType>(['string', 'text', 'richtext', 'email', 'uid']);

/** Types whose values may be stored encrypted (`encrypted: true`, docs/encryption.md). */
export const ENCRYPTABLE_TYPES: TypeSet = new Set<ScalarType>(['string', 'text', 'richtext', 'email', 'json']);

/** Whether an attribute's values are stored encrypted. */
export function isEncrypted(attribute: { encrypted?: boolean }): boolean {
  return attribute.encrypted === true;
}

/** Types short enough to name an entry in lists and pickers. */
export const MAIN_FIELD_TYPES: TypeSet = new Set<ScalarType>(['string', 'email', 'uid', 'enumeration']);

/** A field never sent to a client: marked private, or a password. */
export function isPrivate(field: Field): boolean {
  return field.attribute.private === true || field.attribute.type === 'password';
}

/** The field that names an entry: the first short text attribute that is neither private nor encrypted. */
export function mainFieldOf(model: ContentTypeModel | ComponentModel): string | null {
  return mainAttributeOf(model.definition.attributes);
}

/** mainFieldOf for a definition's attributes (in definition order), as the builder edits them. */
export function mainAttributeOf(attributes: Record<string, Attribute>): string | null {
  const found = Object.entries(attributes).find(
    ([, a]) => MAIN_FIELD_TYPES.has(a.type) && a.private !== true && a.encrypted !== true,
  );
  return found?.[0] ?? null;
}
