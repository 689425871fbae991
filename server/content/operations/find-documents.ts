// The Content API's reads as operations: `find` (a list, or a single type's entry) and `findOne` of
// one type, as a caller (the Public role, an API token), through the query engine and its compiled
// statements. The route (routes/content-api.ts) resolves the type from the path and checks the
// caller's `find` / `findOne` on it (deny by default, a 404 before any 403); the operation checks it
// again, and what the query string asks beyond it: every populated or filtered type needs `find`
// (403), and a draft read needs `findDrafts`. HTTP stays in the route (the response cache, ETag, 304).
//
// A preview token's caller (`caller.document`) reads one document: another documentId, locale or type
// is a 401 (refusal()), a list holds that document alone, and no relation may be populated or
// filtered through (its targets are other documents, which the token does not open).
import type { Knex } from 'knex';
import { refusal, type Caller } from '../../access/caller.js';
import { tagsOf, type TaggedCache } from '../../cache/index.js';
import type { DialectName } from '../../db/connection.js';
import { NotFoundError, UnauthorizedError } from '../../errors.js';
import type { ContentTypeModel, SchemaModel } from '../../schema/model.js';
import { QueryEngine, type FindResult, type ListObserver } from '../query/execute.js';
import { renderHtml } from '../render/index.js';
import { planMemberRead, populateMembers } from './member-reads.js';
import { parseContentQuery, parseQueryString, type QueryLimits } from '../query/parse.js';
import type { Entry } from '../query/serialize.js';
import { allOf, type ColumnRef, type ContentQuery, type NodeSelection } from '../query/ast.js';
import { isEncrypted } from '../../schema/text-attributes.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import type { DocumentScope } from '../../access/caller.js';
import type { FieldCipher } from '../../encryption/cipher.js';

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

/** Reads one type as the Content API does; 404 when a single entry asked for does not exist. */
export async function findDocuments(deps: FindDeps, request: FindRequest): Promise<FindAnswer> {
  const { caller, schema, type, defaultLocale } = request;
  const single = request.documentId !== undefined || type.kind === 'singleType';
  // The route declares the same permission (a 404 for an unknown type comes first there); checked
  // again here so that a direct call holds the same rule. Strapi 5's bare "Forbidden".
  if (caller?.can(request.documentId !== undefined ? 'findOne' : 'find', type.uid) !== true) {
    throw refusal(caller, 'Forbidden');
  }
  // Relations to the site members are read around the engine (member-reads.ts).
  const members = await planMemberRead(
    deps.db,
    schema,
    type,
    parseQueryString(request.querystring),
    caller,
    request.limits.inItems,
  );
  const query = parseContentQuery(
    type,
    members.raw,
    {
      schema,
      limits: request.limits,
      defaultLocale,
      canRead: (uid) => caller?.document === undefined && caller?.can('find', uid) === true,
      forbidden: (uid) => refusal(caller, `You may not read ${uid}`),
    },
    { single },
  );
  if (query.status === 'draft' && caller?.can('findDrafts', type.uid) !== true) {
    throw refusal(caller, 'You may not read drafts of this type');
  }
  if (caller?.document) confine(query, caller.document, request.documentId);
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
