// The query string of Strapi's `GET /api/users` and `/api/users/count` (docs/members.md): `filters`,
// `sort`, `start`/`limit`, `pagination[page|pageSize]` and `populate=role`. Members are not a content
// type, but their public fields are described here as one (MEMBER_QUERY_MODEL), so the Content API's
// parser and compiler (content/query/) read and compile them: one grammar, the same operators, the same
// 400s. Only the public fields exist in that model, so a password, a code or the token version can be
// neither filtered nor sorted (400 `Invalid key`), whatever the caller holds.
import type { Knex } from 'knex';
import { dialectOf } from '../db/connection.js';
import { ValidationError } from '../errors.js';
import { DEFAULT_LIMITS, parseContentQuery, type ParseContext } from '../content/query/parse.js';
import { Compiler, applyRowFilter } from '../content/query/compile.js';
import type { Filter, Pagination, SortItem, SqlValue } from '../content/query/ast.js';
import type { ContentTypeModel, Field, RelationField, ScalarField, SchemaModel } from '../schema/model.js';
import type { ScalarAttribute } from '../schema/types.js';
import { populateRole } from './bodies.js';

const MEMBER_UID = 'folio::member';
const ROLE_UID = 'folio::member-role';

function scalar(name: string, column: string, type: ScalarAttribute['type']): ScalarField {
  return { kind: 'scalar', name, column, attribute: { type } as ScalarAttribute };
}

/**
 * The members' times are epoch milliseconds (bigInteger columns), not datetimes: they are typed
 * `datetime` here so that a filter takes ISO strings, and their values become milliseconds before
 * compiling (epochMillis).
 */
const TIMES = [scalar('createdAt', 'created_at', 'datetime'), scalar('updatedAt', 'updated_at', 'datetime')];

/** A model over a Folio table that is not a content type: only what the parser and compiler read. */
function tableModel(uid: string, table: string, fields: Field[]): ContentTypeModel {
  const scalars = fields.filter((f): f is ScalarField => f.kind === 'scalar');
  return {
    modelKind: 'contentType',
    uid,
    kind: 'collectionType',
    singularName: uid,
    pluralName: uid,
    displayName: uid,
    draftAndPublish: false,
    localized: false,
    table,
    fields: new Map(fields.map((f) => [f.name, f])),
    scalars,
    definition: {
      kind: 'collectionType',
      info: { singularName: uid, pluralName: uid, displayName: uid },
      attributes: {},
    },
  };
}

/** `role`: a member's role, held as `role_id`; filters through it are resolved to role ids (roleIds). */
const ROLE_FIELD: RelationField = {
  kind: 'relation',
  name: 'role',
  attribute: { type: 'relation', relation: 'manyToOne', target: ROLE_UID },
  target: ROLE_UID,
  toMany: false,
  owner: true,
  linkTable: '',
  ownerType: MEMBER_UID,
  ownerField: 'role',
};

export const MEMBER_QUERY_MODEL = tableModel(MEMBER_UID, 'folio_members', [
  scalar('username', 'username', 'string'),
  scalar('email', 'email', 'email'),
  scalar('provider', 'provider', 'string'),
  scalar('confirmed', 'confirmed', 'boolean'),
  scalar('blocked', 'blocked', 'boolean'),
  ...TIMES,
  // Strapi answers a user's publishedAt; a member is published when it is created (toMemberJson).
  scalar('publishedAt', 'created_at', 'datetime'),
  ROLE_FIELD,
]);

const ROLE_QUERY_MODEL = tableModel(ROLE_UID, 'folio_member_roles', [
  scalar('name', 'name', 'string'),
  scalar('description', 'description', 'string'),
  scalar('type', 'code', 'string'),
  ...TIMES,
]);

const QUERY_SCHEMA: SchemaModel = {
  contentTypes: new Map([
    [MEMBER_UID, MEMBER_QUERY_MODEL],
    [ROLE_UID, ROLE_QUERY_MODEL],
  ]),
  byRoute: new Map(),
  components: new Map(),
  document: { contentTypes: {}, components: {} },
};

/** A parsed members read: which members (filter, sort, window) and whether to add their role. */
export interface MemberQuery {
  filter: Filter | null;
  sort: SortItem[];
  limit: number;
  offset: number;
  populateRole: boolean;
}

const LIST_KEYS = new Set(['filters', 'sort', 'pagination', 'start', 'limit', 'populate']);
const COUNT_KEYS = new Set(['filters']);
const ONE_KEYS = new Set(['populate']);

function windowOf(pagination: Pagination): { limit: number; offset: number } {
  return pagination.style === 'offset'
    ? { limit: pagination.limit, offset: pagination.start }
    : { limit: pagination.pageSize, offset: (pagination.page - 1) * pagination.pageSize };
}

/**
 * Parses a members read. `kind` decides the keys it takes: a list all of them, a count `filters`,
 * one member (and `/users/me`) `populate` only; any other key is a 400. Without pagination a list
 * answers up to `maxPageSize` members (Strapi's answers every user; Folio caps every list).
 */
export function parseMemberQuery(raw: Record<string, unknown>, kind: 'list' | 'count' | 'one', maxPageSize: number) {
  const allowed = kind === 'list' ? LIST_KEYS : kind === 'count' ? COUNT_KEYS : ONE_KEYS;
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
  }
  const { start, limit, populate, ...rest } = raw;
  // Strapi's users route reads `start`/`limit` at the top level (its entity service's); the
  // Content API's parser reads them inside `pagination`, where mixing them with page/pageSize is refused.
  if (start !== undefined || limit !== undefined) {
    const pagination = typeof rest.pagination === 'object' && rest.pagination !== null ? rest.pagination : {};
    rest.pagination = { ...pagination, start, limit };
  }
  const ctx: ParseContext = {
    schema: QUERY_SCHEMA,
    limits: { ...DEFAULT_LIMITS, maxPageSize, defaultPageSize: maxPageSize },
    defaultLocale: '',
    canRead: () => true,
    forbidden: () => new ValidationError('Forbidden'),
  };
  const parsed = parseContentQuery(MEMBER_QUERY_MODEL, rest, ctx);
  const through = parsed.sort.find((item) => item.via.length > 0);
  if (through)
    throw ValidationError.query(
      `Invalid sort key ${through.via[0].name}.${through.column.name}: members sort by their own fields`,
      'sort',
      through.via[0].name,
    );
  return {
    filter: parsed.filter,
    sort: parsed.sort,
    ...windowOf(parsed.pagination),
    populateRole: populateRole(populate),
  } satisfies MemberQuery;
}

/** A datetime value as the members' columns hold it: epoch milliseconds. */
const epoch = (value: SqlValue): SqlValue => (value instanceof Date ? value.getTime() : value);

/**
 * `filter` made compilable on `folio_members`: times in milliseconds, and each condition through
 * `role` turned into `role_id IN (the matching roles)` — a few rows, read once per request.
 */
async function resolveFilter(db: Knex, filter: Filter): Promise<Filter> {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return { kind: filter.kind, items: await Promise.all(filter.items.map((item) => resolveFilter(db, item))) };
    case 'not':
      return { kind: 'not', item: await resolveFilter(db, filter.item) };
    case 'compare':
      return {
        ...filter,
        value: Array.isArray(filter.value) ? filter.value.map(epoch) : epoch(filter.value),
      };
    case 'relation': {
      const column = { name: 'role', column: 'role_id', type: 'integer' as const };
      // Every member has a role: "has none" matches no member, "has one" every member.
      if (!filter.filter) return { kind: 'compare', column, op: '$null', value: !filter.exists };
      const roles = db('folio_member_roles as r').select('r.id');
      applyRowFilter(db, QUERY_SCHEMA, roles, await resolveFilter(db, filter.filter), 'r');
      const ids = (await roles).map((r: { id: number }) => Number(r.id));
      return { kind: 'compare', column, op: '$in', value: ids };
    }
    default:
      // The members' model has no components, no versions: the parser cannot produce the others.
      throw new Error(`unexpected filter node ${filter.kind} on members`);
  }
}

/**
 * `folio_members` rows (aliased `m`) matching the query's filter. Wrapped: a builder is a thenable,
 * which an async function's promise would run instead of handing over.
 */
async function matching(db: Knex, filter: Filter | null): Promise<{ query: Knex.QueryBuilder }> {
  const query = db('folio_members as m');
  if (filter) applyRowFilter(db, QUERY_SCHEMA, query, await resolveFilter(db, filter), 'm');
  return { query };
}

/** The members a list query selects, in its order and window. */
export async function listMemberRows<Row>(db: Knex, query: MemberQuery): Promise<Row[]> {
  const { query: rows } = await matching(db, query.filter);
  new Compiler(db, dialectOf(db), QUERY_SCHEMA, { status: 'published', locale: '', defaultLocale: '' }).applySort(
    rows,
    query.sort,
    'm',
  );
  return (await rows.limit(query.limit).offset(query.offset).select('m.*')) as Row[];
}

/** How many members a filter selects. */
export async function countMemberRows(db: Knex, filter: Filter | null): Promise<number> {
  const { query } = await matching(db, filter);
  const [row] = await query.count<{ n: number | string }[]>({ n: '*' });
  return Number(row.n);
}

/** The ids of up to `limit` members a filter selects (filters through member relations, member-reads.ts). */
export async function listMemberIds(db: Knex, filter: Filter | null, limit: number): Promise<number[]> {
  const { query } = await matching(db, filter);
  const rows = await query.orderBy('m.id').limit(limit).select<{ id: number }[]>('m.id');
  return rows.map((row) => Number(row.id));
}
