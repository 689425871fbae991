// GET /_health: 200 when the database answers, 503 when it does not. For load balancers and the tests.
import Router from '@koa/router';
import { pingDatabase } from '../db/connection.js';
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
    if (!ping.ok) ctx.log.warn({ error: ping.error }, 'health check: database unreachable');
  });
  return router;
}
