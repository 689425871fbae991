// Builds the Koa app. The middleware order is the request's path through Folio, top to bottom:
//   request id + access log → error envelope → 404 for what nothing answered → security headers
//   → CORS for /api → stored media (/uploads) → body (JSON only on /admin-api) → authenticate
//   (ctx.state.caller; CSRF on the Admin API) → routes
import Koa, { type Context, type Middleware, type Next } from 'koa';
import compose from 'koa-compose';
import type Router from '@koa/router';
import type { Folio } from './folio.js';
import { jsonBody, jsonOnlyUnder } from './middleware/body.js';
import { adminBackupRoutes } from './routes/admin-api/backups.js';
import { errorEnvelope } from './middleware/errors.js';
import { notFound } from './middleware/not-found.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { healthRoutes } from './routes/health.js';
import { contentApiWriteRoutes } from './routes/content-api-writes.js';
import { authenticate } from './middleware/authenticate.js';
import { adminApiTokenRoutes } from './routes/admin-api/api-tokens.js';
import { adminContentRoutes } from './routes/admin-api/content.js';
import { adminScheduleRoutes } from './routes/admin-api/schedules.js';
import { adminReleaseRoutes } from './routes/admin-api/releases.js';
import { adminRevisionRoutes } from './routes/admin-api/revisions.js';
import { adminAuditRoutes } from './routes/admin-api/audit.js';
import { adminPerformanceRoutes } from './routes/admin-api/performance.js';
import { adminAuthRoutes } from './routes/admin-api/auth.js';
import { adminContentTypeBuilderRoutes } from './routes/admin-api/content-type-builder.js';
import { adminHomeRoutes } from './routes/admin-api/home.js';
import { adminRoleRoutes } from './routes/admin-api/roles.js';
import { adminUserRoutes } from './routes/admin-api/users.js';
import { adminWebhookRoutes } from './routes/admin-api/webhooks.js';
import { adminLocaleRoutes, contentApiLocaleRoutes } from './routes/admin-api/locales.js';
import { uploadFiles, uploadRoutes } from './routes/uploads.js';
import { contentApiCors, contentApiRoutes } from './routes/content-api.js';
import { adminUiRoutes } from './routes/admin-ui.js';
import { previewOrigins } from './content/preview-url.js';
import { openApiRoutes } from './routes/openapi.js';
import { membersApiRoutes } from './routes/members-api.js';
import { adminMemberRoutes } from './routes/admin-api/members.js';

export interface AppOptions {
  /** The dashboard's build folder (default admin/dist): tests serve one of their own. */
  adminDist?: string;
}

export function createApp(folio: Folio, options: AppOptions = {}): Koa {
  // Koa would take the leftmost X-Forwarded-For entry, which the client writes: count from the right.
  const app = new Koa({ proxy: folio.config.trustProxy, maxIpsCount: folio.config.trustProxyHops });
  app.silent = true; // errors are logged by errorEnvelope, not by koa's default handler

  app.use(requestContext(folio.logger));
  app.use(errorEnvelope());
  app.use(notFound());
  app.use(securityHeaders());
  app.use(contentApiCors(folio.config.corsOrigins)); // before auth: preflights carry no credentials
  app.use(uploadFiles(folio)); // stored media are public, like the files of any CDN
  // No HTML form can post JSON cross-site; multipart bodies (a form can post those) go only to the
  // routes that stream them, and still need the session's CSRF header.
  app.use(jsonOnlyUnder('/admin-api', ['/admin-api/upload', '/admin-api/backups/import']));
  app.use(jsonBody());
  app.use(authenticate(folio));

  // Order matters where paths overlap: /api/upload before the generic /api/:pluralName.
  const routers = [
    healthRoutes(folio),
    adminAuthRoutes(folio),
    adminUserRoutes(folio),
    adminRoleRoutes(folio),
    adminApiTokenRoutes(folio),
    adminAuditRoutes(folio),
    adminBackupRoutes(folio),
    adminPerformanceRoutes(folio),
    adminContentTypeBuilderRoutes(folio),
    adminHomeRoutes(folio),
    adminWebhookRoutes(folio),
    adminMemberRoutes(folio),
    adminLocaleRoutes(folio),
    adminRevisionRoutes(folio), // before /:uid/:documentId routes: single-types/:uid/revisions is its own
    adminContentRoutes(folio),
    adminScheduleRoutes(folio), // after the content routes: /:uid/relations/:field keeps its meaning
    adminReleaseRoutes(folio),
    ...uploadRoutes(folio),
    contentApiLocaleRoutes(folio), // before the generic /api/:pluralName
    membersApiRoutes(folio), // /api/auth, /api/users, /api/users-permissions: reserved names
    openApiRoutes(folio), // before the generic /api/:segment: openapi.json and docs are reserved names
    contentApiRoutes(folio),
    contentApiWriteRoutes(folio),
    adminUiRoutes({
      dist: options.adminDist,
      frameSources: async () => previewOrigins(await folio.schema.current()),
    }),
  ];
  for (const router of routers) app.use(mounted(router));
  return app;
}

/**
 * A router's routes and its 405/501 answers, run only for paths under its prefix: a router never
 * matches outside it, and asking each of the seventeen routers to try its patterns (and wrap the
 * rest of the request in a promise of its own) was a measurable part of every request.
 */
function mounted(router: Router): Middleware {
  // The router's middleware asks for its own context type (with `params`), which it adds itself.
  const chain = compose([router.routes(), router.allowedMethods()]) as (ctx: Context, next: Next) => Promise<void>;
  const prefix = router.opts.prefix;
  if (!prefix) return chain;
  return (ctx, next) => (ctx.path === prefix || ctx.path.startsWith(`${prefix}/`) ? chain(ctx, next) : next());
}
