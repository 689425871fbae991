// Content API writes (docs/content-api.md, "Writing"): POST/PUT/DELETE on collection types, PUT/DELETE on single
// types. A thin adapter: permission check, body envelope, query options → DocumentService.
// The GET routes live in their own router; both are resolved against the live schema per request.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DocumentEntry, DocumentService, Status } from '../content/documents.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { ContentTypeModel, SchemaSource } from '../schema/model.js';
import { defineRoutes, type HttpMethod, type Permission, type ResolvedRouteDefinition } from './define.js';

export interface ContentApiWriteDeps {
  documents: DocumentService;
  schema: SchemaSource;
}

const WRITE_QUERY_KEYS = new Set(['status', 'locale', 'populate', 'fields']);

/** The flat entry (docs/content-api.md, "Entries"): system fields, public scalar attributes; private ones never. */
export function flatEntry(type: ContentTypeModel, entry: DocumentEntry): Record<string, unknown> {
  const out: Record<string, unknown> = { id: entry.id, documentId: entry.documentId };
  for (const field of type.scalars) {
    if (field.attribute.private || field.attribute.type === 'password') continue;
    out[field.name] = entry.values[field.name];
  }
  out.createdAt = entry.createdAt;
  out.updatedAt = entry.updatedAt;
  out.publishedAt = entry.publishedAt;
  if (type.localized) out.locale = entry.locale;
  return out;
}

interface WriteQuery {
  status?: Status;
  locale?: string;
}

function readQuery(ctx: Context): WriteQuery {
  const query = ctx.query;
  for (const key of Object.keys(query)) {
    if (!WRITE_QUERY_KEYS.has(key)) throw ValidationError.query(`Invalid query parameter "${key}"`, key, key);
  }
  const out: WriteQuery = {};
  if (query.status !== undefined) {
    if (query.status !== 'draft' && query.status !== 'published') throw ValidationError.query('status must be "draft" or "published"', 'status', 'status');
    out.status = query.status;
  }
  if (query.locale !== undefined) {
    if (typeof query.locale !== 'string') throw ValidationError.query('locale must be a single value', 'locale', 'locale');
    out.locale = query.locale;
  }
  return out;
}

function bodyData(ctx: Context): object {
  const body = (ctx.request as { body?: unknown }).body;
  const data = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).data : undefined;
  if (data === undefined) throw new ValidationError('Missing "data" payload in the request body');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw ValidationError.fromErrors([{ path: [], message: '"data" must be an object', name: 'ValidationError' }]);
  }
  return data;
}

type WriteAction = 'create' | 'update' | 'delete';
type Handler = ResolvedRouteDefinition<ContentTypeModel>['handler'];

/** The type's action, Strapi 5's bare "Forbidden" when refused. */
function writePermission(action: WriteAction) {
  return (type: ContentTypeModel): Permission => ({ action, subject: type.uid, message: 'Forbidden' });
}

/** Field permissions: a field the caller may not write is refused, never silently dropped. */
function assertFieldsWritable(ctx: Context, action: WriteAction, type: ContentTypeModel, data: object): void {
  const caller = ctx.state.caller;
  const denied = Object.keys(data).filter((key) => type.fields.has(key) && !caller?.can(action, type.uid, key));
  if (denied.length) throw new ForbiddenError(`Not allowed to ${action} ${denied.map((k) => `"${k}"`).join(', ')}`, { fields: denied });
}

function userIdOf(ctx: Context): number | undefined {
  const caller = ctx.state.caller;
  return caller?.kind === 'admin' ? caller.id : undefined;
}

/** The write's query options and its `data`, checked field by field against the caller. */
function writeInput(ctx: Context, action: WriteAction, type: ContentTypeModel) {
  const query = readQuery(ctx);
  const data = bodyData(ctx);
  assertFieldsWritable(ctx, action, type, data);
  return { data, locale: query.locale, status: query.status, userId: userIdOf(ctx) };
}

export function contentApiWriteRoutes({ documents, schema }: ContentApiWriteDeps): Router {
  const router = new Router({ prefix: '/api' });

  function typeOf(kind: ContentTypeModel['kind']) {
    return async (ctx: Context): Promise<ContentTypeModel | undefined> => {
      const type = (await schema.current()).byRoute.get(ctx.params.route);
      return type?.kind === kind ? type : undefined;
    };
  }

  function respond(ctx: Context, type: ContentTypeModel, entry: DocumentEntry, status = 200): void {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: flatEntry(type, entry), meta: {} };
  }

  /** A write on a type of this kind named by the path, the caller allowed the action on it. */
  function write(method: HttpMethod, path: string, kind: ContentTypeModel['kind'], action: WriteAction, handler: Handler): ResolvedRouteDefinition<ContentTypeModel> {
    return { method, path, resolve: typeOf(kind), permission: writePermission(action), handler };
  }

  /** The query is checked before the document is looked up: a bad parameter is a 400, never a 404. */
  async function deleteDocument(ctx: Context, type: ContentTypeModel, documentIdOf: () => Promise<string>): Promise<void> {
    const { locale } = readQuery(ctx);
    await documents.delete(type.uid, await documentIdOf(), { locale });
    ctx.status = 204;
  }

  return defineRoutes(router, [
    write('post', '/:route', 'collectionType', 'create', async (ctx, type) => {
      respond(ctx, type, await documents.create(type.uid, writeInput(ctx, 'create', type)), 201);
    }),
    write('put', '/:route/:documentId', 'collectionType', 'update', async (ctx, type) => {
      respond(ctx, type, await documents.update(type.uid, ctx.params.documentId, writeInput(ctx, 'update', type)));
    }),
    write('delete', '/:route/:documentId', 'collectionType', 'delete', (ctx, type) => deleteDocument(ctx, type, async () => ctx.params.documentId)),
    write('put', '/:route', 'singleType', 'update', async (ctx, type) => {
      const input = writeInput(ctx, 'update', type);
      const documentId = await documents.singleDocumentId(type.uid);
      respond(ctx, type, documentId ? await documents.update(type.uid, documentId, input) : await documents.create(type.uid, input));
    }),
    write('delete', '/:route', 'singleType', 'delete', (ctx, type) =>
      deleteDocument(ctx, type, async () => {
        const documentId = await documents.singleDocumentId(type.uid);
        if (!documentId) throw new NotFoundError(`The single type "${type.uid}" has no entry`);
        return documentId;
      }),
    ),
  ]);
}
