// HTTP adapters of the media library:
//   Content API (Strapi's upload plugin routes, unwrapped like Strapi answers them):
//     POST /api/upload (files, fileInfo, ref/refId/field; ?id= replaces) · GET /api/upload/files
//     GET /api/upload/files/:id · DELETE /api/upload/files/:id
//   Admin API (README conventions, { data, meta }):
//     GET|POST /admin-api/upload/files · GET|PUT|DELETE /admin-api/upload/files/:id (?force=true)
//     POST /admin-api/upload/files/:id/replace · PUT /admin-api/upload/files/:id/edit (rotate, crop,
//     focal point) · GET /admin-api/upload/files/:id/used-by · GET|POST /admin-api/upload/folders
//     GET|PUT|DELETE /admin-api/upload/folders/:id
//   Public files: GET /uploads/<key>[?w=&h=&fit=&format=&q=&sig=]
// Every route declares the action it needs on the 'upload' subject (defineRoutes: else 401/403) and
// calls one operation of server/media/operations.ts, which checks the very file or folder (a role
// limited to its own) inside the change's transaction and writes the audit row there.
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import qs from 'qs';
import { z } from 'zod';
import type { Caller } from '../access/caller.js';
import { ValidationError } from '../errors.js';
import { defineRoutes, type HttpMethod, type RouteDefinition } from './define.js';
import { idParam, paginationMeta, parseBody, parseId, parseWith, positiveInt } from './params.js';
import type { Folio } from '../folio.js';
import { receiveMultipart, type Multipart } from '../media/multipart.js';
import { assertWellFormed } from '../middleware/body.js';
import type { FileInfo, ListQuery, MediaService } from '../media/service.js';
import { MEDIA_CATEGORIES } from '../media/types.js';
import { prepareUploadLink } from '../content/operations/link-upload.js';
import * as ops from '../media/operations.js';
import { unlinkAsUpdates } from '../content/operations/unlink-file.js';
import { fileUsage } from '../content/operations/file-usage.js';

/** A route acting on the `upload` subject; the operation checks the very file or folder it changes. */
function upload(
  method: HttpMethod,
  path: string,
  action: string,
  handler: (ctx: Context) => Promise<void>,
): RouteDefinition {
  return { method, path, permission: { action, subject: 'upload' }, handler };
}

/**
 * Admin answers name who uploaded each file or created each folder (`createdBy`, an admin id or
 * null) so that the dashboard can tell, with the same CASL rules, what a role limited to its own
 * may change.
 */
async function withCreators<F extends { id: number }>(
  media: MediaService,
  items: F[],
  kind: 'file' | 'folder' = 'file',
): Promise<Array<F & { createdBy: number | null }>> {
  const creators = await media.creatorsOf(
    items.map((f) => f.id),
    kind,
  );
  return items.map((f) => ({ ...f, createdBy: creators.get(f.id) ?? null }));
}

const nullableText = z.string().max(10000).nullable().optional();
const folderRef = z.union([z.number().int().positive(), z.null()]).optional();
const fileInfoSchema = z.strictObject({
  name: z.string().trim().min(1).max(255).optional(),
  alternativeText: nullableText,
  caption: nullableText,
  folder: folderRef,
});

const unit = z.number().min(0).max(1);
const pixels = z.number().int().min(0).max(100_000);
/** An image's edit: every part given, so that leaving one out never keeps an old value by surprise. */
const imageEditSchema = z.strictObject({
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  crop: z.strictObject({ x: pixels, y: pixels, width: pixels.min(1), height: pixels.min(1) }).nullable(),
  focalPoint: z.strictObject({ x: unit, y: unit }).nullable(),
});

function parseFileInfo(raw: string | undefined, count: number): FileInfo[] {
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ValidationError.fromErrors([
      { path: ['fileInfo'], message: 'fileInfo must be JSON', name: 'ValidationError' },
    ]);
  }
  assertWellFormed(parsed, ['fileInfo']);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length > Math.max(count, 1))
    throw ValidationError.fromErrors([
      { path: ['fileInfo'], message: 'More fileInfo entries than files', name: 'ValidationError' },
    ]);
  return list.map((item, i) => parseWith(fileInfoSchema, item, ['fileInfo', i]));
}

async function withMultipart<T>(ctx: Context, folio: Folio, work: (mp: Multipart) => Promise<T>): Promise<T> {
  const mp = await receiveMultipart(ctx.req, { maxFileBytes: folio.config.uploadMaxBytes });
  try {
    const stray = mp.files.find((f) => f.field !== 'files');
    if (stray)
      throw ValidationError.fromErrors([
        {
          path: [stray.field],
          message: `Files go in the "files" field, not "${stray.field}"`,
          name: 'ValidationError',
        },
      ]);
    return await work(mp);
  } finally {
    await mp.cleanup();
  }
}

// Maps, never plain objects: a user-supplied name (`constructor`, `toString`) must not find Object.prototype.
const SORTABLE = new Map([
  ['id', 'id'],
  ['name', 'name'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
  ['size', 'size'],
  ['mime', 'mime'],
]);

function parseSort(raw: unknown, param = 'sort'): ListQuery['sort'] {
  if (raw === undefined) return [];
  const items = (Array.isArray(raw) ? (raw as unknown[]) : [raw]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [v],
  );
  return items.map((item) => {
    if (typeof item !== 'string') throw ValidationError.query('sort must be field or field:asc|desc', param, param);
    const [field, dir = 'asc'] = item.trim().split(':');
    const column = SORTABLE.get(field);
    if (!column || !['asc', 'desc'].includes(dir.toLowerCase())) {
      throw ValidationError.query(
        `Cannot sort by "${item}" (fields: ${[...SORTABLE.keys()].join(', ')})`,
        param,
        field,
        item,
      );
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
  return qs.parse(ctx.querystring, { ...options, plainObjects: true });
}
const FILTER_OPS = ['$eq', '$ne', '$contains', '$startsWith'] as const;

/**
 * Content API list query: sort, pagination[page|pageSize],
 * filters[name|mime|ext|caption|alternativeText][$eq|$ne|$contains|$startsWith], _q.
 */
function contentListQuery(ctx: Context, maxPageSize: number): ListQuery {
  const query = listQueryOf(ctx, { depth: 3, arrayLimit: 100 });
  checkKeys(query, ['sort', 'pagination', 'filters', '_q']);
  const pagination = (query.pagination ?? {}) as Record<string, unknown>;
  if (typeof pagination !== 'object' || Array.isArray(pagination))
    throw ValidationError.query('Invalid pagination', 'pagination', 'pagination');
  for (const key of Object.keys(pagination))
    if (!['page', 'pageSize'].includes(key))
      throw ValidationError.query(`Invalid pagination key "${key}"`, 'pagination', key);
  const conditions: NonNullable<ListQuery['conditions']> = [];
  const filters = query.filters ?? {};
  if (typeof filters !== 'object' || Array.isArray(filters))
    throw ValidationError.query('Invalid filters', 'filters', 'filters');
  for (const [field, cond] of Object.entries(filters as Record<string, unknown>)) {
    const column = FILTER_COLUMNS.get(field);
    if (!column) throw ValidationError.query(`Cannot filter files by "${field}"`, 'filters', field);
    const entries: Array<[string, unknown]> =
      typeof cond === 'string' ? [['$eq', cond]] : Object.entries((cond ?? {}) as Record<string, unknown>);
    for (const [op, value] of entries) {
      if (!(FILTER_OPS as readonly string[]).includes(op) || typeof value !== 'string') {
        throw ValidationError.query(
          `Invalid filter ${field}.${op} (operators: ${FILTER_OPS.join(', ')})`,
          'filters',
          field,
          `${field}.${op}`,
        );
      }
      conditions.push({ column, op: op as (typeof FILTER_OPS)[number], value });
    }
  }
  if (query._q !== undefined && typeof query._q !== 'string')
    throw ValidationError.query('_q must be text', '_q', '_q');
  return {
    page: positiveInt(pagination.page, 'pagination', 'page', 1),
    pageSize: Math.min(positiveInt(pagination.pageSize, 'pagination', 'pageSize', 25), maxPageSize),
    sort: parseSort(query.sort),
    conditions,
    q: query._q || undefined,
  };
}

/** A query parameter's text; a list or an object (`filters[folder][]=1`) is no id and is refused. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Admin list query (README conventions): page, pageSize, sort, q, filters[folder|type|mime]. */
function adminListQuery(ctx: Context, maxPageSize: number): ListQuery {
  const query = listQueryOf(ctx, { depth: 2 });
  checkKeys(query, ['page', 'pageSize', 'sort', 'q', 'filters']);
  const filters = (query.filters ?? {}) as Record<string, unknown>;
  if (typeof filters !== 'object' || Array.isArray(filters))
    throw ValidationError.query('Invalid filters', 'filters', 'filters');
  checkKeys(filters, ['folder', 'type', 'mime']);
  let folder: number | null | undefined;
  if (filters.folder !== undefined)
    folder =
      filters.folder === 'null' || filters.folder === '' ? null : parseId(textOf(filters.folder), 'filters[folder]');
  if (filters.type !== undefined && !(MEDIA_CATEGORIES as readonly unknown[]).includes(filters.type)) {
    throw ValidationError.query(`filters[type] must be one of ${MEDIA_CATEGORIES.join(', ')}`, 'filters', 'type');
  }
  if (filters.mime !== undefined && typeof filters.mime !== 'string')
    throw ValidationError.query('filters[mime] must be text', 'filters', 'mime');
  if (query.q !== undefined && typeof query.q !== 'string') throw ValidationError.query('q must be text', 'q', 'q');
  return {
    page: positiveInt(query.page, 'page', 'page', 1),
    pageSize: Math.min(positiveInt(query.pageSize, 'pageSize', 'pageSize', 25), maxPageSize),
    sort: parseSort(query.sort),
    q: query.q || undefined,
    folder,
    type: filters.type as ListQuery['type'],
    mime: filters.mime,
  };
}

const folderSchema = z.strictObject({ name: z.string().max(255), parent: folderRef });
const folderPatchSchema = z.strictObject({ name: z.string().max(255).optional(), parent: folderRef });

function acting(ctx: Context): ops.Acting {
  return { caller: ctx.state.caller as Caller, ip: ctx.ip };
}

/**
 * An upload, linked to an entry's media field when the form names `ref`/`refId`/`field`: that link
 * is an update of the entry by the caller (server/content/operations/link-upload.ts), the files'
 * rows written in its transaction.
 */
async function uploadFromForm(ctx: Context, folio: Folio, mp: Multipart, folderField: boolean) {
  const infos = parseFileInfo(mp.fields.fileInfo, mp.files.length);
  if (folderField && mp.fields.folder !== undefined && mp.fields.folder !== '') {
    const folder = parseId(mp.fields.folder, 'folder');
    for (let i = 0; i < mp.files.length; i++) infos[i] = { folder, ...(infos[i] ?? {}) };
  }
  const { ref, refId, field } = mp.fields;
  const linking = ref !== undefined || refId !== undefined || field !== undefined;
  if (!linking) return ops.uploadFiles(folio, acting(ctx), mp.files, infos);
  if (!(ref && refId && field)) {
    throw ValidationError.fromErrors([
      { path: ['ref'], message: 'ref, refId and field go together', name: 'ValidationError' },
    ]);
  }
  const link = await prepareUploadLink(folio, {
    caller: ctx.state.caller!,
    ref,
    refId,
    field,
    count: mp.files.length,
    ip: ctx.ip,
  });
  return ops.uploadFilesWithin(folio, acting(ctx), mp.files, infos, link.allowedTypes, link.write);
}

/** One file in the "files" field, for a replacement. */
function replacementOf(mp: Multipart): Multipart['files'][number] {
  if (mp.files.length !== 1)
    throw ValidationError.fromErrors([
      { path: ['files'], message: 'Replace takes exactly one file', name: 'ValidationError' },
    ]);
  return mp.files[0];
}

function forceParam(ctx: Context): boolean {
  const force = ctx.query.force;
  if (force !== undefined && force !== 'true' && force !== 'false')
    throw ValidationError.query('force must be true or false', 'force', 'force');
  return force === 'true';
}

function folderParent(query: Record<string, unknown>): number | null | undefined {
  const filters = (query.filters ?? {}) as Record<string, unknown>;
  checkKeys(filters, ['parent']);
  if (filters.parent === undefined) return undefined;
  return filters.parent === 'null' || filters.parent === '' ? null : parseId(textOf(filters.parent), 'filters[parent]');
}

export function uploadRoutes(folio: Folio): Router[] {
  const { media } = folio;
  const maxPageSize = folio.config.apiMaxPageSize;

  const replace = (ctx: Context, id: number) =>
    withMultipart(ctx, folio, (mp) =>
      ops.replaceFile(folio, acting(ctx), id, replacementOf(mp), parseFileInfo(mp.fields.fileInfo, 1)[0] ?? {}),
    );
  const one = async <F extends { id: number }>(item: F, kind: 'file' | 'folder' = 'file') =>
    (await withCreators(media, [item], kind))[0];

  // ---- Content API (Strapi's upload plugin: answers unwrapped)
  const api = defineRoutes(new Router({ prefix: '/api/upload' }), [
    upload('post', '/', 'create', async (ctx) => {
      // `?id=` replaces that file: an update of it (the operation checks update on this file).
      if (ctx.query.id !== undefined) {
        ctx.body = await replace(ctx, parseId(String(ctx.query.id)));
        return;
      }
      ctx.body = await withMultipart(ctx, folio, (mp) => uploadFromForm(ctx, folio, mp, false));
      ctx.status = 201;
    }),
    upload('get', '/files', 'find', async (ctx) => {
      ctx.body = (await media.list(contentListQuery(ctx, maxPageSize))).results;
    }),
    upload('get', '/files/:id', 'findOne', async (ctx) => {
      ctx.body = await media.get(idParam(ctx));
    }),
    upload('delete', '/files/:id', 'delete', async (ctx) => {
      ctx.body = await ops.deleteFile(folio, acting(ctx), idParam(ctx));
    }),
  ]);

  // ---- Admin API ({ data, meta })
  const admin = defineRoutes(new Router({ prefix: '/admin-api/upload' }), [
    upload('get', '/files', 'read', async (ctx) => {
      const query = adminListQuery(ctx, maxPageSize);
      const { results, total } = await media.list(query);
      ctx.body = { data: await withCreators(media, results), meta: paginationMeta(query.page, query.pageSize, total) };
    }),
    upload('post', '/files', 'create', async (ctx) => {
      const files = await withMultipart(ctx, folio, (mp) => uploadFromForm(ctx, folio, mp, true));
      ctx.body = { data: await withCreators(media, files) };
      ctx.status = 201;
    }),
    upload('get', '/files/:id', 'read', async (ctx) => {
      ctx.body = { data: await one(await media.get(idParam(ctx))) };
    }),
    upload('put', '/files/:id', 'update', async (ctx) => {
      const body: unknown = ctx.request.body;
      const data = body && typeof body === 'object' && 'data' in body ? body.data : body;
      const info = parseWith(fileInfoSchema, data ?? {});
      ctx.body = { data: await one(await ops.updateFileInfo(folio, acting(ctx), idParam(ctx), info)) };
    }),
    upload('get', '/files/:id/used-by', 'read', async (ctx) => {
      // Only the entries the caller may read are named (the operation filters them).
      ctx.body = { data: await fileUsage(folio, ctx.state.caller!, idParam(ctx)) };
    }),
    upload('put', '/files/:id/edit', 'update', async (ctx) => {
      const edit = parseBody(imageEditSchema, ctx);
      ctx.body = { data: await one(await ops.editImage(folio, acting(ctx), idParam(ctx), edit)) };
    }),
    upload('post', '/files/:id/replace', 'update', async (ctx) => {
      ctx.body = { data: await one(await replace(ctx, idParam(ctx))) };
    }),
    upload('delete', '/files/:id', 'delete', async (ctx) => {
      const force = forceParam(ctx);
      const id = idParam(ctx);
      // Unlinking is an update of every entry losing the file: the caller must be allowed each.
      const unlink = force ? await unlinkAsUpdates(folio, ctx.state.caller!, id, ctx.ip) : undefined;
      ctx.body = { data: await ops.deleteFile(folio, acting(ctx), id, unlink) };
    }),
    upload('get', '/folders', 'read', async (ctx) => {
      const query = listQueryOf(ctx, { depth: 2 });
      checkKeys(query, ['filters', 'page', 'pageSize']);
      const parent = folderParent(query);
      const page = positiveInt(query.page, 'page', 'page', 1);
      const pageSize = Math.min(positiveInt(query.pageSize, 'pageSize', 'pageSize', 100), maxPageSize);
      const all = await media.listFolders(parent);
      ctx.body = {
        data: await withCreators(media, all.slice((page - 1) * pageSize, page * pageSize), 'folder'),
        meta: paginationMeta(page, pageSize, all.length),
      };
    }),
    upload('get', '/folders/:id', 'read', async (ctx) => {
      ctx.body = { data: await one(await media.getFolder(idParam(ctx)), 'folder') };
    }),
    upload('post', '/folders', 'create', async (ctx) => {
      ctx.body = {
        data: await one(await ops.createFolder(folio, acting(ctx), parseBody(folderSchema, ctx)), 'folder'),
      };
      ctx.status = 201;
    }),
    upload('put', '/folders/:id', 'update', async (ctx) => {
      const id = idParam(ctx);
      ctx.body = {
        data: await one(await ops.updateFolder(folio, acting(ctx), id, parseBody(folderPatchSchema, ctx)), 'folder'),
      };
    }),
    upload('delete', '/folders/:id', 'delete', async (ctx) => {
      ctx.body = { data: await one(await ops.deleteFolder(folio, acting(ctx), idParam(ctx)), 'folder') };
    }),
  ]);

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
    if (!ctx.path.startsWith('/uploads/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) {
      await next();
      return;
    }
    await server.serve(ctx, ctx.path.slice('/uploads/'.length));
  };
}
