// /admin-api/content: the content manager's API. Reads are operations of the editor
// (content/operations/read-as-editor.ts: the editable version, the document's state, the role's
// conditions and field permissions); writes are the write operations (content/operations/: the
// caller's checks, the write, its events and its audit row in one transaction, If-Match honoured).
// Entries are identified by documentId; the top-level `id` of an answer IS the documentId, so that
// react-admin's generic dataProvider addresses them like any other resource (README, "Content manager").
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Caller } from '../../access/caller.js';
import { SYSTEM_FIELDS } from '../../content/input.js';
import { parseQueryString } from '../../content/query/parse.js';
import {
  contentTypeOf,
  editorContentTypes,
  listDocuments,
  pickRelated,
  readEditableDocument,
  uidAvailability,
} from '../../content/operations/read-as-editor.js';
import { updateDocument } from '../../content/operations/update-document.js';
import { createDocument } from '../../content/operations/create-document.js';
import { duplicateDocument } from '../../content/operations/duplicate-document.js';
import { bulkDeleteDocuments, deleteDocument } from '../../content/operations/delete-documents.js';
import {
  bulkPublishDocuments,
  discardDraft,
  publishDocument,
  unpublishDocument,
} from '../../content/operations/publishing.js';
import { previewDocument } from '../../content/operations/preview-document.js';
import { versionTag, type TaggedVersion } from '../../content/operations/version-tag.js';
import { ApplicationError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { LOCALE_PARAM_FORMAT } from '../../content/locales.js';
import type { Folio } from '../../folio.js';
import type { ContentTypeModel, SchemaModel } from '../../schema/model.js';
import { defineRoutes, type Permission } from '../define.js';
import { localeParam, parseBody, queryIssueError } from '../params.js';
import { DOCUMENT_ID_FORMAT } from '../../content/document-id.js';

export type { DocumentState } from '../../content/operations/read-as-editor.js';
type ContentAction = 'read' | 'create' | 'update' | 'delete' | 'publish';

/** The permission of a route acting on the type named by the path (`:uid`). */
function on(action: ContentAction): (ctx: Context) => Permission {
  return (ctx) => ({ action, subject: String((ctx.params as { uid?: string }).uid ?? '') });
}

/** Keys an answer carries that a client may send back unchanged with the record: ignored on writes. */
const ECHOED_KEYS = new Set([...SYSTEM_FIELDS, '__status', '__publishedAt', '__locales']);

const LIST_KEYS = new Set(['page', 'pageSize', 'sort', 'q', 'filters', 'status', 'locale']);

const listSchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  sort: z
    .string()
    .max(200)
    .regex(
      /^[A-Za-z_][A-Za-z0-9_.]*(:(asc|desc|ASC|DESC))?(,[A-Za-z_][A-Za-z0-9_.]*(:(asc|desc|ASC|DESC))?)*$/,
      'Expected field:asc or field:desc',
    )
    .optional(),
  q: z.string().max(200).optional(),
  status: z.enum(['draft', 'published', 'modified']).optional(),
  locale: z.string().regex(LOCALE_PARAM_FORMAT, 'Invalid locale').optional(),
});

const documentIdsBody = z
  .object({
    documentIds: z.array(z.string().regex(DOCUMENT_ID_FORMAT, 'Invalid documentId')).min(1).max(100),
  })
  .strict();

/** The admin actions on one version, by the path segment naming them. */
const VERSION_OPERATIONS = { publish: publishDocument, unpublish: unpublishDocument, discard: discardDraft } as const;

/** `If-Match`: the version (ETag) the editor read; absent, the write applies to whatever is current. */
function ifMatchOf(ctx: Context): string | undefined {
  return ctx.get('If-Match') || undefined;
}

function writeBody(ctx: Context): Record<string, unknown> {
  const body = ctx.request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ValidationError.fromErrors([
      { path: [], message: 'The body must be a JSON object of fields', name: 'ValidationError' },
    ]);
  }
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([key]) => !ECHOED_KEYS.has(key)));
}

export function adminContentRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/content' });
  const { documents } = folio;

  function callerOf(ctx: Context): Caller {
    const caller = ctx.state.caller;
    if (!caller) throw new ForbiddenError();
    return caller;
  }

  async function typeOf(
    ctx: Context,
    kind?: ContentTypeModel['kind'],
  ): Promise<{ schema: SchemaModel; type: ContentTypeModel }> {
    const schema = await folio.schema.current();
    return { schema, type: contentTypeOf(schema, String((ctx.params as { uid?: string }).uid ?? ''), kind) };
  }

  const documentIdOf = (ctx: Context) => String((ctx.params as { documentId: string }).documentId);

  /** The answer to a single-document read or write: the editable version, with its ETag. */
  async function answerDocument(
    ctx: Context,
    type: ContentTypeModel,
    documentId: string,
    locale: string | undefined,
    meta?: Record<string, unknown>,
  ): Promise<void> {
    const document = await readEditableDocument(folio, callerOf(ctx), type.uid, documentId, locale);
    ctx.set('ETag', versionTag(document as unknown as TaggedVersion));
    ctx.body = meta ? { data: document, meta } : { data: document };
  }

  /** Who asks, for an operation: the caller and the request's address. */
  const asker = (ctx: Context) => ({ caller: callerOf(ctx), ip: ctx.ip });

  return defineRoutes(router, [
    {
      method: 'get',
      path: '/content-types',
      // Any signed-in admin: the answer lists only what the caller may read.
      permission: 'authenticated',
      handler: async (ctx) => {
        ctx.body = { data: await editorContentTypes(folio, callerOf(ctx)) };
      },
    },
    {
      method: 'get',
      path: '/single-types/:uid',
      permission: on('read'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx, 'singleType');
        const locale = localeParam(ctx);
        const documentId = await documents.singleDocumentId(type.uid);
        if (!documentId) {
          ctx.body = { data: null };
          return;
        }
        try {
          await answerDocument(ctx, type, documentId, locale);
        } catch (err) {
          // The single type has no version in this locale yet: the form starts empty.
          if (err instanceof NotFoundError) ctx.body = { data: null };
          else throw err;
        }
      },
    },
    {
      method: 'put',
      path: '/single-types/:uid',
      permission: on('update'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx, 'singleType');
        const locale = localeParam(ctx);
        const data = writeBody(ctx);
        const existing = await documents.singleDocumentId(type.uid);
        // A locale the document does not have yet is created by the update, through a version
        // within the caller's conditions.
        const written = existing
          ? await updateDocument(folio, {
              ...asker(ctx),
              uid: type.uid,
              documentId: existing,
              locale,
              data,
              ifMatch: ifMatchOf(ctx),
            })
          : await createDocument(folio, { ...asker(ctx), uid: type.uid, locale, data, status: 'draft' });
        await answerDocument(ctx, type, written.documentId, locale);
      },
    },
    {
      method: 'get',
      path: '/:uid',
      permission: on('read'),
      handler: async (ctx) => {
        const caller = callerOf(ctx);
        const { type } = await typeOf(ctx, 'collectionType');
        const raw = parseQueryString(ctx.querystring);
        for (const key of Object.keys(raw))
          if (!LIST_KEYS.has(key)) throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
        const { filters, ...rest } = raw;
        const parsed = listSchema.safeParse(rest);
        if (!parsed.success) throw queryIssueError(parsed.error.issues[0]);
        ctx.body = await listDocuments(folio, caller, type.uid, { ...parsed.data, filters });
      },
    },
    {
      method: 'post',
      path: '/:uid',
      permission: on('create'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx, 'collectionType');
        const locale = localeParam(ctx);
        const data = writeBody(ctx);
        const created = await createDocument(folio, { ...asker(ctx), uid: type.uid, locale, data, status: 'draft' });
        ctx.status = 201;
        await answerDocument(ctx, type, created.documentId, locale);
      },
    },
    {
      method: 'post',
      path: '/:uid/actions/bulk-delete',
      permission: on('delete'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx, 'collectionType');
        const locale = localeParam(ctx);
        const { documentIds } = parseBody(documentIdsBody, ctx);
        // Every document must be deletable by the caller, or none is deleted (one transaction).
        await bulkDeleteDocuments(folio, {
          ...asker(ctx),
          uid: type.uid,
          documentIds,
          locale: type.localized ? locale : undefined,
        });
        ctx.body = { data: { count: documentIds.length } };
      },
    },
    {
      method: 'post',
      path: '/:uid/actions/bulk-publish',
      permission: on('publish'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx, 'collectionType');
        if (!type.draftAndPublish) throw new ApplicationError(`${type.displayName} has no draft & publish`);
        const locale = localeParam(ctx);
        const { documentIds } = parseBody(documentIdsBody, ctx);
        // Each document is published in its own transaction: one invalid draft (a required field
        // missing) must not hold back the others; its errors are answered per document.
        ctx.body = { data: await bulkPublishDocuments(folio, { ...asker(ctx), uid: type.uid, documentIds, locale }) };
      },
    },
    {
      method: 'get',
      path: '/:uid/relations/:field',
      permission: on('read'),
      handler: async (ctx) => {
        const caller = callerOf(ctx);
        const { type } = await typeOf(ctx);
        const raw = parseQueryString(ctx.querystring);
        for (const key of Object.keys(raw)) {
          if (!['q', 'ids', 'page', 'pageSize', 'component'].includes(key))
            throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
        }
        const parsed = z
          .object({
            q: z.string().max(200).optional(),
            // The picker's chosen targets, to show their labels: `ids[0]=…&ids[1]=…` (one page).
            ids: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(100).default(20),
            component: z.string().max(200).optional(),
          })
          .safeParse(raw);
        if (!parsed.success) throw queryIssueError(parsed.error.issues[0]);
        const field = String((ctx.params as { field: string }).field);
        const { ids, ...picker } = parsed.data;
        ctx.body = await pickRelated(folio, caller, type.uid, {
          ...picker,
          field,
          ...(ids ? { documentIds: ids, pageSize: ids.length } : {}),
        });
      },
    },
    {
      method: 'get',
      path: '/:uid/uid-available',
      permission: on('read'),
      handler: async (ctx) => {
        const caller = callerOf(ctx);
        const { type } = await typeOf(ctx);
        const raw = parseQueryString(ctx.querystring);
        for (const key of Object.keys(raw)) {
          if (!['field', 'value', 'from', 'documentId', 'locale'].includes(key))
            throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
        }
        const parsed = z
          .object({
            field: z.string().max(191),
            value: z.string().max(255).optional(),
            from: z.string().max(1000).optional(),
            documentId: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,64}$/)
              .optional(),
            locale: z.string().regex(LOCALE_PARAM_FORMAT).optional(),
          })
          .safeParse(raw);
        if (!parsed.success) throw queryIssueError(parsed.error.issues[0]);
        ctx.body = { data: await uidAvailability(folio, caller, type.uid, parsed.data) };
      },
    },
    {
      method: 'get',
      path: '/:uid/:documentId',
      permission: on('read'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx);
        await answerDocument(ctx, type, documentIdOf(ctx), localeParam(ctx));
      },
    },
    {
      method: 'put',
      path: '/:uid/:documentId',
      permission: on('update'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx);
        const locale = localeParam(ctx);
        const documentId = documentIdOf(ctx);
        const data = writeBody(ctx);
        await updateDocument(folio, {
          ...asker(ctx),
          uid: type.uid,
          documentId,
          locale,
          data,
          ifMatch: ifMatchOf(ctx),
        });
        await answerDocument(ctx, type, documentId, locale);
      },
    },
    {
      method: 'delete',
      path: '/:uid/:documentId',
      permission: on('delete'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx);
        const locale = localeParam(ctx);
        const documentId = documentIdOf(ctx);
        // Answered with what was deleted (react-admin's delete convention).
        const before = await readEditableDocument(folio, callerOf(ctx), type.uid, documentId, locale);
        await deleteDocument(folio, {
          ...asker(ctx),
          uid: type.uid,
          documentId,
          locale: type.localized ? locale : undefined,
        });
        ctx.body = { data: before };
      },
    },
    {
      method: 'post',
      path: '/:uid/:documentId/preview',
      // The operation checks the document too: within the role's read conditions.
      permission: on('read'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx);
        const request = { caller: callerOf(ctx), uid: type.uid, documentId: documentIdOf(ctx) };
        ctx.body = { data: await previewDocument(folio, { ...request, locale: localeParam(ctx) }) };
      },
    },
    {
      method: 'post',
      path: '/:uid/:documentId/actions/duplicate',
      // A duplicate is a create (its checks are createDocument's); reading the source takes read.
      permission: on('create'),
      handler: async (ctx) => {
        const { type } = await typeOf(ctx, 'collectionType');
        const locale = localeParam(ctx);
        const documentId = documentIdOf(ctx);
        if (!DOCUMENT_ID_FORMAT.test(documentId))
          throw new ValidationError(`Invalid documentId "${documentId.slice(0, 64)}"`);
        const { entry, skipped } = await duplicateDocument(folio, { ...asker(ctx), uid: type.uid, documentId, locale });
        ctx.status = 201;
        await answerDocument(ctx, type, entry.documentId, locale, { skipped });
      },
    },
    ...(['publish', 'unpublish', 'discard'] as const).map((action) => ({
      method: 'post' as const,
      path: `/:uid/:documentId/actions/${action}`,
      // Unpublishing is part of publishing rights; discarding a draft is an edit of the draft.
      permission: on(action === 'discard' ? 'update' : 'publish'),
      handler: async (ctx: Context) => {
        const { type } = await typeOf(ctx);
        if (!type.draftAndPublish) throw new ApplicationError(`${type.displayName} has no draft & publish`);
        const locale = localeParam(ctx);
        const documentId = documentIdOf(ctx);
        await VERSION_OPERATIONS[action](folio, {
          ...asker(ctx),
          uid: type.uid,
          documentId,
          locale,
          ifMatch: ifMatchOf(ctx),
        });
        await answerDocument(ctx, type, documentId, locale);
      },
    })),
  ]);
}
