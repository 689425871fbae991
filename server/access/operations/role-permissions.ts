// setRolePermissions: replaces an admin role's permission set. In one transaction, with the role
// and the caller's own roles locked: the grant policy judges the rows the set adds or widens against
// the role's permissions and what the caller holds, both as they are in this transaction (a revoke
// of the caller's right that commits first is seen; one that comes later waits); then the write and
// its `permissions.update` audit row. Abilities are rebuilt everywhere after the commit.
import type { PermissionRow } from '../ability.js';
import type { PermissionInput } from '../service.js';
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from './deps.js';
import { granterIn } from './granter.js';

export interface SetRolePermissionsRequest extends AccessRequest {
  roleId: number;
  /** The whole new set; or computed in the transaction from the current one (the CLI's grant/revoke). */
  permissions: readonly PermissionInput[] | ((current: PermissionRow[]) => PermissionInput[]);
  /** The audit row's details (default: how many permissions the role has now). */
  details?: Record<string, unknown>;
}

export async function setRolePermissions(
  deps: AccessOperationDeps,
  request: SetRolePermissionsRequest,
): Promise<PermissionRow[]> {
  const { roleId } = request;
  const contentTypes = await deps.access.contentTypes();
  return inTransaction(deps, async (trx, afterCommit) => {
    const { policy } = await granterIn(
      deps,
      trx,
      request.caller,
      { action: 'update', subject: 'roles' },
      { roles: [roleId] },
      contentTypes,
    );
    const permissions =
      typeof request.permissions === 'function'
        ? request.permissions(await deps.access.getPermissions(roleId, trx))
        : [...request.permissions];
    await policy.assertMaySetPermissions(roleId, permissions);
    const saved = await deps.access.setPermissionsIn(trx, roleId, permissions);
    await auditIn(deps, trx, request, {
      action: 'permissions.update',
      subject: 'roles',
      entityId: roleId,
      details: request.details ?? { count: saved.length },
    });
    afterCommit(() => deps.access.invalidate());
    return saved;
  });
}
