// Runs after everything else has had its chance: a request that no route answered becomes a 404
// in the error envelope, and a known path asked with another method a 405 (the router has already
// set its Allow header).
import type { Middleware } from 'koa';
import { FolioError, NotFoundError } from '../errors.js';

export function notFound(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body != null) return;
    if (ctx.status === 404) throw new NotFoundError(`No route for ${ctx.method} ${ctx.path}`);
    if (ctx.status === 405)
      throw new FolioError(405, 'MethodNotAllowedError', `${ctx.method} is not allowed on ${ctx.path}`);
  };
}
