// The caller as the grant policy judges it, read inside the operation's transaction. The caller's
// account and the accounts changed are locked first, then (in one statement, in id order, so two
// operations never wait on each other crosswise) the caller's roles and every role judged or
// changed; only then is what the caller holds read. A concurrent change of any of those roles —
// a revoke of the very right the caller grants with — either commits before (and is seen) or
// waits for this transaction: the check and the write judge one state. On SQLite the one writer
// connection serialises the transactions anyway; FOR UPDATE is MySQL's (READ COMMITTED).
import type { Knex } from 'knex';
import { dialectOf } from '../../db/connection.js';
import { ForbiddenError } from '../../errors.js';
import type { HeldPermissions } from '../ability.js';
import type { Caller } from '../caller.js';
import { GrantPolicy, heldBy } from '../grants.js';
import type { AccessOperationDeps } from './deps.js';

const HOLDS_NOTHING: HeldPermissions = { everything: false, rows: [] };

/** The admin right an operation needs, as its route declares it (e.g. `update` on `roles`). */
export interface Right {
  action: 'read' | 'create' | 'update' | 'delete';
  subject: 'roles' | 'users' | 'api-tokens' | 'webhooks' | 'settings';
}

export interface LockTargets {
  /** The accounts the operation changes (locked with the caller's). */
  users?: readonly number[];
  /** The roles judged or changed, read once the accounts are locked (an account's roles among them). */
  roles?: readonly number[] | ((trx: Knex.Transaction) => Promise<readonly number[]>);
}

export interface Granter {
  held: HeldPermissions;
  policy: GrantPolicy;
}

/** Locks these rows of `table` until the commit (MySQL), in id order. */
export async function lockRows(trx: Knex.Transaction, table: string, ids: readonly number[]): Promise<void> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (!sorted.length || dialectOf(trx) !== 'mysql') return;
  await trx(table).whereIn('id', sorted).orderBy('id').select('id').forUpdate();
}

/** An admin's roles as they are in `trx`: none once the account is gone or deactivated. */
async function rolesOfAdmin(deps: AccessOperationDeps, trx: Knex.Transaction, userId: number): Promise<number[]> {
  const row = await deps.auth.users.rowById(userId, trx);
  return row?.is_active ? deps.auth.users.roleIds(userId, trx) : [];
}

/** 403 unless what the caller holds gives the right, however narrowly (the route's coarse gate, again). */
function requireRight(held: HeldPermissions, right: Right): void {
  if (held.everything || held.rows.some((row) => row.action === right.action && row.subject === right.subject)) return;
  throw new ForbiddenError(`Forbidden: ${right.action} on ${right.subject}`);
}

/**
 * Locks the caller and the targets, reads what the caller holds, checks `right` on it, and answers
 * the grant policy for the rest of the transaction. `contentTypes` is the catalogue, read before
 * the transaction (the schema registry reads on its own connection).
 */
export async function granterIn(
  deps: AccessOperationDeps,
  trx: Knex.Transaction,
  caller: Caller,
  right: Right,
  targets: LockTargets = {},
  contentTypes: readonly string[] = [],
): Promise<Granter> {
  const admin = caller.kind === 'admin' && caller.id !== undefined ? caller.id : undefined;
  await lockRows(trx, 'folio_admin_users', [...(admin === undefined ? [] : [admin]), ...(targets.users ?? [])]);
  const callerRoles = admin === undefined ? [] : await rolesOfAdmin(deps, trx, admin);
  const targetRoles = typeof targets.roles === 'function' ? await targets.roles(trx) : (targets.roles ?? []);
  await lockRows(trx, 'folio_roles', [...callerRoles, ...targetRoles]);
  const held =
    caller.kind === 'system'
      ? heldBy(caller)
      : admin === undefined
        ? HOLDS_NOTHING
        : await deps.access.heldIn(trx, callerRoles);
  requireRight(held, right);
  return { held, policy: new GrantPolicy(deps.access, trx, held, contentTypes) };
}
