// Shared by the Admin API routes: request metadata and account fields. The request parsers (ids,
// pagination, bodies) are every route's: ../params.ts.
import type { Context } from 'koa';
import { z } from 'zod';

export function meta(ctx: Context): { ip: string; userAgent: string } {
  return { ip: ctx.ip, userAgent: ctx.get('User-Agent') };
}

export const password = z.string().min(8, 'A password needs at least 8 characters').max(200);
export const email = z.string().trim().toLowerCase().email('Invalid email').max(191);
