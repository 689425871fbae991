// The Content API's reads as operations: `find` (a list, or a single type's entry) and `findOne` of
// one type, as a caller (the Public role, an API token), through the query engine and its compiled
// statements. The route (routes/content-api.ts) resolves the type from the path and checks the
// caller's `find` / `findOne` on it (deny by default, a 404 before any 403); the operation checks it
// again, and what the query string asks beyond it: every populated or filtered type needs `find`
// (403), and a draft read needs `findDrafts`. A member role's field allowlists and own-entry
// conditions apply at every level (readContext, restrictRows). HTTP stays in the route (the response
// cache, ETag, 304).
//
// A preview token's caller (`caller.document`) reads one document: another documentId, locale or type
// is a 401 (refusal()), a list holds that document alone, and no relation may be populated or
// filtered through (its targets are other documents, which the token does not open).
import type { Knex } from 'knex';
import { refusal, type Caller } from '../../access/caller.js';
import { tagsOf, type TaggedCache } from '../../cache/index.js';
import type { DialectName } from '../../db/connection.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../../errors.js';
import type { ContentTypeModel, SchemaModel } from '../../schema/model.js';
import { QueryEngine, type FindResult, type ListObserver } from '../query/execute.js';
import { renderHtml } from '../render/index.js';
import { planMemberRead, populateMembers } from './member-reads.js';
import { parseContentQuery, parseQueryString, type ParseContext, type QueryLimits } from '../query/parse.js';
import type { Entry } from '../query/serialize.js';
import { allOf, type ColumnRef, type ContentQuery, type NodeSelection } from '../query/ast.js';
import { isEncrypted } from '../../schema/text-attributes.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import type { DocumentScope } from '../../access/caller.js';
import type { FieldCipher } from '../../encryption/cipher.js';
import { apiReadableFields, rowFilter } from './permissions.js';
import { restrictRelations } from './relation-conditions.js';
import { restrictPopulate } from './read-as-editor.js';

export interface FindDeps {
  db: Knex;
  dialect: DialectName;
  /** Read replicas: published reads may go there; drafts are read from the primary. */
  reads: { forRead(tags: ReadonlySet<string>): Knex };
  cache: { counts?: TaggedCache<number>; positions?: TaggedCache<number> };
  /** The query advisor, told the duration of every list read (server/performance/). */
  advisor?: { observer?: ListObserver };
  /** Decrypts the encrypted fields the caller may read (server/encryption/). */
  cipher?: FieldCipher;
}

export interface FindRequest {
  caller: Caller | undefined;
  schema: SchemaModel;
  type: ContentTypeModel;
  /** The raw query string (`populate`, `filters`, `status`, …), parsed here. */
  querystring: string;
  limits: QueryLimits;
  defaultLocale: string;
  /** findOne of a collection type; absent: `find` (a single type's `find` answers its one entry). */
  documentId?: string;
}

export interface FindAnswer {
  /** `{ data, meta }` as the Content API answers it. */
  body: FindResult | { data: Entry; meta: Record<string, never> };
  /** A draft read (never stored in shared caches). */
  draft: boolean;
  /** The content types the answer was read from (the response cache's invalidation tags). */
  tags: Set<string>;
  /** It selects encrypted fields: their plaintext is never stored in a response cache (Redis included). */
  sensitive: boolean;
}

/** Whether `selection` (at any populated depth) reads an encrypted attribute. */
export function selectsEncrypted(selection: NodeSelection): boolean {
  for (const f of selection.fields) {
    const field = selection.model.fields.get(f.name);
    if (field?.kind === 'scalar' && isEncrypted(field.attribute)) return true;
  }
  for (const item of selection.populate.values()) {
    if (item.kind === 'relation' && selectsEncrypted(item.selection)) return true;
    if (item.kind === 'component' && [...item.components.values()].some(selectsEncrypted)) return true;
  }
  return false;
}

const DOCUMENT_ID: ColumnRef = { name: 'documentId', column: S.documentId, type: 'string' };

/** A preview token's read: its document in its locale, whatever the request asks (401 beyond it). */
function confine(query: ContentQuery, scope: DocumentScope, documentId: string | undefined): void {
  const outside =
    scope.uid !== query.type.uid ||
    (documentId !== undefined && documentId !== scope.documentId) ||
    (query.type.localized && query.locale !== scope.locale);
  if (outside) throw new UnauthorizedError('This preview token does not open this document');
  query.filter = allOf(query.filter, { kind: 'compare', column: DOCUMENT_ID, op: '$eq', value: scope.documentId });
}

/**
 * How the query string is parsed for this caller: the types it may populate or filter through
 * (`find` on them), and of each the attributes its field allowlists open — of the type read, those
 * of its own action (`find` or `findOne`, and `findDrafts` for a draft read); of the others, `find`'s.
 * Hidden attributes are left out of answers, and naming one in `fields`, `filters`, `sort` or
 * `populate`, at any depth, is a 400: a filter on a hidden field would tell its value.
 */
function readContext(request: FindRequest, caller: Caller, actions: readonly string[]): ParseContext {
  const { schema, type } = request;
  const readable = new Map<string, Set<string>>();
  const fieldsOf = (uid: string): Set<string> => {
    let set = readable.get(uid);
    if (!set) {
      const model = schema.contentTypes.get(uid);
      set = model ? apiReadableFields(caller, model, uid === type.uid ? actions : ['find']) : new Set<string>();
      readable.set(uid, set);
    }
    return set;
  };
  return {
    schema,
    limits: request.limits,
    defaultLocale: request.defaultLocale,
    canRead: (uid) => caller.document === undefined && caller.can('find', uid),
    forbidden: (uid) => refusal(caller, `You may not read ${uid}`),
    canReadField: (uid, field) => fieldsOf(uid).has(field),
  };
}

/**
 * The caller's row conditions (a member's `:own` reads) in the query's SQL: on the type read, for
 * its action (and `findDrafts` on a draft read: "own drafts"), and on every related type reached by
 * a filter, a sort or a populate (`find`): another's entry is no entry, a findOne of it a 404.
 */
function restrictRows(query: ContentQuery, caller: Caller, schema: SchemaModel, actions: readonly string[]): void {
  query.filter = allOf(query.filter, ...actions.map((action) => rowFilter(caller, action, query.type)));
  restrictRelations(query, caller, schema, 'find');
  restrictPopulate(query.selection, caller, new Map(), 'find');
}

/** Reads one type as the Content API does; 404 when a single entry asked for does not exist. */
export async function findDocuments(deps: FindDeps, request: FindRequest): Promise<FindAnswer> {
  const { caller, schema, type, defaultLocale } = request;
  const single = request.documentId !== undefined || type.kind === 'singleType';
  const action = request.documentId !== undefined ? 'findOne' : 'find';
  // The route declares the same permission (a 404 for an unknown type comes first there); checked
  // again here so that a direct call holds the same rule. Strapi 5's bare "Forbidden".
  if (!caller || !caller.can(action, type.uid)) throw refusal(caller, 'Forbidden');
  const requested = parseQueryString(request.querystring);
  // Checked before parsing (the parser takes `status` as it is): a draft read's fields are also
  // held to findDrafts' allowlist, which a caller without findDrafts would lack altogether.
  const actions = requested.status === 'draft' ? [action, 'findDrafts'] : [action];
  if (actions.includes('findDrafts') && !caller.can('findDrafts', type.uid)) {
    throw refusal(caller, 'You may not read drafts of this type');
  }
  // Relations to the site members are read around the engine (member-reads.ts).
  const members = await planMemberRead(deps.db, schema, type, requested, caller, request.limits.inItems);
  const context = readContext(request, caller, actions);
  // A member field outside the caller's allowlist is never answered (the engine leaves it out, so
  // there is nothing to populate); naming it, as for any hidden field, is a 400.
  const hidden = members.populate.find((f) => !context.canReadField?.(type.uid, f.name));
  if (hidden && requested.populate !== '*')
    throw ValidationError.query(`Invalid key ${hidden.name}`, 'populate', hidden.name);
  const query = parseContentQuery(type, members.raw, context, { single });
  restrictRows(query, caller, schema, actions);
  if (caller.document) confine(query, caller.document, request.documentId);
  const draft = query.status === 'draft' && type.draftAndPublish;
  const tags = tagsOf(query);
  // Drafts are what editors just wrote: always from the primary.
  const db = draft ? deps.db : deps.reads.forRead(tags);
  const engine = new QueryEngine({
    db,
    dialect: deps.dialect,
    schema,
    defaultLocale,
    counts: deps.cache.counts,
    positions: deps.cache.positions,
    observer: deps.advisor?.observer,
    cipher: deps.cipher,
  });
  if (!single) {
    const found = await engine.find(query);
    if (query.render) renderHtml(found.data, query.selection);
    await populateMembers(db, found.data, members.populate);
    return { body: found, draft, tags, sensitive: selectsEncrypted(query.selection) || members.personal };
  }
  const entry = await engine.findOne(query, request.documentId);
  if (!entry) throw new NotFoundError('Not Found');
  if (query.render) renderHtml([entry], query.selection);
  await populateMembers(db, [entry], members.populate);
  return {
    body: { data: entry, meta: {} },
    draft,
    tags,
    sensitive: selectsEncrypted(query.selection) || members.personal,
  };
}
