// Login CSRF: the routes that sign a browser in or change credentials without a session (so
// without the session's CSRF token) refuse requests another site's page made. Browsers say where
// a request comes from in Sec-Fetch-Site (every current one) and Origin (on every POST); a client
// that sends neither (curl, scripts, tests) is not a browser carrying a victim's cookies.
import type { Middleware } from 'koa';
import { ForbiddenError } from '../errors.js';

/** Sec-Fetch-Site values of a request the user made on Folio's own pages or typed themselves. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Same origin means PUBLIC_URL's origin, or the host the request was sent to (its Host header, or
 * X-Forwarded-Host behind TRUST_PROXY): the scheme is left out there, since a TLS-terminating
 * proxy without TRUST_PROXY makes Folio see http for an https page.
 */
export function sameOriginOnly(publicUrl: string): Middleware {
  const publicOrigin = new URL(publicUrl).origin;
  return async (ctx, next) => {
    const site = ctx.get('Sec-Fetch-Site');
    if (site && !OWN_FETCH_SITES.has(site)) throw new ForbiddenError('Cross-site requests are refused on this route');
    const origin = ctx.get('Origin');
    if (origin && origin !== publicOrigin && hostOf(origin) !== ctx.host)
      throw new ForbiddenError('Cross-site requests are refused on this route');
    await next();
  };
}

/** "host:port" of an Origin header, as the Host header writes it; undefined for "null" or garbage. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}
