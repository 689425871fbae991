// HTTP adapters of the media library:
//   Content API (Strapi's upload plugin routes, unwrapped like Strapi answers them):
//     POST /api/upload (files, fileInfo, ref/refId/field; ?id= replaces) · GET /api/upload/files
//     GET /api/upload/files/:id · DELETE /api/upload/files/:id
//   Admin API (README conventions, { data, meta }):
//     GET|POST /admin-api/upload/files · GET|PUT|DELETE /admin-api/upload/files/:id (?force=true)
//     POST /admin-api/upload/files/:id/replace · GET|POST /admin-api/upload/folders
//     GET|PUT|DELETE /admin-api/upload/folders/:id
//   Public files: GET /uploads/<key>[?w=&h=&fit=&format=&q=&sig=]
// Every route declares the action it needs on the 'upload' subject; ctx.state.caller (set by the
// authentication middleware) must allow it, else 403.
import Router from '@koa/router';
import { subject } from '@casl/ability';
import type { Context, Middleware } from 'koa';
import qs from 'qs';
import { z } from 'zod';
import { abilityOf } from '../access/service.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { defineRoutes } from './define.js';
import { idParam, paginationMeta, parseBody, parseId, parseWith, positiveInt } from './params.js';
import type { Folio } from '../folio.js';
import { receiveMultipart, type Multipart } from '../media/multipart.js';
import { assertWellFormed } from '../middleware/body.js';
import type { FileInfo, ListQuery, MediaService } from '../media/service.js';
import { MEDIA_CATEGORIES } from '../media/types.js';
import { prepareUploadLink } from '../content/operations/link-upload.js';
import { unlinkAsUpdates } from '../content/operations/unlink-file.js';

type Handler = (ctx: Context) => Promise<void>;
type Method = 'get' | 'post' | 'put' | 'delete';

/** Registers a route with the action on `upload` it needs, through defineRoutes like every route. */
function route(router: Router, method: Method, path: string, action: string, handler: Handler): void {
  defineRoutes(router, [{ method, path, permission: { action, subject: 'upload' }, handler }]);
}

/**
 * The route's check is on the subject type; a role allowed only some files (the Author's "update and
 * delete their own") is checked here against this file, its uploader as `createdBy`.
 */
/**
 * Admin answers name who uploaded each file or created each folder (`createdBy`, an admin id or
 * null) so that the dashboard can tell, with the same CASL rules, what a role limited to its own
 * may change.
 */
async function withCreators<F extends { id: number }>(media: MediaService, items: F[], kind: 'file' | 'folder' = 'file'): Promise<Array<F & { createdBy: number | null }>> {
  const creators = await media.creatorsOf(items.map((f) => f.id), kind);
  return items.map((f) => ({ ...f, createdBy: creators.get(f.id) ?? null }));
}

/**
 * The route's check is on the subject type; a role allowed only some files or folders (the
 * Author's "update and delete their own") is checked here against this one, its creator as
 * `createdBy`.
 */
async function requireItemAction(ctx: Context, media: MediaService, id: number, action: 'update' | 'delete', kind: 'file' | 'folder' = 'file'): Promise<void> {
  const item = kind === 'file' ? await media.get(id) : await media.getFolder(id);
  const fields: Record<string, unknown> = { ...item, createdBy: await media.creatorOf(id, kind) };
  if (!abilityOf(ctx.state.caller!).can(action, subject('upload', fields))) {
    throw new ForbiddenError(`You may not ${action} the ${kind} "${item.name}": your role may only ${action} ${kind}s it created`);
  }
}

const nullableText = z.string().max(10000).nullable().optional();
const folderRef = z.union([z.number().int().positive(), z.null()]).optional();
const fileInfoSchema = z.strictObject({
  name: z.string().trim().min(1).max(255).optional(),
  alternativeText: nullableText,
  caption: nullableText,
  folder: folderRef,
});

function parseFileInfo(raw: string | undefined, count: number): FileInfo[] {
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ValidationError.fromErrors([{ path: ['fileInfo'], message: 'fileInfo must be JSON', name: 'ValidationError' }]);
  }
  assertWellFormed(parsed, ['fileInfo']);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length > Math.max(count, 1)) throw ValidationError.fromErrors([{ path: ['fileInfo'], message: 'More fileInfo entries than files', name: 'ValidationError' }]);
  return list.map((item, i) => parseWith(fileInfoSchema, item, ['fileInfo', i]));
}

async function withMultipart<T>(ctx: Context, folio: Folio, work: (mp: Multipart) => Promise<T>): Promise<T> {
  const mp = await receiveMultipart(ctx.req, { maxFileBytes: folio.config.uploadMaxBytes });
  try {
    const stray = mp.files.find((f) => f.field !== 'files');
    if (stray) throw ValidationError.fromErrors([{ path: [stray.field], message: `Files go in the "files" field, not "${stray.field}"`, name: 'ValidationError' }]);
    return await work(mp);
  } finally {
    await mp.cleanup();
  }
}

// Maps, never plain objects: a user-supplied name (`constructor`, `toString`) must not find Object.prototype.
const SORTABLE = new Map([['id', 'id'], ['name', 'name'], ['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['size', 'size'], ['mime', 'mime']]);

function parseSort(raw: unknown, param = 'sort'): ListQuery['sort'] {
  if (raw === undefined) return [];
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  return items.map((item) => {
    if (typeof item !== 'string') throw ValidationError.query('sort must be field or field:asc|desc', param, param);
    const [field, dir = 'asc'] = item.trim().split(':');
    const column = SORTABLE.get(field);
    if (!column || !['asc', 'desc'].includes(dir.toLowerCase())) {
      throw ValidationError.query(`Cannot sort by "${item}" (fields: ${[...SORTABLE.keys()].join(', ')})`, param, field, item);
    }
    return { column, order: dir.toLowerCase() as 'asc' | 'desc' };
  });
}

function checkKeys(query: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) throw ValidationError.query(`Invalid query parameter "${key}"`, key, key);
  }
}

const FILTER_COLUMNS = new Map<string, NonNullable<ListQuery['conditions']>[number]['column']>([
  ['name', 'name'],
  ['mime', 'mime'],
  ['ext', 'ext'],
  ['caption', 'caption'],
  ['alternativeText', 'alternative_text'],
]);

/**
 * The query string with every name the client sent kept as an own key (null-prototype objects):
 * `filters[hasOwnProperty]` is then refused like any unknown name instead of silently dropped.
 */
function listQueryOf(ctx: Context, options: { depth: number; arrayLimit?: number }): Record<string, unknown> {
  return qs.parse(ctx.querystring, { ...options, plainObjects: true }) as Record<string, unknown>;
}
const FILTER_OPS = ['$eq', '$ne', '$contains', '$startsWith'] as const;

/** Content API list query: sort, pagination[page|pageSize], filters[name|mime|ext|caption|alternativeText][$eq|$ne|$contains|$startsWith], _q. */
function contentListQuery(ctx: Context, maxPageSize: number): ListQuery {
  const query = listQueryOf(ctx, { depth: 3, arrayLimit: 100 });
  checkKeys(query, ['sort', 'pagination', 'filters', '_q']);
  const pagination = (query.pagination ?? {}) as Record<string, unknown>;
  if (typeof pagination !== 'object' || Array.isArray(pagination)) throw ValidationError.query('Invalid pagination', 'pagination', 'pagination');
  for (const key of Object.keys(pagination)) if (!['page', 'pageSize'].includes(key)) throw ValidationError.query(`Invalid pagination key "${key}"`, 'pagination', key);
  const conditions: NonNullable<ListQuery['conditions']> = [];
  const filters = query.filters ?? {};
  if (typeof filters !== 'object' || Array.isArray(filters)) throw ValidationError.query('Invalid filters', 'filters', 'filters');
  for (const [field, cond] of Object.entries(filters as Record<string, unknown>)) {
    const column = FILTER_COLUMNS.get(field);
    if (!column) throw ValidationError.query(`Cannot filter files by "${field}"`, 'filters', field);
    const entries: Array<[string, unknown]> = typeof cond === 'string' ? [['$eq', cond]] : Object.entries((cond ?? {}) as Record<string, unknown>);
    for (const [op, value] of entries) {
      if (!(FILTER_OPS as readonly string[]).includes(op) || typeof value !== 'string') {
        throw ValidationError.query(`Invalid filter ${field}.${op} (operators: ${FILTER_OPS.join(', ')})`, 'filters', field, `${field}.${op}`);
      }
      conditions.push({ column, op: op as (typeof FILTER_OPS)[number], value });
    }
  }
  if (query._q !== undefined && typeof query._q !== 'string') throw ValidationError.query('_q must be text', '_q', '_q');
  return {
    page: positiveInt(pagination.page, 'pagination', 'page', 1),
    pageSize: Math.min(positiveInt(pagination.pageSize, 'pagination', 'pageSize', 25), maxPageSize),
    sort: parseSort(query.sort),
    conditions,
    q: (query._q as string | undefined) || undefined,
  };
}

/** Admin list query (README conventions): page, pageSize, sort, q, filters[folder|type|mime]. */
function adminListQuery(ctx: Context, maxPageSize: number): ListQuery {
  const query = listQueryOf(ctx, { depth: 2 });
  checkKeys(query, ['page', 'pageSize', 'sort', 'q', 'filters']);
  const filters = (query.filters ?? {}) as Record<string, unknown>;
  if (typeof filters !== 'object' || Array.isArray(filters)) throw ValidationError.query('Invalid filters', 'filters', 'filters');
  checkKeys(filters, ['folder', 'type', 'mime']);
  let folder: number | null | undefined;
  if (filters.folder !== undefined) folder = filters.folder === 'null' || filters.folder === '' ? null : parseId(String(filters.folder), 'filters[folder]');
  if (filters.type !== undefined && !(MEDIA_CATEGORIES as readonly unknown[]).includes(filters.type)) {
    throw ValidationError.query(`filters[type] must be one of ${MEDIA_CATEGORIES.join(', ')}`, 'filters', 'type');
  }
  if (filters.mime !== undefined && typeof filters.mime !== 'string') throw ValidationError.query('filters[mime] must be text', 'filters', 'mime');
  if (query.q !== undefined && typeof query.q !== 'string') throw ValidationError.query('q must be text', 'q', 'q');
  return {
    page: positiveInt(query.page, 'page', 'page', 1),
    pageSize: Math.min(positiveInt(query.pageSize, 'pageSize', 'pageSize', 25), maxPageSize),
    sort: parseSort(query.sort),
    q: (query.q as string | undefined) || undefined,
    folder,
    type: filters.type as ListQuery['type'],
    mime: filters.mime as string | undefined,
  };
}

const folderSchema = z.strictObject({ name: z.string().max(255), parent: folderRef });
const folderPatchSchema = z.strictObject({ name: z.string().max(255).optional(), parent: folderRef });

function userIdOf(ctx: Context): number | undefined {
  return ctx.state.caller?.kind === 'admin' ? ctx.state.caller.id : undefined;
}

/** Media changes join the audit log: who uploaded, changed or deleted which file. */
async function auditMedia(ctx: Context, folio: Folio, action: string, entityId: number, details: Record<string, unknown>): Promise<void> {
  await folio.audit.record({ actor: ctx.state.caller!, action: `media.${action}`, subject: 'upload', entityId, ip: ctx.ip, details });
}

/**
 * An upload, linked to an entry's media field when the form names `ref`/`refId`/`field`: that link
 * is an update of the entry by the caller (server/content/operations/link-upload.ts), the files'
 * rows written in its transaction.
 */
async function uploadFromForm(ctx: Context, folio: Folio, media: MediaService, mp: Multipart, folderField: boolean) {
  const infos = parseFileInfo(mp.fields.fileInfo, mp.files.length);
  if (folderField && mp.fields.folder !== undefined && mp.fields.folder !== '') {
    const folder = parseId(mp.fields.folder, 'folder');
    for (let i = 0; i < mp.files.length; i++) infos[i] = { folder, ...(infos[i] ?? {}) };
  }
  const { ref, refId, field } = mp.fields;
  const linking = ref !== undefined || refId !== undefined || field !== undefined;
  if (!linking) return media.upload(mp.files, infos, { userId: userIdOf(ctx) });
  if (!(ref && refId && field)) {
    throw ValidationError.fromErrors([{ path: ['ref'], message: 'ref, refId and field go together', name: 'ValidationError' }]);
  }
  const link = await prepareUploadLink(folio, { caller: ctx.state.caller!, ref, refId, field, count: mp.files.length, ip: ctx.ip });
  return media.uploadWithin(mp.files, infos, { allowedTypes: link.allowedTypes, userId: userIdOf(ctx) }, link.write);
}

export function uploadRoutes(folio: Folio): Router[] {
  const { media, mediaServer: server } = folio;
  const maxPageSize = folio.config.apiMaxPageSize;

  // ---- Content API
  const api = new Router({ prefix: '/api/upload' });
  route(api, 'post', '/', 'create', async (ctx) => {
    if (ctx.query.id !== undefined) {
      const id = parseId(String(ctx.query.id));
      if (!ctx.state.caller?.can('update', 'upload')) throw new ForbiddenError('This action (update on upload) is not allowed');
      await requireItemAction(ctx, media, id, 'update');
      const replaced = await withMultipart(ctx, folio, async (mp) => {
        if (mp.files.length !== 1) throw ValidationError.fromErrors([{ path: ['files'], message: 'Replace takes exactly one file', name: 'ValidationError' }]);
        return media.replace(id, mp.files[0], parseFileInfo(mp.fields.fileInfo, 1)[0] ?? {}, { userId: userIdOf(ctx) });
      });
      await auditMedia(ctx, folio, 'replace', id, { name: replaced.name });
      ctx.body = replaced;
      return;
    }
    const files = await withMultipart(ctx, folio, (mp) => uploadFromForm(ctx, folio, media, mp, false));
    for (const f of files) await auditMedia(ctx, folio, 'create', f.id, { name: f.name });
    ctx.body = files;
    ctx.status = 201;
  });
  route(api, 'get', '/files', 'find', async (ctx) => {
    const { results } = await media.list(contentListQuery(ctx, maxPageSize));
    ctx.body = results;
  });
  route(api, 'get', '/files/:id', 'findOne', async (ctx) => {
    ctx.body = await media.get(idParam(ctx));
  });
  route(api, 'delete', '/files/:id', 'delete', async (ctx) => {
    const id = idParam(ctx);
    await requireItemAction(ctx, media, id, 'delete');
    const deleted = await media.delete(id);
    await auditMedia(ctx, folio, 'delete', id, { name: deleted.name });
    ctx.body = deleted;
  });

  // ---- Admin API
  const admin = new Router({ prefix: '/admin-api/upload' });
  route(admin, 'get', '/files', 'read', async (ctx) => {
    const query = adminListQuery(ctx, maxPageSize);
    const { results, total } = await media.list(query);
    ctx.body = { data: await withCreators(media, results), meta: paginationMeta(query.page, query.pageSize, total) };
  });
  route(admin, 'post', '/files', 'create', async (ctx) => {
    const files = await withMultipart(ctx, folio, (mp) => uploadFromForm(ctx, folio, media, mp, true));
    for (const f of files) await auditMedia(ctx, folio, 'create', f.id, { name: f.name });
    ctx.body = { data: await withCreators(media, files) };
    ctx.status = 201;
  });
  route(admin, 'get', '/files/:id', 'read', async (ctx) => {
    ctx.body = { data: (await withCreators(media, [await media.get(idParam(ctx))]))[0] };
  });
  route(admin, 'put', '/files/:id', 'update', async (ctx) => {
    const id = idParam(ctx);
    await requireItemAction(ctx, media, id, 'update');
    const body: unknown = ctx.request.body;
    const data = body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body;
    const info = parseWith(fileInfoSchema, data ?? {});
    const updated = await media.updateInfo(id, info, userIdOf(ctx));
    await auditMedia(ctx, folio, 'update', id, { changed: Object.keys(info) });
    ctx.body = { data: (await withCreators(media, [updated]))[0] };
  });
  route(admin, 'post', '/files/:id/replace', 'update', async (ctx) => {
    const id = idParam(ctx);
    await requireItemAction(ctx, media, id, 'update');
    const replaced = await withMultipart(ctx, folio, async (mp) => {
      if (mp.files.length !== 1) throw ValidationError.fromErrors([{ path: ['files'], message: 'Replace takes exactly one file', name: 'ValidationError' }]);
      return media.replace(id, mp.files[0], parseFileInfo(mp.fields.fileInfo, 1)[0] ?? {}, { userId: userIdOf(ctx) });
    });
    await auditMedia(ctx, folio, 'replace', id, { name: replaced.name });
    ctx.body = { data: (await withCreators(media, [replaced]))[0] };
  });
  route(admin, 'delete', '/files/:id', 'delete', async (ctx) => {
    const force = ctx.query.force;
    if (force !== undefined && force !== 'true' && force !== 'false') throw ValidationError.query('force must be true or false', 'force', 'force');
    const id = idParam(ctx);
    await requireItemAction(ctx, media, id, 'delete');
    // Unlinking is an update of every entry losing the file: the caller must be allowed each.
    const forced = force === 'true' ? { force: true, beforeUnlink: await unlinkAsUpdates(folio, ctx.state.caller!, id, ctx.ip) } : {};
    const deleted = await media.delete(id, forced);
    await auditMedia(ctx, folio, 'delete', id, { name: deleted.name, force: force === 'true' });
    ctx.body = { data: deleted };
  });

  route(admin, 'get', '/folders', 'read', async (ctx) => {
    const query = listQueryOf(ctx, { depth: 2 });
    checkKeys(query, ['filters', 'page', 'pageSize']);
    const filters = (query.filters ?? {}) as Record<string, unknown>;
    checkKeys(filters, ['parent']);
    const parent = filters.parent === undefined ? undefined : filters.parent === 'null' || filters.parent === '' ? null : parseId(String(filters.parent), 'filters[parent]');
    const page = positiveInt(query.page, 'page', 'page', 1);
    const pageSize = Math.min(positiveInt(query.pageSize, 'pageSize', 'pageSize', 100), maxPageSize);
    const all = await media.listFolders(parent);
    ctx.body = { data: await withCreators(media, all.slice((page - 1) * pageSize, page * pageSize), 'folder'), meta: paginationMeta(page, pageSize, all.length) };
  });
  route(admin, 'get', '/folders/:id', 'read', async (ctx) => {
    ctx.body = { data: (await withCreators(media, [await media.getFolder(idParam(ctx))], 'folder'))[0] };
  });
  route(admin, 'post', '/folders', 'create', async (ctx) => {
    const folder = parseBody(folderSchema, ctx);
    ctx.body = { data: (await withCreators(media, [await media.createFolder(folder, userIdOf(ctx))], 'folder'))[0] };
    ctx.status = 201;
  });
  route(admin, 'put', '/folders/:id', 'update', async (ctx) => {
    const id = idParam(ctx);
    await requireItemAction(ctx, media, id, 'update', 'folder');
    const changes = parseBody(folderPatchSchema, ctx);
    ctx.body = { data: (await withCreators(media, [await media.updateFolder(id, changes, userIdOf(ctx))], 'folder'))[0] };
  });
  route(admin, 'delete', '/folders/:id', 'delete', async (ctx) => {
    const id = idParam(ctx);
    await requireItemAction(ctx, media, id, 'delete', 'folder');
    ctx.body = { data: await media.deleteFolder(id) };
  });

  return [api, admin];
}

/**
 * GET|HEAD /uploads/<key>[?w=&h=&fit=&format=&q=&sig=]: stored files, public by URL as in Strapi
 * (no caller check). The raw path is used: keys are plain ASCII, so an encoded or dotted path
 * simply matches no key.
 */
export function uploadFiles(folio: Folio): Middleware {
  const { mediaServer: server } = folio;
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/uploads/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    await server.serve(ctx, ctx.path.slice('/uploads/'.length));
  };
}
