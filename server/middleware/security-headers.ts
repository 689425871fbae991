// Security headers (helmet). Media are meant to be embedded by other sites, so resources may be
// loaded cross-origin; everything else keeps helmet's strict defaults.
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
        frameAncestors: ["'self'"],
        // Folio is often run over plain http on a LAN or localhost; don't rewrite its URLs to https.
        upgradeInsecureRequests: null,
      },
    },
  });
}
