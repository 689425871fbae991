// Schema validation: a schema file's shape (zod), then the rules that span attributes and types
// (relation targets and inverses, names, collisions, what Folio refuses). Every error names its path
// (`contentTypes.article.attributes.title`), and all errors are reported at once.
import { z } from 'zod';
import { ValidationError, type BodyErrorItem } from '../errors.js';
import { buildModel, isMemberTarget, MEMBER_TARGET, normaliseTarget } from './model.js';
import { RESERVED_ATTRIBUTE_NAMES, RESERVED_ROUTE_NAMES, SYSTEM_COLUMNS, attributeColumn } from './naming.js';
import { attributeColumnType, physicalSchema } from './physical.js';
import type { Rename } from './plan.js';
import { layoutProblems } from './layout.js';
import { ENCRYPTABLE_TYPES, LENGTH_BOUNDED_TYPES } from './text-attributes.js';
import { previewUrlProblems } from '../content/preview-url.js';
import type { Attribute, ComponentDefinition, ContentTypeDefinition, SchemaDocument, SchemaFile } from './types.js';

const SCALAR_TYPES = [
  'string',
  'text',
  'richtext',
  'blocks',
  'email',
  'password',
  'uid',
  'integer',
  'biginteger',
  'float',
  'decimal',
  'boolean',
  'date',
  'time',
  'datetime',
  'enumeration',
  'json',
] as const;
const ATTRIBUTE_TYPES = new Set<string>([...SCALAR_TYPES, 'media', 'relation', 'component', 'dynamiczone']);
const RELATION_KINDS = new Set(['oneToOne', 'oneToMany', 'manyToOne', 'manyToMany']);
const MORPH_KINDS = new Set(['morphToOne', 'morphToMany', 'morphOne', 'morphMany']);
const INVERSE_KIND: Record<string, string> = {
  oneToOne: 'oneToOne',
  oneToMany: 'manyToOne',
  manyToOne: 'oneToMany',
  manyToMany: 'manyToMany',
};
const MEDIA_KINDS = new Set(['images', 'videos', 'audios', 'files']);
const NUMBER_TYPES = new Set(['integer', 'biginteger', 'float', 'decimal']);
/** Types whose column cannot carry a unique constraint or index portably (MySQL needs a prefix length). */
const UNINDEXABLE = new Set(['text', 'richtext', 'blocks', 'json', 'password']);

const looseRecord = z.record(z.string(), z.unknown());
const info = z.looseObject({
  singularName: z.string(),
  pluralName: z.string(),
  displayName: z.string().min(1),
  description: z.string().optional(),
});
// The view layout (layout.ts checks the names against the attributes).
const layoutFields = z
  .array(z.strictObject({ name: z.string(), size: z.enum(['full', 'half']).optional() }))
  .min(1, 'a section needs at least one field');
const layoutShape = z.strictObject({
  edit: z
    .array(
      z.strictObject({
        title: z.string().trim().min(1, 'a section title cannot be blank').max(100).optional(),
        fields: layoutFields,
      }),
    )
    .optional(),
  list: z.array(z.string()).optional(),
});
// A component is shown inside its owner's section: one list of fields, order and width only.
const componentLayoutShape = z.strictObject({
  edit: z
    .array(z.strictObject({ fields: layoutFields }))
    .max(1, 'a component layout has one section')
    .optional(),
});
const contentTypeShape = z.looseObject({
  kind: z.enum(['collectionType', 'singleType']),
  collectionName: z.string().optional(),
  info,
  options: z
    .looseObject({ draftAndPublish: z.boolean().optional(), previewUrl: z.string().trim().max(2000).optional() })
    .optional(),
  pluginOptions: z.looseObject({ i18n: z.looseObject({ localized: z.boolean().optional() }).optional() }).optional(),
  attributes: z.record(z.string(), looseRecord),
  layout: layoutShape.optional(),
});
const componentShape = z.looseObject({
  collectionName: z.string().optional(),
  info: z.looseObject({
    displayName: z.string().min(1),
    icon: z.string().optional(),
    description: z.string().optional(),
  }),
  attributes: z.record(z.string(), looseRecord),
  layout: componentLayoutShape.optional(),
});
const fileShape = z.strictObject({
  contentTypes: z.record(z.string(), contentTypeShape.nullable()).optional(),
  components: z.record(z.string(), componentShape.nullable()).optional(),
});

/** `record[key]` as an own property only: a name from the file (`constructor`) must not find Object.prototype. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function fail(errors: BodyErrorItem[]): never {
  const lines = errors.map((e) => `${e.path.join('.')}: ${e.message}`);
  const message =
    lines.length === 1 ? `invalid schema: ${lines[0]}` : `invalid schema (${lines.length} errors): ${lines.join('; ')}`;
  throw ValidationError.fromErrors(errors, message);
}

/** The shape of a schema file (what `schema apply` reads); attribute rules come with the document. */
export function parseSchemaFile(input: unknown): SchemaFile {
  const result = fileShape.safeParse(input);
  if (!result.success) {
    fail(
      result.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: issue.message,
        name: 'ValidationError',
      })),
    );
  }
  return result.data as SchemaFile;
}

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
const KEBAB = /^[a-z][a-z0-9-]*$/;
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const COMPONENT_UID = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

interface Context {
  doc: SchemaDocument;
  errors: BodyErrorItem[];
}

function check(ctx: Context, path: (string | number)[], message: string): void {
  ctx.errors.push({ path, message, name: 'ValidationError' });
}

function validateAttribute(
  ctx: Context,
  owner: { uid: string; component: boolean },
  name: string,
  raw: Attribute,
  path: string[],
): void {
  const a = raw as unknown as Record<string, unknown>;
  const type = a.type;
  if (!ATTRIBUTE_NAME.test(name))
    check(ctx, path, `attribute name "${name}" must start with a letter and use only letters, digits and _`);
  if (RESERVED_ATTRIBUTE_NAMES.has(name)) check(ctx, path, `attribute name "${name}" is reserved`);
  if (type === 'customField') {
    check(ctx, path, `custom fields are not supported (customField ${JSON.stringify(a.customField ?? '')})`);
    return;
  }
  if (typeof type !== 'string' || !ATTRIBUTE_TYPES.has(type)) {
    check(ctx, [...path, 'type'], `unknown attribute type ${JSON.stringify(type)}`);
    return;
  }
  for (const option of ['required', 'unique', 'private', 'configurable', 'repeatable', 'multiple', 'encrypted']) {
    if (a[option] !== undefined && typeof a[option] !== 'boolean')
      check(ctx, [...path, option], `${option} must be true or false`);
  }
  if (a.index !== undefined && typeof a.index !== 'boolean' && a.index !== 'asc' && a.index !== 'desc') {
    check(ctx, [...path, 'index'], 'index must be true, false, "asc" or "desc"');
  }
  const indexed = a.index === true || a.index === 'asc' || a.index === 'desc';
  const limits = (lo: string, hi: string, integer: boolean) => {
    for (const key of [lo, hi]) {
      const v = a[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || (integer && (!isInt(v) || v < 0))) {
        check(ctx, [...path, key], `${key} must be ${integer ? 'a non-negative integer' : 'a number'}`);
      }
    }
    if (typeof a[lo] === 'number' && typeof a[hi] === 'number' && a[lo] > a[hi]) {
      check(ctx, [...path, lo], `${lo} (${a[lo]}) is greater than ${hi} (${a[hi]})`);
    }
  };
  if (a.encrypted === true) validateEncrypted(ctx, type, a, indexed, path);
  if ((a.unique === true || indexed) && a.encrypted !== true) {
    const problem = unindexable(raw);
    if (problem) check(ctx, path, `${a.unique === true ? 'unique' : 'index'} is ${problem}`);
  }

  if (LENGTH_BOUNDED_TYPES.has(type)) {
    limits('minLength', 'maxLength', true);
    if (a.regex !== undefined) {
      if (typeof a.regex !== 'string') check(ctx, [...path, 'regex'], 'regex must be a string');
      else {
        try {
          new RegExp(a.regex);
        } catch (err) {
          check(ctx, [...path, 'regex'], `regex is not a valid regular expression: ${(err as Error).message}`);
        }
      }
    }
    if (type === 'uid' && a.targetField !== undefined) {
      const def = owner.component ? own(ctx.doc.components, owner.uid) : own(ctx.doc.contentTypes, owner.uid);
      const target =
        def && typeof a.targetField === 'string'
          ? (own(def.attributes, a.targetField) as unknown as Record<string, unknown> | undefined)
          : undefined;
      if (typeof a.targetField !== 'string' || !target)
        check(
          ctx,
          [...path, 'targetField'],
          `targetField ${JSON.stringify(a.targetField)} is not an attribute of ${owner.uid}`,
        );
      else if (ATTRIBUTE_TYPES.has(target.type as string) && !['string', 'text', 'uid'].includes(target.type as string))
        check(ctx, [...path, 'targetField'], `targetField "${a.targetField}" must be a string, text or uid attribute`);
      else if (target.encrypted === true)
        check(ctx, [...path, 'targetField'], `targetField "${a.targetField}" is encrypted: a uid would show its value`);
    }
  }
  if (NUMBER_TYPES.has(type)) {
    limits('min', 'max', false);
    if (
      a.default !== undefined &&
      typeof a.default !== 'number' &&
      !(type === 'biginteger' && typeof a.default === 'string' && /^-?\d+$/.test(a.default))
    ) {
      check(ctx, [...path, 'default'], 'default must be a number');
    }
  }
  if (type === 'boolean' && a.default !== undefined && typeof a.default !== 'boolean')
    check(ctx, [...path, 'default'], 'default must be true or false');
  if (type === 'enumeration') {
    const values = a.enum;
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
      check(ctx, [...path, 'enum'], 'enum must be a non-empty list of non-empty strings');
    } else {
      if (new Set(values).size !== values.length) check(ctx, [...path, 'enum'], 'enum lists a value twice');
      if (values.some((v: string) => v.length > 255))
        check(ctx, [...path, 'enum'], 'enum values are at most 255 characters');
      if (a.default !== undefined && a.default !== null && !values.includes(a.default)) {
        check(ctx, [...path, 'default'], `default ${JSON.stringify(a.default)} is not one of the enum values`);
      }
    }
  }
  if (type === 'media' && a.allowedTypes !== undefined) {
    if (!Array.isArray(a.allowedTypes) || a.allowedTypes.some((k) => !MEDIA_KINDS.has(k as string))) {
      check(ctx, [...path, 'allowedTypes'], 'allowedTypes must list images, videos, audios or files');
    }
  }
  if (type === 'relation') validateRelation(ctx, owner, name, a, path);
  if (type === 'component') {
    if (typeof a.component !== 'string' || !own(ctx.doc.components, a.component)) {
      check(ctx, [...path, 'component'], `component ${JSON.stringify(a.component)} is not defined`);
    }
    if (a.repeatable === true) limits('min', 'max', true);
    else if (a.min !== undefined || a.max !== undefined)
      check(ctx, path, 'min and max apply to repeatable components only');
  }
  if (type === 'dynamiczone') {
    if (owner.component) check(ctx, path, 'a component cannot contain a dynamic zone');
    if (!Array.isArray(a.components) || a.components.length === 0)
      check(ctx, [...path, 'components'], 'components must list at least one component');
    else {
      for (const c of a.components) {
        if (typeof c !== 'string' || !own(ctx.doc.components, c))
          check(ctx, [...path, 'components'], `component ${JSON.stringify(c)} is not defined`);
      }
    }
    limits('min', 'max', true);
  }
}

/**
 * `encrypted: true`: only on the text-like types, and never with what needs to compare stored values
 * (the database sees only ciphertext, different at every write: docs/encryption.md).
 */
function validateEncrypted(
  ctx: Context,
  type: string,
  a: Record<string, unknown>,
  indexed: boolean,
  path: string[],
): void {
  const at = [...path, 'encrypted'];
  if (!ENCRYPTABLE_TYPES.has(type)) {
    check(ctx, at, `encrypted is supported on string, text, email, richtext and json attributes, not on ${type}`);
    return;
  }
  if (a.unique === true) check(ctx, at, 'an encrypted attribute cannot be unique (the database sees only ciphertext)');
  if (indexed) check(ctx, at, 'an encrypted attribute cannot be indexed (the database sees only ciphertext)');
}

/** Why an attribute's column cannot be indexed ("not supported on …"), or undefined when it can. */
export function unindexable(raw: Attribute): string | undefined {
  const type = raw.type;
  if (!(SCALAR_TYPES as readonly string[]).includes(type)) return `only supported on scalar attributes, not on ${type}`;
  if (UNINDEXABLE.has(type) || (LENGTH_BOUNDED_TYPES.has(type) && attributeColumnType(raw as never).kind === 'text')) {
    return (
      `not supported on a ${type} attribute` +
      `${LENGTH_BOUNDED_TYPES.has(type) && !UNINDEXABLE.has(type) ? ' longer than 255 characters' : ''} ` +
      `(stored as text or JSON, which MySQL cannot index)`
    );
  }
  return undefined;
}

/** Attribute types whose value is one plain value a preview URL can carry. */
const NOT_PLAIN = new Set(['relation', 'component', 'dynamiczone', 'media', 'json', 'blocks', 'password']);

/** `options.previewUrl`: an http(s) URL naming plain attributes and {locale}, {documentId}, {token}. */
function validatePreviewUrl(ctx: Context, def: ContentTypeDefinition, path: string[]): void {
  const template: unknown = def.options?.previewUrl;
  if (template === undefined || template === '') return;
  if (typeof template !== 'string') return check(ctx, path, 'previewUrl must be a string');
  const plain = new Set(
    Object.entries(def.attributes)
      .filter(([, attribute]) => !NOT_PLAIN.has(attribute.type) && attribute.encrypted !== true)
      .map(([name]) => name),
  );
  for (const problem of previewUrlProblems(template, plain)) check(ctx, path, `previewUrl ${problem}`);
}

/** The bounds of a type's own retention, those of REVISIONS_KEEP and REVISIONS_MAX_AGE_DAYS. */
const RETENTION_BOUNDS = { keep: 1_000_000, maxAgeDays: 36_500 } as const;

/** `options.revisions`: false (no history for the type) or its own { keep, maxAgeDays }. */
function validateRevisionPolicy(ctx: Context, def: ContentTypeDefinition, path: string[]): void {
  const policy: unknown = def.options?.revisions;
  if (policy === undefined || policy === false) return;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
    return check(ctx, path, 'revisions must be false (no history for this type) or { "keep": n, "maxAgeDays": n }');
  for (const [key, value] of Object.entries(policy)) {
    if (!Object.hasOwn(RETENTION_BOUNDS, key)) {
      check(ctx, [...path, key], `revisions has no option ${JSON.stringify(key)} (keep, maxAgeDays)`);
      continue;
    }
    const max = RETENTION_BOUNDS[key as keyof typeof RETENTION_BOUNDS];
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
      check(ctx, [...path, key], `${key} must be a whole number from 0 (no limit) to ${max}`);
  }
}

/** At most this many attributes per composite index (with status, locale and id: 8 columns). */
const MAX_INDEX_ATTRIBUTES = 5;
const INDEX_ITEM = /^([A-Za-z][A-Za-z0-9_]*)(?::(asc|desc))?$/;

/** `options.indexes`: each names 1–5 indexable attributes of the type, and no two are the same. */
function validateCompositeIndexes(ctx: Context, def: ContentTypeDefinition, path: string[]): void {
  const indexes: unknown = def.options?.indexes;
  if (indexes === undefined) return;
  if (!Array.isArray(indexes)) {
    check(ctx, path, 'indexes must be a list of { attributes: [...] }');
    return;
  }
  const seen = new Set<string>();
  indexes.forEach((index: unknown, i) => {
    const at = [...path, i, 'attributes'];
    const items = (index as { attributes?: unknown } | null)?.attributes;
    if (
      !Array.isArray(items) ||
      items.length === 0 ||
      items.length > MAX_INDEX_ATTRIBUTES ||
      !items.every((x) => typeof x === 'string')
    ) {
      check(ctx, at, `attributes must list 1 to ${MAX_INDEX_ATTRIBUTES} attribute names ("name" or "name:desc")`);
      return;
    }
    const names = new Set<string>();
    for (const item of items) {
      const match = INDEX_ITEM.exec(item);
      const attribute = match ? own(def.attributes, match[1]) : undefined;
      if (!match || !attribute) {
        check(ctx, at, `${JSON.stringify(item)} is not an attribute of this type ("name" or "name:desc")`);
        continue;
      }
      const problem = attribute.encrypted === true ? 'not supported on an encrypted attribute' : unindexable(attribute);
      if (problem) check(ctx, at, `an index on ${match[1]} is ${problem}`);
      if (names.has(match[1])) check(ctx, at, `${match[1]} is named twice`);
      names.add(match[1]);
    }
    const shape = items.map((x) => x.replace(/:asc$/, '')).join(',');
    if (seen.has(shape)) check(ctx, at, `the same index is listed twice`);
    seen.add(shape);
  });
}

/**
 * A relation to the site members is to-one and one-way, on a content type: it is held as a column
 * (model.ts), since the engine's link tables join content types' documents, which members are not.
 * The type's owner (`options.owner`) is one of them; others are plain member relations.
 */
function validateMemberRelation(
  ctx: Context,
  owner: { uid: string; component: boolean },
  name: string,
  a: Record<string, unknown>,
  path: string[],
): void {
  const def = owner.component ? undefined : own(ctx.doc.contentTypes, owner.uid);
  if (a.relation !== 'oneToOne' && a.relation !== 'manyToOne')
    check(ctx, [...path, 'relation'], 'a relation to the members must be oneToOne or manyToOne');
  else if (a.inversedBy !== undefined || a.mappedBy !== undefined)
    check(ctx, path, 'a relation to the members is one-way (no inversedBy or mappedBy)');
  else if (!def) check(ctx, path, 'a relation to the members belongs to a content type, not a component');
}

/** `options.owner`: names a relation of the type to the members. */
function validateOwner(ctx: Context, def: ContentTypeDefinition, path: string[]): void {
  const name: unknown = def.options?.owner;
  if (name === undefined) return;
  const attribute = typeof name === 'string' ? own(def.attributes, name) : undefined;
  if (!attribute || attribute.type !== 'relation' || !isMemberTarget(attribute.target))
    check(ctx, path, `owner must name a relation to ${MEMBER_TARGET} of this type`);
}

function validateRelation(
  ctx: Context,
  owner: { uid: string; component: boolean },
  name: string,
  a: Record<string, unknown>,
  path: string[],
): void {
  const relation = a.relation as string;
  if (MORPH_KINDS.has(relation)) {
    check(ctx, [...path, 'relation'], `morph relations (${relation}) are not supported`);
    return;
  }
  if (!RELATION_KINDS.has(relation)) {
    check(
      ctx,
      [...path, 'relation'],
      `relation must be oneToOne, oneToMany, manyToOne or manyToMany, not ${JSON.stringify(relation)}`,
    );
    return;
  }
  if (typeof a.target !== 'string') {
    check(ctx, [...path, 'target'], 'target must name a content type');
    return;
  }
  if (isMemberTarget(a.target)) {
    validateMemberRelation(ctx, owner, name, a, path);
    return;
  }
  const target = normaliseTarget(a.target);
  const targetDef = own(ctx.doc.contentTypes, target);
  if (!targetDef) {
    check(ctx, [...path, 'target'], `target ${JSON.stringify(a.target)} is not a content type of this schema`);
    return;
  }
  if (a.inversedBy !== undefined && a.mappedBy !== undefined) {
    check(ctx, path, 'a relation has inversedBy or mappedBy, not both');
    return;
  }
  if (owner.component && (a.inversedBy !== undefined || a.mappedBy !== undefined)) {
    check(ctx, path, 'relations in components are one-way (no inversedBy or mappedBy)');
    return;
  }
  for (const side of ['inversedBy', 'mappedBy'] as const) {
    const other = a[side];
    if (other === undefined) continue;
    const expected = side === 'inversedBy' ? 'mappedBy' : 'inversedBy';
    const inverse =
      typeof other === 'string'
        ? (own(targetDef.attributes, other) as unknown as Record<string, unknown> | undefined)
        : undefined;
    if (typeof other !== 'string' || !inverse) {
      check(ctx, [...path, side], `${side} ${JSON.stringify(other)} is not an attribute of ${target}`);
    } else if (
      inverse.type !== 'relation' ||
      normaliseTarget(String(inverse.target)) !== owner.uid ||
      inverse[expected] !== name
    ) {
      check(ctx, [...path, side], `${target}.${other} must be a relation to ${owner.uid} with ${expected}: "${name}"`);
    } else if (INVERSE_KIND[relation] !== inverse.relation) {
      check(
        ctx,
        [...path, side],
        `${relation} is answered by ${INVERSE_KIND[relation]} on ${target}.${other}, not ${String(inverse.relation)}`,
      );
    }
  }
}

function validateDefinitionNames(ctx: Context): void {
  const routes = new Map<string, string>();
  for (const [uid, def] of Object.entries(ctx.doc.contentTypes)) {
    const path = ['contentTypes', uid];
    const { singularName, pluralName } = def.info;
    if (!KEBAB.test(singularName))
      check(ctx, [...path, 'info', 'singularName'], `singularName "${singularName}" must be kebab-case (a-z, 0-9, -)`);
    if (!KEBAB.test(pluralName))
      check(ctx, [...path, 'info', 'pluralName'], `pluralName "${pluralName}" must be kebab-case (a-z, 0-9, -)`);
    if (uid !== singularName) check(ctx, path, `the key "${uid}" must be the type's singularName "${singularName}"`);
    if (singularName === pluralName) check(ctx, [...path, 'info'], 'singularName and pluralName must differ');
    for (const routeName of [singularName, pluralName]) {
      if (RESERVED_ROUTE_NAMES.has(routeName)) check(ctx, [...path, 'info'], `"${routeName}" is a reserved route name`);
      const taken = routes.get(routeName);
      if (taken && taken !== uid)
        check(ctx, [...path, 'info'], `"${routeName}" is already a name of content type ${taken}`);
      routes.set(routeName, uid);
    }
    if (def.collectionName !== undefined && !/^[a-z][a-z0-9_]*$/.test(def.collectionName)) {
      check(ctx, [...path, 'collectionName'], 'collectionName must be snake_case (a-z, 0-9, _)');
    }
  }
  for (const [uid, def] of Object.entries(ctx.doc.components)) {
    if (!COMPONENT_UID.test(uid))
      check(ctx, ['components', uid], `component name "${uid}" must be <category>.<name> in kebab-case`);
    if (def.collectionName !== undefined && !/^[a-z][a-z0-9_]*$/.test(def.collectionName)) {
      check(ctx, ['components', uid, 'collectionName'], 'collectionName must be snake_case (a-z, 0-9, _)');
    }
  }
}

function validateColumns(ctx: Context, path: string[], attributes: Record<string, Attribute>, system: boolean): void {
  const columns = new Map<string, string>();
  const reserved = new Set<string>(system ? Object.values(SYSTEM_COLUMNS) : ['id']);
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!ATTRIBUTE_NAME.test(name)) continue;
    if (['relation', 'media', 'component', 'dynamiczone'].includes((attribute as { type: string }).type)) continue;
    const column = attributeColumn(name);
    if (reserved.has(column))
      check(ctx, [...path, 'attributes', name], `attribute "${name}" would use the system column ${column}`);
    const other = columns.get(column);
    if (other)
      check(ctx, [...path, 'attributes', name], `attributes "${other}" and "${name}" would share the column ${column}`);
    columns.set(column, name);
  }
}

function componentCycles(ctx: Context): void {
  const children = (uid: string): string[] =>
    Object.values(own(ctx.doc.components, uid)?.attributes ?? {}).flatMap((a) =>
      a.type === 'component' ? [a.component] : [],
    );
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (uid: string, trail: string[]): void => {
    if (state.get(uid) === 'done') return;
    if (state.get(uid) === 'visiting') {
      check(ctx, ['components', uid], `components contain each other: ${[...trail, uid].join(' → ')}`);
      return;
    }
    state.set(uid, 'visiting');
    for (const child of children(uid)) if (own(ctx.doc.components, child)) visit(child, [...trail, uid]);
    state.set(uid, 'done');
  };
  for (const uid of Object.keys(ctx.doc.components)) visit(uid, []);
}

function validateTables(ctx: Context): void {
  let tables;
  try {
    tables = physicalSchema(buildModel(ctx.doc));
  } catch (err) {
    check(ctx, [], `the schema cannot be resolved: ${(err as Error).message}`);
    return;
  }
  const seen = new Map<string, string>();
  for (const table of tables) {
    const what = table.field ? `${table.owner}.${table.field}` : table.owner;
    if (table.name.startsWith('folio_'))
      check(ctx, [], `${what} would use the table ${table.name}: folio_* tables are Folio's own`);
    const other = seen.get(table.name);
    if (other) check(ctx, [], `${other} and ${what} would both use the table ${table.name}`);
    seen.set(table.name, what);
  }
}

/** The rules a whole document must satisfy (the stored one after merging a file). */
export function assertValidDocument(doc: SchemaDocument): void {
  const ctx: Context = { doc, errors: [] };
  // Shape first: attribute rules assume definitions are objects with attributes.
  const shape = fileShape.safeParse(doc);
  if (!shape.success) parseSchemaFile(doc);
  validateDefinitionNames(ctx);
  for (const [uid, def] of Object.entries<ContentTypeDefinition>(doc.contentTypes)) {
    validateColumns(ctx, ['contentTypes', uid], def.attributes, true);
    validateCompositeIndexes(ctx, def, ['contentTypes', uid, 'options', 'indexes']);
    validatePreviewUrl(ctx, def, ['contentTypes', uid, 'options', 'previewUrl']);
    validateRevisionPolicy(ctx, def, ['contentTypes', uid, 'options', 'revisions']);
    validateOwner(ctx, def, ['contentTypes', uid, 'options', 'owner']);
    for (const [name, attribute] of Object.entries(def.attributes)) {
      validateAttribute(ctx, { uid, component: false }, name, attribute, ['contentTypes', uid, 'attributes', name]);
    }
  }
  for (const [uid, def] of Object.entries<ComponentDefinition>(doc.components)) {
    validateColumns(ctx, ['components', uid], def.attributes, false);
    for (const [name, attribute] of Object.entries(def.attributes)) {
      validateAttribute(ctx, { uid, component: true }, name, attribute, ['components', uid, 'attributes', name]);
    }
  }
  for (const [kind, defs] of [
    ['contentTypes', doc.contentTypes],
    ['components', doc.components],
  ] as const) {
    for (const [uid, def] of Object.entries<ContentTypeDefinition | ComponentDefinition>(defs)) {
      for (const problem of layoutProblems(def)) check(ctx, [kind, uid, ...problem.path], problem.message);
    }
  }
  componentCycles(ctx);
  if (ctx.errors.length === 0) validateTables(ctx);
  if (ctx.errors.length > 0) fail(ctx.errors);
}

/** `type.old=new` (the type may itself hold a dot: `shared.seo.title=heading`). */
export function parseRename(text: string): Rename {
  const match = /^(.+)\.([A-Za-z][A-Za-z0-9_]*)=([A-Za-z][A-Za-z0-9_]*)$/.exec(text);
  if (!match) throw new ValidationError(`--rename ${JSON.stringify(text)} must look like type.oldName=newName`);
  return { type: match[1], from: match[2], to: match[3] };
}

/**
 * How rename errors name the rename: the CLI's `--rename type.old=new` flag, or the Admin API's
 * `renames[i]` body item (whose path lets the dashboard point at the rename it sent).
 */
export type RenameSource = 'cli' | 'body';

/** Renames must name a field that the stored definition has and the file's definition replaces. */
export function validateRenames(
  stored: SchemaDocument,
  file: SchemaFile,
  renames: Rename[],
  source: RenameSource = 'cli',
): void {
  const errors: BodyErrorItem[] = [];
  const seen = new Set<string>();
  const theFile = source === 'cli' ? 'the file' : 'the schema';
  for (const [index, r] of renames.entries()) {
    const label =
      source === 'cli' ? `--rename ${r.type}.${r.from}=${r.to}` : `rename of ${r.type}.${r.from} to ${r.to}`;
    const path = source === 'cli' ? ['rename', `${r.type}.${r.from}`] : ['renames', index];
    const err = (message: string) =>
      errors.push({ path, message: `${label}: ${message.replace('the file', theFile)}`, name: 'ValidationError' });
    const isComponent = Object.hasOwn(stored.components, r.type);
    const before = isComponent ? own(stored.components, r.type) : own(stored.contentTypes, r.type);
    const after = isComponent ? own(file.components ?? {}, r.type) : own(file.contentTypes ?? {}, r.type);
    if (!before) {
      err(`${r.type} is not a content type or component of the schema in force`);
      continue;
    }
    if (!after) {
      err(`the file does not define ${r.type}`);
      continue;
    }
    if (seen.has(`${r.type}.${r.from}`)) err('the same field is renamed twice');
    seen.add(`${r.type}.${r.from}`);
    const from = own(before.attributes, r.from);
    const to = own(after.attributes, r.to);
    if (!from) err(`${r.type} has no field ${r.from}`);
    else if (own(after.attributes, r.from)) err(`the file still defines ${r.type}.${r.from}`);
    if (!to) err(`the file does not define ${r.type}.${r.to}`);
    else if (own(before.attributes, r.to)) err(`${r.type} already has a field ${r.to}`);
    const family = (t: string) => (['relation', 'media', 'component', 'dynamiczone'].includes(t) ? t : 'scalar');
    if (from && to && family(from.type) !== family(to.type))
      err(`a ${from.type} field cannot become a ${to.type} field`);
  }
  if (errors.length > 0) {
    throw ValidationError.fromErrors(errors, errors.map((e) => e.message).join('; '));
  }
}
