// Roles, their permissions, the Public role, and the callers built from them. Abilities are built
// once per role set (and user, for the creator conditions) and rebuilt when roles, permissions or
// role assignments change: `invalidate()` here, on every instance through the bus.
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { Caller, DocumentScope } from './caller.js';
import {
  ALL_CONTENT_TYPES,
  buildAdminAbility,
  buildListAbility,
  buildTokenAbility,
  createAppAbility,
  type AppAbility,
  type HeldPermissions,
  type PermissionRow,
} from './ability.js';
import type { InvalidationBus } from './bus.js';
import { permissionConditionsSchema, type PermissionConditions } from './conditions.js';
import { z } from 'zod';
import { slugify } from '../slug.js';
import {
  memberItem,
  parseMemberAllowList,
  withSchemaFields,
  type MemberGrant,
  type TypeAttributes,
} from './member-grants.js';

/** A caller that also carries its CASL ability, for the content engine's SQL conditions. */
export interface AbilityCaller extends Caller {
  ability: AppAbility;
  /** Admin callers: the user's email, for logs and the audit trail. */
  label?: string;
  /** What the caller may grant (admin users and the system); absent: nothing. */
  held?: HeldPermissions;
}

/** The ability behind a caller. Every caller carries one, the system caller included. */
export function abilityOf(caller: Caller): AppAbility {
  const ability = (caller as Partial<AbilityCaller>).ability;
  if (!ability) throw new Error(`A ${caller.kind} caller without an ability reached an access check`);
  return ability;
}

function callerFrom(
  kind: Caller['kind'],
  ability: AppAbility,
  id?: number,
  label?: string,
  held?: HeldPermissions,
): AbilityCaller {
  return { kind, id, label, ability, held, can: (action, subject, field) => ability.can(action, subject, field) };
}

export interface Role {
  id: number;
  code: string;
  name: string;
  description: string;
  builtin: boolean;
  usersCount?: number;
}

export const SUPER_ADMIN = 'super-admin';
const ACCESS_VERSION_KEY = 'access_version';

export const permissionInputSchema = z
  .object({
    action: z.string().trim().min(1).max(64),
    subject: z.string().trim().min(1).max(191),
    fields: z.array(z.string().min(1).max(191)).nullable().optional(),
    conditions: permissionConditionsSchema.nullable().optional(),
  })
  .strict();
export type PermissionInput = z.infer<typeof permissionInputSchema>;

interface RoleRow {
  id: number;
  code: string;
  name: string;
  description: string;
  is_builtin: number | boolean;
}

function toRole(r: RoleRow): Role {
  return { id: Number(r.id), code: r.code, name: r.name, description: r.description, builtin: Boolean(r.is_builtin) };
}

/** The code a new role is known by, derived from its name. */
function roleCode(name: string): string {
  return slugify(name).slice(0, 150) || 'role';
}

export class AccessService {
  private readonly rulesByRoleSet = new Map<
    string,
    { rows: PermissionRow[]; superAdmin: boolean; needsSameRole: boolean }
  >();
  private readonly abilities = new LRUCache<string, AbilityCaller>({ max: 2000 });
  private publicCaller?: AbilityCaller;
  /** Member roles' abilities by role id (members of one role share one). */
  private readonly memberAbilities = new Map<number, { allow: string[]; shared?: AppAbility }>();

  /**
   * How often (ms) a cached ability is checked against the access version stored in the database,
   * which catches changes made by another process without Redis (the CLI's `permissions grant`).
   */
  freshnessMs = 1000;
  private knownVersion?: string;
  private checkedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly bus: InvalidationBus,
    /** The content types' singularNames in force, for the permission catalogue (the schema registry's). */
    readonly contentTypes: () => Promise<string[]>,
    /**
     * Each content type's attribute names in schema order, for member field allowlists. Read before
     * a transaction, never in one: the schema registry reads through its own connection.
     */
    readonly contentAttributes: () => Promise<TypeAttributes>,
  ) {
    bus.on(() => this.clearLocal());
  }

  private async ensureFresh(): Promise<void> {
    const now = Date.now();
    if (now - this.checkedAt < this.freshnessMs) return;
    this.checkedAt = now;
    const row: { value: string } | undefined = await this.db('folio_meta')
      .where({ key: ACCESS_VERSION_KEY })
      .first('value');
    const version = row?.value ?? '';
    if (this.knownVersion !== undefined && version !== this.knownVersion) this.clearLocal();
    this.knownVersion = version;
  }

  private clearLocal(): void {
    this.rulesByRoleSet.clear();
    this.abilities.clear();
    this.publicCaller = undefined;
    this.memberAbilities.clear();
  }

  /**
   * Called whenever abilities are invalidated here, by another process through Redis included
   * (e.g. a response cache that must forget what callers were allowed to see).
   */
  onInvalidate(listener: () => void): () => void {
    return this.bus.on(listener);
  }

  /** Resolves once invalidations from other instances can arrive (at once without Redis). */
  ready(): Promise<void> {
    return this.bus.ready();
  }

  /** Roles, permissions, the Public role or role assignments changed: rebuild everywhere. */
  async invalidate(): Promise<void> {
    const version = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await this.db('folio_meta')
      .insert({ key: ACCESS_VERSION_KEY, value: version })
      .onConflict('key')
      .merge({ value: version });
    this.knownVersion = version;
    this.checkedAt = Date.now();
    this.bus.publish();
  }

  // --- callers -------------------------------------------------------------------------------

  async adminCaller(user: { id: number; email: string; roleIds: number[] }): Promise<AbilityCaller> {
    await this.ensureFresh();
    const roleKey = [...user.roleIds].sort((a, b) => a - b).join(',');
    const cacheKey = `${user.id}|${roleKey}`;
    const cached = this.abilities.get(cacheKey);
    if (cached) return cached;
    let rules = this.rulesByRoleSet.get(roleKey);
    if (!rules) {
      rules = await this.loadRules(user.roleIds);
      this.rulesByRoleSet.set(roleKey, rules);
    }
    const sameRoleUserIds =
      rules.needsSameRole && user.roleIds.length
        ? (await this.db('folio_admin_user_roles').distinct('user_id').whereIn('role_id', user.roleIds)).map(
            (r: { user_id: number }) => Number(r.user_id),
          )
        : [user.id];
    const ability = buildAdminAbility(rules.rows, { id: user.id, sameRoleUserIds }, rules.superAdmin);
    const caller = callerFrom('admin', ability, user.id, user.email, {
      everything: rules.superAdmin,
      rows: rules.rows,
    });
    this.abilities.set(cacheKey, caller);
    return caller;
  }

  async publicRoleCaller(): Promise<AbilityCaller> {
    await this.ensureFresh();
    if (!this.publicCaller)
      this.publicCaller = callerFrom('public', buildListAbility(await this.getPublicPermissions()));
    return this.publicCaller;
  }

  tokenCaller(token: {
    id: number;
    name: string;
    type: 'read-only' | 'full-access' | 'custom';
    allow: string[];
  }): AbilityCaller {
    return callerFrom('api-token', buildTokenAbility(token.type, token.allow), token.id, token.name);
  }

  /**
   * A preview token's caller: reads (drafts included) of its one type, confined to its one document
   * and locale by the read operation (content/operations/find-documents.ts).
   */
  previewCaller(scope: DocumentScope): AbilityCaller {
    const ability = createAppAbility([{ action: ['find', 'findOne', 'findDrafts'], subject: scope.uid }]);
    return { ...callerFrom('preview', ability), document: scope };
  }

  private async loadRules(
    roleIds: number[],
    db: Knex = this.db,
  ): Promise<{ rows: PermissionRow[]; superAdmin: boolean; needsSameRole: boolean }> {
    if (!roleIds.length) return { rows: [], superAdmin: false, needsSameRole: false };
    const roles = await db<RoleRow>('folio_roles').whereIn('id', roleIds);
    const superAdmin = roles.some((r) => r.code === SUPER_ADMIN);
    const rows = (await db('folio_permissions').whereIn('role_id', roleIds).orderBy('id')).map(toPermission);
    return {
      rows,
      superAdmin,
      needsSameRole: rows.some((r) => r.conditions?.builtins?.includes('hasSameRoleAsCreator')),
    };
  }

  /**
   * What these roles hold, read through `db` (an operation's transaction, after it locked the
   * roles): the grant policy judges a caller on this, never on an ability cached before the change.
   */
  async heldIn(db: Knex, roleIds: number[]): Promise<HeldPermissions> {
    const rules = await this.loadRules(roleIds, db);
    return { everything: rules.superAdmin, rows: rules.rows };
  }

  // --- roles ---------------------------------------------------------------------------------

  async listRoles(): Promise<Role[]> {
    const rows = await this.db<RoleRow>('folio_roles').orderBy('id');
    const counts: { role_id: number; n: number | string }[] = await this.db('folio_admin_user_roles')
      .select('role_id')
      .count({ n: '*' })
      .groupBy('role_id');
    return rows.map((r) => ({
      ...toRole(r),
      usersCount: Number(counts.find((c) => Number(c.role_id) === Number(r.id))?.n ?? 0),
    }));
  }

  async getRole(id: number, db: Knex = this.db): Promise<Role> {
    const row = await db('folio_roles').where({ id }).first<RoleRow | undefined>();
    if (!row) throw new NotFoundError('Role not found');
    return toRole(row);
  }

  async roleByCode(code: string, db: Knex = this.db): Promise<Role | undefined> {
    const row = await db('folio_roles').where({ code }).orWhere({ name: code }).first<RoleRow | undefined>();
    return row ? toRole(row) : undefined;
  }

  /** Roles named by id, code or name, each once; 400 naming the first unknown one. */
  async resolveRoles(refs: readonly (number | string)[], db: Knex = this.db): Promise<Role[]> {
    const roles = new Map<number, Role>();
    for (const ref of refs) {
      const role =
        typeof ref === 'number' ? await this.getRole(ref, db).catch(() => undefined) : await this.roleByCode(ref, db);
      if (!role) throw new ValidationError(`Unknown role "${ref}"`);
      roles.set(role.id, role);
    }
    return [...roles.values()];
  }

  /** Creates a role (unchecked: fixtures, the demo; callers go through access/operations/roles.ts). */
  createRole(input: { name: string; description?: string }): Promise<Role> {
    return this.db.transaction((trx) => this.createRoleIn(trx, input));
  }

  /** Writes a new role in `trx`: no permissions yet, so nothing to invalidate. */
  async createRoleIn(trx: Knex.Transaction, input: { name: string; description?: string }): Promise<Role> {
    const now = Date.now();
    if (await trx('folio_roles').where({ name: input.name }).first())
      throw new ValidationError(`A role named "${input.name}" already exists`);
    let code = roleCode(input.name);
    for (let i = 2; await trx('folio_roles').where({ code }).first(); i++) code = `${roleCode(input.name)}-${i}`;
    const [id] = await trx('folio_roles').insert({
      code,
      name: input.name,
      description: input.description ?? '',
      is_builtin: false,
      created_at: now,
      updated_at: now,
    });
    return this.getRole(Number(id), trx);
  }

  /** Renames or re-describes a role in `trx` (a name or description grants nothing). */
  async updateRoleIn(trx: Knex.Transaction, id: number, input: { name?: string; description?: string }): Promise<Role> {
    await this.getRole(id, trx);
    if (input.name && (await trx('folio_roles').where({ name: input.name }).whereNot({ id }).first())) {
      throw new ValidationError(`A role named "${input.name}" already exists`);
    }
    const patch: Record<string, unknown> = { updated_at: Date.now() };
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    await trx('folio_roles').where({ id }).update(patch);
    return this.getRole(id, trx);
  }

  /** Deletes a role nobody holds, in `trx`; the caller invalidates abilities after the commit. */
  async deleteRoleIn(trx: Knex.Transaction, id: number): Promise<Role> {
    const role = await this.getRole(id, trx);
    if (role.builtin) throw new ValidationError(`The built-in role "${role.name}" cannot be deleted`);
    const users = await trx('folio_admin_user_roles').where({ role_id: id }).count({ n: '*' });
    if (Number(users[0].n) > 0)
      throw new ConflictError(`The role "${role.name}" is still held by ${users[0].n} user(s)`);
    await trx('folio_roles').where({ id }).delete();
    return role;
  }

  // --- permissions ---------------------------------------------------------------------------

  async getPermissions(roleId: number, db: Knex = this.db): Promise<PermissionRow[]> {
    await this.getRole(roleId, db);
    return (await db('folio_permissions').where({ role_id: roleId }).orderBy('id')).map(toPermission);
  }

  /**
   * Replaces a role's permissions, unchecked (fixtures, migrations of tests); callers go through
   * access/operations/role-permissions.ts, which judges the grant in the same transaction.
   */
  async setPermissions(roleId: number, input: PermissionInput[]): Promise<PermissionRow[]> {
    const saved = await this.db.transaction((trx) => this.setPermissionsIn(trx, roleId, input));
    await this.invalidate();
    return saved;
  }

  /** Replaces a role's permissions in `trx`. Super Admin's are not editable. Invalidate after the commit. */
  async setPermissionsIn(trx: Knex.Transaction, roleId: number, input: PermissionInput[]): Promise<PermissionRow[]> {
    const role = await this.getRole(roleId, trx);
    if (role.code === SUPER_ADMIN)
      throw new ForbiddenError('Super Admin permissions cannot be changed: the role may do everything');
    for (const p of input) {
      if (p.subject === 'audit-log')
        throw new ValidationError('The audit log is for Super Admins only: it cannot be granted to a role');
      if (p.subject !== ALL_CONTENT_TYPES && !/^[a-z][a-z0-9-]*$/.test(p.subject))
        throw new ValidationError(`Invalid permission subject "${p.subject}"`);
    }
    await trx('folio_permissions').where({ role_id: roleId }).delete();
    if (input.length) {
      await trx('folio_permissions').insert(
        input.map((p) => ({
          role_id: roleId,
          action: p.action,
          subject: p.subject,
          fields: p.fields ? JSON.stringify(p.fields) : null,
          conditions:
            p.conditions && (p.conditions.builtins?.length || p.conditions.query) ? JSON.stringify(p.conditions) : null,
        })),
      );
    }
    await trx('folio_roles').where({ id: roleId }).update({ updated_at: Date.now() });
    return this.getPermissions(roleId, trx);
  }

  // --- member roles (the Content API's: Public, Authenticated, custom) ----------------------------

  /**
   * The caller of a signed-in member: its role's permissions, the same list-of-`type.action`
   * ability as the Public role's (one path for both), the member's id for its own routes.
   */
  async memberCaller(member: { id: number; roleId: number; label?: string }): Promise<AbilityCaller> {
    await this.ensureFresh();
    let role = this.memberAbilities.get(member.roleId);
    if (!role) {
      const allow = await this.getMemberRolePermissions(member.roleId);
      // Without owner conditions the role's members share one ability; with them, each its own.
      const own = parseMemberAllowList(allow).some((g) => g.own);
      role = { allow, shared: own ? undefined : buildListAbility(allow) };
      this.memberAbilities.set(member.roleId, role);
    }
    return callerFrom('member', role.shared ?? buildListAbility(role.allow, member.id), member.id, member.label);
  }

  /** The id of the built-in member role `code` (`public`, `authenticated`). */
  async memberRoleId(code: string, db: Knex = this.db): Promise<number> {
    const row = await db('folio_member_roles').where({ code }).first<{ id: number } | undefined>('id');
    if (!row) throw new NotFoundError(`No member role "${code}"`);
    return Number(row.id);
  }

  /**
   * A member role's permissions as items (`type.action`, `:own` for the owner condition, `(fields)`
   * for a field allowlist in the schema's attribute order), sorted by type and action.
   */
  async getMemberRolePermissions(roleId: number, db: Knex = this.db): Promise<string[]> {
    const rows: { subject: string; action: string; conditions: string | null; fields: string | null }[] = await db(
      'folio_member_permissions',
    )
      .where({ role_id: roleId })
      .orderBy(['subject', 'action'])
      .select('subject', 'action', 'conditions', 'fields');
    return rows.map((r) =>
      memberItem({
        subject: r.subject,
        action: r.action,
        own: ownerConditionOf(r.conditions),
        fields: r.fields ? (JSON.parse(r.fields) as string[]) : null,
      }),
    );
  }

  /**
   * A list's grants as they will be stored: parsed (400 when malformed), one per type and action,
   * field lists checked against the live schema and in its attribute order (400 naming unknown
   * fields). Outside any transaction (the schema is read); `attributes` when read already.
   */
  async memberGrants(allow: readonly string[], attributes?: TypeAttributes): Promise<MemberGrant[]> {
    return withSchemaFields(parseMemberAllowList(allow), attributes ?? (await this.contentAttributes()));
  }

  /** Replaces a member role's permissions in `trx` with these grants (memberGrants'); invalidate after the commit. */
  async setMemberRolePermissionsIn(
    trx: Knex.Transaction,
    roleId: number,
    grants: readonly MemberGrant[],
  ): Promise<string[]> {
    await trx('folio_member_permissions').where({ role_id: roleId }).delete();
    if (grants.length)
      await trx('folio_member_permissions').insert(
        grants.map((g) => ({
          role_id: roleId,
          subject: g.subject,
          action: g.action,
          // Stored as an admin permission's conditions and fields are: built-ins by name, a JSON list.
          conditions: g.own ? JSON.stringify({ builtins: ['isOwner'] }) : null,
          fields: g.fields ? JSON.stringify(g.fields) : null,
        })),
      );
    await trx('folio_member_roles').where({ id: roleId }).update({ updated_at: Date.now() });
    return this.getMemberRolePermissions(roleId, trx);
  }

  // --- Public role (the member role `public`) --------------------------------------------------

  async getPublicPermissions(db: Knex = this.db): Promise<string[]> {
    return this.getMemberRolePermissions(await this.memberRoleId('public', db), db);
  }

  /** Replaces the Public role's permissions, unchecked (the demo seeder, fixtures). */
  async setPublicPermissions(allow: string[]): Promise<string[]> {
    const grants = await this.memberGrants(allow);
    const saved = await this.db.transaction(async (trx) =>
      this.setMemberRolePermissionsIn(trx, await this.memberRoleId('public', trx), grants),
    );
    await this.invalidate();
    return saved;
  }

  async grantPublic(allow: string[]): Promise<string[]> {
    const current = new Set(await this.getPublicPermissions());
    return this.setPublicPermissions([...current, ...allow]);
  }

  /** Takes the types' actions away, whatever field list they held. */
  async revokePublic(allow: string[]): Promise<string[]> {
    const remove = new Set(parseAllowList(allow).map((p) => `${p.subject}.${p.action}`));
    const kept = parseMemberAllowList(await this.getPublicPermissions()).filter(
      (g) => !remove.has(`${g.subject}.${g.action}`),
    );
    return this.setPublicPermissions(kept.map(memberItem));
  }
}

const CONTENT_API_ACTION = /^(find|findOne|create|update|delete|findDrafts)$/;

function ownerConditionOf(conditions: string | null): boolean {
  if (!conditions) return false;
  const parsed = JSON.parse(conditions) as { builtins?: string[] };
  return parsed.builtins?.includes('isOwner') === true;
}

/** "article.find,article.findOne" items → unique (subject, action) pairs; 400 on a malformed item. */
export function parseAllowList(allow: string[]): { subject: string; action: string }[] {
  const seen = new Map<string, { subject: string; action: string }>();
  for (const raw of allow) {
    const item = raw.trim();
    const dot = item.lastIndexOf('.');
    const subject = item.slice(0, dot);
    const action = item.slice(dot + 1);
    if (dot <= 0 || !/^[a-z][a-z0-9-]*$/.test(subject) || !CONTENT_API_ACTION.test(action)) {
      throw new ValidationError(
        `Invalid permission "${item}": expected <type>.<find|findOne|create|update|delete|findDrafts>`,
      );
    }
    seen.set(item, { subject, action });
  }
  return [...seen.values()];
}

interface PermissionDbRow {
  action: string;
  subject: string;
  fields: string | null;
  conditions: string | null;
}

function toPermission(r: PermissionDbRow): PermissionRow {
  return {
    action: r.action,
    subject: r.subject,
    fields: r.fields ? (JSON.parse(r.fields) as string[]) : null,
    conditions: r.conditions ? (JSON.parse(r.conditions) as PermissionConditions) : null,
  };
}
