// GET /admin-api/home: what the dashboard's Home shows in one request (content/operations/home-summary.ts).
import Router from '@koa/router';
import { homeSummary } from '../../content/operations/home-summary.js';
import { ValidationError } from '../../errors.js';
import type { Folio } from '../../folio.js';
import { defineRoutes } from '../define.js';

export type { HomeCount, HomeEntry } from '../../content/operations/home-summary.js';

export function adminHomeRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/home',
      permission: 'authenticated',
      handler: async (ctx) => {
        const unknown = Object.keys(ctx.query)[0];
        if (unknown !== undefined)
          throw ValidationError.query(`Invalid query parameter "${unknown}"`, unknown, unknown);
        ctx.body = { data: await homeSummary(folio, ctx.state.caller!) };
      },
    },
  ]);
}
