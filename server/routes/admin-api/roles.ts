// /admin-api/roles, their permissions, the permission catalogue and the Public role. The writes are
// access operations (server/access/operations/): each checks the caller, judges the grant, writes
// and audits in one transaction; a route parses, calls one and answers.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { BUILTIN_CONDITIONS } from '../../access/conditions.js';
import { contentApiCatalogue, permissionCatalogue } from '../../access/ability.js';
import { createRole, deleteRole, updateRole } from '../../access/operations/roles.js';
import { setRolePermissions } from '../../access/operations/role-permissions.js';
import { setPublicPermissions } from '../../access/operations/public-permissions.js';
import { permissionInputSchema } from '../../access/service.js';
import { defineRoutes } from '../define.js';
import { idParam, parseBody } from '../params.js';

const roleInput = z
  .object({ name: z.string().trim().min(1).max(191), description: z.string().max(1000).optional() })
  .strict();

export function adminRoleRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  const { access } = folio;
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
        const input = parseBody(roleInput, ctx);
        const role = await createRole(folio, { caller: ctx.state.caller!, ip: ctx.ip, input });
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
        const role = await updateRole(folio, { caller: ctx.state.caller!, ip: ctx.ip, id, input });
        ctx.body = { data: role };
      },
    },
    {
      method: 'delete',
      path: '/roles/:id',
      permission: { action: 'delete', subject: 'roles' },
      handler: async (ctx) => {
        const role = await deleteRole(folio, { caller: ctx.state.caller!, ip: ctx.ip, id: idParam(ctx) });
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
        const saved = await setRolePermissions(folio, {
          caller: ctx.state.caller!,
          ip: ctx.ip,
          roleId: id,
          permissions,
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
                  // A member role may hold this type's permissions on its own entries only.
                  ...(type.owner ? { owner: type.owner.name } : {}),
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
        const { allow } = parseBody(z.object({ allow: z.array(z.string().max(4000)).max(5000) }).strict(), ctx);
        const saved = await setPublicPermissions(folio, { caller: ctx.state.caller!, ip: ctx.ip, allow });
        ctx.body = { data: { allow: saved } };
      },
    },
  ]);
}
