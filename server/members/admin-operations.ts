// What admins do to members from the dashboard (Admin API, server/routes/admin-api/members.ts):
// members settings, member roles, and a member's block, role and confirmation. Access operations
// like the others (server/access/operations/): the caller's right read and checked in the change's
// transaction (granterIn), the write and its audit row there, abilities and token states rebuilt
// after the commit. A role's permissions: access/operations/public-permissions.ts.
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from '../access/operations/deps.js';
import { granterIn } from '../access/operations/granter.js';
import type { MemberAuth } from './auth.js';
import type { MemberJson } from './members.js';
import type { MemberRole } from './roles.js';
import {
  readMemberSettings,
  writeMemberSettingsIn,
  type MemberSettings,
  type MemberSettingsInput,
} from './settings.js';
import { redactSecrets } from './oauth-secrets.js';
import { NotFoundError, ValidationError } from '../errors.js';
import {
  applyTemplates,
  templatesView,
  type MailKind,
  type MailTemplateView,
  type MailTemplatesInput,
} from './mail-templates.js';

export type MemberAdminDeps = AccessOperationDeps & { members: MemberAuth };

export function updateMemberSettings(
  deps: MemberAdminDeps,
  request: AccessRequest & { settings: MemberSettingsInput },
): Promise<MemberSettings> {
  return inTransaction(deps, async (trx, afterCommit) => {
    await granterIn(deps, trx, request.caller, { action: 'update', subject: 'settings' });
    if (!(await deps.members.roles.byCode(request.settings.defaultRole, trx)))
      throw new ValidationError(`Unknown member role "${request.settings.defaultRole}"`);
    if (request.settings.defaultRole === 'public')
      throw new ValidationError('New members cannot get the Public role: it is the role of callers without a token');
    const current = await readMemberSettings(trx);
    // Checked as their own route checks them (unknown variables are a 400).
    if (request.settings.emailTemplates) applyTemplates({}, request.settings.emailTemplates);
    const stored = deps.members.oauthSecrets.toStore(request.settings, current);
    await writeMemberSettingsIn(trx, stored);
    const answer = redactSecrets(stored); // the audit log never holds a client secret either
    await auditIn(deps, trx, request, {
      action: 'settings.update',
      subject: 'settings',
      entityId: 'members',
      details: { ...answer },
    });
    afterCommit(() => deps.access.invalidate()); // settings are trusted for the access freshness
    return answer;
  });
}

/** Saves the members' mail templates (a kind sent as null goes back to Folio's built-in mail). */
export function updateMemberEmailTemplates(
  deps: MemberAdminDeps,
  request: AccessRequest & { templates: MailTemplatesInput },
): Promise<Record<MailKind, MailTemplateView>> {
  return inTransaction(deps, async (trx, afterCommit) => {
    await granterIn(deps, trx, request.caller, { action: 'update', subject: 'settings' });
    const current = await readMemberSettings(trx);
    const emailTemplates = applyTemplates(current.emailTemplates, request.templates);
    await writeMemberSettingsIn(trx, { ...current, emailTemplates });
    await auditIn(deps, trx, request, {
      action: 'settings.update',
      subject: 'settings',
      entityId: 'members.email-templates',
      details: { kinds: Object.keys(request.templates) },
    });
    afterCommit(() => deps.access.invalidate()); // settings are trusted for the access freshness
    return templatesView(emailTemplates, { resetPage: current.resetPasswordUrl !== '' });
  });
}

export function createMemberRole(
  deps: MemberAdminDeps,
  request: AccessRequest & { input: { name: string; description?: string } },
): Promise<MemberRole> {
  return inTransaction(deps, async (trx) => {
    await granterIn(deps, trx, request.caller, { action: 'create', subject: 'roles' });
    const role = await deps.members.roles.createIn(trx, request.input);
    await auditIn(deps, trx, request, {
      action: 'roles.create',
      subject: 'roles',
      entityId: `member:${role.type}`,
      details: { name: role.name },
    });
    return role;
  });
}

export function deleteMemberRole(deps: MemberAdminDeps, request: AccessRequest & { id: number }): Promise<MemberRole> {
  return inTransaction(deps, async (trx, afterCommit) => {
    await granterIn(deps, trx, request.caller, { action: 'delete', subject: 'roles' });
    const settings = await readMemberSettings(trx); // through trx: SQLite has one connection
    const role = await deps.members.roles.get(request.id, trx);
    if (settings.defaultRole === role.type)
      throw new ValidationError(`The role "${role.name}" is the default role of new members: choose another first`);
    await deps.members.roles.deleteIn(trx, request.id);
    await auditIn(deps, trx, request, {
      action: 'roles.delete',
      subject: 'roles',
      entityId: `member:${role.type}`,
      details: { name: role.name },
    });
    afterCommit(() => deps.access.invalidate());
    return role;
  });
}

export interface AdminMemberPatch {
  blocked?: boolean;
  confirmed?: boolean;
  roleId?: number;
  /** Set at once, without the member's confirmation (audited; a pending change it had asked for ends). */
  email?: string;
}

/**
 * Blocks or unblocks a member, confirms it, gives it another role or another email; a block ends its
 * tokens (and refresh tokens) at once.
 */
export async function adminUpdateMember(
  deps: MemberAdminDeps,
  request: AccessRequest & { id: number; patch: AdminMemberPatch },
): Promise<MemberJson> {
  const { json, changed } = await inTransaction(deps, async (trx) => {
    await granterIn(deps, trx, request.caller, { action: 'update', subject: 'users' });
    if (request.patch.roleId !== undefined) {
      const role = await deps.members.roles.get(request.patch.roleId, trx).catch(() => undefined);
      if (!role || role.type === 'public')
        throw new ValidationError(`Unknown member role ${request.patch.roleId} (the Public role is not a member's)`);
    }
    const { row, tokenStateChanged } = await deps.members.members.updateIn(trx, request.id, request.patch);
    const action =
      request.patch.blocked === true
        ? 'members.block'
        : request.patch.blocked === false
          ? 'members.unblock'
          : 'members.update';
    await auditIn(deps, trx, request, {
      action,
      subject: 'members',
      entityId: request.id,
      details: { ...request.patch },
    });
    return { json: await deps.members.members.json(row, true, trx), changed: tokenStateChanged };
  });
  if (changed) await deps.access.invalidate();
  return json;
}

/**
 * Sends an unconfirmed member a new confirmation link (after the answer, like every member mail);
 * 400 for a member already confirmed or blocked. Audited as `members.send-confirmation`.
 */
export async function resendMemberConfirmation(
  deps: MemberAdminDeps,
  request: AccessRequest & { id: number },
): Promise<void> {
  await inTransaction(deps, async (trx) => {
    await granterIn(deps, trx, request.caller, { action: 'update', subject: 'users' });
    const row = await deps.members.members.rowById(request.id, trx);
    if (!row) throw new NotFoundError('User not found');
    if (row.confirmed) throw new ValidationError('This member has already confirmed its email');
    if (row.blocked) throw new ValidationError('This member is blocked');
    await auditIn(deps, trx, request, {
      action: 'members.send-confirmation',
      subject: 'members',
      entityId: request.id,
    });
  });
  deps.members.mailLater(async () => deps.members.newConfirmationMail(await deps.members.members.rowById(request.id)));
}
