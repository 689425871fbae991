// setPublicPermissions: what everyone may do through the Content API. The Public role has no row of
// its own to lock, so its version in folio_meta is written first: two changes of the Public role
// queue on it (MySQL), each judging the set as the other left it. Then, as for a role: the grant
// policy on what the set opens (each held by the caller, per the token rule), the write, the
// `permissions.update` audit row, all in one transaction; abilities rebuilt after the commit.
import type { Knex } from 'knex';
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from './deps.js';
import { granterIn } from './granter.js';

const PUBLIC_VERSION_KEY = 'public_permissions_version';

export interface SetPublicPermissionsRequest extends AccessRequest {
  /** The whole new list (`type.action`); or computed in the transaction from the current one (the CLI). */
  allow: readonly string[] | ((current: string[]) => string[]);
  /** The audit row's details (default: the list saved). */
  details?: Record<string, unknown>;
}

/** Takes the Public role's lock: an upsert locks its row exclusively until the commit. */
async function lockPublicRole(trx: Knex.Transaction): Promise<void> {
  const version = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await trx('folio_meta')
    .insert({ key: PUBLIC_VERSION_KEY, value: version })
    .onConflict('key')
    .merge({ value: version });
}

export function setPublicPermissions(
  deps: AccessOperationDeps,
  request: SetPublicPermissionsRequest,
): Promise<string[]> {
  return inTransaction(deps, async (trx, afterCommit) => {
    await lockPublicRole(trx);
    const { policy } = await granterIn(deps, trx, request.caller, { action: 'update', subject: 'roles' });
    const allow =
      typeof request.allow === 'function'
        ? request.allow(await deps.access.getPublicPermissions(trx))
        : [...request.allow];
    await policy.assertMaySetPublic(allow);
    const saved = await deps.access.setPublicPermissionsIn(trx, allow);
    await auditIn(deps, trx, request, {
      action: 'permissions.update',
      subject: 'roles',
      entityId: 'public',
      details: request.details ?? { allow: saved },
    });
    afterCommit(() => deps.access.invalidate());
    return saved;
  });
}
