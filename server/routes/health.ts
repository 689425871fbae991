// GET /_health: 200 when the database answers, 503 when it does not. For load balancers and the tests.
import Router from '@koa/router';
import { pingDatabase } from '../db/connection.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../errors.js';
import type { Folio } from '../folio.js';

export function healthRoutes(folio: Folio): Router {
  const router = new Router();
  router.get('/_health', async (ctx) => {
    const ping = await pingDatabase(folio.db);
    ctx.status = ping.ok ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      status: ping.ok ? 'ok' : 'unavailable',
      database: ping.ok
        ? { dialect: folio.dialect, status: 'up', latencyMs: ping.latencyMs }
        : { dialect: folio.dialect, status: 'down', error: 'database unreachable' },
      uptimeSeconds: Math.round(process.uptime()),
    };
    if (!ping.ok) {
      // The same answer as any request during an outage gets (server/errors.ts).
      ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      ctx.log.warn({ error: ping.error }, 'health check: database unreachable');
    }
  });
  return router;
}
