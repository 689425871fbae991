// /admin-api/api-tokens: Content API tokens. The token itself is in the creation answer only.
import Router from '@koa/router';
import type { Folio } from '../../folio.js';
import { GrantPolicy } from '../../access/grants.js';
import { createTokenSchema } from '../../auth/api-tokens.js';
import { defineRoutes } from '../define.js';
import { idParam, parseBody } from '../params.js';

export function adminApiTokenRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/api-tokens' });
  const { apiTokens, audit } = folio;
  const grants = new GrantPolicy(folio.access);
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
        grants.assertMayCreateToken(ctx.state.caller!, input);
        const { token, record } = await apiTokens.create(input);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'api-tokens.create',
          subject: 'api-tokens',
          entityId: record.id,
          ip: ctx.ip,
          details: { name: record.name, type: record.type },
        });
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
        const record = await apiTokens.revoke({ id: idParam(ctx) });
        await audit.record({
          actor: ctx.state.caller!,
          action: 'api-tokens.revoke',
          subject: 'api-tokens',
          entityId: record.id,
          ip: ctx.ip,
          details: { name: record.name },
        });
        ctx.body = { data: record };
      },
    },
  ]);
}
