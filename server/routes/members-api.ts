// Strapi's users-permissions routes on /api (docs/members.md): sign-in, sign-up, password and email
// flows, the signed-in member (/users/me), member accounts under the caller's `users` permissions
// and the member roles. Each route parses and calls one function of server/members/, which checks
// the caller and answers Strapi's shapes; the bodies are Strapi's (JSON or form), unwrapped.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Folio } from '../folio.js';
import { parseQueryString } from '../content/query/parse.js';
import { bodyOf } from '../members/bodies.js';
import { parseMemberQuery } from '../members/query.js';
import {
  countMembers,
  createMember,
  currentMember,
  deleteMember,
  findMember,
  findMembers,
  listMemberRoles,
  updateMember,
} from '../members/operations.js';
import { defineRoutes } from './define.js';
import { idParam, pathParam } from './params.js';

/** The cookie binding an OAuth flow's state to the browser that started it (login CSRF). */
const OAUTH_STATE_COOKIE = 'folio_oauth_state';

/** Strapi's bare "Forbidden" when the caller's role lacks the action. */
const may = (action: string, subject: 'users' | 'roles') => ({ action, subject, message: 'Forbidden' });

/** The query of a member read (server/members/query.ts): what `kind` of read takes, else a 400. */
function memberQuery(ctx: Context, kind: 'list' | 'count' | 'one', maxPageSize: number) {
  return parseMemberQuery(parseQueryString(ctx.querystring), kind, maxPageSize);
}

export function membersApiRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/api' });
  const auth = folio.members;
  const maxPageSize = folio.config.apiMaxPageSize;
  const asker = (ctx: Context) => ({ caller: ctx.state.caller!, ip: ctx.ip });
  const answer = (ctx: Context, body: unknown, status = 200) => {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };

  return defineRoutes(router, [
    // --- sign-in and sign-up: anyone (rate-limited inside) -------------------------------------
    {
      method: 'post',
      path: '/auth/local',
      permission: 'public',
      handler: async (ctx) => answer(ctx, await auth.login(bodyOf(ctx.request.body), ctx.ip)),
    },
    {
      method: 'post',
      path: '/auth/local/register',
      permission: 'public',
      handler: async (ctx) => answer(ctx, await auth.register(bodyOf(ctx.request.body), ctx.ip)),
    },
    // --- the refresh mode (settings `refreshTokens`; 404 otherwise, as Strapi) --------------------
    {
      method: 'post',
      path: '/auth/refresh',
      permission: 'public', // the refresh token is the credential: checked by refresh
      handler: async (ctx) => answer(ctx, await auth.refresh(bodyOf(ctx.request.body), ctx.ip)),
    },
    {
      method: 'post',
      path: '/auth/logout',
      permission: 'public', // the member or its refresh token: checked by logout
      handler: async (ctx) => answer(ctx, await auth.logout(ctx.state.caller!, bodyOf(ctx.request.body))),
    },
    {
      method: 'post',
      path: '/auth/forgot-password',
      permission: 'public',
      handler: async (ctx) => answer(ctx, await auth.forgotPassword(bodyOf(ctx.request.body), ctx.ip)),
    },
    {
      method: 'post',
      path: '/auth/reset-password',
      permission: 'public',
      handler: async (ctx) => answer(ctx, await auth.resetPassword(bodyOf(ctx.request.body))),
    },
    {
      method: 'get',
      path: '/auth/email-confirmation',
      permission: 'public',
      handler: async (ctx) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(await auth.confirmEmail(ctx.query.confirmation));
      },
    },
    {
      method: 'post',
      path: '/auth/send-email-confirmation',
      permission: 'public',
      handler: async (ctx) => answer(ctx, await auth.sendEmailConfirmation(bodyOf(ctx.request.body), ctx.ip)),
    },
    // --- sign-in with an OAuth provider (server/members/oauth.ts) ------------------------------
    {
      method: 'get',
      path: '/connect/:provider',
      permission: 'public',
      handler: async (ctx) => {
        const { location, state } = await auth.oauth.connect(pathParam(ctx, 'provider'), ctx.ip);
        ctx.cookies.set(OAUTH_STATE_COOKIE, state, {
          httpOnly: true,
          sameSite: 'lax', // sent on the provider's top-level redirect back, not on cross-site subrequests
          secure: ctx.secure,
          path: '/api/connect',
          maxAge: 10 * 60_000,
        });
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(location);
      },
    },
    {
      method: 'get',
      path: '/connect/:provider/callback',
      permission: 'public',
      handler: async (ctx) => {
        const cookieState = ctx.cookies.get(OAUTH_STATE_COOKIE);
        ctx.cookies.set(OAUTH_STATE_COOKIE, null, { path: '/api/connect' });
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(await auth.oauth.providerCallback(pathParam(ctx, 'provider'), ctx.query, cookieState));
      },
    },
    {
      method: 'get',
      path: '/auth/:provider/callback',
      permission: 'public',
      handler: async (ctx) =>
        answer(ctx, await auth.oauth.signIn(pathParam(ctx, 'provider'), ctx.query.access_token, ctx.ip)),
    },
    // --- the signed-in member itself ----------------------------------------------------------
    {
      method: 'post',
      path: '/auth/change-password',
      permission: 'public', // the member itself: checked by changePassword
      handler: async (ctx) =>
        answer(ctx, await auth.changePassword(ctx.state.caller!, bodyOf(ctx.request.body), ctx.ip)),
    },
    {
      method: 'get',
      path: '/users/me',
      permission: 'public', // the member itself: checked by currentMember
      handler: async (ctx) => {
        const { populateRole } = memberQuery(ctx, 'one', maxPageSize);
        answer(ctx, await currentMember(folio, { ...asker(ctx), populateRole }));
      },
    },
    // --- member accounts, under the caller's `users` permissions --------------------------------
    {
      method: 'get',
      path: '/users/count',
      permission: may('find', 'users'),
      handler: async (ctx) => {
        const { filter } = memberQuery(ctx, 'count', maxPageSize);
        answer(ctx, await countMembers(folio, { ...asker(ctx), filter }));
      },
    },
    {
      method: 'get',
      path: '/users',
      permission: may('find', 'users'),
      handler: async (ctx) =>
        answer(ctx, await findMembers(folio, { ...asker(ctx), query: memberQuery(ctx, 'list', maxPageSize) })),
    },
    {
      method: 'get',
      path: '/users/:id',
      permission: may('findOne', 'users'),
      handler: async (ctx) => {
        const { populateRole } = memberQuery(ctx, 'one', maxPageSize);
        answer(ctx, await findMember(folio, { ...asker(ctx), id: idParam(ctx), populateRole }));
      },
    },
    {
      method: 'post',
      path: '/users',
      permission: may('create', 'users'),
      handler: async (ctx) =>
        answer(ctx, await createMember(folio, { ...asker(ctx), body: bodyOf(ctx.request.body) }), 201),
    },
    {
      method: 'put',
      path: '/users/:id',
      permission: may('update', 'users'),
      handler: async (ctx) =>
        answer(ctx, await updateMember(folio, { ...asker(ctx), id: idParam(ctx), body: bodyOf(ctx.request.body) })),
    },
    {
      method: 'delete',
      path: '/users/:id',
      permission: may('delete', 'users'),
      handler: async (ctx) => answer(ctx, await deleteMember(folio, { ...asker(ctx), id: idParam(ctx) })),
    },
    // --- member roles ---------------------------------------------------------------------------
    {
      method: 'get',
      path: '/users-permissions/roles',
      permission: may('find', 'roles'),
      handler: async (ctx) => answer(ctx, await listMemberRoles(folio, asker(ctx))),
    },
  ]);
}
