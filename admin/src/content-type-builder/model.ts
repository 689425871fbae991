// The builder's working copy of the schema, and every edit the page makes to it, as pure functions.
// Edits happen in the browser; Save sends the definitions that differ from the schema in force (a
// schema file: `null` removes one) with the renames made here, and the server plans the change.
// Renames are recorded, never guessed: each field remembers the stored name it came from.
import type {
  Attribute,
  AttributeType,
  ComponentDefinition,
  ComponentLayout,
  ContentTypeDefinition,
  ContentTypeLayout,
  RelationAttribute,
  RelationKind,
  SchemaDocument,
} from '../../../server/schema/types.js';
import { pruneLayout, renameInLayout } from '../../../server/schema/layout.js';

export type {
  Attribute,
  AttributeType,
  ComponentDefinition,
  ComponentLayout,
  ContentTypeDefinition,
  ContentTypeLayout,
  LayoutField,
  LayoutSize,
  MediaKind,
  RelationKind,
  SchemaDocument,
} from '../../../server/schema/types.js';

export type OwnerKind = 'contentType' | 'component';
export interface Owner {
  kind: OwnerKind;
  uid: string;
}

export interface Rename {
  type: string;
  from: string;
  to: string;
}

export interface Draft {
  /** The schema in force (GET /schema). */
  stored: SchemaDocument;
  /** The schema as edited here. */
  doc: SchemaDocument;
  /** Per type or component: current field name → the stored field it continues. */
  origins: Record<string, Record<string, string>>;
}

/** What Save sends: the definitions that changed (null: removed) and the renames. */
export interface ChangeSet {
  contentTypes: Record<string, ContentTypeDefinition | null>;
  components: Record<string, ComponentDefinition | null>;
  renames: Rename[];
}

export const INVERSE_KIND: Record<RelationKind, RelationKind> = {
  oneToOne: 'oneToOne',
  oneToMany: 'manyToOne',
  manyToOne: 'oneToMany',
  manyToMany: 'manyToMany',
};

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** JSON with sorted keys, so that equal definitions compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export function draftOf(stored: SchemaDocument): Draft {
  const origins: Draft['origins'] = {};
  for (const [uid, def] of [...Object.entries(stored.contentTypes), ...Object.entries(stored.components)]) {
    origins[uid] = Object.fromEntries(Object.keys(def.attributes).map((name) => [name, name]));
  }
  return { stored, doc: clone(stored), origins };
}

/** Display name → kebab-case API name: "Blog Post" → "blog-post". */
export function kebab(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[-0-9]+|-+$/g, '');
}

/** English plural of a kebab-case name's last word, good enough as a suggestion (it stays editable). */
export function pluralize(name: string): string {
  if (!name) return '';
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  return `${name}s`;
}

/** kebab-case → camelCase, for suggested field names ("blog-posts" → "blogPosts"). */
export function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function definitionOf(
  doc: SchemaDocument,
  owner: Owner,
): ContentTypeDefinition | ComponentDefinition | undefined {
  return owner.kind === 'contentType' ? doc.contentTypes[owner.uid] : doc.components[owner.uid];
}

/**
 * Applies an edit to a copy of the working schema. Every layout is pruned afterwards, so that no
 * edit (a field removed here, the other side of a relation removed there, a type deleted with the
 * fields that pointed at it) leaves a layout naming a field that is gone.
 */
function withDoc(draft: Draft, change: (doc: SchemaDocument, origins: Draft['origins']) => void): Draft {
  const doc = clone(draft.doc);
  const origins = clone(draft.origins);
  change(doc, origins);
  for (const def of [...Object.values(doc.contentTypes), ...Object.values(doc.components)]) {
    if (def.layout) def.layout = pruneLayout(def);
  }
  return { stored: draft.stored, doc, origins };
}

/** A field renamed in the layout too, where it is placed and listed. */
function renameLaid(def: ContentTypeDefinition | ComponentDefinition, from: string, to: string): void {
  if (def.layout) def.layout = renameInLayout(def.layout, from, to);
}

/** Sets (or, with undefined, removes) the view layout of a type or component. */
export function setLayout(draft: Draft, owner: Owner, layout: ContentTypeLayout | ComponentLayout | undefined): Draft {
  return withDoc(draft, (doc) => {
    const def = definitionOf(doc, owner);
    if (!def) return;
    if (layout) def.layout = layout;
    else delete def.layout;
  });
}

/** The attributes with one key replaced in place (the field keeps its position), or removed. */
function replaceKey(
  attributes: Record<string, Attribute>,
  from: string,
  to: string | null,
  value?: Attribute,
): Record<string, Attribute> {
  const out: Record<string, Attribute> = {};
  for (const [key, attr] of Object.entries(attributes)) {
    if (key !== from) out[key] = attr;
    else if (to !== null) out[to] = value ?? attr;
  }
  return out;
}

/** The attributes with `key` added at `index` (-1: at the end). */
function insertAt(
  attributes: Record<string, Attribute>,
  index: number,
  key: string,
  value: Attribute,
): Record<string, Attribute> {
  const entries = Object.entries(attributes).filter(([k]) => k !== key);
  entries.splice(index < 0 ? entries.length : Math.min(index, entries.length), 0, [key, value]);
  return Object.fromEntries(entries);
}

function setAttributes(doc: SchemaDocument, owner: Owner, attributes: Record<string, Attribute>): void {
  const def = definitionOf(doc, owner);
  if (def) def.attributes = attributes;
}

/** Moves a field's recorded origin along with a rename (or forgets it when the field goes). */
function moveOrigin(origins: Draft['origins'], uid: string, from: string, to: string | null): void {
  const own = (origins[uid] ??= {});
  const origin = own[from];
  delete own[from];
  if (to !== null && origin !== undefined) own[to] = origin;
}

/** The other side of a bidirectional relation: where it lives and its name. */
function inverseOf(attr: Attribute | undefined): { target: string; name: string } | undefined {
  if (!attr || attr.type !== 'relation') return undefined;
  const name = attr.inversedBy ?? attr.mappedBy;
  return name ? { target: attr.target, name } : undefined;
}

/** Removes the inverse side of `attr` (declared on `owner`'s field `name`) when it points back. */
function dropInverse(
  doc: SchemaDocument,
  origins: Draft['origins'],
  owner: Owner,
  name: string,
  attr: Attribute | undefined,
): void {
  const inverse = inverseOf(attr);
  if (!inverse) return;
  const target = doc.contentTypes[inverse.target];
  const other = target?.attributes[inverse.name];
  if (!target || !other || other.type !== 'relation' || other.target !== owner.uid) return;
  if ((other.inversedBy ?? other.mappedBy) !== name) return;
  target.attributes = replaceKey(target.attributes, inverse.name, null);
  moveOrigin(origins, inverse.target, inverse.name, null);
}

export interface RelationInverse {
  /** The field on the target that answers this one; empty for a one-way relation. */
  name: string;
}

/**
 * Adds or replaces the field `previous` (null: a new field) of `owner` by `name`/`attr`. A rename
 * keeps the field's position and origin. For a relation, `inverse` is the other side's field: it
 * is created, renamed or removed on the target to match (the side that was declared first keeps
 * the link table: `inversedBy` here unless this field already was the `mappedBy` side).
 */
export function putField(
  draft: Draft,
  owner: Owner,
  previous: string | null,
  name: string,
  attr: Attribute,
  inverse?: RelationInverse,
): Draft {
  return withDoc(draft, (doc, origins) => {
    const def = definitionOf(doc, owner);
    if (!def) return;
    const before = previous === null ? undefined : def.attributes[previous];
    const beforeInverse = inverseOf(before);
    const wasMapped = before?.type === 'relation' && before.mappedBy !== undefined;
    let value: Attribute = attr;
    if (attr.type === 'relation') {
      const { inversedBy: _i, mappedBy: _m, ...rest } = attr;
      value = rest;
    }

    if (previous !== null && previous !== name) {
      moveOrigin(origins, owner.uid, previous, name);
      renameLaid(def, previous, name);
    }
    // The old other side goes; it comes back below (renamed if need be) when the relation keeps one.
    let inverseOrigin: string | undefined;
    let inversePosition = -1;
    if (beforeInverse) {
      inverseOrigin = origins[beforeInverse.target]?.[beforeInverse.name];
      inversePosition = Object.keys(doc.contentTypes[beforeInverse.target]?.attributes ?? {}).indexOf(
        beforeInverse.name,
      );
      dropInverse(doc, origins, owner, previous as string, before);
    }

    const next =
      previous === null ? { ...def.attributes, [name]: value } : replaceKey(def.attributes, previous, name, value);
    setAttributes(doc, owner, next);

    if (value.type === 'relation' && inverse && inverse.name && owner.kind === 'contentType') {
      const target = doc.contentTypes[value.target];
      if (!target) return;
      const rel = value;
      const mapped = wasMapped && beforeInverse?.target === rel.target;
      const own = definitionOf(doc, owner)!.attributes[name] as RelationAttribute;
      const other: RelationAttribute = {
        type: 'relation',
        relation: INVERSE_KIND[rel.relation],
        target: owner.uid,
        ...(mapped ? { inversedBy: name } : { mappedBy: name }),
      };
      if (mapped) own.mappedBy = inverse.name;
      else own.inversedBy = inverse.name;
      // Keep the other side's options (required, private…) and its place when it was there before.
      const old =
        beforeInverse && beforeInverse.target === rel.target
          ? draft.doc.contentTypes[rel.target]?.attributes[beforeInverse.name]
          : undefined;
      const merged: RelationAttribute = old && old.type === 'relation' ? { ...stripSides(old), ...other } : other;
      // Back in its place when it was there before. (A relation to its own type puts both sides on
      // the same definition: `target` is `def` then.)
      const sameSide = beforeInverse?.target === rel.target && inversePosition >= 0;
      if (sameSide && beforeInverse.name !== inverse.name) renameLaid(target, beforeInverse.name, inverse.name);
      target.attributes = insertAt(target.attributes, sameSide ? inversePosition : -1, inverse.name, merged);
      if (inverseOrigin !== undefined && beforeInverse?.target === rel.target) {
        (origins[rel.target] ??= {})[inverse.name] = inverseOrigin;
      }
    }
  });
}

function stripSides(attr: RelationAttribute): RelationAttribute {
  const { inversedBy: _i, mappedBy: _m, ...rest } = attr;
  return rest;
}

/** Removes a field (and the other side of a bidirectional relation). */
export function removeField(draft: Draft, owner: Owner, name: string): Draft {
  return withDoc(draft, (doc, origins) => {
    const def = definitionOf(doc, owner);
    if (!def) return;
    dropInverse(doc, origins, owner, name, def.attributes[name]);
    setAttributes(doc, owner, replaceKey(def.attributes, name, null));
    moveOrigin(origins, owner.uid, name, null);
  });
}

export function putContentType(draft: Draft, uid: string, def: ContentTypeDefinition): Draft {
  return withDoc(draft, (doc, origins) => {
    doc.contentTypes[uid] = def;
    origins[uid] ??= {};
  });
}

export function putComponent(draft: Draft, uid: string, def: ComponentDefinition): Draft {
  return withDoc(draft, (doc, origins) => {
    doc.components[uid] = def;
    origins[uid] ??= {};
  });
}

/** Fields elsewhere that point at a type or component (they go with it). */
export function referencesTo(doc: SchemaDocument, owner: Owner): { owner: Owner; field: string }[] {
  const found: { owner: Owner; field: string }[] = [];
  const scan = (kind: OwnerKind, defs: Record<string, ContentTypeDefinition | ComponentDefinition>) => {
    for (const [uid, def] of Object.entries(defs)) {
      if (uid === owner.uid && kind === owner.kind) continue;
      for (const [field, attr] of Object.entries(def.attributes)) {
        const hit =
          owner.kind === 'contentType'
            ? attr.type === 'relation' && attr.target === owner.uid
            : (attr.type === 'component' && attr.component === owner.uid) ||
              (attr.type === 'dynamiczone' && attr.components.includes(owner.uid));
        if (hit) found.push({ owner: { kind, uid }, field });
      }
    }
  };
  scan('contentType', doc.contentTypes);
  scan('component', doc.components);
  return found;
}

/** Removes a type or component, and what refers to it (relations to it; its uses in dynamic zones). */
export function removeDefinition(draft: Draft, owner: Owner): Draft {
  return withDoc(draft, (doc, origins) => {
    for (const ref of referencesTo(doc, owner)) {
      const def = definitionOf(doc, ref.owner);
      const attr = def?.attributes[ref.field];
      if (!def || !attr) continue;
      if (attr.type === 'dynamiczone' && attr.components.length > 1) {
        def.attributes[ref.field] = { ...attr, components: attr.components.filter((c) => c !== owner.uid) };
      } else {
        def.attributes = replaceKey(def.attributes, ref.field, null);
        moveOrigin(origins, ref.owner.uid, ref.field, null);
      }
    }
    if (owner.kind === 'contentType') delete doc.contentTypes[owner.uid];
    else delete doc.components[owner.uid];
    delete origins[owner.uid];
  });
}

/** What Save sends. */
export function changeSet(draft: Draft): ChangeSet {
  const diff = <T>(stored: Record<string, T>, doc: Record<string, T>): Record<string, T | null> => {
    const out: Record<string, T | null> = {};
    for (const uid of new Set([...Object.keys(stored), ...Object.keys(doc)])) {
      if (!(uid in doc)) out[uid] = null;
      else if (!(uid in stored) || canonical(stored[uid]) !== canonical(doc[uid])) out[uid] = doc[uid];
    }
    return out;
  };
  const renames: Rename[] = [];
  for (const [uid, fields] of Object.entries(draft.origins)) {
    const exists = uid in draft.stored.contentTypes || uid in draft.stored.components;
    if (!exists || !(uid in draft.doc.contentTypes || uid in draft.doc.components)) continue;
    for (const [to, from] of Object.entries(fields)) if (from !== to) renames.push({ type: uid, from, to });
  }
  return {
    contentTypes: diff(draft.stored.contentTypes, draft.doc.contentTypes),
    components: diff(draft.stored.components, draft.doc.components),
    renames,
  };
}

/** The types and components with unsaved changes. */
export function dirtyUids(draft: Draft): Set<string> {
  const set = changeSet(draft);
  return new Set([...Object.keys(set.contentTypes), ...Object.keys(set.components), ...set.renames.map((r) => r.type)]);
}

export function isDirty(draft: Draft): boolean {
  return dirtyUids(draft).size > 0;
}

/** A field's stored name when it was renamed here (shown beside it). */
export function renamedFrom(draft: Draft, uid: string, name: string): string | undefined {
  const origin = draft.origins[uid]?.[name];
  return origin !== undefined && origin !== name ? origin : undefined;
}

export function isNewField(draft: Draft, uid: string, name: string): boolean {
  return draft.origins[uid]?.[name] === undefined;
}

/** An attribute type; `label` and `hint` are keys of i18n.ts (folio.builder.types, .type_hints). */
export type AttributeTypeInfo = { type: AttributeType; label: string; hint: string };

/** Every attribute type, in the order the field dialog offers them. */
export const ATTRIBUTE_TYPES: AttributeTypeInfo[] = [
  { type: 'string', label: 'folio.builder.types.string', hint: 'folio.builder.type_hints.string' },
  { type: 'text', label: 'folio.builder.types.text', hint: 'folio.builder.type_hints.text' },
  { type: 'richtext', label: 'folio.builder.types.richtext', hint: 'folio.builder.type_hints.richtext' },
  { type: 'blocks', label: 'folio.builder.types.blocks', hint: 'folio.builder.type_hints.blocks' },
  { type: 'email', label: 'folio.builder.types.email', hint: 'folio.builder.type_hints.email' },
  { type: 'password', label: 'folio.builder.types.password', hint: 'folio.builder.type_hints.password' },
  { type: 'uid', label: 'folio.builder.types.uid', hint: 'folio.builder.type_hints.uid' },
  { type: 'integer', label: 'folio.builder.types.integer', hint: 'folio.builder.type_hints.integer' },
  { type: 'biginteger', label: 'folio.builder.types.biginteger', hint: 'folio.builder.type_hints.biginteger' },
  { type: 'decimal', label: 'folio.builder.types.decimal', hint: 'folio.builder.type_hints.decimal' },
  { type: 'float', label: 'folio.builder.types.float', hint: 'folio.builder.type_hints.float' },
  { type: 'boolean', label: 'folio.builder.types.boolean', hint: 'folio.builder.type_hints.boolean' },
  { type: 'date', label: 'folio.builder.types.date', hint: 'folio.builder.type_hints.date' },
  { type: 'time', label: 'folio.builder.types.time', hint: 'folio.builder.type_hints.time' },
  { type: 'datetime', label: 'folio.builder.types.datetime', hint: 'folio.builder.type_hints.datetime' },
  { type: 'enumeration', label: 'folio.builder.types.enumeration', hint: 'folio.builder.type_hints.enumeration' },
  { type: 'json', label: 'folio.builder.types.json', hint: 'folio.builder.type_hints.json' },
  { type: 'media', label: 'folio.builder.types.media', hint: 'folio.builder.type_hints.media' },
  { type: 'relation', label: 'folio.builder.types.relation', hint: 'folio.builder.type_hints.relation' },
  { type: 'component', label: 'folio.builder.types.component', hint: 'folio.builder.type_hints.component' },
  { type: 'dynamiczone', label: 'folio.builder.types.dynamiczone', hint: 'folio.builder.type_hints.dynamiczone' },
];

/** The key of a type's name (translate it); an unknown type is shown as it is. */
export function typeLabel(type: AttributeType): string {
  return ATTRIBUTE_TYPES.find((t) => t.type === type)?.label ?? type;
}

/** How the builder's words are looked up (react-admin's translate). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A one-line summary of a field's options for the fields table, in the admin's words. */
export function describeAttribute(attr: Attribute, doc: SchemaDocument, t: Translate): string {
  const parts: string[] = [];
  switch (attr.type) {
    case 'relation': {
      const target = doc.contentTypes[attr.target]?.info.displayName ?? attr.target;
      const sides = attr.inversedBy ?? attr.mappedBy;
      const relation = t(`folio.builder.relations.${attr.relation}`, { _: attr.relation });
      parts.push(
        sides
          ? t('folio.builder.describe.relation_two_way', { relation, target, name: sides })
          : t('folio.builder.describe.relation_one_way', { relation, target }),
      );
      break;
    }
    case 'media':
      parts.push(
        t(attr.multiple ? 'folio.builder.describe.multiple' : 'folio.builder.describe.single'),
        ...(attr.allowedTypes?.length
          ? [attr.allowedTypes.map((kind) => t(`folio.builder.media_kinds.${kind}`, { _: kind })).join(', ')]
          : []),
      );
      break;
    case 'component': {
      const name = doc.components[attr.component]?.info.displayName ?? attr.component;
      parts.push(attr.repeatable ? t('folio.builder.describe.repeatable', { name }) : name);
      break;
    }
    case 'dynamiczone':
      parts.push(attr.components.map((c) => doc.components[c]?.info.displayName ?? c).join(', '));
      break;
    case 'enumeration':
      parts.push(attr.enum.join(' | '));
      break;
    case 'uid':
      if (attr.targetField) parts.push(t('folio.builder.describe.from', { name: attr.targetField }));
      break;
    default:
      break;
  }
  const flags = attr as {
    required?: boolean;
    unique?: boolean;
    private?: boolean;
    encrypted?: boolean;
    min?: number;
    max?: number;
    minLength?: number;
    maxLength?: number;
    default?: unknown;
  };
  if (flags.required) parts.push(t('folio.builder.describe.required'));
  if (flags.unique) parts.push(t('folio.builder.describe.unique'));
  if (flags.private) parts.push(t('folio.builder.describe.private'));
  if (flags.encrypted) parts.push(t('folio.builder.describe.encrypted'));
  const range = (what: string, min: number | undefined, max: number | undefined) =>
    min !== undefined && max !== undefined
      ? `${t(what)} ${min}–${max}`
      : min !== undefined
        ? `${t(what)} ≥ ${min}`
        : `${t(what)} ≤ ${max}`;
  if (flags.minLength !== undefined || flags.maxLength !== undefined)
    parts.push(range('folio.builder.describe.length', flags.minLength, flags.maxLength));
  if (flags.min !== undefined || flags.max !== undefined) {
    const what = attr.type === 'component' || attr.type === 'dynamiczone' ? 'items' : 'value';
    parts.push(range(`folio.builder.describe.${what}`, flags.min, flags.max));
  }
  if (flags.default !== undefined) {
    parts.push(t('folio.builder.describe.default', { value: JSON.stringify(flags.default) }));
  }
  return parts.join(' · ');
}
