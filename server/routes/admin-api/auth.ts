// /admin-api/auth/*: registration of the first Super Admin, login, logout, the current user,
// password change, password reset by emailed link, invitations.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { SESSION_COOKIE } from '../../auth/sessions.js';
import type { Authenticated } from '../../auth/service.js';
import { sameOriginOnly } from '../../middleware/same-origin.js';
import { defineRoutes } from '../define.js';
import { parseBody } from '../params.js';
import { email, meta, password } from './util.js';

const name = z.string().trim().max(191);

function setSessionCookie(ctx: Context, folio: Folio, value: string | null): void {
  const absoluteMs = folio.auth.sessions.policy.absoluteMs;
  ctx.cookies.set(SESSION_COOKIE, value ?? '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.secure,
    path: '/',
    overwrite: true,
    maxAge: value ? absoluteMs : 0,
    expires: value ? undefined : new Date(0),
  });
}

function currentAuth(ctx: Context): Authenticated {
  return ctx.state.auth as Authenticated;
}

function sessionBody(result: Authenticated) {
  return { data: { user: result.user, csrfToken: result.session.csrfToken } };
}

/** Who is signed in, what they may do, and the session's CSRF token (the dashboard keeps it in memory). */
function meData(current: Authenticated) {
  return { user: current.user, permissions: current.caller.ability.rules, csrfToken: current.session.csrfToken };
}

export function adminAuthRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/auth' });
  const { auth } = folio;
  // The routes that sign in or change credentials without a session, so without its CSRF token.
  router.use(
    ['/register', '/login', '/forgot-password', '/reset-password', '/accept-invitation'],
    sameOriginOnly(folio.config.publicUrl),
  );
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/registration',
      permission: 'public',
      handler: async (ctx) => {
        ctx.body = { data: { open: await auth.registrationOpen() } };
      },
    },
    {
      method: 'post',
      path: '/register',
      permission: 'public',
      handler: async (ctx) => {
        const input = parseBody(
          z.object({ firstname: name.min(1), lastname: name.default(''), email, password }).strict(),
          ctx,
        );
        const result = await auth.registerFirstAdmin(input, meta(ctx));
        setSessionCookie(ctx, folio, result.cookie);
        ctx.status = 201;
        ctx.body = sessionBody(result);
      },
    },
    {
      method: 'post',
      path: '/login',
      permission: 'public',
      handler: async (ctx) => {
        const input = parseBody(z.object({ email: z.string().max(191), password: z.string().max(200) }).strict(), ctx);
        const result = await auth.login(input.email, input.password, meta(ctx));
        setSessionCookie(ctx, folio, result.cookie);
        ctx.body = sessionBody(result);
      },
    },
    {
      method: 'post',
      path: '/logout',
      permission: 'authenticated',
      handler: async (ctx) => {
        await auth.logout(currentAuth(ctx), meta(ctx));
        setSessionCookie(ctx, folio, null);
        ctx.body = { data: { ok: true } };
      },
    },
    {
      // The dashboard's one probe at start: 200 whether signed in or not (a signed-out visitor is not
      // an error, and a 401 would be logged in the browser's console), with what the first screen
      // needs — the session as /me answers it, or whether first-run registration is open.
      method: 'get',
      path: '/session',
      permission: 'public',
      handler: async (ctx) => {
        ctx.set('Cache-Control', 'no-store');
        const current = ctx.state.auth;
        ctx.body = {
          data: current
            ? { ...meData(current), registrationOpen: false }
            : { user: null, permissions: [], csrfToken: null, registrationOpen: await auth.registrationOpen() },
        };
      },
    },
    {
      method: 'get',
      path: '/me',
      permission: 'authenticated',
      handler: (ctx) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { data: meData(currentAuth(ctx)) };
      },
    },
    {
      method: 'put',
      path: '/me',
      permission: 'authenticated',
      handler: async (ctx) => {
        const input = parseBody(z.object({ firstname: name.optional(), lastname: name.optional() }).strict(), ctx);
        const user = await auth.users.update(currentAuth(ctx).user.id, input);
        ctx.body = { data: user };
      },
    },
    {
      method: 'put',
      path: '/me/password',
      permission: 'authenticated',
      handler: async (ctx) => {
        const input = parseBody(
          z.object({ currentPassword: z.string().max(200), newPassword: password }).strict(),
          ctx,
        );
        await auth.changePassword(currentAuth(ctx), input.currentPassword, input.newPassword, meta(ctx));
        ctx.body = { data: { ok: true } };
      },
    },
    {
      method: 'post',
      path: '/forgot-password',
      permission: 'public',
      handler: async (ctx) => {
        const input = parseBody(z.object({ email: z.string().max(191) }).strict(), ctx);
        await auth.requestPasswordReset(input.email, meta(ctx));
        ctx.body = { data: { ok: true } };
      },
    },
    {
      method: 'post',
      path: '/reset-password',
      permission: 'public',
      handler: async (ctx) => {
        const input = parseBody(z.object({ token: z.string().max(200), password }).strict(), ctx);
        await auth.resetPassword(input.token, input.password, meta(ctx));
        ctx.body = { data: { ok: true } };
      },
    },
    {
      method: 'get',
      path: '/invitation',
      permission: 'public',
      handler: async (ctx) => {
        const user = await auth.invitation(String(ctx.query.token ?? ''));
        ctx.body = { data: { email: user.email, firstname: user.firstname, lastname: user.lastname } };
      },
    },
    {
      method: 'post',
      path: '/accept-invitation',
      permission: 'public',
      handler: async (ctx) => {
        const input = parseBody(
          z
            .object({ token: z.string().max(200), password, firstname: name.optional(), lastname: name.optional() })
            .strict(),
          ctx,
        );
        const result = await auth.acceptInvitation(input, meta(ctx));
        setSessionCookie(ctx, folio, result.cookie);
        ctx.body = sessionBody(result);
      },
    },
  ]);
}
