// /admin-api/roles, their permissions, the permission catalogue and the Public role.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { BUILTIN_CONDITIONS } from '../../access/conditions.js';
import { contentApiCatalogue, permissionCatalogue } from '../../access/ability.js';
import { GrantPolicy } from '../../access/grants.js';
import { permissionInputSchema } from '../../access/service.js';
import { defineRoutes } from '../define.js';
import { idParam, parseBody } from '../params.js';

const roleInput = z
  .object({ name: z.string().trim().min(1).max(191), description: z.string().max(1000).optional() })
  .strict();

export function adminRoleRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  const { access, audit } = folio;
  const grants = new GrantPolicy(access);
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/roles',
      permission: { action: 'read', subject: 'roles' },
      handler: async (ctx) => {
        const roles = await access.listRoles();
        ctx.body = {
          data: roles,
          meta: { pagination: { page: 1, pageSize: roles.length, pageCount: 1, total: roles.length } },
        };
      },
    },
    {
      method: 'get',
      path: '/roles/:id',
      permission: { action: 'read', subject: 'roles' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        ctx.body = { data: { ...(await access.getRole(id)), permissions: await access.getPermissions(id) } };
      },
    },
    {
      method: 'post',
      path: '/roles',
      permission: { action: 'create', subject: 'roles' },
      handler: async (ctx) => {
        const role = await access.createRole(parseBody(roleInput, ctx));
        await audit.record({
          actor: ctx.state.caller!,
          action: 'roles.create',
          subject: 'roles',
          entityId: role.id,
          ip: ctx.ip,
          details: { name: role.name },
        });
        ctx.status = 201;
        ctx.body = { data: role };
      },
    },
    {
      method: 'put',
      path: '/roles/:id',
      permission: { action: 'update', subject: 'roles' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const input = parseBody(roleInput.partial(), ctx);
        await grants.assertMayEditRole(ctx.state.caller!, id);
        const role = await access.updateRole(id, input);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'roles.update',
          subject: 'roles',
          entityId: id,
          ip: ctx.ip,
          details: { name: role.name },
        });
        ctx.body = { data: role };
      },
    },
    {
      method: 'delete',
      path: '/roles/:id',
      permission: { action: 'delete', subject: 'roles' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const role = await access.deleteRole(id);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'roles.delete',
          subject: 'roles',
          entityId: id,
          ip: ctx.ip,
          details: { name: role.name },
        });
        ctx.body = { data: role };
      },
    },
    {
      method: 'get',
      path: '/roles/:id/permissions',
      permission: { action: 'read', subject: 'roles' },
      handler: async (ctx) => {
        ctx.body = { data: await access.getPermissions(idParam(ctx)) };
      },
    },
    {
      method: 'put',
      path: '/roles/:id/permissions',
      permission: { action: 'update', subject: 'roles' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const { permissions } = parseBody(
          z.object({ permissions: z.array(permissionInputSchema).max(5000) }).strict(),
          ctx,
        );
        await grants.assertMaySetPermissions(ctx.state.caller!, id, permissions);
        const saved = await access.setPermissions(id, permissions);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'permissions.update',
          subject: 'roles',
          entityId: id,
          ip: ctx.ip,
          details: { count: saved.length },
        });
        ctx.body = { data: saved };
      },
    },
    {
      method: 'get',
      path: '/permissions/catalogue',
      permission: { action: 'read', subject: 'roles' },
      handler: async (ctx) => {
        const types = await access.contentTypes();
        // What a permission matrix needs to label rows and offer field allowlists.
        const model = await folio.schema.current();
        const contentTypes = types.flatMap((uid) => {
          const type = model.contentTypes.get(uid);
          return type
            ? [
                {
                  uid,
                  displayName: type.displayName,
                  kind: type.kind,
                  pluralName: type.pluralName,
                  fields: [...type.fields.keys()],
                },
              ]
            : [];
        });
        ctx.body = {
          data: {
            admin: permissionCatalogue(types),
            contentApi: contentApiCatalogue(types),
            conditions: BUILTIN_CONDITIONS,
            contentTypes,
          },
        };
      },
    },
    {
      method: 'get',
      path: '/public-permissions',
      permission: { action: 'read', subject: 'roles' },
      handler: async (ctx) => {
        ctx.body = { data: { allow: await access.getPublicPermissions() } };
      },
    },
    {
      method: 'put',
      path: '/public-permissions',
      permission: { action: 'update', subject: 'roles' },
      handler: async (ctx) => {
        const { allow } = parseBody(z.object({ allow: z.array(z.string().max(300)).max(5000) }).strict(), ctx);
        await grants.assertMaySetPublic(ctx.state.caller!, allow);
        const saved = await access.setPublicPermissions(allow);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'permissions.update',
          subject: 'roles',
          entityId: 'public',
          ip: ctx.ip,
          details: { allow: saved },
        });
        ctx.body = { data: { allow: saved } };
      },
    },
  ]);
}
