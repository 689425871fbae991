// Content API writes (docs/content-api.md, "Writing"): POST/PUT/DELETE on collection types, PUT/DELETE on single
// types. A thin adapter: permission check, body envelope, query options → DocumentService.
// The GET routes live in their own router; both are resolved against the live schema per request.
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { DocumentEntry, DocumentService, Status } from '../content/documents.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { ContentTypeModel, SchemaSource } from '../schema/model.js';

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

function bodyData(ctx: Context): unknown {
  const body = (ctx.request as { body?: unknown }).body;
  const data = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).data : undefined;
  if (data === undefined) throw new ValidationError('Missing "data" payload in the request body');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw ValidationError.fromErrors([{ path: [], message: '"data" must be an object', name: 'ValidationError' }]);
  }
  return data;
}

function authorise(ctx: Context, action: 'create' | 'update' | 'delete', type: ContentTypeModel, data?: unknown): number | undefined {
  const caller = ctx.state.caller;
  if (!caller?.can(action, type.uid)) throw new ForbiddenError();
  // Field permissions: a field the caller may not write is refused, never silently dropped.
  if (data && typeof data === 'object') {
    const denied = Object.keys(data).filter((key) => type.fields.has(key) && !caller.can(action, type.uid, key));
    if (denied.length) throw new ForbiddenError(`Not allowed to ${action} ${denied.map((k) => `"${k}"`).join(', ')}`, { fields: denied });
  }
  return caller.kind === 'admin' ? caller.id : undefined;
}

export function contentApiWriteRoutes({ documents, schema }: ContentApiWriteDeps): Router {
  const router = new Router({ prefix: '/api' });

  async function typeFor(ctx: Context, kind: ContentTypeModel['kind']): Promise<ContentTypeModel | undefined> {
    const type = (await schema.current()).byRoute.get(ctx.params.route);
    return type?.kind === kind ? type : undefined;
  }

  function respond(ctx: Context, type: ContentTypeModel, entry: DocumentEntry, status = 200): void {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: flatEntry(type, entry), meta: {} };
  }

  router.post('/:route', async (ctx: Context, next: Next) => {
    const type = await typeFor(ctx, 'collectionType');
    if (!type) return next();
    const userId = authorise(ctx, 'create', type);
    const query = readQuery(ctx);
    const data = bodyData(ctx);
    authorise(ctx, 'create', type, data);
    const entry = await documents.create(type.uid, { data, locale: query.locale, status: query.status, userId });
    respond(ctx, type, entry, 201);
  });

  router.put('/:route/:documentId', async (ctx: Context, next: Next) => {
    const type = await typeFor(ctx, 'collectionType');
    if (!type) return next();
    const userId = authorise(ctx, 'update', type);
    const query = readQuery(ctx);
    const data = bodyData(ctx);
    authorise(ctx, 'update', type, data);
    const entry = await documents.update(type.uid, ctx.params.documentId, { data, locale: query.locale, status: query.status, userId });
    respond(ctx, type, entry);
  });

  router.delete('/:route/:documentId', async (ctx: Context, next: Next) => {
    const type = await typeFor(ctx, 'collectionType');
    if (!type) return next();
    authorise(ctx, 'delete', type);
    const query = readQuery(ctx);
    await documents.delete(type.uid, ctx.params.documentId, { locale: query.locale });
    ctx.status = 204;
  });

  router.put('/:route', async (ctx: Context, next: Next) => {
    const type = await typeFor(ctx, 'singleType');
    if (!type) return next();
    const userId = authorise(ctx, 'update', type);
    const query = readQuery(ctx);
    const data = bodyData(ctx);
    authorise(ctx, 'update', type, data);
    const documentId = await documents.singleDocumentId(type.uid);
    const entry = documentId
      ? await documents.update(type.uid, documentId, { data, locale: query.locale, status: query.status, userId })
      : await documents.create(type.uid, { data, locale: query.locale, status: query.status, userId });
    respond(ctx, type, entry);
  });

  router.delete('/:route', async (ctx: Context, next: Next) => {
    const type = await typeFor(ctx, 'singleType');
    if (!type) return next();
    authorise(ctx, 'delete', type);
    const query = readQuery(ctx);
    const documentId = await documents.singleDocumentId(type.uid);
    if (!documentId) throw new NotFoundError(`The single type "${type.uid}" has no entry`);
    await documents.delete(type.uid, documentId, { locale: query.locale });
    ctx.status = 204;
  });

  return router;
}
