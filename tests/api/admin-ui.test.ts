// The dashboard's static files at /admin: SPA fallback, cache headers, compression, confinement to
// the build folder, and a clear 503 when there is no build. A build folder of the same shape as
// Vite's (index.html + assets/<name>-<hash>.js) is written for each case, so the test does not
// depend on the state of admin/dist; the app itself (createApp) is checked for / and the wiring.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import supertest from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { errorEnvelope } from '../../server/middleware/errors.js';
import { notFound } from '../../server/middleware/not-found.js';
import { requestContext } from '../../server/middleware/request-context.js';
import { securityHeaders } from '../../server/middleware/security-headers.js';
import { silentLogger } from '../../server/logger.js';
import { adminUiRoutes } from '../../server/routes/admin-ui.js';
import { RUN_DIR } from '../helpers/env.js';
import { describeEachDatabase } from '../helpers/folio.js';

const INDEX =
  '<!doctype html><html><head><script type="module" ' +
  'src="/admin/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(5000))});`;

function buildFolder(): string {
  const dist = mkdtempSync(path.join(RUN_DIR || os.tmpdir(), 'admin-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'assets', 'index-Ab12Cd34.js'), SCRIPT);
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dist;
}

/** Folio's own middleware in app.ts's order, around the admin routes with the given build folder. */
function appServing(dist: string) {
  const app = new Koa();
  app.silent = true;
  app.use(requestContext(silentLogger()));
  app.use(errorEnvelope());
  app.use(notFound());
  app.use(securityHeaders());
  const router = adminUiRoutes({ dist });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return supertest(app.callback());
}

describe('/admin serves the built dashboard', () => {
  const http = appServing(buildFolder());

  it('answers index.html at /admin, never cached', async () => {
    const res = await http.get('/admin').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(INDEX);
  });

  it('answers index.html for the SPA routes under /admin (history fallback)', async () => {
    for (const route of ['/admin/', '/admin/login', '/admin/users/3/show']) {
      const res = await http.get(route).expect(200);
      expect(res.text).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets for a year, immutable', async () => {
    const res = await http.get('/admin/assets/index-Ab12Cd34.js').set('Accept-Encoding', 'identity').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.text).toBe(SCRIPT);
  });

  it('compresses assets for clients that accept it', async () => {
    // supertest decodes the body: what travelled is the Content-Length, what arrived is the text.
    const res = await http.get('/admin/assets/index-Ab12Cd34.js').set('Accept-Encoding', 'br').expect(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(res.headers['content-length'])).toBeLessThan(SCRIPT.length / 10);
    expect(res.text).toBe(SCRIPT);
  });

  it('answers 304 to a revalidation of an unchanged asset', async () => {
    const first = await http.get('/admin/assets/index-Ab12Cd34.js').expect(200);
    await http.get('/admin/assets/index-Ab12Cd34.js').set('If-None-Match', first.headers.etag).expect(304);
  });

  it('serves other build files with a short cache', async () => {
    const res = await http.get('/admin/favicon.svg').expect(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers 404, not the SPA, for a missing asset or file', async () => {
    const asset = await http.get('/admin/assets/index-Zz99Zz99.js').expect(404);
    expect(asset.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    await http.get('/admin/robots.txt').expect(404);
  });

  it('never serves a file outside the build folder', async () => {
    for (const attempt of [
      '/admin/..%2fpackage.json',
      '/admin/%2e%2e/%2e%2e/package.json',
      '/admin/assets/..%2f..%2f..%2fpackage.json',
      '/admin/%00.js',
    ]) {
      const res = await http.get(attempt);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ name: 'NotFoundError' });
    }
  });

  it('applies the security headers to the dashboard', async () => {
    const res = await http.get('/admin').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('/admin without a build', () => {
  const http = appServing(path.join(mkdtempSync(path.join(RUN_DIR || os.tmpdir(), 'admin-empty-')), 'dist'));

  it('answers 503 saying to run npm run build:admin', async () => {
    for (const route of ['/admin', '/admin/login', '/admin/assets/index-Ab12Cd34.js']) {
      const res = await http.get(route).expect(503);
      expect(res.body.error).toMatchObject({ status: 503, name: 'ServiceUnavailableError' });
      expect(res.body.error.message).toContain('npm run build:admin');
    }
  });
});

describeEachDatabase('the Folio app', (ctx) => {
  it('redirects / to /admin', async () => {
    const res = await ctx().http().get('/').expect(302);
    expect(res.headers.location).toBe('/admin');
  });

  it('still answers unknown paths outside /admin with the 404 envelope', async () => {
    const res = await ctx().http().get('/nothing-here').expect(404);
    expect(res.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
  });
});
