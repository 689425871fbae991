// Releases (issue 21): /admin-api/releases (list, create), /of/:uid/:documentId (those holding a
// document), /:id (read, rename, delete), /:id/actions (add or remove an entry), /:id/actions/publish
// (release now) and /:id/schedule (set or cancel the time). The `releases` permission opens each
// route (publish: releasing now and scheduling); the operations (content/operations/releases.ts)
// check each entry against the caller's publish rights.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Caller } from '../../access/caller.js';
import {
  addReleaseAction,
  cancelReleaseSchedule,
  createRelease,
  deleteRelease,
  getRelease,
  listReleases,
  releaseNow,
  releasesOfDocument,
  removeReleaseAction,
  renameRelease,
  scheduleRelease,
  type ReleaseDeps,
} from '../../content/operations/releases.js';
import { LOCALE_PARAM_FORMAT } from '../../content/locales.js';
import { ForbiddenError, ValidationError } from '../../errors.js';
import type { Folio } from '../../folio.js';
import { defineRoutes } from '../define.js';
import { idParam, noQueryParams, parseBody, pathParam } from '../params.js';
import { DOCUMENT_ID_FORMAT } from '../../content/document-id.js';

const UID = /^[A-Za-z0-9_.:-]{1,191}$/;

const nameBody = z.object({ name: z.string().trim().min(1).max(191) }).strict();

const actionBody = z
  .object({
    uid: z.string().regex(UID, 'Expected a content type uid'),
    documentId: z.string().regex(DOCUMENT_ID_FORMAT, 'Expected a documentId'),
    locale: z.string().regex(LOCALE_PARAM_FORMAT, 'Expected a locale code').optional(),
    action: z.enum(['publish', 'unpublish']),
  })
  .strict();

/** An instant with its offset (`Z` or `+02:00`): stored as UTC, whatever zone the editor chose it in. */
const scheduleBody = z
  .object({ at: z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 date-time with a time zone' }) })
  .strict();

function callerOf(ctx: Context): Caller {
  const caller = ctx.state.caller;
  if (!caller) throw new ForbiddenError();
  return caller;
}

/** The caller and the release the path names. */
function ref(ctx: Context) {
  noQueryParams(ctx);
  return { caller: callerOf(ctx), ip: ctx.ip, releaseId: idParam(ctx) };
}

export function adminReleaseRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/releases' });
  const deps: ReleaseDeps = {
    db: folio.db,
    schema: folio.schema,
    documents: folio.documents,
    locales: folio.locales,
    audit: folio.audit,
    jobs: folio.jobs.queue,
  };

  return defineRoutes(router, [
    {
      method: 'get',
      path: '/',
      permission: { action: 'read', subject: 'releases' },
      handler: async (ctx) => {
        noQueryParams(ctx);
        ctx.body = { data: await listReleases(deps, { caller: callerOf(ctx) }) };
      },
    },
    {
      method: 'post',
      path: '/',
      permission: { action: 'create', subject: 'releases' },
      handler: async (ctx) => {
        noQueryParams(ctx);
        const { name } = parseBody(nameBody, ctx);
        ctx.status = 201;
        ctx.body = { data: await createRelease(deps, { caller: callerOf(ctx), ip: ctx.ip, name }) };
      },
    },
    {
      // Before /:id, which would take "of" for an id.
      method: 'get',
      path: '/of/:uid/:documentId',
      permission: { action: 'read', subject: 'releases' },
      handler: async (ctx) => {
        noQueryParams(ctx);
        const uid = pathParam(ctx, 'uid');
        const documentId = pathParam(ctx, 'documentId');
        if (!UID.test(uid)) throw new ValidationError('Expected a content type uid');
        if (!DOCUMENT_ID_FORMAT.test(documentId)) throw new ValidationError('Expected a documentId');
        ctx.body = { data: await releasesOfDocument(deps, { caller: callerOf(ctx), uid, documentId }) };
      },
    },
    {
      method: 'get',
      path: '/:id',
      permission: { action: 'read', subject: 'releases' },
      handler: async (ctx) => {
        ctx.body = { data: await getRelease(deps, ref(ctx)) };
      },
    },
    {
      method: 'put',
      path: '/:id',
      permission: { action: 'update', subject: 'releases' },
      handler: async (ctx) => {
        const target = ref(ctx);
        const { name } = parseBody(nameBody, ctx);
        ctx.body = { data: await renameRelease(deps, { ...target, name }) };
      },
    },
    {
      method: 'delete',
      path: '/:id',
      permission: { action: 'delete', subject: 'releases' },
      handler: async (ctx) => {
        await deleteRelease(deps, ref(ctx));
        ctx.status = 204;
      },
    },
    {
      method: 'post',
      path: '/:id/actions',
      permission: { action: 'update', subject: 'releases' },
      handler: async (ctx) => {
        const target = ref(ctx);
        const body = parseBody(actionBody, ctx);
        ctx.body = { data: await addReleaseAction(deps, { ...target, ...body }) };
      },
    },
    {
      method: 'post',
      path: '/:id/actions/publish',
      permission: { action: 'publish', subject: 'releases' },
      handler: async (ctx) => {
        ctx.body = { data: await releaseNow(deps, ref(ctx)) };
      },
    },
    {
      method: 'delete',
      path: '/:id/actions/:actionId',
      permission: { action: 'update', subject: 'releases' },
      handler: async (ctx) => {
        const target = ref(ctx);
        ctx.body = { data: await removeReleaseAction(deps, { ...target, actionId: idParam(ctx, 'actionId') }) };
      },
    },
    {
      method: 'put',
      path: '/:id/schedule',
      permission: { action: 'publish', subject: 'releases' },
      handler: async (ctx) => {
        const target = ref(ctx);
        const { at } = parseBody(scheduleBody, ctx);
        ctx.body = { data: await scheduleRelease(deps, { ...target, at: Date.parse(at) }) };
      },
    },
    {
      method: 'delete',
      path: '/:id/schedule',
      permission: { action: 'publish', subject: 'releases' },
      handler: async (ctx) => {
        ctx.body = { data: await cancelReleaseSchedule(deps, ref(ctx)) };
      },
    },
  ]);
}
