// An entry as the editor reads it → the write body that creates the same entry again: relations as
// documentIds, media as file ids, components and dynamic zones as new instances (their ids dropped, so
// the copy gets components of its own). Pure: what is free for unique values is asked elsewhere.
import type { ComponentModel, Field, Model, RelationField, SchemaModel } from '../../schema/model.js';

/** A field left out of a copy, and why; `field` is a dotted path inside components. */
export interface SkippedField {
  field: string;
  reason: 'not-permitted' | 'exclusive-relation' | 'unique';
}

export interface CopiedValues {
  data: Record<string, unknown>;
  skipped: SkippedField[];
}

type Values = Record<string, unknown>;

function isObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A target held by one source only (oneToOne, and oneToMany from this side): linking the copy to it
 * would take it away from the original, so such links are not copied.
 */
export function holdsTargetExclusively(field: RelationField): boolean {
  return field.attribute.relation === 'oneToOne' || field.attribute.relation === 'oneToMany';
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

function documentIdOf(value: unknown): unknown {
  return isObject(value) ? value.documentId : value;
}

function fileIdOf(value: unknown): unknown {
  return isObject(value) ? value.id : value;
}

interface Walk {
  schema: SchemaModel;
  skipped: SkippedField[];
}

function copyComponent(walk: Walk, model: ComponentModel | undefined, value: unknown, path: string): unknown {
  if (!isObject(value) || !model) return value;
  // The instance's own `id` is the source's component row: left out, the copy gets its own.
  const out: Values =
    isObject(value) && typeof value.__component === 'string' ? { __component: value.__component } : {};
  Object.assign(out, copyFields(walk, model, value, `${path}.`));
  return out;
}

function copyField(walk: Walk, field: Field, value: unknown, path: string): unknown {
  switch (field.kind) {
    case 'relation':
      if (holdsTargetExclusively(field)) {
        if (!isEmpty(value)) walk.skipped.push({ field: path, reason: 'exclusive-relation' });
        return undefined;
      }
      return field.toMany ? (Array.isArray(value) ? value.map(documentIdOf) : []) : (documentIdOf(value) ?? null);
    case 'media':
      return Array.isArray(value) ? value.map(fileIdOf) : (fileIdOf(value) ?? null);
    case 'component': {
      const model = walk.schema.components.get(field.component);
      if (field.repeatable)
        return Array.isArray(value) ? value.map((item, i) => copyComponent(walk, model, item, `${path}.${i}`)) : [];
      return copyComponent(walk, model, value, path) ?? null;
    }
    case 'dynamiczone':
      return Array.isArray(value)
        ? value.map((item, i) =>
            copyComponent(
              walk,
              walk.schema.components.get(String(isObject(item) ? item.__component : '')),
              item,
              `${path}.${i}`,
            ),
          )
        : [];
    default:
      return value;
  }
}

function copyFields(walk: Walk, model: Model, entry: Values, prefix: string): Values {
  const out: Values = {};
  for (const [name, field] of model.fields) {
    if (!Object.hasOwn(entry, name)) continue;
    const value = copyField(walk, field, entry[name], `${prefix}${name}`);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The write body re-creating `entry` of `model`, limited to the top-level fields in `writable` (the
 * caller's create allowlist); every field left out is named in `skipped`.
 */
export function copyValues(schema: SchemaModel, model: Model, entry: Values, writable: Set<string>): CopiedValues {
  const walk: Walk = { schema, skipped: [] };
  const permitted: Values = {};
  for (const name of model.fields.keys()) {
    if (!Object.hasOwn(entry, name)) continue;
    // The owner is never written from a body: a copy belongs to whoever makes it (create-document.ts).
    if (model.modelKind === 'contentType' && model.owner?.name === name) continue;
    if (writable.has(name)) permitted[name] = entry[name];
    else if (!isEmpty(entry[name])) walk.skipped.push({ field: name, reason: 'not-permitted' });
  }
  return { data: copyFields(walk, model, permitted, ''), skipped: walk.skipped };
}
