// /admin-api/api-tokens: Content API tokens. The token itself is in the creation answer only. The
// writes are access operations (server/access/operations/api-tokens.ts): checked, judged as grants,
// written and audited in one transaction.
import Router from '@koa/router';
import type { Folio } from '../../folio.js';
import { createApiToken, revokeApiToken } from '../../access/operations/api-tokens.js';
import { createTokenSchema } from '../../auth/api-tokens.js';
import { defineRoutes } from '../define.js';
import { idParam, parseBody } from '../params.js';

export function adminApiTokenRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/api-tokens' });
  const { apiTokens } = folio;
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/',
      permission: { action: 'read', subject: 'api-tokens' },
      handler: async (ctx) => {
        const tokens = await apiTokens.list();
        ctx.body = {
          data: tokens,
          meta: { pagination: { page: 1, pageSize: tokens.length, pageCount: 1, total: tokens.length } },
        };
      },
    },
    {
      method: 'get',
      path: '/:id',
      permission: { action: 'read', subject: 'api-tokens' },
      handler: async (ctx) => {
        ctx.body = { data: await apiTokens.get(idParam(ctx)) };
      },
    },
    {
      method: 'post',
      path: '/',
      permission: { action: 'create', subject: 'api-tokens' },
      handler: async (ctx) => {
        const input = parseBody(createTokenSchema, ctx);
        const { token, record } = await createApiToken(folio, { caller: ctx.state.caller!, ip: ctx.ip, input });
        ctx.status = 201;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { data: { ...record, accessKey: token } };
      },
    },
    {
      method: 'delete',
      path: '/:id',
      permission: { action: 'delete', subject: 'api-tokens' },
      handler: async (ctx) => {
        const record = await revokeApiToken(folio, {
          caller: ctx.state.caller!,
          ip: ctx.ip,
          token: { id: idParam(ctx) },
        });
        ctx.body = { data: record };
      },
    },
  ]);
}
