// Scheduled publishing (issue 21): /admin-api/content/:uid/:documentId/schedules (a document's
// schedules: list, add, cancel) and /admin-api/schedules (what is due in a time window, for the
// "upcoming" view). The routes declare the right on the type and parse the input; the operations
// (content/operations/schedules.ts) check the caller again with the document's row conditions.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Caller } from '../../access/caller.js';
import {
  cancelSchedule,
  documentSchedules,
  scheduleDocument,
  upcomingSchedules,
  type ScheduleDeps,
} from '../../content/operations/schedules.js';
import { ALL_LOCALES } from '../../content/schedules/store.js';
import { LOCALE_PARAM_FORMAT } from '../../content/locales.js';
import { ForbiddenError, ValidationError } from '../../errors.js';
import type { Folio } from '../../folio.js';
import { defineRoutes, type Permission } from '../define.js';
import { idParam, noQueryParams, parseBody, pathParam, queryIssueError, singleQueryValue } from '../params.js';
import { DOCUMENT_ID_FORMAT } from '../../content/document-id.js';

/** An instant with its offset (`Z` or `+02:00`): stored as UTC, whatever zone the editor chose it in. */
const instant = z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 date-time with a time zone' });

const scheduleBody = z
  .object({
    action: z.enum(['publish', 'unpublish']),
    at: instant,
    /** A locale code, or '*' for every locale; absent: the default locale. */
    locale: z
      .string()
      .refine((v) => v === ALL_LOCALES || LOCALE_PARAM_FORMAT.test(v), 'Expected a locale code or "*"')
      .optional(),
  })
  .strict();

/** The longest window one upcoming list covers. */
const MAX_WINDOW_MS = 366 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

const windowQuery = z
  .object({ from: instant.optional(), to: instant.optional() })
  .strict()
  .transform(({ from, to }, ctx) => {
    const start = from ? Date.parse(from) : Date.now();
    const end = to ? Date.parse(to) : start + 30 * DAY_MS;
    if (end <= start || end - start > MAX_WINDOW_MS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Expected a time after from, at most 366 days later' });
      return z.NEVER;
    }
    return { from: start, to: end };
  });

function on(action: 'read' | 'publish'): (ctx: Context) => Permission {
  return (ctx) => ({ action, subject: pathParam(ctx, 'uid') });
}

function callerOf(ctx: Context): Caller {
  const caller = ctx.state.caller;
  if (!caller) throw new ForbiddenError();
  return caller;
}

function documentOf(ctx: Context): { uid: string; documentId: string } {
  const documentId = pathParam(ctx, 'documentId');
  if (!DOCUMENT_ID_FORMAT.test(documentId)) throw new ValidationError('Invalid documentId');
  return { uid: pathParam(ctx, 'uid'), documentId };
}

export function adminScheduleRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  const deps: ScheduleDeps = {
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
      path: '/content/:uid/:documentId/schedules',
      permission: on('read'),
      handler: async (ctx) => {
        noQueryParams(ctx);
        ctx.body = { data: await documentSchedules(deps, { caller: callerOf(ctx), ...documentOf(ctx) }) };
      },
    },
    {
      method: 'post',
      path: '/content/:uid/:documentId/schedules',
      permission: on('publish'),
      handler: async (ctx) => {
        noQueryParams(ctx);
        const target = documentOf(ctx);
        const { action, at, locale } = parseBody(scheduleBody, ctx);
        const schedule = await scheduleDocument(deps, {
          caller: callerOf(ctx),
          ip: ctx.ip,
          ...target,
          action,
          at: Date.parse(at),
          locale,
        });
        ctx.status = 201;
        ctx.body = { data: schedule };
      },
    },
    {
      method: 'delete',
      path: '/content/:uid/:documentId/schedules/:id',
      permission: on('publish'),
      handler: async (ctx) => {
        noQueryParams(ctx);
        const target = { ...documentOf(ctx), scheduleId: idParam(ctx) };
        ctx.body = { data: await cancelSchedule(deps, { caller: callerOf(ctx), ip: ctx.ip, ...target }) };
      },
    },
    {
      method: 'get',
      path: '/schedules',
      // Any signed-in admin: the answer lists only schedules of documents the caller may read.
      permission: 'authenticated',
      handler: async (ctx) => {
        const raw = {
          from: singleQueryValue(ctx.query.from, 'from'),
          to: singleQueryValue(ctx.query.to, 'to'),
        };
        for (const key of Object.keys(ctx.query))
          if (key !== 'from' && key !== 'to') throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
        const parsed = windowQuery.safeParse(raw);
        if (!parsed.success) throw queryIssueError(parsed.error.issues[0]);
        const window = parsed.data;
        const data = await upcomingSchedules(deps, { caller: callerOf(ctx), ...window });
        ctx.body = { data, meta: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() } };
      },
    },
  ]);
}
