// Relations to the site members besides the owner (`article.reviewer`, docs/schema.md): to-one, held
// as the member's id in a column of the entry's row (schema/model.ts). A body names the member as
// Strapi names a relation's target — its id, its documentId, `{ id }`, `{ connect: [x] }`,
// `{ set: [x] }`; `{ disconnect: [x] }` or null empties it — and the write stores its id once the
// member is found in the write's transaction. Naming a member tells the caller whether it exists, so
// it takes the right to read members: `users.find` on /api (Strapi's rule for relations to users),
// `read` on `users` for admins; without it, 403.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import { refusal } from '../../access/caller.js';
import { ValidationError } from '../../errors.js';
import type { ContentTypeModel, ScalarField } from '../../schema/model.js';

/** The type's member relations that a body may set: all but the owner (the server's). */
export function writableMemberRelations(type: ContentTypeModel): ScalarField[] {
  return type.scalars.filter((f) => f.member && f !== type.owner);
}

/** Whether the caller may read the members: the right that naming or showing one takes. */
export function mayReadMembers(caller: Caller | undefined): boolean {
  if (!caller) return false;
  return caller.kind === 'admin' ? caller.can('read', 'users') : caller.can('find', 'users');
}

type MemberRef = { id: number } | { documentId: string } | null;

function invalid(name: string, message: string): ValidationError {
  return ValidationError.fromErrors([{ path: [name], message: `${name} ${message}`, name: 'ValidationError' }]);
}

/** The one member a value names, in any of Strapi's spellings of a to-one relation. */
function refOf(name: string, value: unknown): MemberRef {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return { id: value };
  if (typeof value === 'string' && value !== '')
    return /^\d{1,12}$/.test(value) ? { id: Number(value) } : { documentId: value };
  if (typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && (keys[0] === 'id' || keys[0] === 'documentId')) return refOf(name, object[keys[0]]);
    const lists = keys.every((k) => ['connect', 'disconnect', 'set'].includes(k) && Array.isArray(object[k]));
    if (keys.length > 0 && lists) {
      // `set` wins, then `connect`; `disconnect` alone empties it (the dashboard sends the change).
      const list = (object.set ?? object.connect ?? []) as unknown[];
      if (list.length === 1) return refOf(name, list[0]);
      if (list.length === 0 && (object.set !== undefined || object.connect === undefined)) return null;
    }
  }
  throw invalid(name, 'must name one member: its id, its documentId, { connect: [id] } or null');
}

/**
 * Replaces each member relation `data` names by the member's id (or null), checked in `trx`: 403
 * without the right to read members, 400 for a member that does not exist. Other fields untouched.
 */
export async function resolveMemberRelations(
  caller: Caller,
  type: ContentTypeModel,
  data: Record<string, unknown>,
  trx: Knex,
): Promise<void> {
  for (const field of writableMemberRelations(type)) {
    if (!Object.hasOwn(data, field.name)) continue;
    const ref = refOf(field.name, data[field.name]);
    if (ref === null) {
      data[field.name] = null;
      continue;
    }
    if (!mayReadMembers(caller)) throw refusal(caller, `Setting ${field.name} needs the right to read members`);
    const row = await trx('folio_members').where(ref).first<{ id: number } | undefined>('id');
    if (!row) throw invalid(field.name, 'names no member');
    data[field.name] = Number(row.id);
  }
}
