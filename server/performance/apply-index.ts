// "Add index": one entry more in a type's `options.indexes`, put in force by the schema registry's
// plan and apply — the same path as `folio schema apply` of the exported schema with that entry
// added (validated, locked, recorded; the index built online on MySQL/MariaDB, schema/apply.ts).
import { NotFoundError, ValidationError } from '../errors.js';
import type { ApplyResult, SchemaRegistry } from '../schema/registry.js';
import type { ContentTypeDefinition } from '../schema/types.js';

const normal = (attributes: readonly string[]) => attributes.map((a) => a.replace(/:asc$/, '')).join(',');

/** The type's definition with `attributes` added to its indexes; null when it already lists them. */
export function withIndex(def: ContentTypeDefinition, attributes: string[]): ContentTypeDefinition | null {
  const indexes = def.options?.indexes ?? [];
  if (indexes.some((i) => normal(i.attributes) === normal(attributes))) return null;
  return { ...def, options: { ...def.options, indexes: [...indexes, { attributes }] } };
}

/**
 * Adds the index to content type `uid` and applies the schema. A wrong attribute is the schema's
 * own 400 (validate.ts); an index already listed changes nothing (`noop`).
 */
export async function applyIndex(schema: SchemaRegistry, uid: string, attributes: string[]): Promise<ApplyResult> {
  if (attributes.length === 0) throw new ValidationError('Name at least one attribute of the index');
  const document = await schema.document();
  const def = Object.hasOwn(document.contentTypes, uid) ? document.contentTypes[uid] : undefined;
  if (!def) throw new NotFoundError(`No content type "${uid}"`);
  const changed = withIndex(def, attributes);
  return schema.apply({ contentTypes: { [uid]: changed ?? def } });
}
