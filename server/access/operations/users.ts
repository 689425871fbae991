// createUser, updateUser, deleteUser: admin accounts and the roles they hold. In one transaction,
// with the caller's account and the target's locked, then the caller's roles, the target's and the
// ones given: the grant policy on the account as it is in this transaction (giving a role needs
// everything it grants; changing the email, active state or roles of an account, or deleting it,
// needs everything its roles grant; Super Admin only by a Super Admin), the write, its `users.*`
// audit row. After the commit: abilities rebuilt (roles changed) and the invitation mailed.
import type { Knex } from 'knex';
import { ConflictError } from '../../errors.js';
import type { AccountChange } from '../grants.js';
import { hashPassword } from '../../auth/crypto.js';
import type { AccountPatch, AdminUser, NewAccount } from '../../auth/users.js';
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from './deps.js';
import { granterIn } from './granter.js';

export interface CreatedUser {
  user: AdminUser;
  /** The invitation link (an account created without a password), emailed after the commit. */
  invitationUrl?: string;
}

async function roleIdsOf(deps: AccessOperationDeps, trx: Knex.Transaction, refs: readonly (number | string)[]) {
  return (await deps.access.resolveRoles(refs, trx)).map((role) => role.id);
}

/**
 * Creates an account holding `input.roles`: without a password it is invited (the link written in
 * the transaction, mailed after it), with one (the CLI) it can sign in at once.
 */
export async function createUser(
  deps: AccessOperationDeps,
  request: AccessRequest & { input: NewAccount },
): Promise<CreatedUser> {
  const { input } = request;
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return inTransaction(deps, async (trx, afterCommit) => {
    const { policy } = await granterIn(
      deps,
      trx,
      request.caller,
      { action: 'create', subject: 'users' },
      {
        roles: (t) => roleIdsOf(deps, t, input.roles),
      },
    );
    await policy.assertMayAssignRoles(input.roles);
    const user = await deps.auth.users.createIn(trx, input, passwordHash);
    const invitationUrl = passwordHash === null ? await deps.auth.invitationLinkIn(trx, user.id) : undefined;
    await auditIn(deps, trx, request, {
      action: 'users.create',
      subject: 'users',
      entityId: user.id,
      details: { email: user.email, roles: user.roles.map((r) => r.code) },
    });
    afterCommit(() => deps.access.invalidate());
    if (invitationUrl) afterCommit(() => deps.auth.mailInvitation(user.email, invitationUrl));
    return { user, invitationUrl };
  });
}

/**
 * Locks the caller and the account, then their roles and `also`'s; answers the account as it is
 * in the transaction (404 when there is none) with the grant policy.
 */
async function lockAccount(
  deps: AccessOperationDeps,
  trx: Knex.Transaction,
  request: AccessRequest & { id: number },
  action: 'update' | 'delete',
  also: readonly (number | string)[] = [],
) {
  let before: AdminUser | undefined;
  const granter = await granterIn(
    deps,
    trx,
    request.caller,
    { action, subject: 'users' },
    {
      users: [request.id],
      roles: async (t) => {
        before = await deps.auth.users.get(request.id, t);
        return [...before.roles.map((r) => r.id), ...(await roleIdsOf(deps, t, also))];
      },
    },
  );
  return { ...granter, before: before! };
}

export function updateUser(
  deps: AccessOperationDeps,
  request: AccessRequest & { id: number; input: AccountPatch & AccountChange },
): Promise<AdminUser> {
  const { id, input } = request;
  return inTransaction(deps, async (trx, afterCommit) => {
    const { policy, before } = await lockAccount(deps, trx, request, 'update', input.roles);
    await policy.assertMayChangeAccount(before, input);
    const user = await deps.auth.users.updateIn(trx, id, input);
    await auditIn(deps, trx, request, {
      action: input.isActive === false ? 'users.deactivate' : 'users.update',
      subject: 'users',
      entityId: id,
      details: { changes: Object.keys(input) },
    });
    if (input.roles) afterCommit(() => deps.access.invalidate());
    return user;
  });
}

export function deleteUser(deps: AccessOperationDeps, request: AccessRequest & { id: number }): Promise<AdminUser> {
  const { id } = request;
  return inTransaction(deps, async (trx, afterCommit) => {
    const { policy, before } = await lockAccount(deps, trx, request, 'delete');
    await policy.assertMayActOn(before, 'delete a user with the role');
    const user = await deps.auth.users.deleteIn(trx, id);
    await auditIn(deps, trx, request, {
      action: 'users.delete',
      subject: 'users',
      entityId: id,
      details: { email: user.email },
    });
    afterCommit(() => deps.access.invalidate());
    return user;
  });
}

/**
 * Re-issues a pending account's invitation: giving its roles again, so the caller must hold all of
 * them. The new link (the old ones voided) and the `users.invitation-reissue` audit row are written
 * in one transaction; the link is mailed after the commit.
 */
export function reissueInvitation(
  deps: AccessOperationDeps,
  request: AccessRequest & { id: number },
): Promise<{ user: AdminUser; invitationUrl: string }> {
  const { id } = request;
  return inTransaction(deps, async (trx, afterCommit) => {
    const { policy, before: user } = await lockAccount(deps, trx, request, 'update');
    if (user.registered) throw new ConflictError('This user has already accepted the invitation');
    // The link in the answer never reaches someone who could not have invited this user.
    await policy.assertMayActOn(user, 're-issue the invitation of a user with the role');
    const invitationUrl = await deps.auth.invitationLinkIn(trx, id);
    await auditIn(deps, trx, request, {
      action: 'users.invitation-reissue',
      subject: 'users',
      entityId: id,
      details: { email: user.email },
    });
    afterCommit(() => deps.auth.mailInvitation(user.email, invitationUrl));
    return { user, invitationUrl };
  });
}
