// Who is calling: sets ctx.state.caller for every request.
//   /api        `Authorization: Bearer <token>`, told apart by format (auth/preview-tokens.ts bearerKind):
//               an API token → the token's caller (401 when unknown, expired or revoked); a signed
//               token (JWT) by its `typ` claim: `preview` → a caller confined to its one document,
//               `member` → the member's role (401 when expired, tampered, signed for another
//               purpose, or — a member's — blocked or signed before its last password change);
//               no credentials → the Public role.
//               A member's JWT means nothing anywhere else: /admin-api reads only its session cookie.
//   /admin-api  the session cookie → the admin user's caller (and ctx.state.auth); no live session →
//               a caller that may do nothing. A request with a session that changes something
//               (not GET/HEAD/OPTIONS) must carry the session's CSRF token in X-CSRF-Token (403).
import type { Middleware } from 'koa';
import type { AbilityCaller } from '../access/service.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Folio } from '../folio.js';
import { safeEqual } from '../auth/crypto.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import type { Authenticated } from '../auth/service.js';
import { createAppAbility } from '../access/ability.js';
import { isUnder } from './paths.js';
import { bearerKind } from '../auth/preview-tokens.js';
import { MEMBER_TOKEN_TYPE } from '../members/tokens.js';
import { decodeJwt } from 'jose';

declare module 'koa' {
  interface DefaultState {
    /** The admin session of an /admin-api request, when there is one. */
    auth?: Authenticated;
  }
}

const NOBODY_ABILITY = createAppAbility([]);
/** An /admin-api request without a session: may do nothing. */
export const ANONYMOUS_ADMIN: AbilityCaller = { kind: 'public', ability: NOBODY_ABILITY, can: () => false };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The `typ` a JWT claims, read unverified only to pick its verifier (which checks everything). */
function claimedType(token: string): unknown {
  try {
    return decodeJwt(token).typ;
  } catch {
    return undefined;
  }
}

/** The caller of a bearer token: an API token, or a signed token of the kind its `typ` claims. */
async function bearerCaller(folio: Folio, bearer: string): Promise<AbilityCaller> {
  if (bearerKind(bearer) === 'jwt') {
    const typ = claimedType(bearer);
    if (typ === MEMBER_TOKEN_TYPE) {
      const member = await folio.members.callerOf(bearer);
      if (!member) throw new UnauthorizedError('Missing or invalid credentials');
      return member;
    }
    const scope = await folio.previewTokens.verify(bearer);
    if (!scope) throw new UnauthorizedError('Invalid or expired preview token');
    return folio.access.previewCaller(scope);
  }
  const token = await folio.apiTokens.resolve(bearer);
  if (!token) throw new UnauthorizedError('Invalid, expired or revoked API token');
  return folio.access.tokenCaller(token);
}

export function authenticate(folio: Folio): Middleware {
  return async (ctx, next) => {
    if (isUnder(ctx.path, '/api')) {
      ctx.vary('Authorization');
      const header = ctx.get('Authorization');
      if (header) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
        if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <token>"');
        ctx.state.caller = await bearerCaller(folio, match[1]);
      } else {
        ctx.state.caller = await folio.access.publicRoleCaller();
      }
    } else if (isUnder(ctx.path, '/admin-api')) {
      const auth = await folio.auth.authenticate(ctx.cookies.get(SESSION_COOKIE));
      if (auth) {
        if (!SAFE_METHODS.has(ctx.method) && !safeEqual(ctx.get('X-CSRF-Token'), auth.session.csrfToken)) {
          throw new ForbiddenError('Missing or invalid CSRF token (X-CSRF-Token header)');
        }
        ctx.state.auth = auth;
        ctx.state.caller = auth.caller;
      } else {
        ctx.state.caller = ANONYMOUS_ADMIN;
      }
    }
    await next();
  };
}
