// /admin-api/users: admin accounts. Creating one invites it (the link is emailed and returned to
// the inviting admin); deactivating ends its sessions. The writes are access operations
// (server/access/operations/users.ts): giving a role, and changing, deleting or re-inviting an
// account, is judged there by the grant policy inside the write's transaction — the caller must hold
// everything the roles involved grant, and only a Super Admin gives or acts on Super Admin.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { createUser, deleteUser, reissueInvitation, updateUser } from '../../access/operations/users.js';
import { defineRoutes } from '../define.js';
import { idParam, listParams, paginationMeta, parseBody } from '../params.js';
import { email } from './util.js';

const roleRef = z.union([z.number().int().positive(), z.string().min(1).max(191)]);

export function adminUserRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/users' });
  const { auth } = folio;

  return defineRoutes(router, [
    {
      method: 'get',
      path: '/',
      permission: { action: 'read', subject: 'users' },
      handler: async (ctx) => {
        const p = listParams(ctx);
        const { users, total } = await auth.users.list({ page: p.page, pageSize: p.pageSize, q: p.q, sort: p.sort });
        ctx.body = { data: users, meta: paginationMeta(p.page, p.pageSize, total) };
      },
    },
    {
      method: 'get',
      path: '/:id',
      permission: { action: 'read', subject: 'users' },
      handler: async (ctx) => {
        ctx.body = { data: await auth.users.get(idParam(ctx)) };
      },
    },
    {
      method: 'post',
      path: '/',
      permission: { action: 'create', subject: 'users' },
      handler: async (ctx) => {
        const input = parseBody(
          z
            .object({
              email,
              firstname: z.string().trim().max(191).optional(),
              lastname: z.string().trim().max(191).optional(),
              roles: z.array(roleRef).min(1),
            })
            .strict(),
          ctx,
        );
        const { user, invitationUrl } = await createUser(folio, { caller: ctx.state.caller!, ip: ctx.ip, input });
        ctx.status = 201;
        ctx.body = { data: user, meta: { invitationUrl, emailed: auth.mailer.delivers } };
      },
    },
    {
      method: 'get',
      path: '/:id/invitation',
      permission: { action: 'read', subject: 'users' },
      handler: async (ctx) => {
        const user = await auth.users.get(idParam(ctx));
        ctx.body = { data: user.registered ? null : await auth.pendingInvitation(user.id) };
      },
    },
    {
      method: 'post',
      path: '/:id/invitation',
      permission: { action: 'update', subject: 'users' },
      handler: async (ctx) => {
        // Only a digest of a link is stored, so the old link cannot be shown again: a new one
        // replaces it (the unused ones are voided) and is emailed again.
        const { user, invitationUrl } = await reissueInvitation(folio, {
          caller: ctx.state.caller!,
          ip: ctx.ip,
          id: idParam(ctx),
        });
        ctx.body = { data: user, meta: { invitationUrl, emailed: auth.mailer.delivers } };
      },
    },
    {
      method: 'put',
      path: '/:id',
      permission: { action: 'update', subject: 'users' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const input = parseBody(
          z
            .object({
              email: email.optional(),
              firstname: z.string().trim().max(191).optional(),
              lastname: z.string().trim().max(191).optional(),
              isActive: z.boolean().optional(),
              roles: z.array(roleRef).min(1).optional(),
            })
            .strict(),
          ctx,
        );
        const user = await updateUser(folio, { caller: ctx.state.caller!, ip: ctx.ip, id, input });
        ctx.body = { data: user };
      },
    },
    {
      method: 'delete',
      path: '/:id',
      permission: { action: 'delete', subject: 'users' },
      handler: async (ctx) => {
        const user = await deleteUser(folio, { caller: ctx.state.caller!, ip: ctx.ip, id: idParam(ctx) });
        ctx.body = { data: user };
      },
    },
  ]);
}
