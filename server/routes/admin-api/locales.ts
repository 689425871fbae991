// /admin-api/locales (Settings › Locales) and GET /api/i18n/locales (Strapi's i18n route, for sites
// that build a language switcher). Any signed-in admin reads the list (editors pick a locale);
// changing it is a `settings` permission.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { defineRoutes } from '../define.js';
import { idParam, paginationMeta, parseBody } from '../params.js';

const createInput = z
  .object({ code: z.string().trim().min(2).max(16), name: z.string().trim().max(191).optional() })
  .strict();
// Strapi's shape: `isDefault: true` makes this locale the default one (a default is unset by making
// another locale the default, never by itself).
const updateInput = z
  .object({
    name: z.string().trim().min(1).max(191).optional(),
    isDefault: z.literal(true).optional(),
  })
  .strict()
  .refine((input) => input.name !== undefined || input.isDefault !== undefined, {
    message: 'Nothing to change: send name or isDefault',
  });

export function adminLocaleRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  const { locales, audit } = folio;
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/locales',
      permission: 'authenticated',
      handler: async (ctx) => {
        const list = await locales.list();
        ctx.body = { data: list, meta: paginationMeta(1, Math.max(list.length, 1), list.length) };
      },
    },
    {
      method: 'get',
      path: '/locales/:id',
      permission: 'authenticated',
      handler: async (ctx) => {
        ctx.body = { data: await locales.get(idParam(ctx)) };
      },
    },
    {
      method: 'post',
      path: '/locales',
      permission: { action: 'create', subject: 'settings' },
      handler: async (ctx) => {
        const locale = await locales.create(parseBody(createInput, ctx));
        await audit.record({
          actor: ctx.state.caller!,
          action: 'locales.create',
          subject: 'settings',
          entityId: locale.id,
          ip: ctx.ip,
          details: { code: locale.code },
        });
        ctx.status = 201;
        ctx.body = { data: locale };
      },
    },
    {
      method: 'put',
      path: '/locales/:id',
      permission: { action: 'update', subject: 'settings' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const input = parseBody(updateInput, ctx);
        let locale = input.name === undefined ? await locales.get(id) : await locales.rename(id, input.name);
        if (input.isDefault && !locale.isDefault) {
          locale = await locales.makeDefault(id);
          // Reads without ?locale= now answer in this locale: no response computed before may stay.
          folio.cache.settingsChanged();
        }
        await audit.record({
          actor: ctx.state.caller!,
          action: 'locales.update',
          subject: 'settings',
          entityId: id,
          ip: ctx.ip,
          details: { code: locale.code, name: locale.name, ...(input.isDefault ? { isDefault: true } : {}) },
        });
        ctx.body = { data: locale };
      },
    },
    {
      method: 'delete',
      path: '/locales/:id',
      permission: { action: 'delete', subject: 'settings' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const locale = await locales.delete(id);
        await audit.record({
          actor: ctx.state.caller!,
          action: 'locales.delete',
          subject: 'settings',
          entityId: id,
          ip: ctx.ip,
          details: { code: locale.code },
        });
        ctx.body = { data: locale };
      },
    },
  ]);
}

/** GET /api/i18n/locales: the configured locales, unwrapped as Strapi's i18n plugin answers them. */
export function contentApiLocaleRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/api/i18n' });
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/locales',
      // Which languages a site is written in is not a secret: sites build their switcher from it.
      permission: 'public',
      handler: async (ctx) => {
        ctx.set('Cache-Control', 'public, max-age=60');
        ctx.body = await folio.locales.list();
      },
    },
  ]);
}
