// Content-type definitions in Strapi's schema.json vocabulary (docs/schema.md).
// These are what admins write and what `folio schema export` prints; model.ts resolves them into
// what the engine reads (tables, columns, link tables).

export type ScalarType =
  | 'string'
  | 'text'
  | 'richtext'
  | 'blocks'
  | 'email'
  | 'password'
  | 'uid'
  | 'integer'
  | 'biginteger'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'time'
  | 'datetime'
  | 'enumeration'
  | 'json';

export type AttributeType = ScalarType | 'media' | 'relation' | 'component' | 'dynamiczone';

export interface CommonOptions {
  required?: boolean;
  unique?: boolean;
  private?: boolean;
  configurable?: boolean;
  /**
   * Folio's own: index the column for filtering/sorting, with the id tie-break. `'desc'` builds the
   * index for lists sorted by this column descending (`ORDER BY col DESC, id ASC` can only be read
   * from an index in that order; an ascending one would need a sort of every matching row).
   */
  index?: boolean | 'asc' | 'desc';
  default?: unknown;
  /**
   * Folio's own: the value is stored encrypted (AES-256-GCM under keys from FOLIO_ENCRYPTION_KEYS,
   * docs/encryption.md). string, text, email, richtext and json only; never filtered, sorted,
   * searched, indexed or unique.
   */
  encrypted?: boolean;
  pluginOptions?: { i18n?: { localized?: boolean } } & Record<string, unknown>;
}

export interface StringAttribute extends CommonOptions {
  type: 'string' | 'text' | 'richtext' | 'email' | 'password';
  minLength?: number;
  maxLength?: number;
  regex?: string;
}
export interface UidAttribute extends CommonOptions {
  type: 'uid';
  targetField?: string;
  minLength?: number;
  maxLength?: number;
  regex?: string;
}
export interface NumberAttribute extends CommonOptions {
  type: 'integer' | 'biginteger' | 'float' | 'decimal';
  min?: number;
  max?: number;
}
export interface EnumerationAttribute extends CommonOptions {
  type: 'enumeration';
  enum: string[];
}
export interface PlainAttribute extends CommonOptions {
  type: 'blocks' | 'boolean' | 'date' | 'time' | 'datetime' | 'json';
}
export type ScalarAttribute = StringAttribute | UidAttribute | NumberAttribute | EnumerationAttribute | PlainAttribute;

export type MediaKind = 'images' | 'videos' | 'audios' | 'files';
export interface MediaAttribute extends CommonOptions {
  type: 'media';
  multiple?: boolean;
  allowedTypes?: MediaKind[];
}

export type RelationKind = 'oneToOne' | 'oneToMany' | 'manyToOne' | 'manyToMany';
export interface RelationAttribute extends CommonOptions {
  type: 'relation';
  relation: RelationKind;
  /** A content type's singularName (Strapi's `api::x.x` form is normalised away on load). */
  target: string;
  inversedBy?: string;
  mappedBy?: string;
}

export interface ComponentAttribute extends CommonOptions {
  type: 'component';
  /** `<category>.<name>` */
  component: string;
  repeatable?: boolean;
  min?: number;
  max?: number;
}

export interface DynamicZoneAttribute extends CommonOptions {
  type: 'dynamiczone';
  components: string[];
  min?: number;
  max?: number;
}

export type Attribute =
  ScalarAttribute | MediaAttribute | RelationAttribute | ComponentAttribute | DynamicZoneAttribute;

/**
 * Folio's own: an index over several attributes, for lists that filter on some and sort by another
 * (`filters[featured][$eq]=true&sort=views:desc` is read in order, without sorting, from
 * `{ attributes: ['featured', 'views:desc'] }`). Items are attribute names, `name:desc` for one the
 * lists sort descending. Like an attribute's `index`, it leads with the version (status, locale)
 * and ends with the id tie-break.
 */
export interface CompositeIndex {
  attributes: string[];
}

/**
 * Folio's own (Strapi's "Configure the view"): how the dashboard shows a type. Not a table change:
 * applying it stores the document, nothing else. Attributes left out of `edit` follow the placed
 * ones in schema order (layout.ts), so a new field is never hidden.
 */
export type LayoutSize = 'full' | 'half';
export interface LayoutField {
  name: string;
  /** `half`: beside its neighbour on wide screens (always full width on phones). Default `full`. */
  size?: LayoutSize;
}
export interface LayoutSection {
  title?: string;
  fields: LayoutField[];
}
export interface ContentTypeLayout {
  /** The edit form: sections in order, fields in order within each. */
  edit?: LayoutSection[];
  /** The columns a list shows by default, in order. */
  list?: string[];
}
/** A component's fields are shown inside its owner's form: order and width only. */
export interface ComponentLayout {
  edit?: LayoutSection[];
}

/** A type's own retention of its revisions; an option left out is the installation's (0: no limit). */
export interface RevisionRetention {
  /** Revisions kept per document and locale. */
  keep?: number;
  /** Revisions older than this many days are pruned (the newest of each document and locale stays). */
  maxAgeDays?: number;
}

export interface ContentTypeDefinition {
  kind: 'collectionType' | 'singleType';
  collectionName?: string;
  info: { singularName: string; pluralName: string; displayName: string; description?: string };
  options?: {
    draftAndPublish?: boolean;
    indexes?: CompositeIndex[];
    /** The site's preview page for a draft, `{attribute}`, `{locale}`, `{documentId}`, `{token}` filled in. */
    previewUrl?: string;
    /** This type's content history: `false` records none; keep/maxAgeDays override the installation's. */
    revisions?: false | RevisionRetention;
    /** The attribute naming the entry's owner: a to-one relation to the site members (`folio::member`). */
    owner?: string;
  } & Record<string, unknown>;
  pluginOptions?: { i18n?: { localized?: boolean } } & Record<string, unknown>;
  attributes: Record<string, Attribute>;
  layout?: ContentTypeLayout;
}

export interface ComponentDefinition {
  collectionName?: string;
  info: { displayName: string; icon?: string; description?: string };
  attributes: Record<string, Attribute>;
  layout?: ComponentLayout;
}

/** The file of `folio schema export` / `schema apply`. */
export interface SchemaDocument {
  contentTypes: Record<string, ContentTypeDefinition>;
  components: Record<string, ComponentDefinition>;
}

/**
 * What `schema apply` takes: the desired state of the types and components it names (others are
 * left alone). Folio's own addition: `null` removes a content type or component.
 */
export interface SchemaFile {
  contentTypes?: Record<string, ContentTypeDefinition | null>;
  components?: Record<string, ComponentDefinition | null>;
}
