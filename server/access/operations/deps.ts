// What every access operation needs, and the three things each does the same way: one transaction
// for the check, the write and the audit row; the audit row of the change written in it; and the
// side effects that must not run before the commit (abilities rebuilt on every instance, the
// invitation mailed), run only once it has committed. A change rolled back announces nothing.
import type { Knex } from 'knex';
import type { Caller } from '../caller.js';
import { dialectOf } from '../../db/connection.js';
import type { AccessService } from '../service.js';
import type { ApiTokenService } from '../../auth/api-tokens.js';
import type { AuthService } from '../../auth/service.js';
import type { AuditLog } from '../../events/audit.js';

export interface AccessOperationDeps {
  db: Knex;
  access: AccessService;
  auth: AuthService;
  apiTokens: ApiTokenService;
  audit: AuditLog;
}

/** Who asks and from where: what every operation request carries. */
export interface AccessRequest {
  caller: Caller;
  /** The request's address, for the audit row. */
  ip?: string;
}

/** Work to do once the transaction has committed. */
export type AfterCommit = (effect: () => Promise<void>) => void;

/**
 * Runs `work` in one transaction, then (only if it committed) the effects it queued, in order. A
 * failing effect fails the call, but the change is committed: it is the state, the effect its news.
 *
 * READ COMMITTED on MySQL, as the DocumentService's writes: each read after a lock sees what was
 * committed before the lock was granted. Under InnoDB's default REPEATABLE READ the snapshot taken
 * by the first plain read would hide a revoke that committed while the operation waited for its locks.
 */
export async function inTransaction<T>(
  deps: Pick<AccessOperationDeps, 'db'>,
  work: (trx: Knex.Transaction, afterCommit: AfterCommit) => Promise<T>,
): Promise<T> {
  const effects: (() => Promise<void>)[] = [];
  const config = dialectOf(deps.db) === 'mysql' ? { isolationLevel: 'read committed' as const } : undefined;
  const result = await deps.db.transaction((trx) => work(trx, (effect) => effects.push(effect)), config);
  for (const effect of effects) await effect();
  return result;
}

export interface AuditedAccessChange {
  action: string;
  subject: string;
  entityId?: string | number;
  details?: Record<string, unknown>;
}

/** The change's audit row, in the change's transaction: both commit or neither does. */
export function auditIn(
  deps: Pick<AccessOperationDeps, 'audit'>,
  trx: Knex.Transaction,
  who: AccessRequest,
  change: AuditedAccessChange,
): Promise<void> {
  return deps.audit.record({ actor: who.caller, ip: who.ip, ...change }, trx);
}
