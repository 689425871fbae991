// /admin-api/performance: the query advisor (server/performance/). Reading the list shapes, their
// timings, plans and suggested indexes is a settings read (`read` on settings); adding an index
// changes the schema, so it takes what the content-type builder's apply takes (`update` on
// content-type-builder). Super Admins hold both.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { addIndex } from '../../performance/operations.js';
import { defineRoutes } from '../define.js';
import { parseBody } from '../params.js';

const addIndexInput = z
  .object({
    type: z.string().min(1).max(191),
    attributes: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(?::(?:asc|desc))?$/, 'expected "name" or "name:desc"'))
      .min(1)
      .max(5),
  })
  .strict();

export function adminPerformanceRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/performance' });
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/shapes',
      permission: { action: 'read', subject: 'settings' },
      handler: (ctx) => {
        const { advisor } = folio;
        ctx.body = { data: advisor.list(), meta: { enabled: advisor.enabled, slowMs: advisor.slowMs } };
      },
    },
    {
      method: 'post',
      path: '/indexes',
      permission: { action: 'update', subject: 'content-type-builder' },
      handler: async (ctx) => {
        const input = parseBody(addIndexInput, ctx);
        ctx.body = { data: await addIndex(folio, ctx.state.caller, { ...input, ip: ctx.ip }) };
      },
    },
  ]);
}
