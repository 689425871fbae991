// Security headers (helmet). Media are meant to be embedded by other sites, so resources may be
// loaded cross-origin; everything else keeps helmet's strict defaults. Nothing is framed (frame-src
// 'none') except, on the dashboard's page, the sites of the preview URLs (withFrameSources).
import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

export function securityHeaders(): Middleware {
  return helmet({
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // MUI (react-admin) injects its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameSrc: ["'none'"],
        frameAncestors: ["'self'"],
        // Folio is often run over plain http on a LAN or localhost; don't rewrite its URLs to https.
        upgradeInsecureRequests: null,
      },
    },
  });
}

/**
 * The policy with its frame-src set to exactly these origins ('none' without any): the dashboard's
 * preview panel frames the site's page, and only the sites the schema's preview URLs name.
 */
export function withFrameSources(policy: string, origins: readonly string[]): string {
  const frameSrc = `frame-src ${origins.length ? origins.join(' ') : "'none'"}`;
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !/^frame-src(\s|$)/i.test(d));
  return [...directives, frameSrc].join(';');
}
