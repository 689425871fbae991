// The one error path: whatever a later middleware throws becomes API.md's error envelope.
// Unknown errors are logged with their stack and answered with a generic 500.
import type { Middleware } from 'koa';
import { toErrorEnvelope } from '../errors.js';

export function errorEnvelope(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, body, internal } = toErrorEnvelope(err);
      if (internal) ctx.log.error({ err }, 'unhandled error');
      else ctx.log.debug({ status, name: body.error.name, message: body.error.message }, 'request failed');
      ctx.status = status;
      ctx.body = body;
      // http-errors carry headers of their own (Allow on a 405); Folio's 429 and 503 carry Retry-After.
      const { headers, retryAfterSeconds } = err as { headers?: Record<string, string>; retryAfterSeconds?: number };
      if (!internal && headers) ctx.set(headers);
      if ((status === 429 || status === 503) && retryAfterSeconds) ctx.set('Retry-After', String(retryAfterSeconds));
    }
  };
}
