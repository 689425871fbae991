// /admin-api/audit-log: list and filter (Super Admins; the audit-log subject cannot be granted to
// other roles). Append-only: there is no route that changes or deletes an entry.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { ValidationError } from '../../errors.js';
import { defineRoutes } from '../define.js';
import { listParams, paginationMeta } from '../params.js';

const filterSchema = z
  .object({
    action: z.string().max(64).optional(),
    subject: z.string().max(191).optional(),
    actorId: z.coerce.number().int().positive().optional(),
    entityId: z.string().max(191).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export function adminAuditRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/audit-log' });
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/',
      permission: { action: 'read', subject: 'audit-log' },
      handler: async (ctx) => {
        const p = listParams(ctx);
        // The log is kept in time order: that is the one order it can be read in.
        if (p.sort && p.sort.field !== 'createdAt')
          throw ValidationError.query(
            `Cannot sort the audit log by "${p.sort.field}" (fields: createdAt)`,
            'sort',
            p.sort.field,
          );
        const parsed = filterSchema.safeParse(p.filters);
        if (!parsed.success) {
          const key = String(parsed.error.issues[0].path[0] ?? 'filters');
          throw ValidationError.query(`Invalid filter ${key}: ${parsed.error.issues[0].message}`, 'filters', key);
        }
        const f = parsed.data;
        const { entries, total } = await folio.audit.list(
          {
            action: f.action,
            subject: f.subject,
            actorId: f.actorId,
            entityId: f.entityId,
            from: f.from ? Date.parse(f.from) : undefined,
            to: f.to ? Date.parse(f.to) : undefined,
          },
          p.page,
          p.pageSize,
          p.sort?.order ?? 'desc',
        );
        ctx.body = { data: entries, meta: paginationMeta(p.page, p.pageSize, total) };
      },
    },
  ]);
}
