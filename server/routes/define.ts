// Routes whose permission check is part of their declaration: a route without a permission cannot
// be registered (it throws at start-up), so no route can forget its check (deny by default).
//   permission: { action, subject }   the caller must be allowed (401 without credentials on the
//                                     Admin API, 403 otherwise)
//               (ctx) => { action, subject }   the same, for subjects named by the path
//               'authenticated'       any signed-in admin (401 otherwise)
//               'public'              anyone (login, registration, health)
// A route may also resolve what its path names before the check (the Content API's content type,
// read from the live schema): `resolve` answers it, or undefined to fall through to the next route,
// so an unknown name is the app's 404 before any 403 and `/api/:pluralName` never shadows
// `/api/upload`. Its permission is then computed from what was resolved, possibly asynchronously.
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { refusal } from '../access/caller.js';
import { UnauthorizedError } from '../errors.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export interface Permission {
  action: string;
  subject: string;
  /** The 403 message when refused (default: "Forbidden: <action> on <subject>"). */
  message?: string;
}
type Requirement = Permission | 'authenticated' | 'public';
export type RoutePermission = Requirement | ((ctx: Context) => Permission);

export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  permission: RoutePermission;
  handler: (ctx: Context) => Promise<void> | void;
}

/** A route whose permission depends on what its path names, known only once `resolve` looked it up. */
export interface ResolvedRouteDefinition<T> {
  method: HttpMethod;
  path: string;
  /** What the path names, or undefined: the request falls through to the next route (→ 404). */
  resolve: (ctx: Context) => Promise<T | undefined> | T | undefined;
  permission: Requirement | ((target: T, ctx: Context) => Permission | Promise<Permission>);
  handler: (ctx: Context, target: T) => Promise<void> | void;
}

/** 'resolved': the permission is computed per request from what the path names (see above). */
export interface DeclaredRoute {
  method: HttpMethod;
  path: string;
  permission: RoutePermission | 'resolved';
}

/** Every route declared so far, for the permission matrix tests and the docs. */
export const declaredRoutes: DeclaredRoute[] = [];

export class RouteDeclarationError extends Error {
  override name = 'RouteDeclarationError';
}

function validPermission(p: unknown): boolean {
  if (p === 'public' || p === 'authenticated' || typeof p === 'function') return true;
  if (typeof p !== 'object' || p === null) return false;
  const { action, subject } = p as Partial<Permission>;
  return typeof action === 'string' && action.length > 0 && typeof subject === 'string' && subject.length > 0;
}

function isSignedIn(ctx: Context): boolean {
  const caller = ctx.state.caller;
  return Boolean(caller && caller.kind !== 'public');
}

/** Checks the caller against a permission; throws 401/403. The one place a route's check is made. */
export function checkPermission(ctx: Context, permission: RoutePermission): void {
  if (permission === 'public') return;
  const caller = ctx.state.caller;
  const adminApi = ctx.path.startsWith('/admin-api');
  if (permission === 'authenticated') {
    if (!isSignedIn(ctx)) throw new UnauthorizedError('You need to sign in');
    return;
  }
  const { action, subject, message } = typeof permission === 'function' ? permission(ctx) : permission;
  if (adminApi && !isSignedIn(ctx)) throw new UnauthorizedError('You need to sign in');
  if (!caller || !caller.can(action, subject)) throw refusal(caller, message ?? `Forbidden: ${action} on ${subject}`);
}

function isResolved<T>(route: RouteDefinition | ResolvedRouteDefinition<T>): route is ResolvedRouteDefinition<T> {
  return typeof (route as Partial<ResolvedRouteDefinition<T>>).resolve === 'function';
}

function resolvedMiddleware<T>(route: ResolvedRouteDefinition<T>) {
  const { resolve, permission, handler } = route;
  return async (ctx: Context, next: Next) => {
    const target = await resolve(ctx);
    if (target === undefined) {
      await next();
      return;
    }
    checkPermission(ctx, typeof permission === 'function' ? await permission(target, ctx) : permission);
    await handler(ctx, target);
  };
}

export function defineRoutes(router: Router, routes: readonly RouteDefinition[]): Router;
export function defineRoutes<T>(router: Router, routes: readonly ResolvedRouteDefinition<T>[]): Router;
export function defineRoutes<T>(
  router: Router,
  routes: readonly (RouteDefinition | ResolvedRouteDefinition<T>)[],
): Router {
  for (const route of routes) {
    if (!validPermission((route as Partial<RouteDefinition>).permission)) {
      throw new RouteDeclarationError(
        `Route ${route.method?.toUpperCase()} ${route.path} declares no permission: every route must (deny by default)`,
      );
    }
    const { method, path } = route;
    if (isResolved(route)) {
      router[method](path, resolvedMiddleware(route));
    } else {
      const { permission, handler } = route;
      router[method](path, async (ctx) => {
        checkPermission(ctx, permission);
        await handler(ctx);
      });
    }
    const permission =
      isResolved(route) && typeof route.permission === 'function' ? 'resolved' : (route.permission as RoutePermission);
    const fullPath = `${(router as unknown as { opts: { prefix?: string } }).opts.prefix ?? ''}${path}`;
    if (!declaredRoutes.some((r) => r.method === method && r.path === fullPath))
      declaredRoutes.push({ method, path: fullPath, permission });
  }
  return router;
}
