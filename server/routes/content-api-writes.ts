// Content API writes (docs/content-api.md, "Writing"): POST/PUT/DELETE on collection types, PUT/DELETE on single
// types. A thin adapter: permission check, body envelope, query options → the operations
// (server/content/operations), which check fields and rows and audit the write in its transaction.
// The GET routes live in their own router; both are resolved against the live schema per request.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DocumentEntry, DocumentService, Status } from '../content/documents.js';
import type { Caller } from '../access/caller.js';
import type { AuditLog } from '../events/audit.js';
import { createDocument } from '../content/operations/create-document.js';
import { deleteDocument } from '../content/operations/delete-documents.js';
import { updateDocument } from '../content/operations/update-document.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { ContentTypeModel, SchemaSource } from '../schema/model.js';
import { defineRoutes, type HttpMethod, type Permission, type ResolvedRouteDefinition } from './define.js';
import { pathParam } from './params.js';
import { writeAnswerFields } from '../content/operations/permissions.js';

export interface ContentApiWriteDeps {
  documents: DocumentService;
  audit: AuditLog;
  schema: SchemaSource;
}

const WRITE_QUERY_KEYS = new Set(['status', 'locale', 'populate', 'fields']);

/**
 * The flat entry (docs/content-api.md, "Entries"): system fields, public scalar attributes; private
 * ones never, nor those outside `readable` (the caller's read field allowlists; absent: all).
 */
export function flatEntry(
  type: ContentTypeModel,
  entry: DocumentEntry,
  readable?: Set<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: entry.id, documentId: entry.documentId };
  for (const field of type.scalars) {
    // Encrypted attributes are not echoed: a reader allowed to see them reads them (GET).
    if (field.attribute.private || field.attribute.type === 'password' || field.attribute.encrypted) continue;
    if (readable && !readable.has(field.name)) continue;
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
    if (query.status !== 'draft' && query.status !== 'published')
      throw ValidationError.query('status must be "draft" or "published"', 'status', 'status');
    out.status = query.status;
  }
  if (query.locale !== undefined) {
    if (typeof query.locale !== 'string')
      throw ValidationError.query('locale must be a single value', 'locale', 'locale');
    out.locale = query.locale;
  }
  return out;
}

function bodyData(ctx: Context): Record<string, unknown> {
  const body = (ctx.request as { body?: unknown }).body;
  const data =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).data
      : undefined;
  if (data === undefined) throw new ValidationError('Missing "data" payload in the request body');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw ValidationError.fromErrors([{ path: [], message: '"data" must be an object', name: 'ValidationError' }]);
  }
  return data as Record<string, unknown>;
}

type WriteAction = 'create' | 'update' | 'delete';
type Handler = ResolvedRouteDefinition<ContentTypeModel>['handler'];

/** The type's action, Strapi 5's bare "Forbidden" when refused. */
function writePermission(action: WriteAction) {
  return (type: ContentTypeModel): Permission => ({ action, subject: type.uid, message: 'Forbidden' });
}

/** Who asks (defineRoutes has checked the type's action for this caller), for an operation. */
function askerOf(ctx: Context): { caller: Caller; ip: string } {
  const caller = ctx.state.caller;
  if (!caller) throw new ForbiddenError('Forbidden');
  return { caller, ip: ctx.ip };
}

/** The write's query options and its `data` (its fields are checked by the operation, in its transaction). */
function writeInput(ctx: Context) {
  const query = readQuery(ctx);
  // A write on a draft & publish type publishes it unless it asks for `status=draft` (Strapi 5).
  return { ...askerOf(ctx), data: bodyData(ctx), locale: query.locale, status: query.status ?? 'published' };
}

export function contentApiWriteRoutes(deps: ContentApiWriteDeps): Router {
  const { documents, schema } = deps;
  const router = new Router({ prefix: '/api' });

  function typeOf(kind: ContentTypeModel['kind']) {
    return async (ctx: Context): Promise<ContentTypeModel | undefined> => {
      const type = (await schema.current()).byRoute.get(pathParam(ctx, 'route'));
      return type?.kind === kind ? type : undefined;
    };
  }

  function respond(ctx: Context, type: ContentTypeModel, entry: DocumentEntry, status = 200): void {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: flatEntry(type, entry, writeAnswerFields(askerOf(ctx).caller, type)), meta: {} };
  }

  /** A write on a type of this kind named by the path, the caller allowed the action on it. */
  function write(
    method: HttpMethod,
    path: string,
    kind: ContentTypeModel['kind'],
    action: WriteAction,
    handler: Handler,
  ): ResolvedRouteDefinition<ContentTypeModel> {
    return { method, path, resolve: typeOf(kind), permission: writePermission(action), handler };
  }

  /** The query is checked before the document is looked up: a bad parameter is a 400, never a 404. */
  async function deleteAndAnswer(
    ctx: Context,
    type: ContentTypeModel,
    documentIdOf: () => Promise<string>,
  ): Promise<void> {
    const { locale } = readQuery(ctx);
    await deleteDocument(deps, { ...askerOf(ctx), uid: type.uid, documentId: await documentIdOf(), locale });
    ctx.status = 204;
  }

  return defineRoutes(router, [
    write('post', '/:route', 'collectionType', 'create', async (ctx, type) => {
      respond(ctx, type, await createDocument(deps, { ...writeInput(ctx), uid: type.uid }), 201);
    }),
    write('put', '/:route/:documentId', 'collectionType', 'update', async (ctx, type) => {
      const input = { ...writeInput(ctx), uid: type.uid, documentId: pathParam(ctx, 'documentId') };
      respond(ctx, type, await updateDocument(deps, input));
    }),
    write('delete', '/:route/:documentId', 'collectionType', 'delete', (ctx, type) =>
      deleteAndAnswer(ctx, type, () => Promise.resolve(pathParam(ctx, 'documentId'))),
    ),
    write('put', '/:route', 'singleType', 'update', async (ctx, type) => {
      // PUT creates a single type's entry when it has none, under the `update` permission (Strapi 5).
      const input = { ...writeInput(ctx), uid: type.uid, right: 'update' as const };
      const documentId = await documents.singleDocumentId(type.uid);
      respond(
        ctx,
        type,
        documentId ? await updateDocument(deps, { ...input, documentId }) : await createDocument(deps, input),
      );
    }),
    write('delete', '/:route', 'singleType', 'delete', (ctx, type) =>
      deleteAndAnswer(ctx, type, async () => {
        const documentId = await documents.singleDocumentId(type.uid);
        if (!documentId) throw new NotFoundError(`The single type "${type.uid}" has no entry`);
        return documentId;
      }),
    ),
  ]);
}
