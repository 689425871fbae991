// /admin-api/content/…/revisions: a document's history (content/revisions/). The routes declare the
// right on the type and parse the path and query; the operations check the caller again, with the
// document's row conditions and field permissions, and a restore is the update operation by that
// caller. Single types have the same routes under /single-types/:uid (their one document).
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Caller } from '../../access/caller.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { readEditableDocument } from '../../content/operations/read-as-editor.js';
import { versionTag, type TaggedVersion } from '../../content/operations/version-tag.js';
import { compareRevisions, type DiffTarget } from '../../content/revisions/comparing.js';
import { listRevisions, readRevision } from '../../content/revisions/reading.js';
import { restoreRevision } from '../../content/revisions/restoring.js';
import type { Folio } from '../../folio.js';
import { defineRoutes, type Permission, type RouteDefinition } from '../define.js';
import {
  idParam,
  localeParam,
  paginationMeta,
  parseId,
  pathParam,
  queryIssueError,
  singleQueryValue,
} from '../params.js';
import { DOCUMENT_ID_FORMAT } from '../../content/document-id.js';

const pageSchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** `?to=` of a diff: another revision's id, `previous` or `current` (the default). */
function diffTarget(ctx: Context): DiffTarget {
  const raw = singleQueryValue(ctx.query.to, 'to') ?? 'current';
  if (raw === 'current' || raw === 'previous') return raw;
  if (!/^\d+$/.test(raw)) throw ValidationError.query('Invalid to: a revision id, "previous" or "current"', 'to', 'to');
  return parseId(raw, 'to');
}

function on(action: 'read' | 'update'): (ctx: Context) => Permission {
  return (ctx) => ({ action, subject: pathParam(ctx, 'uid') });
}

function callerOf(ctx: Context): Caller {
  const caller = ctx.state.caller;
  if (!caller) throw new ForbiddenError();
  return caller;
}

export function adminRevisionRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/content' });

  /** The document a route names: `:documentId` of a collection type, or the single type's one document. */
  async function documentOf(ctx: Context, single: boolean): Promise<{ uid: string; documentId: string }> {
    const uid = pathParam(ctx, 'uid');
    if (!single) {
      const documentId = pathParam(ctx, 'documentId');
      if (!DOCUMENT_ID_FORMAT.test(documentId)) throw new ValidationError('Invalid documentId');
      return { uid, documentId };
    }
    const documentId = await folio.documents.singleDocumentId(uid);
    if (!documentId) throw new NotFoundError(`The single type "${uid}" has no entry yet`);
    return { uid, documentId };
  }

  function routesAt(base: string, single: boolean): RouteDefinition[] {
    return [
      {
        method: 'get',
        path: `${base}/revisions`,
        permission: on('read'),
        handler: async (ctx) => {
          const locale = localeParam(ctx, ['page', 'pageSize']);
          const { locale: _, ...rest } = ctx.query;
          const paging = pageSchema.safeParse(rest);
          if (!paging.success) throw queryIssueError(paging.error.issues[0]);
          const { page, pageSize } = paging.data;
          const target = await documentOf(ctx, single);
          const found = await listRevisions(folio, { caller: callerOf(ctx), ...target, locale, page, pageSize });
          ctx.body = { data: found.data, meta: paginationMeta(page, pageSize, found.total) };
        },
      },
      {
        method: 'get',
        path: `${base}/revisions/:id`,
        permission: on('read'),
        handler: async (ctx) => {
          const locale = localeParam(ctx);
          const id = idParam(ctx);
          const target = await documentOf(ctx, single);
          ctx.body = { data: await readRevision(folio, { caller: callerOf(ctx), ...target, locale, id }) };
        },
      },
      {
        method: 'get',
        path: `${base}/revisions/:id/diff`,
        permission: on('read'),
        handler: async (ctx) => {
          const locale = localeParam(ctx, ['to']);
          const id = idParam(ctx);
          const to = diffTarget(ctx);
          const target = await documentOf(ctx, single);
          ctx.body = { data: await compareRevisions(folio, { caller: callerOf(ctx), ...target, locale, id, to }) };
        },
      },
      {
        method: 'post',
        path: `${base}/revisions/:id/restore`,
        permission: on('update'),
        handler: async (ctx) => {
          const locale = localeParam(ctx);
          const id = idParam(ctx);
          const target = await documentOf(ctx, single);
          const caller = callerOf(ctx);
          const restored = await restoreRevision(folio, { caller, ip: ctx.ip, ...target, locale, id });
          // Answered as an update is: the editable version as this editor sees it, with its ETag.
          const document = await readEditableDocument(folio, caller, target.uid, target.documentId, locale);
          ctx.set('ETag', versionTag(document as unknown as TaggedVersion));
          ctx.body = { data: document, meta: { skipped: restored.skipped, dropped: restored.dropped } };
        },
      },
    ];
  }

  // Single types first: `/single-types/:uid/revisions` would otherwise read as `/:uid/:documentId/revisions`.
  return defineRoutes(router, [...routesAt('/single-types/:uid', true), ...routesAt('/:uid/:documentId', false)]);
}
