// /admin-api for site members (Settings › Members): the members list (search, block/unblock,
// role, confirmation), member roles and their Content API permissions, and the members settings.
// Writes are access operations (server/members/admin-operations.ts, access/operations/
// public-permissions.ts): checked, written and audited in one transaction; a route parses and answers.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { setMemberRolePermissions } from '../../access/operations/public-permissions.js';
import {
  adminUpdateMember,
  createMemberRole,
  deleteMemberRole,
  resendMemberConfirmation,
  updateMemberEmailTemplates,
  updateMemberSettings,
} from '../../members/admin-operations.js';
import { mailTemplatesInputSchema, templatesView } from '../../members/mail-templates.js';
import { toMemberJson } from '../../members/members.js';
import { memberSettingsInputSchema, type MemberSettings } from '../../members/settings.js';
import { redactSecrets } from '../../members/oauth-secrets.js';
import { defineRoutes } from '../define.js';
import { NotFoundError } from '../../errors.js';
import { idParam, listParams, paginationMeta, parseBody } from '../params.js';

const memberPatch = z
  .object({
    blocked: z.boolean(),
    confirmed: z.boolean(),
    roleId: z.number().int().positive(),
    email: z.email().max(191),
  })
  .partial()
  .strict();
const roleInput = z
  .object({ name: z.string().trim().min(1).max(191), description: z.string().max(1000).optional() })
  .strict();

/** The (redacted) settings as their page reads them: the templates are left to their own route. */
function withoutTemplates(settings: MemberSettings): Omit<MemberSettings, 'emailTemplates'> {
  const { emailTemplates: _templates, ...rest } = settings;
  return rest;
}

export function adminMemberRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  const { members, access } = folio;
  const asker = (ctx: Context) => ({ caller: ctx.state.caller!, ip: ctx.ip });
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/members',
      permission: { action: 'read', subject: 'users' },
      handler: async (ctx) => {
        const { page, pageSize, q } = listParams(ctx);
        const { rows, total } = await members.members.list({ q, page, pageSize });
        const roles = new Map((await members.roles.list()).map((r) => [r.id, r]));
        ctx.body = {
          data: rows.map((row) => toMemberJson(row, roles.get(Number(row.role_id)))),
          meta: paginationMeta(page, pageSize, total),
        };
      },
    },
    {
      // One member, as the list shows it: what the dashboard's member relation pickers display.
      method: 'get',
      path: '/members/:id',
      permission: { action: 'read', subject: 'users' },
      handler: async (ctx) => {
        const row = await members.members.rowById(idParam(ctx));
        if (!row) throw new NotFoundError('No such member');
        ctx.body = { data: toMemberJson(row, await members.members.roleOf(row)) };
      },
    },
    {
      method: 'put',
      path: '/members/:id',
      permission: { action: 'update', subject: 'users' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const patch = parseBody(memberPatch, ctx);
        ctx.body = { data: await adminUpdateMember(folio, { ...asker(ctx), id, patch }) };
      },
    },
    {
      method: 'post',
      path: '/members/:id/send-confirmation',
      permission: { action: 'update', subject: 'users' },
      handler: async (ctx) => {
        await resendMemberConfirmation(folio, { ...asker(ctx), id: idParam(ctx) });
        ctx.status = 202;
        ctx.body = { data: { sent: true } };
      },
    },
    {
      method: 'get',
      path: '/member-roles',
      permission: { action: 'read', subject: 'roles' },
      handler: async (ctx) => {
        const roles = await members.roles.list();
        const data = [];
        for (const role of roles) data.push({ ...role, allow: await access.getMemberRolePermissions(role.id) });
        ctx.body = { data };
      },
    },
    {
      method: 'post',
      path: '/member-roles',
      permission: { action: 'create', subject: 'roles' },
      handler: async (ctx) => {
        const input = parseBody(roleInput, ctx);
        ctx.status = 201;
        ctx.body = { data: await createMemberRole(folio, { ...asker(ctx), input }) };
      },
    },
    {
      method: 'delete',
      path: '/member-roles/:id',
      permission: { action: 'delete', subject: 'roles' },
      handler: async (ctx) => {
        ctx.body = { data: await deleteMemberRole(folio, { ...asker(ctx), id: idParam(ctx) }) };
      },
    },
    {
      method: 'put',
      path: '/member-roles/:id/permissions',
      permission: { action: 'update', subject: 'roles' },
      handler: async (ctx) => {
        const role = idParam(ctx);
        const { allow } = parseBody(z.object({ allow: z.array(z.string().max(4000)).max(5000) }).strict(), ctx);
        ctx.body = { data: { allow: await setMemberRolePermissions(folio, { ...asker(ctx), role, allow }) } };
      },
    },
    {
      method: 'get',
      path: '/member-settings',
      permission: { action: 'read', subject: 'settings' },
      handler: async (ctx) => {
        ctx.body = { data: withoutTemplates(redactSecrets(await members.settings())) };
      },
    },
    {
      method: 'put',
      path: '/member-settings',
      permission: { action: 'update', subject: 'settings' },
      handler: async (ctx) => {
        const settings = parseBody(memberSettingsInputSchema, ctx);
        ctx.body = { data: withoutTemplates(await updateMemberSettings(folio, { ...asker(ctx), settings })) };
      },
    },
    {
      method: 'get',
      path: '/member-settings/email-templates',
      permission: { action: 'read', subject: 'settings' },
      handler: async (ctx) => {
        const settings = await members.settings();
        ctx.body = { data: templatesView(settings.emailTemplates, { resetPage: settings.resetPasswordUrl !== '' }) };
      },
    },
    {
      method: 'put',
      path: '/member-settings/email-templates',
      permission: { action: 'update', subject: 'settings' },
      handler: async (ctx) => {
        const templates = parseBody(mailTemplatesInputSchema, ctx);
        ctx.body = { data: await updateMemberEmailTemplates(folio, { ...asker(ctx), templates }) };
      },
    },
  ]);
}
