// The OpenAPI 3.1 document of the Content API (docs/content-api.md, "OpenAPI"), generated from the live schema
// for one caller: only the types, operations and fields the caller may use appear. Private fields
// (and passwords) never do. Pure: schema model + caller in, a JSON document out (no I/O), so the
// route can build it per request and a schema change shows at once.
import type { Caller } from '../access/caller.js';
import type { ComponentModel, ContentTypeModel, Field, Model, SchemaModel, ScalarField } from '../schema/model.js';
import type { Attribute } from '../schema/types.js';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = { [keyword: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path';
  required?: boolean;
  description?: string;
  style?: 'form' | 'deepObject' | 'simple';
  explode?: boolean;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  security?: Array<Record<string, string[]>>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';
export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description?: string }>;
  paths: Record<string, OpenApiPathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
  };
  security: Array<Record<string, string[]>>;
}

export interface OpenApiOptions {
  /** info.version (Folio's version). */
  version?: string;
  /** The server URL the document names (default: relative `/`). */
  serverUrl?: string;
}

type EntryAction = 'find' | 'findOne' | 'create' | 'update' | 'delete';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
/** The schema or null: `type: [t, 'null']` where the schema has one type (friendlier to code generators). */
function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string') {
    const out: JsonSchema = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as unknown[]), null];
    return out;
  }
  if (
    schema.type === undefined &&
    schema.$ref === undefined &&
    schema.anyOf === undefined &&
    schema.oneOf === undefined
  )
    return schema; // any JSON value, null included
  return { anyOf: [schema, { type: 'null' }] };
}

/** A component-schema name safe for `$ref` (OpenAPI: ^[a-zA-Z0-9._-]+$). */
function schemaName(prefix: string, uid: string): string {
  return `${prefix}${uid.replace(/[^a-zA-Z0-9._-]/g, '_')}`;
}
/** Shared schema names a content type's schema must not take (a type named `error` is `ErrorEntry`). */
const SHARED_NAMES = new Set([
  'Pagination',
  'ListMeta',
  'Error',
  'RelationItem',
  'RelationInputToOne',
  'RelationInputToMany',
  'Media',
]);
function entryName(type: ContentTypeModel): string {
  const name = schemaName('', pascal(type.singularName));
  return SHARED_NAMES.has(name) ? `${name}Entry` : name;
}
const componentName = (uid: string): string => schemaName('Component.', uid);
const inputName = (type: ContentTypeModel): string => `${entryName(type)}Input`;
const componentInputName = (uid: string): string => `${componentName(uid)}.Input`;

const an = (name: string): string => `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;

function pascal(name: string): string {
  return name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** A scalar as a read answers it: richtext and blocks are HTML strings with `render=html`. */
function readScalarSchema(field: ScalarField): JsonSchema {
  const stored = scalarSchema(field);
  if (field.attribute.type !== 'richtext' && field.attribute.type !== 'blocks') return stored;
  return { anyOf: [stored, { type: 'string', contentMediaType: 'text/html', description: 'With render=html' }] };
}

/** Never in the document: private attributes and passwords. */
function isHidden(attribute: Attribute): boolean {
  return attribute.private === true || attribute.type === 'password';
}

/** JSON Schema of a scalar as the API sends it (serialize.ts): bigintegers as strings, dates as ISO strings. */
export function scalarSchema(field: ScalarField): JsonSchema {
  const a = field.attribute;
  let schema: JsonSchema;
  switch (a.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'email':
    case 'uid': {
      schema = { type: 'string' };
      if (a.type === 'email') schema.format = 'email';
      if (a.type === 'richtext') schema.contentMediaType = 'text/markdown';
      if ('minLength' in a && a.minLength !== undefined) schema.minLength = a.minLength;
      if ('maxLength' in a && a.maxLength !== undefined) schema.maxLength = a.maxLength;
      if ('regex' in a && a.regex) schema.pattern = a.regex;
      break;
    }
    case 'integer':
    case 'float':
    case 'decimal': {
      schema = { type: a.type === 'integer' ? 'integer' : 'number' };
      if (a.type === 'float') schema.format = 'double';
      if ('min' in a && a.min !== undefined) schema.minimum = a.min;
      if ('max' in a && a.max !== undefined) schema.maximum = a.max;
      break;
    }
    case 'biginteger':
      schema = { type: 'string', pattern: '^-?\\d+$', format: 'int64', description: 'A big integer, sent as a string' };
      break;
    case 'boolean':
      schema = { type: 'boolean' };
      break;
    case 'date':
      schema = { type: 'string', format: 'date' };
      break;
    case 'time':
      schema = { type: 'string', pattern: '^\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?$', description: 'HH:mm:ss.SSS' };
      break;
    case 'datetime':
      schema = { type: 'string', format: 'date-time' };
      break;
    case 'enumeration':
      schema = { type: 'string', enum: [...a.enum] };
      break;
    case 'blocks':
      schema = { type: 'array', items: { type: 'object' }, description: 'Rich text blocks' };
      break;
    case 'json':
      schema = { description: 'Any JSON value' };
      break;
    default:
      schema = { type: 'string' };
  }
  if (a.default !== undefined && a.type !== 'json') schema.default = a.default;
  return schema;
}

class Builder {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly pendingComponents = new Set<string>();
  private needsMedia = false;

  constructor(
    private readonly model: SchemaModel,
    private readonly caller: Caller | undefined,
  ) {}

  can(action: string, subject: string, field?: string): boolean {
    return this.caller?.can(action, subject, field) === true;
  }

  canRead(uid: string): boolean {
    return this.can('find', uid) || this.can('findOne', uid);
  }

  /** A field the caller may read on this content type (components: every non-hidden field). */
  private readable(owner: Model, field: Field): boolean {
    if (isHidden(field.attribute)) return false;
    if (
      owner.modelKind === 'contentType' &&
      !(this.can('find', owner.uid, field.name) || this.can('findOne', owner.uid, field.name))
    )
      return false;
    // A relation to a type the caller may not read cannot be populated (403): leave it out.
    if (field.kind === 'relation' && !this.canRead(field.target)) return false;
    return true;
  }

  private writable(owner: Model, field: Field, action: 'create' | 'update'): boolean {
    if (isHidden(field.attribute)) return false;
    return owner.modelKind === 'component' || this.can(action, owner.uid, field.name);
  }

  /** The flat shape of a read: scalars, then the optional populated shapes. */
  private readShape(owner: Model): JsonSchema {
    const properties: Record<string, JsonSchema> = { id: { type: 'integer' } };
    const required = ['id'];
    if (owner.modelKind === 'contentType') {
      properties.documentId = { type: 'string' };
      required.push('documentId');
    } else {
      properties.__component = { type: 'string', const: owner.uid, description: 'Set inside dynamic zones' };
    }
    for (const field of owner.fields.values()) {
      if (!this.readable(owner, field)) continue;
      switch (field.kind) {
        case 'scalar':
          properties[field.name] = field.member
            ? { ...nullable(readScalarSchema(field)), description: memberDescription(owner, field) }
            : nullable(readScalarSchema(field));
          break;
        case 'relation': {
          const target = this.model.contentTypes.get(field.target);
          const shape = target ? ref(entryName(target)) : { type: 'object' };
          properties[field.name] = field.toMany
            ? { type: 'array', items: shape, description: 'Populated relation (only with populate)' }
            : { ...nullable(shape), description: 'Populated relation (only with populate)' };
          break;
        }
        case 'media':
          this.needsMedia = true;
          properties[field.name] = field.multiple
            ? { type: 'array', items: ref('Media'), description: 'Populated media (only with populate)' }
            : { ...nullable(ref('Media')), description: 'Populated media (only with populate)' };
          break;
        case 'component':
          this.pendingComponents.add(field.component);
          properties[field.name] = field.repeatable
            ? {
                type: 'array',
                items: ref(componentName(field.component)),
                description: 'Populated component (only with populate)',
              }
            : {
                ...nullable(ref(componentName(field.component))),
                description: 'Populated component (only with populate)',
              };
          break;
        case 'dynamiczone':
          for (const uid of field.components) this.pendingComponents.add(uid);
          properties[field.name] = {
            type: 'array',
            items: { oneOf: field.components.map((uid) => ref(componentName(uid))) },
            description: 'Populated dynamic zone (only with populate); each item names its __component',
          };
          break;
      }
    }
    if (owner.modelKind === 'contentType') {
      properties.createdAt = { type: 'string', format: 'date-time' };
      properties.updatedAt = { type: 'string', format: 'date-time' };
      properties.publishedAt = nullable({ type: 'string', format: 'date-time' });
      required.push('createdAt', 'updatedAt', 'publishedAt');
      if (owner.localized) {
        properties.locale = { type: 'string' };
        required.push('locale');
      }
    }
    return { type: 'object', title: owner.displayName, properties, required };
  }

  /** The `data` of a write: every field optional on update; relation inputs in all of Strapi's forms. */
  private writeShape(owner: Model, action: 'create' | 'update'): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const field of owner.fields.values()) {
      if (!this.writable(owner, field, action)) continue;
      // The owner is set by the server; a body naming it is a 400 (content/operations/permissions.ts).
      if (owner.modelKind === 'contentType' && owner.owner === field) continue;
      if (field.attribute.required && action === 'create') required.push(field.name);
      switch (field.kind) {
        case 'scalar':
          properties[field.name] = field.attribute.required ? scalarSchema(field) : nullable(scalarSchema(field));
          break;
        case 'relation':
          properties[field.name] = field.toMany ? ref('RelationInputToMany') : ref('RelationInputToOne');
          break;
        case 'media':
          properties[field.name] = field.multiple
            ? nullable({ type: 'array', items: { type: 'integer', minimum: 1 }, description: 'Media file ids' })
            : nullable({ type: 'integer', minimum: 1, description: 'A media file id' });
          break;
        case 'component':
          this.pendingComponents.add(field.component);
          properties[field.name] = field.repeatable
            ? { type: 'array', items: ref(componentInputName(field.component)) }
            : nullable(ref(componentInputName(field.component)));
          break;
        case 'dynamiczone':
          for (const uid of field.components) this.pendingComponents.add(uid);
          properties[field.name] = {
            type: 'array',
            items: {
              oneOf: field.components.map((uid) => ({
                allOf: [ref(componentInputName(uid))],
                required: ['__component'],
              })),
            },
          };
          break;
      }
    }
    if (owner.modelKind === 'component') properties.__component = { type: 'string', const: owner.uid };
    const schema: JsonSchema = { type: 'object', properties };
    if (required.length) schema.required = required;
    return schema;
  }

  addEntry(type: ContentTypeModel): void {
    this.schemas[entryName(type)] = this.readShape(type);
    if (type.kind === 'collectionType')
      this.schemas[`${entryName(type)}ListResponse`] = {
        type: 'object',
        properties: { data: { type: 'array', items: ref(entryName(type)) }, meta: ref('ListMeta') },
        required: ['data', 'meta'],
      };
    this.schemas[`${entryName(type)}Response`] = {
      type: 'object',
      properties: { data: ref(entryName(type)), meta: { type: 'object' } },
      required: ['data', 'meta'],
    };
  }

  addInput(type: ContentTypeModel, action: 'create' | 'update'): string {
    const name = `${inputName(type)}.${action}`;
    this.schemas[name] = {
      type: 'object',
      properties: { data: this.writeShape(type, action) },
      required: ['data'],
    };
    if (!this.schemas[`${entryName(type)}Response`]) {
      // A write-only caller still gets the response of a write (scalars only).
      this.schemas[`${entryName(type)}Response`] = {
        type: 'object',
        properties: {
          data: { type: 'object', properties: { id: { type: 'integer' }, documentId: { type: 'string' } } },
          meta: { type: 'object' },
        },
        required: ['data', 'meta'],
      };
    }
    return name;
  }

  /** Components reached from the entries, transitively (a component can nest components). */
  finishComponents(): void {
    const done = new Set<string>();
    while (this.pendingComponents.size > done.size) {
      for (const uid of [...this.pendingComponents]) {
        if (done.has(uid)) continue;
        done.add(uid);
        const component: ComponentModel | undefined = this.model.components.get(uid);
        if (!component) continue;
        this.schemas[componentName(uid)] = this.readShape(component);
        this.schemas[componentInputName(uid)] = this.writeShape(component, 'create');
      }
    }
    if (this.needsMedia) this.schemas.Media ??= MEDIA_SCHEMA;
  }

  useMedia(): void {
    this.needsMedia = true;
  }
}

const MEDIA_FORMAT: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    hash: { type: 'string' },
    ext: { type: 'string' },
    mime: { type: 'string' },
    path: { type: 'null' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    size: { type: 'number', description: 'Kilobytes' },
    sizeInBytes: { type: 'integer' },
    url: { type: 'string' },
  },
};

const MEDIA_SCHEMA: JsonSchema = {
  type: 'object',
  title: 'Media file',
  properties: {
    id: { type: 'integer' },
    documentId: { type: 'string' },
    name: { type: 'string' },
    alternativeText: nullable({ type: 'string' }),
    caption: nullable({ type: 'string' }),
    width: nullable({ type: 'integer' }),
    height: nullable({ type: 'integer' }),
    formats: nullable({ type: 'object', additionalProperties: MEDIA_FORMAT }),
    hash: { type: 'string' },
    ext: { type: 'string' },
    mime: { type: 'string' },
    size: { type: 'number', description: 'Kilobytes' },
    url: { type: 'string', description: 'Images accept ?w=&h=&format=&q= transforms' },
    previewUrl: nullable({ type: 'string' }),
    placeholder: nullable({ type: 'string', description: 'A thumbhash (base64)' }),
    provider: { type: 'string' },
    provider_metadata: nullable({ type: 'object' }),
    folder: nullable({ type: 'integer' }),
    folderPath: { type: 'string' },
    rotation: { type: 'integer', enum: [0, 90, 180, 270], description: 'Applied to the formats, not to `url`' },
    crop: nullable({ type: 'object', description: 'x, y, width, height: pixels of the rotated original' }),
    focalPoint: nullable({ type: 'object', description: 'x, y (0..1): where the thumbnail is centred' }),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    publishedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'documentId', 'name', 'url', 'mime'],
};

const RELATION_ITEM: JsonSchema = {
  oneOf: [
    { type: 'string', description: 'A documentId' },
    {
      type: 'object',
      properties: {
        documentId: { type: 'string' },
        locale: { type: 'string' },
        status: { enum: ['draft', 'published'] },
        position: {
          oneOf: [
            {
              type: 'object',
              properties: { before: { type: 'string' } },
              required: ['before'],
              additionalProperties: false,
            },
            {
              type: 'object',
              properties: { after: { type: 'string' } },
              required: ['after'],
              additionalProperties: false,
            },
            {
              type: 'object',
              properties: { start: { const: true } },
              required: ['start'],
              additionalProperties: false,
            },
            { type: 'object', properties: { end: { const: true } }, required: ['end'], additionalProperties: false },
          ],
        },
      },
      required: ['documentId'],
      additionalProperties: false,
    },
  ],
};

const RELATION_OPS: JsonSchema = {
  type: 'object',
  properties: {
    connect: { type: 'array', items: ref('RelationItem') },
    disconnect: { type: 'array', items: { type: 'string', description: 'A documentId' } },
    set: { type: 'array', items: ref('RelationItem') },
  },
  additionalProperties: false,
};

const SHARED_SCHEMAS: Record<string, JsonSchema> = {
  Pagination: {
    type: 'object',
    description:
      'page/pageSize/pageCount, or start/limit when the request paginated by offset; total unless withCount=false',
    properties: {
      page: { type: 'integer', minimum: 1 },
      pageSize: { type: 'integer', minimum: 0 },
      pageCount: { type: 'integer', minimum: 0 },
      start: { type: 'integer', minimum: 0 },
      limit: { type: 'integer' },
      total: { type: 'integer', minimum: 0 },
    },
  },
  ListMeta: {
    type: 'object',
    properties: { pagination: ref('Pagination') },
    required: ['pagination'],
  },
  Error: {
    type: 'object',
    properties: {
      data: { type: 'null' },
      error: {
        type: 'object',
        properties: {
          status: { type: 'integer' },
          name: { type: 'string', examples: ['ValidationError', 'ForbiddenError', 'NotFoundError'] },
          message: { type: 'string' },
          details: { type: 'object' },
        },
        required: ['status', 'name', 'message', 'details'],
      },
    },
    required: ['data', 'error'],
  },
  RelationItem: RELATION_ITEM,
  RelationInputToOne: {
    description: 'A documentId, null to clear, or { connect, disconnect, set }',
    anyOf: [{ type: 'null' }, ref('RelationItem'), RELATION_OPS],
  },
  RelationInputToMany: {
    description: 'An array of documentIds (set), or { connect, disconnect, set }',
    anyOf: [{ type: 'null' }, ref('RelationItem'), { type: 'array', items: ref('RelationItem') }, RELATION_OPS],
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});
const ERRORS = {
  '400': errorResponse('Invalid request (ValidationError, PaginationError)'),
  '401': errorResponse('Invalid credentials'),
  '403': errorResponse('Forbidden for this caller'),
};

// ---- Parameters

function queryParameters(type: ContentTypeModel, builder: Builder, list: boolean): OpenApiParameter[] {
  const scalarNames = type.scalars
    .filter(
      (f) =>
        !isHidden(f.attribute) && (builder.can('find', type.uid, f.name) || builder.can('findOne', type.uid, f.name)),
    )
    .map((f) => f.name);
  const fieldNames = [
    'documentId',
    ...scalarNames,
    'createdAt',
    'updatedAt',
    'publishedAt',
    ...(type.localized ? ['locale'] : []),
  ];
  const params: OpenApiParameter[] = [
    {
      name: 'fields',
      in: 'query',
      style: 'form',
      explode: false,
      description: 'The scalar fields to return (id and documentId always come)',
      schema: { type: 'array', items: { type: 'string', enum: fieldNames } },
    },
    {
      name: 'populate',
      in: 'query',
      style: 'deepObject',
      explode: true,
      description:
        'Relations, media, components to include: `*`, a list, or populate[field][fields|populate|filters|sort]',
      schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }] },
    },
    {
      name: 'render',
      in: 'query',
      description:
        'A Folio addition: `html` answers richtext (Markdown) and blocks fields, populated ones too, ' +
        'as sanitised HTML strings; without it they are answered as stored',
      schema: { type: 'string', enum: ['html'] },
    },
  ];
  if (list) {
    params.unshift(
      {
        name: 'filters',
        in: 'query',
        style: 'deepObject',
        explode: true,
        description:
          'filters[field][$operator]=value; $and/$or/$not; through relations as filters[relation][field][$eq]',
        schema: { type: 'object', additionalProperties: true },
      },
      {
        name: 'sort',
        in: 'query',
        style: 'form',
        explode: false,
        description: '`field`, `field:asc` or `field:desc`, several comma-separated',
        schema: {
          anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
          examples: [`${scalarNames[0] ?? 'createdAt'}:desc`],
        },
      },
      {
        name: 'pagination',
        in: 'query',
        style: 'deepObject',
        explode: true,
        description: 'page & pageSize, or start & limit; withCount=false skips the total',
        schema: {
          type: 'object',
          properties: {
            page: { type: 'integer', minimum: 1 },
            pageSize: { type: 'integer', minimum: 1 },
            start: { type: 'integer', minimum: 0 },
            limit: { type: 'integer' },
            withCount: { type: 'boolean' },
          },
          additionalProperties: false,
        },
      },
      { name: '_q', in: 'query', description: 'Full-text search over the string fields', schema: { type: 'string' } },
    );
  }
  params.push(...statusAndLocale(type));
  return params;
}

function statusAndLocale(type: ContentTypeModel): OpenApiParameter[] {
  const params: OpenApiParameter[] = [];
  if (type.draftAndPublish) {
    params.push({
      name: 'status',
      in: 'query',
      description: 'published (default) or draft (needs findDrafts)',
      schema: { type: 'string', enum: ['published', 'draft'] },
    });
  }
  if (type.localized)
    params.push({
      name: 'locale',
      in: 'query',
      description: 'The locale (default: the default locale)',
      schema: { type: 'string' },
    });
  return params;
}

const DOCUMENT_ID: OpenApiParameter = { name: 'documentId', in: 'path', required: true, schema: { type: 'string' } };

function json(schema: JsonSchema) {
  return { 'application/json': { schema } };
}

// ---- The document

export function buildOpenApiDocument(
  model: SchemaModel,
  caller: Caller | undefined,
  options: OpenApiOptions = {},
): OpenApiDocument {
  const builder = new Builder(model, caller);
  const paths: Record<string, OpenApiPathItem> = {};
  const tags: OpenApiDocument['tags'] = [];
  const may = (action: EntryAction, uid: string) => builder.can(action, uid);

  const types = [...model.contentTypes.values()].sort((a, b) => a.uid.localeCompare(b.uid));
  for (const type of types) {
    const allowed = (['find', 'findOne', 'create', 'update', 'delete'] as const).filter((a) => may(a, type.uid));
    if (allowed.length === 0) continue;
    const tag = type.displayName;
    tags.push({
      name: tag,
      ...(type.definition.info.description ? { description: type.definition.info.description } : {}),
    });
    const entry = entryName(type);
    if (may('find', type.uid) || may('findOne', type.uid)) builder.addEntry(type);
    const single = `${entry}Response`;
    const op = (
      operationId: string,
      summary: string,
      rest: Omit<OpenApiOperation, 'operationId' | 'summary' | 'tags'>,
    ): OpenApiOperation => ({
      operationId,
      summary,
      tags: [tag],
      ...rest,
    });

    if (type.kind === 'collectionType') {
      const base = `/api/${type.pluralName}`;
      const collection: OpenApiPathItem = {};
      const item: OpenApiPathItem = {};
      if (may('find', type.uid)) {
        collection.get = op(`find${pascal(type.pluralName)}`, `List ${type.displayName} entries`, {
          parameters: queryParameters(type, builder, true),
          responses: {
            '200': { description: 'A page of entries', content: json(ref(`${entry}ListResponse`)) },
            ...ERRORS,
          },
        });
      }
      if (may('create', type.uid)) {
        collection.post = op(`create${pascal(type.singularName)}`, `Create ${an(type.displayName)} entry`, {
          parameters: statusAndLocale(type),
          requestBody: { required: true, content: json(ref(builder.addInput(type, 'create'))) },
          responses: { '201': { description: 'The created entry', content: json(ref(single)) }, ...ERRORS },
        });
      }
      if (may('findOne', type.uid)) {
        item.get = op(`findOne${pascal(type.singularName)}`, `Get ${an(type.displayName)} entry`, {
          parameters: [DOCUMENT_ID, ...queryParameters(type, builder, false)],
          responses: {
            '200': { description: 'The entry', content: json(ref(single)) },
            ...ERRORS,
            '404': errorResponse('No such entry'),
          },
        });
      }
      if (may('update', type.uid)) {
        item.put = op(`update${pascal(type.singularName)}`, `Update ${an(type.displayName)} entry`, {
          parameters: [DOCUMENT_ID, ...statusAndLocale(type)],
          requestBody: { required: true, content: json(ref(builder.addInput(type, 'update'))) },
          responses: {
            '200': { description: 'The updated entry', content: json(ref(single)) },
            ...ERRORS,
            '404': errorResponse('No such entry'),
          },
        });
      }
      if (may('delete', type.uid)) {
        item.delete = op(`delete${pascal(type.singularName)}`, `Delete ${an(type.displayName)} entry`, {
          parameters: [
            DOCUMENT_ID,
            ...(type.localized ? statusAndLocale(type).filter((p) => p.name === 'locale') : []),
          ],
          responses: { '204': { description: 'Deleted' }, ...ERRORS, '404': errorResponse('No such entry') },
        });
      }
      if (Object.keys(collection).length) paths[base] = collection;
      if (Object.keys(item).length) paths[`${base}/{documentId}`] = item;
    } else {
      const path = `/api/${type.singularName}`;
      const ops: OpenApiPathItem = {};
      if (may('find', type.uid)) {
        ops.get = op(`find${pascal(type.singularName)}`, `Get the ${type.displayName}`, {
          parameters: queryParameters(type, builder, false),
          responses: {
            '200': { description: 'The entry', content: json(ref(single)) },
            ...ERRORS,
            '404': errorResponse('Not created yet'),
          },
        });
      }
      if (may('update', type.uid)) {
        ops.put = op(`update${pascal(type.singularName)}`, `Create or update the ${type.displayName}`, {
          parameters: statusAndLocale(type),
          requestBody: { required: true, content: json(ref(builder.addInput(type, 'update'))) },
          responses: { '200': { description: 'The entry', content: json(ref(single)) }, ...ERRORS },
        });
      }
      if (may('delete', type.uid)) {
        ops.delete = op(`delete${pascal(type.singularName)}`, `Delete the ${type.displayName}`, {
          parameters: type.localized ? statusAndLocale(type).filter((p) => p.name === 'locale') : [],
          responses: { '204': { description: 'Deleted' }, ...ERRORS, '404': errorResponse('Not created yet') },
        });
      }
      if (Object.keys(ops).length) paths[path] = ops;
    }
  }

  addUploadPaths(paths, tags, builder);
  builder.finishComponents();

  return {
    openapi: '3.1.0',
    info: {
      title: 'Folio Content API',
      version: options.version ?? '1.0.0',
      description: 'Generated from the live content types; lists only what the requesting credentials may use.',
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    tags,
    paths,
    components: {
      schemas: { ...SHARED_SCHEMAS, ...builder.schemas },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (Authorization: Bearer <token>); without one the Public role applies',
        },
      },
    },
    // Anonymous (Public role) or a bearer token.
    security: [{}, { bearerAuth: [] }],
  };
}

/** The Content API side of the upload plugin (routes/uploads.ts), subject 'upload'. */
function addUploadPaths(paths: Record<string, OpenApiPathItem>, tags: OpenApiDocument['tags'], builder: Builder): void {
  const can = (action: string) => builder.can(action, 'upload');
  if (!['create', 'find', 'findOne', 'delete'].some(can)) return;
  builder.useMedia();
  tags.push({ name: 'Upload', description: 'The media library' });
  const id: OpenApiParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
  const tagged = { tags: ['Upload'] };
  if (can('create')) {
    paths['/api/upload'] = {
      post: {
        operationId: 'uploadFiles',
        summary: 'Upload files (optionally linked to an entry with ref/refId/field)',
        ...tagged,
        parameters: [
          {
            name: 'id',
            in: 'query',
            description: 'Replace the file with this id',
            schema: { type: 'integer', minimum: 1 },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  files: {
                    anyOf: [
                      { type: 'string', contentMediaType: 'application/octet-stream' },
                      { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' } },
                    ],
                  },
                  fileInfo: {
                    type: 'string',
                    description: 'JSON: { name, alternativeText, caption, folder } or an array of them',
                  },
                  ref: { type: 'string' },
                  refId: { type: 'string' },
                  field: { type: 'string' },
                },
                required: ['files'],
              },
            },
          },
        },
        responses: {
          '201': { description: 'The stored files', content: json({ type: 'array', items: ref('Media') }) },
          ...ERRORS,
        },
      },
    };
  }
  if (can('find')) {
    paths['/api/upload/files'] = {
      get: {
        operationId: 'findFiles',
        summary: 'List media files',
        ...tagged,
        responses: {
          '200': { description: 'The files', content: json({ type: 'array', items: ref('Media') }) },
          ...ERRORS,
        },
      },
    };
  }
  const item: OpenApiPathItem = {};
  if (can('findOne')) {
    item.get = {
      operationId: 'findOneFile',
      summary: 'Get a media file',
      ...tagged,
      parameters: [id],
      responses: {
        '200': { description: 'The file', content: json(ref('Media')) },
        ...ERRORS,
        '404': errorResponse('No such file'),
      },
    };
  }
  if (can('delete')) {
    item.delete = {
      operationId: 'deleteFile',
      summary: 'Delete a media file',
      ...tagged,
      parameters: [id],
      responses: {
        '200': { description: 'The deleted file', content: json(ref('Media')) },
        ...ERRORS,
        '404': errorResponse('No such file'),
      },
    };
  }
  if (Object.keys(item).length) paths['/api/upload/files/{id}'] = item;
}

/** A member relation's read: the member's id, or the member itself when populated (users.find). */
function memberDescription(model: Model, field: Field): string {
  const populated = 'the member (id, username, email, …) with populate, for callers holding users.find';
  return model.modelKind === 'contentType' && model.owner === field
    ? `The owner: the id of the member who created it, or ${populated}`
    : `The id of a member, or ${populated}`;
}
