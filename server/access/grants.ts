// No escalation through any grant. Every path that hands out a permission — a role's permissions,
// a role given to a user (creation, change, invitation), an API token, the Public role — is judged
// by this policy, and so is every change that could hand over an account (its email, active state,
// roles, deletion, invitation). One rule throughout: a caller gives, and acts on, only what it
// holds itself. Holding everything is the Super Admin role (or the system caller of the CLI), never
// inferred from what an ability happens to allow.
//
// The policy is asked only by the access operations (access/operations/), inside the write's own
// transaction: built there on what the caller holds as read in that transaction (its roles locked)
// and reading the roles it judges through that transaction, so the state judged is the state written.
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { ForbiddenError, ValidationError } from '../errors.js';
import type { Caller } from './caller.js';
import {
  ADMIN_CONTENT_ACTIONS,
  systemActionsOf,
  ALL_CONTENT_TYPES,
  isSystemSubject,
  type HeldPermissions,
  type PermissionRow,
} from './ability.js';
import type { PermissionConditions } from './conditions.js';
import { normalizeEmail } from '../auth/users.js';
import { memberItem, type MemberGrant } from './member-grants.js';
import {
  parseAllowList,
  SUPER_ADMIN,
  type AbilityCaller,
  type AccessService,
  type PermissionInput,
  type Role,
} from './service.js';

const HOLDS_NOTHING: HeldPermissions = { everything: false, rows: [] };

/** What a caller may grant: admin users and the system carry it; anyone else holds nothing. */
export function heldBy(caller: Caller): HeldPermissions {
  return (caller as Partial<AbilityCaller>).held ?? HOLDS_NOTHING;
}

/** Conditions in one shape (built-ins as a sorted set, no empty parts), null when unconditional. */
function normalConditions(conditions: PermissionConditions | null | undefined): PermissionConditions | null {
  const builtins = [...new Set(conditions?.builtins ?? [])].sort();
  const query = conditions?.query && Object.keys(conditions.query).length ? conditions.query : undefined;
  if (!builtins.length && !query) return null;
  return { ...(builtins.length ? { builtins } : {}), ...(query ? { query } : {}) };
}

function subjectCovers(held: string, wanted: string): boolean {
  return held === wanted || (held === ALL_CONTENT_TYPES && !isSystemSubject(wanted));
}

/**
 * Do these rows give `wanted`: its action on its subject, on at least its fields, unconditionally
 * or under exactly its conditions? Rows that qualify add up their fields, as CASL combines them.
 */
export function covers(rows: readonly PermissionRow[], wanted: PermissionRow): boolean {
  const conditions = normalConditions(wanted.conditions);
  const qualifying = rows.filter((row) => {
    if (row.action !== wanted.action || !subjectCovers(row.subject, wanted.subject)) return false;
    const own = normalConditions(row.conditions);
    return own === null || isDeepStrictEqual(own, conditions);
  });
  if (qualifying.some((row) => row.fields === null)) return true;
  if (wanted.fields === null) return false;
  const fields = new Set(qualifying.flatMap((row) => row.fields ?? []));
  return wanted.fields.every((field) => fields.has(field));
}

function describe(row: PermissionRow): string {
  const fields = row.fields ? ` (fields ${row.fields.join(', ')})` : '';
  const conditions = row.conditions ? ` when ${JSON.stringify(normalConditions(row.conditions))}` : '';
  return `${row.action} on ${row.subject}${fields}${conditions}`;
}

function toRow(input: PermissionInput): PermissionRow {
  return {
    action: input.action,
    subject: input.subject,
    fields: input.fields ?? null,
    conditions: normalConditions(input.conditions),
  };
}

const unconditional = (action: string, subject: string): PermissionRow => ({
  action,
  subject,
  fields: null,
  conditions: null,
});

/**
 * The admin permission a Content API grant needs: reads need `read`, writes their own action, on the
 * fields the grant opens (all without a field list), unconditionally.
 */
function adminEquivalent(grant: { subject: string; action: string; fields?: string[] | null }): PermissionRow {
  const action = ['find', 'findOne', 'findDrafts'].includes(grant.action) ? 'read' : grant.action;
  return { ...unconditional(action, grant.subject), fields: grant.fields ?? null };
}

/** The rows of `wanted` that `held` does not give (none when it holds everything). */
function lacking(held: HeldPermissions, wanted: readonly PermissionRow[]): PermissionRow[] {
  return held.everything ? [] : wanted.filter((row) => !covers(held.rows, row));
}

function lackList(rows: readonly PermissionRow[]): string {
  return rows.map(describe).join('; ');
}

/** The account changes that hand an account over, as the user routes accept them. */
type RoleRef = Pick<Role, 'id' | 'code' | 'name'>;

export interface AccountChange {
  email?: string;
  isActive?: boolean;
  roles?: (number | string)[];
}

export class GrantPolicy {
  constructor(
    private readonly access: AccessService,
    /** The operation's transaction: every role and permission judged is read through it. */
    private readonly db: Knex,
    /** What the caller holds, read in that transaction. */
    private readonly held: HeldPermissions,
    /** The content types in force (the catalogue's), read before the transaction. */
    private readonly contentTypes: readonly string[],
  ) {}

  /** 400 unless every row is in the admin catalogue: its actions on content types, `*` or system subjects. */
  assertInCatalogue(permissions: readonly Pick<PermissionRow, 'action' | 'subject'>[]): void {
    const types = new Set(this.contentTypes);
    for (const { action, subject } of permissions) {
      if (subject === 'audit-log')
        throw new ValidationError('The audit log is for Super Admins only: it cannot be granted to a role');
      const content = subject === ALL_CONTENT_TYPES || types.has(subject);
      if (!content && !isSystemSubject(subject))
        throw new ValidationError(
          `Invalid permission subject "${subject}": expected a content type, * or a system subject`,
        );
      const actions: readonly string[] = content ? ADMIN_CONTENT_ACTIONS : systemActionsOf(subject);
      if (!actions.includes(action))
        throw new ValidationError(`Invalid action "${action}" on ${subject}: expected ${actions.join(', ')}`);
    }
  }

  /**
   * A role's new permission set is judged on the rows the role does not already give (added or
   * widened): each must be in the catalogue and held by the caller itself. Removed, unchanged and
   * narrowed rows need no right, so the matrix can send back a row of a type deleted since.
   */
  async assertMaySetPermissions(roleId: number, permissions: readonly PermissionInput[]): Promise<void> {
    await this.assertMayEditRole(roleId);
    const current = await this.access.getPermissions(roleId, this.db);
    const changed = permissions.map(toRow).filter((row) => !covers(current, row));
    this.assertInCatalogue(changed);
    const missing = lacking(this.held, changed);
    if (missing.length)
      throw new ForbiddenError(`You can only grant permissions you hold yourself; you lack ${lackList(missing)}`, {
        lacking: missing,
      });
  }

  /** Only a Super Admin edits the Super Admin role. */
  async assertMayEditRole(roleId: number): Promise<void> {
    const role = await this.access.getRole(roleId, this.db);
    if (role.code === SUPER_ADMIN && !this.held.everything)
      throw new ForbiddenError('Only a Super Admin may edit the Super Admin role');
  }

  /** Giving these roles to an account (creating it, inviting it): the caller must hold everything they grant. */
  async assertMayAssignRoles(roles: readonly (number | string)[]): Promise<void> {
    await this.assertHoldsRoles(await this.access.resolveRoles(roles, this.db), 'give a user the role');
  }

  /**
   * A change of email, active state or roles hands the account over (a new email takes its password
   * resets): the caller must hold everything the account's roles grant, and the roles it gives.
   * Only real changes count, so a form sending back unchanged values is judged on what it changes.
   */
  async assertMayChangeAccount(
    target: { email: string; isActive: boolean; roles: RoleRef[] },
    change: AccountChange,
  ): Promise<void> {
    const changes: string[] = [];
    if (change.email !== undefined && normalizeEmail(change.email) !== target.email) changes.push('email');
    if (change.isActive !== undefined && change.isActive !== target.isActive) changes.push('active state');
    const before = new Set(target.roles.map((r) => r.id));
    const after = change.roles ? await this.access.resolveRoles(change.roles, this.db) : undefined;
    const added = after?.filter((r) => !before.has(r.id)) ?? [];
    if (after && (added.length || after.length !== before.size)) changes.push('roles');
    if (!changes.length) return;
    await this.assertMayActOn(target, `change the ${changes.join(', ')} of a user with the role`);
    await this.assertHoldsRoles(added, 'give a user the role');
  }

  /** Deleting an account, re-issuing its invitation: the caller must hold everything its roles grant. */
  assertMayActOn(target: { roles: RoleRef[] }, doing: string): Promise<void> {
    return this.assertHoldsRoles(target.roles, doing);
  }

  /**
   * A token acts through the Content API on what the caller may act on in the admin, on every field
   * and unconditionally (a token has no user for the creator conditions). A read-only token reads
   * every content type, present and future, and media; a full-access one can do anything.
   */
  assertMayCreateToken(input: { type: 'read-only' | 'full-access' | 'custom'; allow?: string[] }): void {
    const held = this.held;
    if (input.type === 'full-access' && !held.everything)
      throw new ForbiddenError('Only a Super Admin may create a full-access API token');
    const wanted =
      input.type === 'read-only'
        ? [unconditional('read', ALL_CONTENT_TYPES), unconditional('read', 'upload')]
        : parseAllowList(input.allow ?? []).map(adminEquivalent);
    const missing = lacking(held, wanted);
    if (missing.length)
      throw new ForbiddenError(
        `An API token may only do what you may do yourself, on every field and unconditionally; you lack ` +
          `${lackList(missing)}`,
        { lacking: missing },
      );
  }

  /**
   * A member role is a grant to everyone who may sign up (and the Public role to everyone): each
   * permission it gains follows the token rule — the caller's own, unconditional, on the fields it
   * opens (a field-limited grant needs those fields only). `grants` are canonical (AccessService.memberGrants).
   */
  async assertMaySetMemberRole(roleId: number, label: string, grants: readonly MemberGrant[]): Promise<void> {
    const current = new Set(await this.access.getMemberRolePermissions(roleId, this.db));
    const added = grants.filter((g) => !current.has(memberItem(g)));
    const missing = lacking(this.held, added.map(adminEquivalent));
    if (missing.length)
      throw new ForbiddenError(
        `${label} may only do what you may do yourself, unconditionally, on the fields it opens; you lack ` +
          `${lackList(missing)}`,
        { lacking: missing },
      );
  }

  private async assertHoldsRoles(roles: readonly RoleRef[], doing: string): Promise<void> {
    const held = this.held;
    if (held.everything) return;
    for (const role of roles) {
      if (role.code === SUPER_ADMIN) throw new ForbiddenError(`Only a Super Admin may ${doing} "${role.name}"`);
      const missing = lacking(held, await this.access.getPermissions(role.id, this.db));
      if (missing.length)
        throw new ForbiddenError(
          `To ${doing} "${role.name}" you need everything it grants; you lack ${lackList(missing)}`,
          { role: role.name, lacking: missing },
        );
    }
  }
}
