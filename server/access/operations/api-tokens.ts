// createApiToken, revokeApiToken: Content API tokens. A token is a grant: in one transaction, with
// the caller's roles locked and read in it, the grant policy's token rule (what the token may do,
// the caller may do in the admin, on every field and unconditionally; full access needs a Super
// Admin), the write and its `api-tokens.*` audit row. A revoke is forgotten by every instance after
// the commit.
import type { ApiToken, CreateTokenInput } from '../../auth/api-tokens.js';
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from './deps.js';
import { granterIn } from './granter.js';

/** Creates a token; answers it (shown this once) with its record. */
export function createApiToken(
  deps: AccessOperationDeps,
  request: AccessRequest & { input: CreateTokenInput },
): Promise<{ token: string; record: ApiToken }> {
  return inTransaction(deps, async (trx) => {
    const { policy } = await granterIn(deps, trx, request.caller, { action: 'create', subject: 'api-tokens' });
    policy.assertMayCreateToken(request.input);
    const created = await deps.apiTokens.createIn(trx, request.input);
    await auditIn(deps, trx, request, {
      action: 'api-tokens.create',
      subject: 'api-tokens',
      entityId: created.record.id,
      details: { name: created.record.name, type: created.record.type },
    });
    return created;
  });
}

/** Revokes a token (by id, or by name for the CLI); revoking one already revoked changes nothing. */
export function revokeApiToken(
  deps: AccessOperationDeps,
  request: AccessRequest & { token: { id: number } | { name: string } },
): Promise<ApiToken> {
  return inTransaction(deps, async (trx, afterCommit) => {
    await granterIn(deps, trx, request.caller, { action: 'delete', subject: 'api-tokens' });
    const { record, revoked } = await deps.apiTokens.revokeIn(trx, request.token);
    await auditIn(deps, trx, request, {
      action: 'api-tokens.revoke',
      subject: 'api-tokens',
      entityId: record.id,
      details: { name: record.name },
    });
    if (revoked) afterCommit(() => deps.apiTokens.forget());
    return record;
  });
}
