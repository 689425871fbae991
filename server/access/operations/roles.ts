// createRole, updateRole, deleteRole: a role as a whole (its permissions: role-permissions.ts).
// Each in one transaction: the caller's right read in it, the role locked, only a Super Admin
// edits the Super Admin role, the write and its `roles.*` audit row; abilities are rebuilt after
// the commit when a role goes.
import type { Role } from '../service.js';
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from './deps.js';
import { granterIn } from './granter.js';

export interface RoleInput {
  name: string;
  description?: string;
}

export function createRole(deps: AccessOperationDeps, request: AccessRequest & { input: RoleInput }): Promise<Role> {
  return inTransaction(deps, async (trx) => {
    await granterIn(deps, trx, request.caller, { action: 'create', subject: 'roles' });
    // A new role holds nothing: no grant to judge, no ability to rebuild.
    const role = await deps.access.createRoleIn(trx, request.input);
    await auditIn(deps, trx, request, {
      action: 'roles.create',
      subject: 'roles',
      entityId: role.id,
      details: { name: role.name },
    });
    return role;
  });
}

export function updateRole(
  deps: AccessOperationDeps,
  request: AccessRequest & { id: number; input: Partial<RoleInput> },
): Promise<Role> {
  const { id } = request;
  return inTransaction(deps, async (trx) => {
    const { policy } = await granterIn(
      deps,
      trx,
      request.caller,
      { action: 'update', subject: 'roles' },
      {
        roles: [id],
      },
    );
    await policy.assertMayEditRole(id);
    const role = await deps.access.updateRoleIn(trx, id, request.input);
    await auditIn(deps, trx, request, {
      action: 'roles.update',
      subject: 'roles',
      entityId: id,
      details: { name: role.name },
    });
    return role;
  });
}

/** Deletes a role nobody holds (409 otherwise; the built-in ones never). */
export function deleteRole(deps: AccessOperationDeps, request: AccessRequest & { id: number }): Promise<Role> {
  const { id } = request;
  return inTransaction(deps, async (trx, afterCommit) => {
    // Locked: an assignment of this role (which locks it too) cannot slip in between the count and the delete.
    await granterIn(deps, trx, request.caller, { action: 'delete', subject: 'roles' }, { roles: [id] });
    const role = await deps.access.deleteRoleIn(trx, id);
    await auditIn(deps, trx, request, {
      action: 'roles.delete',
      subject: 'roles',
      entityId: id,
      details: { name: role.name },
    });
    afterCommit(() => deps.access.invalidate());
    return role;
  });
}
