// The one error path: whatever a later middleware throws becomes the error envelope (docs/content-api.md, "Errors").
// Unknown errors are logged with their stack and answered with a generic 500.
import type { Middleware } from 'koa';
import { toErrorEnvelope } from '../errors.js';

export function errorEnvelope(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, body, internal, retryAfterSeconds } = toErrorEnvelope(err);
      if (internal) ctx.log.error({ err }, 'unhandled error');
      else if (status === 503) ctx.log.warn({ err }, 'service unavailable');
      else ctx.log.debug({ status, name: body.error.name, message: body.error.message }, 'request failed');
      ctx.status = status;
      ctx.body = body;
      // http-errors carry headers of their own (Allow on a 405); Folio's 429 and 503 carry Retry-After.
      const { headers } = err as { headers?: Record<string, string> };
      if (!internal && headers) ctx.set(headers);
      if (retryAfterSeconds) ctx.set('Retry-After', String(retryAfterSeconds));
    }
  };
}
