// Routes whose permission check is part of their declaration: a route without a permission cannot
// be registered (it throws at start-up), so no route can forget its check (deny by default).
//   permission: { action, subject }   the caller must be allowed (401 without credentials on the
//                                     Admin API, 403 otherwise)
//               (ctx) => { action, subject }   the same, for subjects named by the path
//               'authenticated'       any signed-in admin (401 otherwise)
//               'public'              anyone (login, registration, health)
import type Router from '@koa/router';
import type { Context } from 'koa';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export interface Permission {
  action: string;
  subject: string;
}
export type RoutePermission = Permission | ((ctx: Context) => Permission) | 'authenticated' | 'public';

export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  permission: RoutePermission;
  handler: (ctx: Context) => Promise<void> | void;
}

export interface DeclaredRoute {
  method: HttpMethod;
  path: string;
  permission: RoutePermission;
}

/** Every route declared so far, for the permission matrix tests and the docs. */
export const declaredRoutes: DeclaredRoute[] = [];

export class RouteDeclarationError extends Error {
  override name = 'RouteDeclarationError';
}

function validPermission(p: unknown): p is RoutePermission {
  if (p === 'public' || p === 'authenticated' || typeof p === 'function') return true;
  if (typeof p !== 'object' || p === null) return false;
  const { action, subject } = p as Partial<Permission>;
  return typeof action === 'string' && action.length > 0 && typeof subject === 'string' && subject.length > 0;
}

function isSignedIn(ctx: Context): boolean {
  const caller = ctx.state.caller;
  return Boolean(caller && caller.kind !== 'public');
}

/** Checks the caller against a route's permission; throws 401/403. */
export function checkPermission(ctx: Context, permission: RoutePermission): void {
  if (permission === 'public') return;
  const caller = ctx.state.caller;
  const adminApi = ctx.path.startsWith('/admin-api');
  if (permission === 'authenticated') {
    if (!isSignedIn(ctx)) throw new UnauthorizedError('You need to sign in');
    return;
  }
  const { action, subject } = typeof permission === 'function' ? permission(ctx) : permission;
  if (adminApi && !isSignedIn(ctx)) throw new UnauthorizedError('You need to sign in');
  if (!caller || !caller.can(action, subject)) throw new ForbiddenError(`Forbidden: ${action} on ${subject}`);
}

export function defineRoutes(router: Router, routes: readonly RouteDefinition[]): Router {
  for (const route of routes) {
    if (!validPermission((route as Partial<RouteDefinition>).permission)) {
      throw new RouteDeclarationError(`Route ${route.method?.toUpperCase()} ${route.path} declares no permission: every route must (deny by default)`);
    }
    const { method, path, permission, handler } = route;
    router[method](path, async (ctx) => {
      checkPermission(ctx, permission);
      await handler(ctx);
    });
    const fullPath = `${(router as unknown as { opts: { prefix?: string } }).opts.prefix ?? ''}${path}`;
    if (!declaredRoutes.some((r) => r.method === method && r.path === fullPath)) declaredRoutes.push({ method, path: fullPath, permission });
  }
  return router;
}
