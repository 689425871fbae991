// GET /_health: 200 when the database answers, 503 when it does not. For load balancers and the tests.
import Router from '@koa/router';
import { databaseHealth } from '../db/health.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../errors.js';
import type { Folio } from '../folio.js';
import { defineRoutes } from './define.js';

export function healthRoutes(folio: Pick<Folio, 'db' | 'dialect'>): Router {
  return defineRoutes(new Router(), [
    {
      method: 'get',
      path: '/_health',
      permission: 'public',
      handler: async (ctx) => {
        const health = await databaseHealth(folio.db, folio.dialect);
        ctx.status = health.ok ? 200 : 503;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = health.report;
        if (!health.ok) {
          // The same answer as any request during an outage gets (server/errors.ts).
          ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
          ctx.log.warn({ error: health.error }, 'health check: database unreachable');
        }
      },
    },
  ]);
}
