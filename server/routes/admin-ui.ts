// The dashboard (admin/, built by Vite into admin/dist) served at /admin:
//   /admin/assets/*  hashed file names → cached for a year, immutable; compressed once, kept in memory
//   other files      (favicon…) → cached briefly
//   anything else    → index.html (the SPA's router decides), never cached so a deploy shows at once
//   /                → redirect to /admin
// The build is looked up on every request, so `npm run build:admin` takes effect without a restart;
// without a build, /admin answers 503 saying how to make one.
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Router from '@koa/router';
import type { Context } from 'koa';
import { LRUCache } from 'lru-cache';
import { FolioError } from '../errors.js';
import { PROJECT_ROOT } from '../project-root.js';
import { withFrameSources } from '../middleware/security-headers.js';
import { defineRoutes } from './define.js';

export const ADMIN_BASE = '/admin';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export const DEFAULT_ADMIN_DIST = path.join(PROJECT_ROOT, 'admin', 'dist');

const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.map', '.txt', '.wasm']);

/** Is there a build to serve? (The start banner says how to make one when there is not.) */
export function adminBuilt(dist = DEFAULT_ADMIN_DIST): boolean {
  return existsSync(path.join(dist, 'index.html'));
}

export interface AdminUiOptions {
  /** The Vite build folder (default admin/dist). */
  dist?: string;
  /** The origins the dashboard's page may frame (the preview panel's sites); none by default. */
  frameSources?: () => Promise<string[]>;
}

export class AdminNotBuiltError extends FolioError {
  constructor() {
    super(
      503,
      'ServiceUnavailableError',
      'The admin panel is not built yet: run `npm run build:admin` (npm start does it on first start), ' +
        'then reload this page.',
    );
  }
}

/** A path under dist, or undefined when the request tries to leave it. */
function resolveInside(dist: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(dist, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === dist || file.startsWith(dist + path.sep) ? file : undefined;
}

async function regularFile(file: string): Promise<{ size: number; mtime: Date } | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

export function adminUiRoutes(options: AdminUiOptions = {}): Router {
  const dist = path.resolve(options.dist ?? DEFAULT_ADMIN_DIST);
  const indexFile = path.join(dist, 'index.html');
  // Hashed assets never change under the same name: compress each once (brotli or gzip).
  const compressed = new LRUCache<string, Buffer>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (b) => b.length || 1 });

  async function sendIndex(ctx: Context): Promise<void> {
    const info = await regularFile(indexFile);
    if (!info) throw new AdminNotBuiltError();
    ctx.set('Cache-Control', 'no-cache');
    // The page's policy names the sites its preview panel frames, as the schema says now: the page
    // is never cached, so a changed preview URL is allowed at the next load.
    const policy = ctx.response.get('Content-Security-Policy');
    if (policy) ctx.set('Content-Security-Policy', withFrameSources(policy, (await options.frameSources?.()) ?? []));
    ctx.type = 'text/html; charset=utf-8';
    ctx.lastModified = info.mtime;
    ctx.body = await readFile(indexFile);
  }

  async function sendAsset(
    ctx: Context,
    file: string,
    info: { size: number; mtime: Date },
    immutable: boolean,
  ): Promise<void> {
    ctx.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    ctx.type = path.extname(file);
    ctx.lastModified = info.mtime;
    ctx.etag = `W/"${info.size.toString(16)}-${info.mtime.getTime().toString(16)}"`;
    ctx.status = 200; // ctx.fresh only compares validators on a 2xx
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    const ext = path.extname(file);
    const encoding =
      immutable && COMPRESSIBLE.has(ext) && info.size > 1024
        ? ctx.acceptsEncodings('br', 'gzip', 'identity')
        : 'identity';
    ctx.vary('Accept-Encoding');
    if (encoding === 'br' || encoding === 'gzip') {
      const key = `${encoding}:${file}`;
      let body = compressed.get(key);
      if (!body) {
        const raw = await readFile(file);
        body =
          encoding === 'br'
            ? await brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } })
            : await gzip(raw, { level: 9 });
        compressed.set(key, body);
      }
      ctx.set('Content-Encoding', encoding);
      ctx.body = body;
      return;
    }
    ctx.length = info.size;
    ctx.body = createReadStream(file);
  }

  async function serve(ctx: Context): Promise<void> {
    if (!existsSync(indexFile)) throw new AdminNotBuiltError();
    const relative = ctx.path.slice(ADMIN_BASE.length).replace(/^\/+/, '');
    if (relative === '' || relative === 'index.html') return sendIndex(ctx);
    const file = resolveInside(dist, relative);
    const info = file ? await regularFile(file) : undefined;
    if (file && info) return sendAsset(ctx, file, info, relative.startsWith('assets/'));
    // A missing asset or file is a 404, not the SPA: a stale hashed name must fail visibly.
    if (relative.startsWith('assets/') || /\.[a-z0-9]+$/i.test(relative)) return; // → 404 envelope
    return sendIndex(ctx);
  }

  // The panel's files are public: its data comes from the Admin API, which checks every request.
  return defineRoutes(new Router(), [
    { method: 'get', path: '/', permission: 'public', handler: (ctx) => ctx.redirect(ADMIN_BASE) },
    { method: 'get', path: ADMIN_BASE, permission: 'public', handler: serve },
    { method: 'get', path: `${ADMIN_BASE}/{*rest}`, permission: 'public', handler: serve },
  ]);
}
