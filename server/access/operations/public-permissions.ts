// setMemberRolePermissions: what a member role may do through the Content API — the Public role
// (everyone, no credentials), Authenticated (any signed-in member) or a custom member role. The
// role's row is locked first: two changes of one role queue on it (MySQL), each judging the list as
// the other left it. Then, as for an admin role: the grant policy on what the list opens (each held
// by the caller, per the token rule), the write, the `permissions.update` audit row, all in one
// transaction; abilities rebuilt after the commit. setPublicPermissions is it for the Public role.
import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from './deps.js';
import { granterIn } from './granter.js';

export interface SetMemberRolePermissionsRequest extends AccessRequest {
  /** The role, by id or code (`public`, `authenticated`, a custom role's). */
  role: number | string;
  /** The whole new list (`type.action`); or computed in the transaction from the current one (the CLI). */
  allow: readonly string[] | ((current: string[]) => string[]);
  /** The audit row's details (default: the list saved). */
  details?: Record<string, unknown>;
}

export type SetPublicPermissionsRequest = Omit<SetMemberRolePermissionsRequest, 'role'>;

/** Locks the member role's row until the commit (MySQL; SQLite's one writer serialises anyway). */
async function lockMemberRole(
  trx: Knex.Transaction,
  role: number | string,
): Promise<{ id: number; name: string; code: string }> {
  const query = trx('folio_member_roles')
    .where(typeof role === 'number' ? { id: role } : { code: role })
    .first<{ id: number; name: string; code: string } | undefined>('id', 'name', 'code');
  if (dialectOf(trx) === 'mysql') query.forUpdate();
  const row = await query;
  if (!row) throw new NotFoundError('Role not found');
  return { id: Number(row.id), name: row.name, code: row.code };
}

export async function setMemberRolePermissions(
  deps: AccessOperationDeps,
  request: SetMemberRolePermissionsRequest,
): Promise<string[]> {
  // The schema is read before the transaction (its registry reads through its own connection).
  const attributes = await deps.access.contentAttributes();
  return inTransaction(deps, async (trx, afterCommit) => {
    const role = await lockMemberRole(trx, request.role);
    const { policy } = await granterIn(deps, trx, request.caller, { action: 'update', subject: 'roles' });
    const allow =
      typeof request.allow === 'function'
        ? request.allow(await deps.access.getMemberRolePermissions(role.id, trx))
        : [...request.allow];
    const grants = await deps.access.memberGrants(allow, attributes);
    // Nobody owns an entry as the Public role: an owner permission there would be a grant of nothing.
    if (role.code === 'public' && grants.some((g) => g.own))
      throw new ValidationError('The Public role has no owner: no action can be limited to own entries');
    await policy.assertMaySetMemberRole(
      role.id,
      role.code === 'public' ? 'The Public role' : `The role "${role.name}"`,
      grants,
    );
    const saved = await deps.access.setMemberRolePermissionsIn(trx, role.id, grants);
    await auditIn(deps, trx, request, {
      action: 'permissions.update',
      subject: 'roles',
      entityId: role.code === 'public' ? 'public' : `member:${role.code}`,
      details: request.details ?? { allow: saved },
    });
    afterCommit(() => deps.access.invalidate());
    return saved;
  });
}

export function setPublicPermissions(
  deps: AccessOperationDeps,
  request: SetPublicPermissionsRequest,
): Promise<string[]> {
  return setMemberRolePermissions(deps, { ...request, role: 'public' });
}
