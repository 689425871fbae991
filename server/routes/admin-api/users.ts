// /admin-api/users: admin accounts. Creating one invites it (the link is emailed and returned to
// the inviting admin); deactivating ends its sessions. Giving a role, and changing, deleting or
// re-inviting an account, is judged by the grant policy (server/access/grants.ts): the caller must
// hold everything the roles involved grant, and only a Super Admin gives or acts on Super Admin.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { ConflictError } from '../../errors.js';
import { GrantPolicy } from '../../access/grants.js';
import { defineRoutes } from '../define.js';
import { idParam, listParams, paginationMeta, parseBody } from '../params.js';
import { email } from './util.js';

const roleRef = z.union([z.number().int().positive(), z.string().min(1).max(191)]);

export function adminUserRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/users' });
  const { auth, audit, access } = folio;
  const grants = new GrantPolicy(access);

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
        await grants.assertMayAssignRoles(ctx.state.caller!, input.roles);
        const user = await auth.users.create(input);
        const invitationUrl = await auth.invite(user);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'users.create',
          subject: 'users',
          entityId: user.id,
          ip: ctx.ip,
          details: { email: user.email, roles: user.roles.map((r) => r.code) },
        });
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
        const user = await auth.users.get(idParam(ctx));
        if (user.registered) throw new ConflictError('This user has already accepted the invitation');
        // Re-issuing is giving the invitee's roles again: refused unless the caller holds all of them,
        // so the link in the answer never reaches someone who could not have invited this user.
        await grants.assertMayActOn(ctx.state.caller!, user, 're-issue the invitation of a user with the role');
        // Only a digest of a link is stored, so the old link cannot be shown again: a new one
        // replaces it (auth.invite voids the unused ones) and is emailed again.
        const invitationUrl = await auth.invite(user);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'users.invitation-reissue',
          subject: 'users',
          entityId: user.id,
          ip: ctx.ip,
          details: { email: user.email },
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
        const before = await auth.users.get(id);
        await grants.assertMayChangeAccount(ctx.state.caller!, before, input);
        const user = await auth.users.update(id, input);
        await audit.record({
          actor: ctx.state.caller!,
          action: input.isActive === false ? 'users.deactivate' : 'users.update',
          subject: 'users',
          entityId: id,
          ip: ctx.ip,
          details: { changes: Object.keys(input) },
        });
        ctx.body = { data: user };
      },
    },
    {
      method: 'delete',
      path: '/:id',
      permission: { action: 'delete', subject: 'users' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const before = await auth.users.get(id);
        await grants.assertMayActOn(ctx.state.caller!, before, 'delete a user with the role');
        const user = await auth.users.delete(id);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'users.delete',
          subject: 'users',
          entityId: id,
          ip: ctx.ip,
          details: { email: user.email },
        });
        ctx.body = { data: user };
      },
    },
  ]);
}
