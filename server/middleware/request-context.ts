// Gives every request an id (kept from X-Request-Id when a proxy set a sane one), a child logger
// that carries it, and one access-log line when the response is done.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';

declare module 'koa' {
  interface DefaultContext {
    requestId: string;
    log: Logger;
  }
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    ctx.requestId = SANE_ID.test(incoming) ? incoming : randomUUID();
    ctx.log = logger.child({ reqId: ctx.requestId });
    ctx.set('X-Request-Id', ctx.requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      ctx.log.info({ method: ctx.method, url: ctx.originalUrl, status: ctx.status, ms }, 'request');
    }
  };
}
