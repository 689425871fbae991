// Content API reads through relations to the site members (the owner and the others, docs/schema.md):
// `populate=owner` (or `*`) answers the member in Strapi's user shape instead of its id, and
// `filters[owner][username][$eq]=ada` selects entries by their member's fields. Both need the right to
// read members (`users.find`, Strapi's rule for populating users): an explicit populate without it is
// a 403 like any populate refusal, `*` leaves members out, a filter through them is a 400 `Invalid key`
// like a filter through a type the caller may not read.
//
// Members are not content entries, so the query engine never sees them: the raw query is planned here
// first (member populates taken out, member filters resolved to member ids through the members' own
// query, server/members/query.ts), and the members are put into the answer afterwards, one statement
// for the whole page. Such an answer holds personal data that a member's edit changes without any
// content write: it is never kept in the response cache (FindAnswer.sensitive).
import type { Knex } from 'knex';
import { refusal, type Caller } from '../../access/caller.js';
import { ValidationError } from '../../errors.js';
import { MEMBER_TARGET, type ComponentModel, type ContentTypeModel, type SchemaModel } from '../../schema/model.js';
import type { ScalarField } from '../../schema/model.js';
import { toMemberJson, type MemberRow } from '../../members/members.js';
import { parseMemberQuery, listMemberIds } from '../../members/query.js';
import type { Entry } from '../query/serialize.js';
import { mayReadMembers } from './member-relations.js';

type RawObject = Record<string, unknown>;

export interface MemberReadPlan {
  /** The query string's object for the Content API's parser: no member populate, member filters as ids. */
  raw: RawObject;
  /** The member fields to answer as members. */
  populate: ScalarField[];
  /** The answer depends on members' data: not to be kept in the response cache. */
  personal: boolean;
}

const memberFields = (model: ContentTypeModel | ComponentModel) => model.scalars.filter((f) => f.member);

const isObject = (value: unknown): value is RawObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `populate` without the member fields, and which of them it named (`*`: all, if the caller may). */
function splitPopulate(
  type: ContentTypeModel,
  raw: unknown,
  caller: Caller | undefined,
): { rest: unknown; named: ScalarField[] } {
  const fields = memberFields(type);
  if (raw === undefined || fields.length === 0) return { rest: raw, named: [] };
  const byName = new Map(fields.map((f) => [f.name, f]));
  const named: ScalarField[] = [];
  const take = (name: unknown) => {
    const field = typeof name === 'string' ? byName.get(name) : undefined;
    if (field) named.push(field);
    return field !== undefined;
  };
  let rest: unknown = raw;
  if (raw === '*') {
    if (mayReadMembers(caller)) named.push(...fields);
  } else if (typeof raw === 'string') {
    const kept = raw.split(',').filter((name) => !take(name.trim()));
    rest = kept.length ? kept.join(',') : undefined;
  } else if (Array.isArray(raw)) {
    const kept = raw.filter((name) => !take(name));
    rest = kept.length ? kept : undefined;
  } else if (isObject(raw)) {
    const entries = Object.entries(raw).filter(([key, value]) => {
      // `populate[0]=owner` (qs's list as an object) or `populate[owner]=true`.
      const name = /^\d+$/.test(key) ? value : key;
      if (!take(name)) return true;
      if (name === key && value !== true && value !== 'true' && !(isObject(value) && Object.keys(value).length === 0))
        throw ValidationError.query(`Invalid populate for ${key}: a member is populated whole`, 'populate', key);
      return false;
    });
    rest = entries.length ? Object.fromEntries(entries) : undefined;
  }
  if (named.length && !mayReadMembers(caller)) throw refusal(caller, `You may not read ${MEMBER_TARGET}`);
  return { rest, named };
}

interface FilterWalk {
  db: Knex;
  schema: SchemaModel;
  caller: Caller | undefined;
  maxIds: number;
  /** Set once a filter goes through a member relation. */
  through: boolean;
}

/**
 * `filters` with every condition on a member's fields (`owner: { username: { $eq: 'ada' } }`) turned
 * into one on the member ids (`owner: { $in: [7] }`), at any depth the Content API filters at.
 */
async function resolveFilters(
  model: ContentTypeModel | ComponentModel,
  raw: unknown,
  walk: FilterWalk,
): Promise<unknown> {
  if (Array.isArray(raw)) return Promise.all(raw.map((item) => resolveFilters(model, item, walk)));
  if (!isObject(raw)) return raw;
  const out: RawObject = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = model.fields.get(key);
    if (key === '$and' || key === '$or' || key === '$not' || /^\d+$/.test(key)) {
      out[key] = await resolveFilters(model, value, walk);
    } else if (field?.kind === 'scalar' && field.member && isObject(value)) {
      out[key] = await memberCondition(key, value, walk);
    } else if (field?.kind === 'relation' && walk.schema.contentTypes.has(field.target)) {
      out[key] = await resolveFilters(walk.schema.contentTypes.get(field.target)!, value, walk);
    } else if (field?.kind === 'component' && walk.schema.components.has(field.component)) {
      out[key] = await resolveFilters(walk.schema.components.get(field.component)!, value, walk);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A member field's condition: operators stay (they compare the id); member fields become `$in` ids. */
async function memberCondition(key: string, value: RawObject, walk: FilterWalk): Promise<RawObject> {
  const operators = Object.fromEntries(Object.entries(value).filter(([k]) => k.startsWith('$')));
  const fields = Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('$')));
  if (Object.keys(fields).length === 0) return value;
  if (!mayReadMembers(walk.caller))
    throw ValidationError.query(`Invalid key ${key}: the caller may not read ${MEMBER_TARGET}`, 'filters', key);
  walk.through = true;
  const { filter } = parseMemberQuery({ filters: fields }, 'count', walk.maxIds);
  const ids = await listMemberIds(walk.db, filter, walk.maxIds + 1);
  if (ids.length > walk.maxIds)
    throw ValidationError.query(
      `The filter through ${key} matches more than ${walk.maxIds} members: narrow it`,
      'filters',
      key,
    );
  const byIds = { $in: ids.map(String) };
  return Object.keys(operators).length ? { $and: [operators, byIds] } : byIds;
}

/** Plans a Content API read of `type` around its member relations (see the top of this file). */
export async function planMemberRead(
  db: Knex,
  schema: SchemaModel,
  type: ContentTypeModel,
  raw: RawObject,
  caller: Caller | undefined,
  maxIds: number,
): Promise<MemberReadPlan> {
  const { rest, named } = splitPopulate(type, raw.populate, caller);
  const planned: RawObject = { ...raw };
  if (rest === undefined) delete planned.populate;
  else planned.populate = rest;
  const walk: FilterWalk = { db, schema, caller, maxIds, through: false };
  if (raw.filters !== undefined) planned.filters = await resolveFilters(type, raw.filters, walk);
  return { raw: planned, populate: named, personal: named.length > 0 || walk.through };
}

/** Puts the members `fields` hold into `entries` in Strapi's user shape (null when none), one statement. */
export async function populateMembers(db: Knex, entries: Entry[], fields: ScalarField[]): Promise<void> {
  if (fields.length === 0 || entries.length === 0) return;
  const ids = new Set<number>();
  for (const entry of entries)
    for (const f of fields) if (typeof entry[f.name] === 'number') ids.add(entry[f.name] as number);
  const rows = ids.size
    ? await db('folio_members')
        .whereIn('id', [...ids])
        .select<MemberRow[]>('*')
    : [];
  const members = new Map(rows.map((row) => [Number(row.id), toMemberJson(row)]));
  for (const entry of entries)
    for (const f of fields)
      if (Object.hasOwn(entry, f.name)) entry[f.name] = members.get(entry[f.name] as number) ?? null;
}
