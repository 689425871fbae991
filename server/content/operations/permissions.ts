// The caller's content permissions, asked the same way by every operation and admin route: which
// fields it may write, and which rows its role's conditions let it act on (compiled into SQL, so a
// check runs inside the write's own transaction).
import type { Knex } from 'knex';
import { abilityOf } from '../../access/service.js';
import { permittedFields, type AppAbility } from '../../access/ability.js';
import { applyAbility, contentRowResolver, UnknownConditionFieldError, type FieldResolver } from '../../access/conditions-sql.js';
import type { Caller } from '../../access/caller.js';
import { ApplicationError, ForbiddenError } from '../../errors.js';
import type { ContentTypeModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';

/** Condition field paths → columns of the row aliased `alias`: system columns and scalars. */
export function resolverFor(type: ContentTypeModel, alias: string): FieldResolver {
  return contentRowResolver(alias, (path) => {
    if (path === 'id') return { column: `${alias}.${S.id}` };
    if (path === 'documentId') return { column: `${alias}.${S.documentId}` };
    const field = type.fields.get(path);
    if (field?.kind === 'scalar') return { column: `${alias}.${field.column}` };
    throw new UnknownConditionFieldError(`The condition field "${path}" cannot be applied to ${type.uid}`);
  });
}

/** ANDs the caller's conditions for `action` into `qb`; a role condition Folio cannot compile is a 400, never a 500. */
export function restrict(qb: Knex.QueryBuilder, ability: AppAbility, action: string, type: ContentTypeModel, alias: string): void {
  try {
    applyAbility(qb, ability, action, type.uid, resolverFor(type, alias));
  } catch (err) {
    if (err instanceof UnknownConditionFieldError) throw new ApplicationError(`Your role's conditions cannot be applied: ${err.message}`);
    throw err;
  }
}

/** The attributes of `type` the caller may `action` (its field allowlists). */
export function writableFields(caller: Caller, action: 'create' | 'update', type: ContentTypeModel): Set<string> {
  return new Set(permittedFields(abilityOf(caller), action, type.uid, [...type.fields.keys()]));
}

/** 403 naming every body field the caller may not write. */
export function checkWritableFields(caller: Caller, action: 'create' | 'update', type: ContentTypeModel, data: Record<string, unknown>): void {
  const allowed = writableFields(caller, action, type);
  const denied = Object.keys(data).filter((key) => type.fields.has(key) && !allowed.has(key));
  if (denied.length) throw new ForbiddenError(`You may not ${action} ${denied.map((k) => `"${k}"`).join(', ')}`, { fields: denied });
}

/** Does the caller's role let it `action` the row `rowId` of `type` (its conditions, read through `db`)? */
export async function rowPermits(db: Knex, caller: Caller, action: string, type: ContentTypeModel, rowId: number): Promise<boolean> {
  const qb = db.from({ t0: type.table }).where(`t0.${S.id}`, rowId).first(`t0.${S.id}`);
  restrict(qb, abilityOf(caller), action, type, 't0');
  return Boolean(await qb);
}
