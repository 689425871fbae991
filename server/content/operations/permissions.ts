// The caller's content permissions, asked the same way by every operation: which fields it may
// read or write, and which rows its role's conditions let it act on — a Filter of the query AST
// (access/conditions-filter.ts), compiled by the one compiler into reads and into the row checks that
// run inside a write's own transaction.
import type { Knex } from 'knex';
import { abilityOf } from '../../access/service.js';
import { permittedFields } from '../../access/ability.js';
import { roleFilter, UnknownConditionFieldError } from '../../access/conditions-filter.js';
import type { Caller } from '../../access/caller.js';
import { ApplicationError, ForbiddenError, ValidationError } from '../../errors.js';
import type { Filter } from '../query/ast.js';
import { applyRowFilter } from '../query/compile.js';
import type { ContentTypeModel, SchemaModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';

/**
 * The rows of `type` the caller may `action` (null: all); a role condition Folio cannot compile is a
 * 400, never a 500.
 */
export function rowFilter(caller: Caller, action: string, type: ContentTypeModel): Filter | null {
  try {
    return roleFilter(abilityOf(caller), action, type);
  } catch (err) {
    if (err instanceof UnknownConditionFieldError)
      throw new ApplicationError(`Your role's conditions cannot be applied: ${err.message}`);
    throw err;
  }
}

/** ANDs the caller's conditions for `action` into `qb`, a write path's builder over `type` aliased `alias`. */
export function restrict(
  db: Knex,
  schema: SchemaModel,
  qb: Knex.QueryBuilder,
  caller: Caller,
  action: string,
  type: ContentTypeModel,
  alias: string,
): void {
  const filter = rowFilter(caller, action, type);
  if (filter) applyRowFilter(db, schema, qb, filter, alias);
}

/** The attributes of `type` the caller may read (its field allowlists). */
export function readableFields(caller: Caller, type: ContentTypeModel): Set<string> {
  return new Set(permittedFields(abilityOf(caller), 'read', type.uid, [...type.fields.keys()]));
}

/**
 * The attributes of `type` a Content API caller reads through all of `actions` (find or findOne,
 * and findDrafts for a draft read): the intersection of their field allowlists.
 */
export function apiReadableFields(caller: Caller, type: ContentTypeModel, actions: readonly string[]): Set<string> {
  const all = [...type.fields.keys()];
  const allowed = actions.map((action) => new Set(permittedFields(abilityOf(caller), action, type.uid, all)));
  return new Set(all.filter((field) => allowed.every((set) => set.has(field))));
}

/**
 * The attributes a Content API write answers: those the caller reads through find or findOne. A
 * caller that reads neither is answered what it wrote, as before field allowlists existed.
 */
export function writeAnswerFields(caller: Caller, type: ContentTypeModel): Set<string> {
  if (!caller.can('find', type.uid) && !caller.can('findOne', type.uid)) return new Set(type.fields.keys());
  const ability = abilityOf(caller);
  const all = [...type.fields.keys()];
  return new Set(['find', 'findOne'].flatMap((action) => permittedFields(ability, action, type.uid, all)));
}

/** The attributes of `type` the caller may `action` (its field allowlists). */
export function writableFields(caller: Caller, action: 'create' | 'update', type: ContentTypeModel): Set<string> {
  return new Set(permittedFields(abilityOf(caller), action, type.uid, [...type.fields.keys()]));
}

/**
 * May the caller write (create or update) one of these fields of `type` — the link right: it may then
 * link any target of the field, and see the targets by documentId and main field (SECURITY.md, 3)?
 */
export function mayLinkThrough(caller: Caller, type: ContentTypeModel, via: readonly string[]): boolean {
  const all = [...type.fields.keys()];
  return (['create', 'update'] as const).some((action) => {
    const writable = permittedFields(abilityOf(caller), action, type.uid, all);
    return via.some((f) => writable.includes(f));
  });
}

/**
 * 400 when a body names the type's owner: the server sets it on create from the member asking and
 * nobody changes it through a body, so a member can neither pose as another nor give an entry away.
 */
export function refuseOwnerInBody(type: ContentTypeModel, data: Record<string, unknown>): void {
  const owner = type.owner?.name;
  if (owner !== undefined && Object.hasOwn(data, owner))
    throw ValidationError.fromErrors([
      { path: [owner], message: `${owner} is the entry's owner: it is set by the server`, name: 'ValidationError' },
    ]);
}

/** 403 naming every body field the caller may not write. */
export function checkWritableFields(
  caller: Caller,
  action: 'create' | 'update',
  type: ContentTypeModel,
  data: Record<string, unknown>,
): void {
  const allowed = writableFields(caller, action, type);
  const denied = Object.keys(data).filter((key) => type.fields.has(key) && !allowed.has(key));
  if (denied.length)
    throw new ForbiddenError(`You may not ${action} ${denied.map((k) => `"${k}"`).join(', ')}`, { fields: denied });
}

/** Does the caller's role let it `action` the row `rowId` of `type` (its conditions, read through `db`)? */
export async function rowPermits(
  db: Knex,
  schema: SchemaModel,
  caller: Caller,
  action: string,
  type: ContentTypeModel,
  rowId: number,
): Promise<boolean> {
  const qb = db.from({ t0: type.table }).where(`t0.${S.id}`, rowId).first(`t0.${S.id}`);
  restrict(db, schema, qb, caller, action, type, 't0');
  return Boolean(await qb);
}
