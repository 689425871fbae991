// Shared by the Admin API routes: body validation, list parameters, ids, request metadata.
import type { Context } from 'koa';
import qs from 'qs';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';

export function parseBody<T extends z.ZodType>(schema: T, ctx: Context): z.infer<T> {
  const result = schema.safeParse(ctx.request.body ?? {});
  if (!result.success) {
    throw ValidationError.fromErrors(
      result.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, name: 'ValidationError' })),
    );
  }
  return result.data;
}

export function idParam(ctx: Context, name = 'id'): number {
  const raw = ctx.params[name];
  if (!/^\d{1,12}$/.test(raw ?? '')) throw new ValidationError(`Invalid id "${raw}"`);
  return Number(raw);
}

export interface ListParams {
  page: number;
  pageSize: number;
  q?: string;
  sort?: { field: string; order: 'asc' | 'desc' };
  filters: Record<string, string>;
}

const listSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  q: z.string().max(200).optional(),
  sort: z.string().regex(/^[A-Za-z_]+(:(asc|desc))?$/i).optional(),
  filters: z.record(z.string(), z.string()).optional(),
});

/** `?page=1&pageSize=25&sort=field:asc&q=text&filters[field]=value` (README, Admin API conventions). */
export function listParams(ctx: Context): ListParams {
  // Null-prototype objects keep every name the client sent as an own key (`filters[hasOwnProperty]`
  // is then refused by the route's own check, never silently dropped or looked up on a prototype).
  const result = listSchema.safeParse(qs.parse(ctx.querystring, { depth: 2, arrayLimit: 100, plainObjects: true }));
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue.path[0] ?? 'query');
    throw ValidationError.query(`Invalid ${key}: ${issue.message}`, key, key);
  }
  const { page, pageSize, q, sort, filters } = result.data;
  const [field, order] = sort ? sort.split(':') : [];
  return { page, pageSize, q: q || undefined, sort: field ? { field, order: (order?.toLowerCase() as 'asc' | 'desc') ?? 'asc' } : undefined, filters: filters ?? {} };
}

export function paginationMeta(page: number, pageSize: number, total: number) {
  return { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } };
}

export function meta(ctx: Context): { ip: string; userAgent: string } {
  return { ip: ctx.ip, userAgent: ctx.get('User-Agent') };
}

export const password = z.string().min(8, 'A password needs at least 8 characters').max(200);
export const email = z.string().trim().toLowerCase().email('Invalid email').max(191);
