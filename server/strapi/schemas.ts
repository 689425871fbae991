// The schemas of a Strapi export (schemas/*.jsonl: the running app's content types and components,
// each with uid, modelType, modelName, globalId, plugin and the attributes Strapi adds itself)
// → a Folio schema file, as `folio schema apply` takes a Strapi project's definitions. Only the
// project's own types (`api::…`) and components become Folio's; the attributes Strapi keeps on every
// type (timestamps, publishedAt, createdBy/updatedBy, locale, localizations) are Folio's system
// columns already, and relations to plugin or admin types have nothing to point at in Folio — except
// to-one relations to users-permissions' users, which point at Folio's members (memberRelation).
import { SYSTEM_FIELDS } from '../content/input.js';
import { isMemberTarget } from '../schema/model.js';
import type { Attribute, ComponentDefinition, ContentTypeDefinition, SchemaFile } from '../schema/types.js';

type Json = Record<string, unknown>;

/** Keys data-transfer adds to each schema (utils/schema.ts VALID_SCHEMA_PROPERTIES beyond a schema file's). */
const RUNTIME_KEYS = ['uid', 'modelType', 'modelName', 'globalId', 'plugin'];
/** Attributes Strapi adds to every content type; Folio has them as system columns. */
const SYSTEM_ATTRIBUTES: ReadonlySet<string> = new Set([...SYSTEM_FIELDS, 'localizations']);

export interface ConvertedSchemas {
  file: SchemaFile & {
    contentTypes: Record<string, ContentTypeDefinition>;
    components: Record<string, ComponentDefinition>;
  };
  /** Strapi uid → Folio's name for it (content types: singularName; components: the same uid). */
  names: Map<string, string>;
  /** What was left out, and why, one line each. */
  skipped: string[];
}

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a relation's target is a project type (`api::a.b`) Folio can point at. */
const isProjectTarget = (target: unknown) => typeof target === 'string' && target.startsWith('api::');

/**
 * A relation to Strapi's users as Folio's member relation (docs/schema.md): kept when to-one, without
 * its inverse side (the users are not a content type here); to-many ones have no equivalent. It is
 * never made the type's owner: Strapi has no such notion, and which relation (if any) means "who may
 * edit it" is the project's choice (`options.owner`, set after the import).
 */
function memberRelation(uid: string, name: string, value: Json, skipped: string[]): Attribute | undefined {
  const path = `${uid}.${name}`;
  if (!uid.startsWith('api::')) {
    skipped.push(`${path}: a relation to the users inside a component (Folio's are on content types)`);
    return undefined;
  }
  if (value.relation !== 'oneToOne' && value.relation !== 'manyToOne') {
    skipped.push(`${path}: a ${String(value.relation)} relation to the users (Folio's are to-one)`);
    return undefined;
  }
  if (value.mappedBy !== undefined) {
    skipped.push(`${path}: the inverse side of a relation held by the users`);
    return undefined;
  }
  const { inversedBy, ...attribute } = value;
  if (inversedBy !== undefined)
    skipped.push(
      `${path}: its inverse side on the users (${JSON.stringify(inversedBy)}): relations to members are one-way`,
    );
  return attribute as unknown as Attribute;
}

function attributesOf(uid: string, schema: Json, skipped: string[]): Record<string, Attribute> {
  const attributes: Record<string, Attribute> = {};
  for (const [name, value] of Object.entries(isJson(schema.attributes) ? schema.attributes : {})) {
    if (SYSTEM_ATTRIBUTES.has(name) || !isJson(value)) continue;
    if (value.type === 'relation' && typeof value.target === 'string' && isMemberTarget(value.target)) {
      const attribute = memberRelation(uid, name, value, skipped);
      if (attribute) attributes[name] = attribute;
      continue;
    }
    if (value.type === 'relation' && !isProjectTarget(value.target)) {
      skipped.push(`${uid}.${name}: a relation to ${String(value.target)}, a type Folio does not have`);
      continue;
    }
    if (value.type === 'customField') {
      skipped.push(`${uid}.${name}: a custom field (${String(value.customField)}), which Folio does not have`);
      continue;
    }
    attributes[name] = value as unknown as Attribute;
  }
  return attributes;
}

function definitionOf(uid: string, schema: Json, skipped: string[]): Json {
  const definition: Json = {};
  for (const [key, value] of Object.entries(schema)) if (!RUNTIME_KEYS.includes(key)) definition[key] = value;
  definition.attributes = attributesOf(uid, schema, skipped);
  return definition;
}

export function convertSchemas(schemas: readonly Json[]): ConvertedSchemas {
  const file: ConvertedSchemas['file'] = { contentTypes: {}, components: {} };
  const names = new Map<string, string>();
  const skipped: string[] = [];
  for (const schema of schemas) {
    const uid = typeof schema.uid === 'string' ? schema.uid : undefined;
    if (!uid) continue;
    if (schema.modelType === 'component') {
      file.components[uid] = definitionOf(uid, schema, skipped) as unknown as ComponentDefinition;
      names.set(uid, uid);
    } else if (uid.startsWith('api::')) {
      const info = isJson(schema.info) ? schema.info : {};
      const name = typeof info.singularName === 'string' ? info.singularName : uid.split('.').pop()!;
      file.contentTypes[name] = definitionOf(uid, schema, skipped) as unknown as ContentTypeDefinition;
      names.set(uid, name);
    }
  }
  return { file, names, skipped };
}
