// How definitions become SQL names. One place, so that the schema materialiser, the document engine
// and the query compiler can never disagree. Names fit MySQL's 64-character limit: a long name is
// cut and suffixed with a short hash of the full name.
import { createHash } from 'node:crypto';

const MAX_IDENTIFIER = 64;

export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s.]+/g, '_')
    .toLowerCase();
}

export function fitIdentifier(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${hash}`;
}

/** A content type's table: its collectionName, else its pluralName in snake case. */
export function contentTypeTable(pluralName: string, collectionName?: string): string {
  return fitIdentifier(collectionName ?? snakeCase(pluralName));
}

/** A component's table: `components_<category>_<name>`, as Strapi names them. */
export function componentTable(uid: string, collectionName?: string): string {
  const [category, name] = uid.split('.');
  return fitIdentifier(collectionName ?? `components_${snakeCase(category)}_${snakeCase(name)}`);
}

export function attributeColumn(attributeName: string): string {
  return fitIdentifier(snakeCase(attributeName));
}

/** Link table of a relation, owned by the side that declares it (not the mappedBy side). */
export function relationLinkTable(ownerTable: string, attributeName: string): string {
  return fitIdentifier(`${ownerTable}_${snakeCase(attributeName)}_lnk`);
}

/** Join table between a row and its component / dynamic-zone instances (all fields of that table). */
export function componentLinkTable(ownerTable: string): string {
  return fitIdentifier(`${ownerTable}_cmps`);
}

export function indexName(table: string, columns: string[], kind: 'idx' | 'unq' | 'fk'): string {
  return fitIdentifier(`${table}_${columns.join('_')}_${kind}`);
}

/** Columns every content-type table has, whatever its attributes. */
export const SYSTEM_COLUMNS = {
  id: 'id',
  documentId: 'document_id',
  locale: 'locale',
  /** 'draft' | 'published': a document has at most one row of each per locale. */
  status: 'status',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  publishedAt: 'published_at',
  createdBy: 'created_by_id',
  updatedBy: 'updated_by_id',
} as const;

/** Columns of a relation link table: a source ROW (per version) → a target DOCUMENT. */
export const RELATION_LINK_COLUMNS = {
  id: 'id',
  entityId: 'entity_id',
  targetDocumentId: 'target_document_id',
  position: 'position',
} as const;

/** Columns of a component link table (`<table>_cmps`). */
export const COMPONENT_LINK_COLUMNS = {
  id: 'id',
  entityId: 'entity_id',
  field: 'field',
  componentType: 'component_type',
  componentId: 'component_id',
  position: 'position',
} as const;

/** Media links live in the media library's generic table (see the media module). */
export const FILE_LINK_TABLE = 'folio_file_links';
export const FILE_LINK_COLUMNS = {
  fileId: 'file_id',
  entityTable: 'entity_table',
  entityId: 'entity_id',
  field: 'field',
  position: 'position',
} as const;

/** Attribute names that would collide with system fields or response keys. */
export const RESERVED_ATTRIBUTE_NAMES = new Set([
  'id',
  'documentId',
  'document_id',
  'locale',
  'localizations',
  'status',
  'createdAt',
  'created_at',
  'updatedAt',
  'updated_at',
  'publishedAt',
  'published_at',
  'createdBy',
  'created_by',
  'created_by_id',
  'updatedBy',
  'updated_by',
  'updated_by_id',
  '__component',
  '__type',
  'meta',
]);

/** Route names that no content type may take (docs/content-api.md, "Routes"). */
export const RESERVED_ROUTE_NAMES = new Set(['upload', 'auth', 'users', 'users-permissions', 'docs', 'openapi.json']);
