// The Content API read routes mounted on a Koa app the way app.ts mounts routers, for supertest.
// The authentication middleware is built in parallel: until it is merged, a small test middleware
// puts a Caller on ctx.state from the `X-Test-Caller` header — a comma list of `type.action` grants
// (`*` grants everything); no header is the Public role with no permission at all.
import Koa from 'koa';
import supertest from 'supertest';
import type { Caller } from '../../server/access/caller.js';
import { errorEnvelope } from '../../server/middleware/errors.js';
import { notFound } from '../../server/middleware/not-found.js';
import { requestContext } from '../../server/middleware/request-context.js';
import type { Folio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { contentApiCors, contentApiRoutes, type ContentApiOptions } from '../../server/routes/content-api.js';

export function grantsCaller(grants: string[]): Caller {
  const set = new Set(grants);
  return {
    kind: grants.length ? 'api-token' : 'public',
    can: (action, subject) => set.has('*') || set.has(`${subject}.${action}`),
  };
}

export function contentApiApp(folio: Folio, options: ContentApiOptions = {}): () => ReturnType<typeof supertest> {
  const app = new Koa();
  app.silent = true;
  app.use(requestContext(silentLogger()));
  app.use(errorEnvelope());
  app.use(notFound());
  app.use(async (ctx, next) => {
    const header = ctx.get('X-Test-Caller');
    ctx.state.caller = grantsCaller(header ? header.split(',').map((s) => s.trim()) : []);
    await next();
  });
  app.use(contentApiCors(folio.config.corsOrigins));
  const router = contentApiRoutes(folio, options);
  app.use(router.routes());
  app.use(router.allowedMethods());
  const callback = app.callback();
  return () => supertest(callback);
}
