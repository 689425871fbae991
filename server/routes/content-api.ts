// The read side of the public Content API (docs/content-api.md, "Routes"): GET /api/:pluralName,
// GET /api/:pluralName/:documentId and GET /api/:singularName for single types, looked up in the live
// schema on every request (a schema change is served at once). Unknown names fall through to the next
// router (uploads, auth, … live under /api too) and end as the app's 404.
//
// Caching: every GET answers with a strong ETag (sha256 of the body) and 304 on If-None-Match;
// `Vary: Authorization` because what a caller sees depends on credentials. Cache-Control comes from the
// type's `options.cacheControl` (a string, e.g. "public, max-age=60") for published reads, default
// `no-cache` (always revalidate: cheap with the ETag); draft reads are always `private, no-cache`, and
// whatever a preview token reads is `private, no-store` (a draft must not outlive its token anywhere).
//
// Server-side, bodies are kept in the response cache (server/cache/) under the caller's permission
// fingerprint and the URL, tagged with the content types the response was read from. The URL is the
// whole query string, `render=html` included, so an HTML answer never stands in for the JSON one.
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import cors from '@koa/cors';
import type { Context, Middleware } from 'koa';
import type { Folio } from '../folio.js';
import type { ContentTypeModel, SchemaModel, SchemaSource } from '../schema/model.js';
import { RESERVED_ROUTE_NAMES } from '../schema/naming.js';
import { findDocuments } from '../content/operations/find-documents.js';
import { DEFAULT_LIMITS, type QueryLimits } from '../content/query/parse.js';
import { defineRoutes, type Permission } from './define.js';
import { permissionFingerprint, type CachedResponse } from '../cache/index.js';

export interface ContentApiOptions {
  /** Where the live schema comes from (default: folio.schema, the registry). */
  schema?: SchemaSource;
  /** The locale of localized types when the request names none (default: Settings › Locales). */
  defaultLocale?: string;
  limits?: Partial<QueryLimits>;
}

interface Resolved {
  schema: SchemaModel;
  type: ContentTypeModel;
}

/**
 * How old (ms) the checked schema version may be for a public read. A schema applied in this process
 * or on an instance sharing Redis is seen at once; one applied by the CLI within this time, like a
 * permission change (AccessService.freshnessMs).
 */
const SCHEMA_MAX_AGE_MS = 1000;

/** Strapi 5 answers a refused read with the bare message "Forbidden". */
function readPermission(action: 'find' | 'findOne') {
  return ({ type }: Resolved): Permission => ({ action, subject: type.uid, message: 'Forbidden' });
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  // If-None-Match uses the weak comparison: W/ prefixes do not matter.
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** `noStore`: a preview token's read, or an answer holding decrypted values. */
function cacheControl(type: ContentTypeModel, draft: boolean, noStore: boolean): string {
  if (noStore) return 'private, no-store';
  if (draft) return 'private, no-cache';
  const configured = type.definition.options?.cacheControl;
  return typeof configured === 'string' && configured.trim() ? configured.trim() : 'no-cache';
}

function prepare(body: unknown, type: ContentTypeModel, draft: boolean, noStore: boolean): CachedResponse {
  // Encoded once here; a string body would be encoded again to hash, to measure and to write it.
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  return { body: json, etag: etagOf(json), cacheControl: cacheControl(type, draft, noStore) };
}

/** JSON body with a strong ETag, or 304 when the client already has it. */
function respond(ctx: Context, response: CachedResponse): void {
  ctx.set('ETag', response.etag);
  ctx.vary('Authorization');
  ctx.set('Cache-Control', response.cacheControl);
  if (matches(ctx.get('If-None-Match') || undefined, response.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = response.body;
}

/**
 * CORS for /api only, from config.corsOrigins (none: same origin only; `*` allows any origin).
 * An app-level middleware (not on the router) so that preflight OPTIONS requests are answered too.
 */
export function contentApiCors(corsOrigins: string[]): Middleware {
  const allowed = new Set(corsOrigins);
  const handler = cors({
    origin: (ctx: Context) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) || allowed.has('*') ? origin : '';
    },
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
    exposeHeaders: ['ETag'],
    maxAge: 600,
  });
  return async (ctx, next) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) await handler(ctx, next);
    else await next();
  };
}

export function contentApiRoutes(
  folio: Pick<Folio, 'db' | 'dialect' | 'config' | 'schema' | 'cache' | 'reads' | 'locales'>,
  options: ContentApiOptions = {},
): Router {
  const source: SchemaSource = options.schema ?? folio.schema;
  const router = new Router({ prefix: '/api' });
  const limits: QueryLimits = { ...DEFAULT_LIMITS, maxPageSize: folio.config.apiMaxPageSize, ...options.limits };

  async function lookup(segment: string): Promise<Resolved | undefined> {
    if (RESERVED_ROUTE_NAMES.has(segment)) return undefined;
    const schema = await source.current(SCHEMA_MAX_AGE_MS);
    const type = schema.byRoute.get(segment);
    return type ? { schema, type } : undefined;
  }

  async function read(ctx: Context, { schema, type }: Resolved, documentId?: string) {
    folio.cache.observeSchema(schema);
    const responses = folio.cache.responses;
    const fingerprint = responses && permissionFingerprint(ctx.state.caller);
    // The same fingerprint means the same rules, so whatever authorised the stored response
    // (findDrafts, field permissions, populate rights) authorises this caller too.
    const key = fingerprint === undefined ? undefined : `${fingerprint} ${ctx.url}`;
    if (responses && key !== undefined) {
      const hit = responses.get(key);
      if (hit) return respond(ctx, hit);
    }
    const ticket = responses?.begin();
    // Read after the ticket: a change of the default locale clears the cache, so a response computed
    // with the old one is never stored after it.
    const defaultLocale = options.defaultLocale ?? (await folio.locales.defaultCode());
    const { body, draft, tags, sensitive } = await findDocuments(folio, {
      caller: ctx.state.caller,
      schema,
      type,
      querystring: ctx.querystring,
      limits,
      defaultLocale,
      ...(documentId !== undefined ? { documentId } : {}),
    });
    // A preview token's caller has no permission fingerprint (cache/index.ts): never stored above.
    // Decrypted values are answered `private, no-store`: no shared cache (a CDN) keeps them.
    const response = prepare(body, type, draft, ctx.state.caller?.kind === 'preview' || sensitive);
    // Decrypted values are never kept in the response cache (which may be Redis): read again each time.
    if (responses && key !== undefined && ticket && !sensitive) responses.set(key, response, tags, ticket);
    respond(ctx, response);
  }

  return defineRoutes<Resolved>(router, [
    {
      method: 'get',
      path: '/:segment',
      resolve: (ctx) => lookup((ctx.params as { segment: string }).segment),
      permission: readPermission('find'),
      handler: (ctx, found) => read(ctx, found),
    },
    {
      method: 'get',
      path: '/:segment/:documentId',
      resolve: async (ctx) => {
        const found = await lookup((ctx.params as { segment: string }).segment);
        return found?.type.kind === 'collectionType' ? found : undefined;
      },
      permission: readPermission('findOne'),
      handler: (ctx, found) => read(ctx, found, (ctx.params as { documentId: string }).documentId),
    },
  ]);
}
