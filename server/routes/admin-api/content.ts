// /admin-api/content: the content manager's API, a thin adapter over the document engine
// (DocumentService for writes, QueryEngine for reads), like the Content API but for editors:
//   - reads see the DRAFT version of draft & publish types (what an editor works on), with the
//     document's state (`__status`: draft | published | modified) next to it;
//   - a role's CASL conditions are compiled into the SQL of every list and of every single-document
//     lookup (server/access/conditions-sql.ts), so an Author's totals count only their own entries and
//     a document outside the conditions is a 404, never loaded then hidden;
//   - field permissions strip unreadable fields from answers and refuse (403) writes naming others;
//     filters, sorts, searches, populates and relation labels see only the fields the caller may read
//     of each type on their path (readContext → the parser's canReadField).
// Entries are identified by documentId; the top-level `id` of an answer IS the documentId, so that
// react-admin's generic dataProvider addresses them like any other resource (README, "Content manager").
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { abilityOf } from '../../access/service.js';
import { permittedFields, type AppAbility } from '../../access/ability.js';
import type { Caller } from '../../access/caller.js';
import { SYSTEM_FIELDS, UID_SLUG } from '../../content/input.js';
import { slugify } from '../../slug.js';
import { isPrivate, mainFieldOf, SEARCHABLE_TYPES } from '../../schema/text-attributes.js';
import { QueryEngine } from '../../content/query/execute.js';
import { DEFAULT_LIMITS, parseContentQuery, parseQueryString, type ParseContext, type QueryLimits } from '../../content/query/parse.js';
import type { Entry } from '../../content/query/serialize.js';
import type { NodeSelection } from '../../content/query/ast.js';
import { toIsoDateTime } from '../../content/values.js';
import { restrict } from '../../content/operations/permissions.js';
import { updateDocument } from '../../content/operations/update-document.js';
import { createDocument } from '../../content/operations/create-document.js';
import { bulkDeleteDocuments, deleteDocument } from '../../content/operations/delete-documents.js';
import {
  bulkPublishDocuments, discardDraft, publishDocument, unpublishDocument,
} from '../../content/operations/publishing.js';
import { versionTag, type TaggedVersion } from '../../content/operations/version-tag.js';
import { editableStatus } from '../../content/documents.js';
import { ApplicationError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { LOCALE_PARAM_FORMAT } from '../../content/locales.js';
import type { Folio } from '../../folio.js';
import type { ComponentModel, ContentTypeModel, Field, SchemaModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { defineRoutes, type Permission } from '../define.js';
import { parseBody } from '../params.js';

export type DocumentState = 'draft' | 'published' | 'modified';
type ContentAction = 'read' | 'create' | 'update' | 'delete' | 'publish';

/** The permission of a route acting on the type named by the path (`:uid`). */
function on(action: ContentAction): (ctx: Context) => Permission {
  return (ctx) => ({ action, subject: String((ctx.params as { uid?: string }).uid ?? '') });
}

/** Keys an answer carries that a client may send back unchanged with the record: ignored on writes. */
const ECHOED_KEYS = new Set([...SYSTEM_FIELDS, '__status', '__publishedAt', '__locales']);

/** The fields of `type` whose component (or dynamic zone), at any nesting, holds component `uid`. */
function fieldsReaching(schema: SchemaModel, type: ContentTypeModel, uid: string): string[] {
  const holds = (componentUid: string, seen: Set<string>): boolean => {
    if (componentUid === uid) return true;
    const component = schema.components.get(componentUid);
    if (!component || seen.has(componentUid)) return false;
    seen.add(componentUid);
    return [...component.fields.values()].some((f) => componentsOf(f).some((c) => holds(c, seen)));
  };
  return [...type.fields.values()].filter((f) => componentsOf(f).some((c) => holds(c, new Set()))).map((f) => f.name);
}

function componentsOf(field: Field): string[] {
  return field.kind === 'component' ? [field.component] : field.kind === 'dynamiczone' ? field.components : [];
}

const LIST_KEYS = new Set(['page', 'pageSize', 'sort', 'q', 'filters', 'status', 'locale']);

const listSchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  sort: z.string().max(200).regex(/^[A-Za-z_][A-Za-z0-9_.]*(:(asc|desc|ASC|DESC))?(,[A-Za-z_][A-Za-z0-9_.]*(:(asc|desc|ASC|DESC))?)*$/, 'Expected field:asc or field:desc').optional(),
  q: z.string().max(200).optional(),
  status: z.enum(['draft', 'published', 'modified']).optional(),
  locale: z.string().regex(LOCALE_PARAM_FORMAT, 'Invalid locale').optional(),
});

const documentIdsBody = z.object({ documentIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Invalid documentId')).min(1).max(100) }).strict();

function queryError(issue: z.core.$ZodIssue | undefined): ValidationError {
  const key = String(issue?.path[0] ?? 'query');
  return ValidationError.query(`Invalid ${key}: ${issue?.message ?? 'bad value'}`, key, key);
}

function single(value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw ValidationError.query(`Invalid ${key}: expected one value`, key, key);
  return value;
}

/** `?locale=` of a document route (any other key is refused, like the Content API does). */
function localeParam(ctx: Context, allowed: readonly string[] = []): string | undefined {
  for (const key of Object.keys(ctx.query)) {
    if (key !== 'locale' && !allowed.includes(key)) throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
  }
  const locale = single(ctx.query.locale, 'locale');
  if (locale !== undefined && !LOCALE_PARAM_FORMAT.test(locale)) throw ValidationError.query('Invalid locale', 'locale', 'locale');
  return locale;
}

/** The admin actions on one version, by the path segment naming them. */
const VERSION_OPERATIONS = { publish: publishDocument, unpublish: unpublishDocument, discard: discardDraft } as const;

/** `If-Match`: the version (ETag) the editor read; absent, the write applies to whatever is current. */
function ifMatchOf(ctx: Context): string | undefined {
  return ctx.get('If-Match') || undefined;
}

function writeBody(ctx: Context): Record<string, unknown> {
  const body = ctx.request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ValidationError.fromErrors([{ path: [], message: 'The body must be a JSON object of fields', name: 'ValidationError' }]);
  }
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([key]) => !ECHOED_KEYS.has(key)));
}

/** `q`: contains (any case) in one of the text fields the caller may read (the Content API's _q, minus hidden fields). */
function searchFilter(type: ContentTypeModel, allowed: Set<string>, q: string): Record<string, unknown> {
  const fields = type.scalars.filter((f) => SEARCHABLE_TYPES.has(f.attribute.type) && !isPrivate(f) && allowed.has(f.name));
  if (!fields.length) return { id: { $lt: 0 } }; // nothing to search in: nothing matches
  return { $or: fields.map((f) => ({ [f.name]: { $containsi: q } })) };
}

export function adminContentRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/content' });
  const { documents, db } = folio;
  const limits: QueryLimits = { ...DEFAULT_LIMITS, maxPageSize: 100 };

  function callerOf(ctx: Context): Caller {
    const caller = ctx.state.caller;
    if (!caller) throw new ForbiddenError();
    return caller;
  }

  async function typeOf(ctx: Context, kind?: ContentTypeModel['kind']): Promise<{ schema: SchemaModel; type: ContentTypeModel }> {
    const schema = await folio.schema.current();
    const uid = String((ctx.params as { uid?: string }).uid ?? '');
    const type = schema.contentTypes.get(uid);
    if (!type || (kind && type.kind !== kind)) throw new NotFoundError(`No ${kind === 'singleType' ? 'single' : 'content'} type "${uid}"`);
    return { schema, type };
  }

  async function engine(schema: SchemaModel): Promise<QueryEngine> {
    return new QueryEngine({ db, dialect: folio.dialect, schema, defaultLocale: await folio.locales.defaultCode() });
  }

  const localeOf = async (type: ContentTypeModel, locale?: string) => (type.localized ? (locale ?? (await folio.locales.defaultCode())) : '');

  function readable(caller: Caller, type: ContentTypeModel): Set<string> {
    return new Set(permittedFields(abilityOf(caller), 'read', type.uid, [...type.fields.keys()]));
  }

  /**
   * How a caller's reads are parsed: the types it may read and, for every filter, sort, search,
   * field and populate segment at any depth, the attributes of that segment's type it may read.
   */
  async function readContext(caller: Caller, schema: SchemaModel): Promise<ParseContext> {
    const fields = new Map<string, Set<string>>();
    const readableOf = (uid: string): Set<string> => {
      let set = fields.get(uid);
      if (!set) {
        const type = schema.contentTypes.get(uid);
        set = type ? readable(caller, type) : new Set();
        fields.set(uid, set);
      }
      return set;
    };
    return {
      schema, limits, defaultLocale: await folio.locales.defaultCode(),
      canRead: (uid) => caller.can('read', uid),
      forbidden: (uid) => new ForbiddenError(`You may not read ${uid}`),
      canReadField: (uid, field) => readableOf(uid).has(field),
    };
  }

  /** What a relation shows of a target: its main field when the caller may read it, else the documentId alone. */
  function labelOf(caller: Caller, target: ContentTypeModel): { fields: string[] } {
    const main = mainFieldOf(target);
    return { fields: main && readable(caller, target).has(main) ? [main] : ['documentId'] };
  }

  /**
   * What a relation picker lists and shows. A caller who may write the relation field (create or
   * update it, as Strapi's picker) lists every target it could link — a write accepts any existing
   * target, whatever the caller may read of it — with the main field as label, even without read on
   * the target type: that is how an Author links a category. A caller who may only read lists the
   * targets its read conditions allow and sees, like anywhere else, only the fields it may read
   * (the documentId as label when the main field is hidden). `q` searches only what is shown or read.
   */
  function pickerAccess(caller: Caller, schema: SchemaModel, type: ContentTypeModel, via: string[], target: ContentTypeModel): {
    rows: 'all' | 'readable';
    canReadField: (uid: string, field: string) => boolean;
  } {
    const ability = abilityOf(caller);
    const all = [...type.fields.keys()];
    const mayLink = (['create', 'update'] as const).some((action) => {
      const writable = permittedFields(ability, action, type.uid, all);
      return via.some((f) => writable.includes(f));
    });
    const mayRead = caller.can('read', target.uid);
    if (!mayLink && !mayRead) throw new ForbiddenError(`You may not read ${target.uid}`);
    // Rows beyond the caller's read conditions show (and `q` searches) their label only.
    if (mayLink) {
      const main = mainFieldOf(target);
      return { rows: 'all', canReadField: (uid, field) => uid === target.uid && field === main };
    }
    const reads = readable(caller, target);
    return { rows: 'readable', canReadField: (uid, field) => uid === target.uid && reads.has(field) };
  }

  /** Populate spec reading every relation (readable targets only: main field), media and component, nested. */
  function populateOf(schema: SchemaModel, model: ContentTypeModel | ComponentModel, caller: Caller, only: Set<string> | null, depth = 1): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (depth > limits.populateDepth) return out;
    for (const field of model.fields.values()) {
      if (only && !only.has(field.name)) continue;
      if (field.kind === 'scalar' || isPrivate(field)) continue;
      if (field.kind === 'relation') {
        const target = schema.contentTypes.get(field.target);
        if (!target || !caller.can('read', target.uid)) continue;
        if (!field.owner && model.modelKind === 'component') continue;
        out[field.name] = labelOf(caller, target);
      } else if (field.kind === 'media') {
        out[field.name] = {};
      } else if (field.kind === 'component') {
        const component = schema.components.get(field.component);
        out[field.name] = component ? { populate: populateOf(schema, component, caller, null, depth + 1) } : {};
      } else {
        const on: Record<string, unknown> = {};
        for (const uid of field.components) {
          const component = schema.components.get(uid);
          if (component) on[uid] = { populate: populateOf(schema, component, caller, null, depth + 1) };
        }
        out[field.name] = { on };
      }
    }
    return out;
  }

  /**
   * Related entries are shown only when the role may read them (its conditions, at every level):
   * an Author does not see the titles of other people's entries through a relation. Writes from
   * the dashboard send relation changes as connect/disconnect, so links it does not show are kept.
   */
  function restrictPopulate(selection: NodeSelection, ability: AppAbility): void {
    for (const item of selection.populate.values()) {
      if (item.kind === 'relation') {
        const target = item.target;
        item.where = (qb, alias) => restrict(qb, ability, 'read', target, alias);
        restrictPopulate(item.selection, ability);
      } else if (item.kind === 'component') {
        for (const nested of item.components.values()) restrictPopulate(nested, ability);
      }
    }
  }

  /** documentId → state of its editable versions in `locale` (one statement for the whole page). */
  async function statesOf(type: ContentTypeModel, locale: string, entries: { documentId: string; updatedAt: string | null }[]): Promise<Map<string, { state: DocumentState; publishedAt: string | null }>> {
    const out = new Map<string, { state: DocumentState; publishedAt: string | null }>();
    if (!type.draftAndPublish) {
      for (const e of entries) out.set(e.documentId, { state: 'published', publishedAt: e.updatedAt });
      return out;
    }
    const ids = entries.map((e) => e.documentId);
    const published = ids.length
      ? ((await db(type.table).whereIn(S.documentId, ids).where(S.locale, locale).where(S.status, 'published')
        .select(S.documentId, S.updatedAt, S.publishedAt)) as Record<string, unknown>[])
      : [];
    const byId = new Map(published.map((r) => [String(r[S.documentId]), r]));
    for (const e of entries) {
      const row = byId.get(e.documentId);
      if (!row) {
        out.set(e.documentId, { state: 'draft', publishedAt: null });
        continue;
      }
      const publishedUpdate = Date.parse(toIsoDateTime(row[S.updatedAt]) ?? '');
      const draftUpdate = Date.parse(e.updatedAt ?? '');
      out.set(e.documentId, { state: draftUpdate > publishedUpdate ? 'modified' : 'published', publishedAt: toIsoDateTime(row[S.publishedAt]) });
    }
    return out;
  }

  /** The shape of an admin answer: id = documentId, unreadable fields stripped, document state added. */
  function present(entry: Entry, allowed: Set<string>, state: { state: DocumentState; publishedAt: string | null } | undefined, type: ContentTypeModel): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (type.fields.has(key) && !allowed.has(key)) continue;
      out[key] = value;
    }
    out.id = entry.documentId;
    out.__status = state?.state ?? 'draft';
    out.__publishedAt = state?.publishedAt ?? null;
    return out;
  }

  /** One document's editable version as the editor sees it: relations, media and components populated. */
  async function readDocument(caller: Caller, schema: SchemaModel, type: ContentTypeModel, documentId: string, locale: string | undefined): Promise<Record<string, unknown>> {
    const allowed = readable(caller, type);
    const ability = abilityOf(caller);
    const query = parseContentQuery(type, {
      status: editableStatus(type),
      ...(locale ? { locale } : {}),
      populate: populateOf(schema, type, caller, allowed),
    }, await readContext(caller, schema), { single: true });
    query.where = (qb, alias) => restrict(qb, ability, 'read', type, alias);
    restrictPopulate(query.selection, ability);
    const entry = await (await engine(schema)).findOne(query, documentId);
    if (!entry) throw new NotFoundError(`No ${type.singularName} with documentId "${documentId}"`);
    // Private attributes are for the Content API's public; editors see and edit them (not passwords).
    const raw = await documents.findOne(type.uid, documentId, { locale, status: editableStatus(type) });
    for (const field of type.scalars) {
      if (field.attribute.private === true && field.attribute.type !== 'password' && raw) entry[field.name] = raw.values[field.name] as Entry[string];
    }
    const states = await statesOf(type, await localeOf(type, locale), [{ documentId, updatedAt: typeof entry.updatedAt === 'string' ? entry.updatedAt : null }]);
    const out = present(entry, allowed, states.get(documentId), type);
    if (type.localized) {
      // The locales this document has a version in, for the locale switcher.
      const rows = (await db(type.table).where(S.documentId, documentId).where(S.status, editableStatus(type)).distinct(S.locale).orderBy(S.locale)) as Record<string, unknown>[];
      out.__locales = rows.map((r) => String(r[S.locale]));
    }
    return out;
  }

  /** The answer to a single-document read or write, with the ETag of the version it shows. */
  function answerDocument(ctx: Context, document: Record<string, unknown>): void {
    ctx.set('ETag', versionTag(document as unknown as TaggedVersion));
    ctx.body = { data: document };
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
        const caller = callerOf(ctx);
        const schema = await folio.schema.current();
        const actions: ContentAction[] = ['read', 'create', 'update', 'delete', 'publish'];
        const types = [...schema.contentTypes.values()].filter((t) => caller.can('read', t.uid)).map((t) => {
          const allowed = readable(caller, t);
          return {
            uid: t.uid,
            kind: t.kind,
            singularName: t.singularName,
            pluralName: t.pluralName,
            displayName: t.displayName,
            draftAndPublish: t.draftAndPublish,
            localized: t.localized,
            mainField: mainFieldOf(t),
            actions: actions.filter((a) => caller.can(a, t.uid)),
            attributes: Object.fromEntries(Object.entries(t.definition.attributes).filter(([name]) => allowed.has(name))),
          };
        });
        // Localized types: the configured locales (default first, Settings › Locales) and any other
        // still in use, for the locale switcher.
        // list() puts the default locale first.
        const configured = (await folio.locales.list()).map((l) => l.code);
        for (const t of types) {
          const model = schema.contentTypes.get(t.uid);
          if (!model?.localized) continue;
          const rows = (await db(model.table).distinct(S.locale).orderBy(S.locale)) as Record<string, unknown>[];
          (t as { locales?: string[] }).locales = [...new Set([...configured, ...rows.map((r) => String(r[S.locale])).filter(Boolean)])];
        }
        const components = [...schema.components.values()].map((c) => ({ uid: c.uid, displayName: c.displayName, attributes: c.definition.attributes }));
        ctx.body = { data: { contentTypes: types, components } };
      },
    },
    {
      method: 'get',
      path: '/single-types/:uid',
      permission: on('read'),
      handler: async (ctx) => {
        const { schema, type } = await typeOf(ctx, 'singleType');
        const locale = localeParam(ctx);
        const documentId = await documents.singleDocumentId(type.uid);
        if (!documentId) {
          ctx.body = { data: null };
          return;
        }
        try {
          answerDocument(ctx, await readDocument(callerOf(ctx), schema, type, documentId, locale));
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
        const caller = callerOf(ctx);
        const { schema, type } = await typeOf(ctx, 'singleType');
        const locale = localeParam(ctx);
        const data = writeBody(ctx);
        const existing = await documents.singleDocumentId(type.uid);
        // A locale the document does not have yet is created by the update, through a version
        // within the caller's conditions.
        const written = existing
          ? await updateDocument(folio, {
            ...asker(ctx), uid: type.uid, documentId: existing, locale, data, ifMatch: ifMatchOf(ctx),
          })
          : await createDocument(folio, { ...asker(ctx), uid: type.uid, locale, data, status: 'draft' });
        answerDocument(ctx, await readDocument(caller, schema, type, written.documentId, locale));
      },
    },
    {
      method: 'get',
      path: '/:uid',
      permission: on('read'),
      handler: async (ctx) => {
        const caller = callerOf(ctx);
        const { schema, type } = await typeOf(ctx, 'collectionType');
        const raw = parseQueryString(ctx.querystring);
        for (const key of Object.keys(raw)) if (!LIST_KEYS.has(key)) throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
        const { filters, ...rest } = raw;
        const parsed = listSchema.safeParse(rest);
        if (!parsed.success) throw queryError(parsed.error.issues[0]);
        const { page, pageSize, sort, q, status, locale } = parsed.data;
        const allowed = readable(caller, type);
        // Sorting, filtering or searching on an unreadable field, at any depth, would leak its
        // values: the parser refuses them (400) through readContext's canReadField.
        const search = q?.trim() ? searchFilter(type, allowed, q.trim()) : undefined;
        const where = search && filters !== undefined ? { $and: [filters, search] } : (search ?? filters);
        // To-one relations the role may read come with the list (documentId and main field), for
        // its columns: one batched statement per relation, whatever the page size.
        const toOne: Record<string, unknown> = {};
        for (const field of type.fields.values()) {
          if (field.kind !== 'relation' || field.toMany || !allowed.has(field.name) || !caller.can('read', field.target)) continue;
          const target = schema.contentTypes.get(field.target);
          if (target) toOne[field.name] = labelOf(caller, target);
        }
        const query = parseContentQuery(type, {
          status: editableStatus(type),
          ...(locale ? { locale } : {}),
          ...(where !== undefined ? { filters: where } : {}),
          ...(Object.keys(toOne).length ? { populate: toOne } : {}),
          sort: sort ?? 'updatedAt:desc',
          pagination: { page: String(page), pageSize: String(pageSize) },
        }, await readContext(caller, schema));
        const ability = abilityOf(caller);
        restrictPopulate(query.selection, ability);
        const scopeLocale = await localeOf(type, locale);
        query.where = (qb, alias) => {
          restrict(qb, ability, 'read', type, alias);
          if (status && type.draftAndPublish) {
            // The state is how the draft row relates to the published row of the same document.
            const sub = db.from({ p: type.table }).select(db.raw('1'))
              .whereRaw('?? = ??', [`p.${S.documentId}`, `${alias}.${S.documentId}`])
              .where(`p.${S.locale}`, scopeLocale).where(`p.${S.status}`, 'published');
            if (status === 'draft') qb.whereNotExists(sub);
            else if (status === 'modified') qb.whereExists(sub.whereRaw('?? < ??', [`p.${S.updatedAt}`, `${alias}.${S.updatedAt}`]));
            else qb.whereExists(sub.whereRaw('?? >= ??', [`p.${S.updatedAt}`, `${alias}.${S.updatedAt}`]));
          } else if (status && status !== 'published') {
            qb.whereRaw('1 = 0'); // without draft & publish everything is published
          }
        };
        const result = await (await engine(schema)).find(query);
        const states = await statesOf(type, scopeLocale, result.data.map((e) => ({ documentId: String(e.documentId), updatedAt: typeof e.updatedAt === 'string' ? e.updatedAt : null })));
        ctx.body = { data: result.data.map((e) => present(e, allowed, states.get(String(e.documentId)), type)), meta: result.meta };
      },
    },
    {
      method: 'post',
      path: '/:uid',
      permission: on('create'),
      handler: async (ctx) => {
        const caller = callerOf(ctx);
        const { schema, type } = await typeOf(ctx, 'collectionType');
        const locale = localeParam(ctx);
        const data = writeBody(ctx);
        const created = await createDocument(folio, { ...asker(ctx), uid: type.uid, locale, data, status: 'draft' });
        ctx.status = 201;
        answerDocument(ctx, await readDocument(caller, schema, type, created.documentId, locale));
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
          ...asker(ctx), uid: type.uid, documentIds, locale: type.localized ? locale : undefined,
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
        const { schema, type } = await typeOf(ctx);
        const raw = parseQueryString(ctx.querystring);
        for (const key of Object.keys(raw)) {
          if (!['q', 'page', 'pageSize', 'component'].includes(key)) throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
        }
        const parsed = z.object({
          q: z.string().max(200).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
          component: z.string().max(200).optional(),
        }).safeParse(raw);
        if (!parsed.success) throw queryError(parsed.error.issues[0]);
        const { q, page, pageSize, component } = parsed.data;
        const name = String((ctx.params as { field: string }).field);
        let model: ContentTypeModel | ComponentModel = type;
        if (component) {
          const found = schema.components.get(component);
          if (!found) throw ValidationError.query(`Unknown component ${component}`, 'component', 'component');
          model = found;
        }
        const field: Field | undefined = model.fields.get(name);
        if (field?.kind !== 'relation') throw new NotFoundError(`${model.uid} has no relation "${name}"`);
        // The type's own fields the relation is reached through: itself, or the fields holding its component.
        const via = model === type ? [name] : fieldsReaching(schema, type, model.uid);
        if (!via.length) throw new NotFoundError(`${type.uid} has no component ${model.uid}`);
        if (!via.some((f) => readable(caller, type).has(f))) throw new ForbiddenError(`You may not read ${type.uid}.${name}`);
        const target = schema.contentTypes.get(field.target);
        if (!target) throw new NotFoundError(`Unknown target type ${field.target}`);
        const picker = pickerAccess(caller, schema, type, via, target);
        const main = mainFieldOf(target);
        const label = main && picker.canReadField(target.uid, main) ? main : null;
        const query = parseContentQuery(target, {
          status: editableStatus(target),
          fields: label ? [label] : [],
          sort: label ? `${label}:asc` : 'id:asc',
          ...(q ? { _q: q } : {}),
          pagination: { page: String(page), pageSize: String(pageSize) },
        }, { ...(await readContext(caller, schema)), canReadField: picker.canReadField });
        if (picker.rows === 'readable') {
          const ability = abilityOf(caller);
          query.where = (qb, alias) => restrict(qb, ability, 'read', target, alias);
        }
        const result = await (await engine(schema)).find(query);
        const states = await statesOf(target, await localeOf(target), result.data.map((e) => ({ documentId: String(e.documentId), updatedAt: null })));
        ctx.body = {
          data: result.data.map((e) => ({
            id: String(e.documentId),
            documentId: String(e.documentId),
            label: label && e[label] !== null && e[label] !== undefined && e[label] !== '' ? String(e[label]) : String(e.documentId),
            __status: states.get(String(e.documentId))?.state ?? 'draft',
          })),
          meta: { ...result.meta, target: target.uid, mainField: label },
        };
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
          if (!['field', 'value', 'from', 'documentId', 'locale'].includes(key)) throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
        }
        const parsed = z.object({
          field: z.string().max(191),
          value: z.string().max(255).optional(),
          from: z.string().max(1000).optional(),
          documentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
          locale: z.string().regex(LOCALE_PARAM_FORMAT).optional(),
        }).safeParse(raw);
        if (!parsed.success) throw queryError(parsed.error.issues[0]);
        const { field: name, value, from, documentId, locale } = parsed.data;
        const field = type.fields.get(name);
        if (field?.kind !== 'scalar' || field.attribute.type !== 'uid' || !readable(caller, type).has(name)) {
          throw ValidationError.query(`${name} is not a uid attribute of ${type.uid}`, 'field', 'field');
        }
        // Taken = used by another document's editable version in the same locale (uniqueness holds
        // per locale and status; the draft is what the editor is about to publish), among the rows
        // the caller may read: the answer must not tell whether entries it cannot read use a value
        // (a title oracle). Such a clash is only learnt from the write's "already taken".
        const ability = abilityOf(caller);
        const scopeLocale = await localeOf(type, locale);
        const taken = async (candidate: string) => {
          const qb = db.from({ t0: type.table }).where(`t0.${field.column}`, candidate).where(`t0.${S.locale}`, scopeLocale)
            .where(`t0.${S.status}`, editableStatus(type)).first(`t0.${S.id}`);
          if (documentId) qb.whereNot(`t0.${S.documentId}`, documentId);
          restrict(qb, ability, 'read', type, 't0');
          return Boolean(await qb);
        };
        const base = slugify(from ?? value ?? '', UID_SLUG) || (value ? '' : 'entry');
        let suggestion: string | null = null;
        if (base) {
          for (let i = 0; i < 1000 && suggestion === null; i++) {
            const candidate = i === 0 ? base : `${base}-${i}`;
            if (!(await taken(candidate))) suggestion = candidate;
          }
        }
        ctx.body = { data: { field: name, value: value ?? null, available: value === undefined || value === '' ? null : !(await taken(value)), suggestion } };
      },
    },
    {
      method: 'get',
      path: '/:uid/:documentId',
      permission: on('read'),
      handler: async (ctx) => {
        const { schema, type } = await typeOf(ctx);
        const locale = localeParam(ctx);
        const documentId = String((ctx.params as { documentId: string }).documentId);
        answerDocument(ctx, await readDocument(callerOf(ctx), schema, type, documentId, locale));
      },
    },
    {
      method: 'put',
      path: '/:uid/:documentId',
      permission: on('update'),
      handler: async (ctx) => {
        const caller = callerOf(ctx);
        const { schema, type } = await typeOf(ctx);
        const locale = localeParam(ctx);
        const documentId = String((ctx.params as { documentId: string }).documentId);
        const data = writeBody(ctx);
        const ifMatch = ifMatchOf(ctx);
        await updateDocument(folio, { ...asker(ctx), uid: type.uid, documentId, locale, data, ifMatch });
        answerDocument(ctx, await readDocument(caller, schema, type, documentId, locale));
      },
    },
    {
      method: 'delete',
      path: '/:uid/:documentId',
      permission: on('delete'),
      handler: async (ctx) => {
        const caller = callerOf(ctx);
        const { schema, type } = await typeOf(ctx);
        const locale = localeParam(ctx);
        const documentId = String((ctx.params as { documentId: string }).documentId);
        // Answered with what was deleted (react-admin's delete convention).
        const before = await readDocument(caller, schema, type, documentId, locale);
        await deleteDocument(folio, {
          ...asker(ctx), uid: type.uid, documentId, locale: type.localized ? locale : undefined,
        });
        ctx.body = { data: before };
      },
    },
    ...(['publish', 'unpublish', 'discard'] as const).map((action) => ({
      method: 'post' as const,
      path: `/:uid/:documentId/actions/${action}`,
      // Unpublishing is part of publishing rights; discarding a draft is an edit of the draft.
      permission: on(action === 'discard' ? 'update' : 'publish'),
      handler: async (ctx: Context) => {
        const caller = callerOf(ctx);
        const { schema, type } = await typeOf(ctx);
        if (!type.draftAndPublish) throw new ApplicationError(`${type.displayName} has no draft & publish`);
        const locale = localeParam(ctx);
        const documentId = String((ctx.params as { documentId: string }).documentId);
        const request = { ...asker(ctx), uid: type.uid, documentId, locale, ifMatch: ifMatchOf(ctx) };
        await VERSION_OPERATIONS[action](folio, request);
        answerDocument(ctx, await readDocument(caller, schema, type, documentId, locale));
      },
    })),
  ]);
}
