// Strapi's users-permissions plugin → Folio's site members (docs/members.md), inside the Strapi
// import's transaction: roles (Strapi's `public` and `authenticated` become Folio's built-in ones,
// custom roles custom member roles with the same type code), each role's Content API permissions,
// end users (their documentId, role, and the bcrypt hash Strapi stores: it signs in as it is, see
// server/members/passwords.ts) and the plugin's advanced settings. Small: configuration and
// accounts, held in memory until finish (a user's role arrives as a link, after the entities).
import type { Knex } from 'knex';
import { dialectOf, lowerFunction } from '../db/connection.js';
import { DOCUMENT_ID_FORMAT, newDocumentId } from '../content/document-id.js';
import type { Folio } from '../folio.js';
import type { Model } from '../schema/model.js';
import { BUILTIN_MEMBER_ROLES } from '../members/roles.js';
import { parseMemberAllowList } from '../access/member-grants.js';
import { memberSettingsSchema, readMemberSettings, writeMemberSettingsIn } from '../members/settings.js';

type Json = Record<string, unknown>;

/** The Content API actions a member role can hold, as Strapi names them on a content type's controller. */
const CONTENT_ACTION = /^(api::[^.]+\.[^.]+)\.(find|findOne|create|update|delete)$/;

/** Strapi's advanced settings → Folio's member settings (unique_email has no switch: emails are unique). */
const SETTING_KEYS = {
  allow_register: 'registration',
  default_role: 'defaultRole',
  email_confirmation: 'emailConfirmation',
  email_confirmation_redirection: 'emailConfirmationRedirection',
  email_reset_password: 'resetPasswordUrl',
} as const;

export const ADVANCED_SETTINGS_KEY = 'plugin_users-permissions_advanced';

export interface MemberImportReport {
  count(what: string, by?: number): void;
  skip(what: string, why: string): void;
}

const isBuiltin = (type: string) => (BUILTIN_MEMBER_ROLES as readonly string[]).includes(type);

function toMs(value: unknown, fallback: number): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? fallback : ms;
}

export class StrapiMembers {
  /** Strapi role id → Folio member role id. */
  private readonly roleIds = new Map<number, number>();
  private readonly roleTypes = new Map<number, string>();
  private readonly permissionActions = new Map<number, string>();
  private readonly permissionRoles: Array<[number, number]> = [];
  private readonly userRoles: Array<[number, number]> = [];
  private readonly users = new Set<number>();
  private advanced: Json | undefined;
  private cleared = false;

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly folio: Folio,
    private readonly modelOf: (uid: string) => Model | undefined,
    private readonly report: MemberImportReport,
  ) {}

  /**
   * The archive's accounts and custom roles replace the database's (refused earlier unless
   * --replace); done at the archive's first users-permissions row, so an archive without the plugin
   * leaves members alone.
   */
  private async clear(): Promise<void> {
    if (this.cleared) return;
    this.cleared = true;
    await this.trx('folio_members').delete();
    await this.trx('folio_member_roles')
      .whereNotIn('code', [...BUILTIN_MEMBER_ROLES])
      .delete();
  }

  async role(id: number, data: Json): Promise<void> {
    await this.clear();
    const type = typeof data.type === 'string' ? data.type : '';
    if (!/^[a-z0-9][a-z0-9-_]{0,190}$/.test(type)) throw new Error('a role needs a type code');
    this.roleTypes.set(id, type);
    if (isBuiltin(type)) {
      const row = await this.trx('folio_member_roles').where({ code: type }).first<{ id: number }>('id');
      this.roleIds.set(id, Number(row.id));
      return;
    }
    const name = await this.freeRoleName(
      typeof data.name === 'string' && data.name.trim() ? data.name.trim() : type,
      type,
    );
    const now = Date.now();
    const [folioId] = await this.trx('folio_member_roles').insert({
      document_id:
        typeof data.documentId === 'string' && DOCUMENT_ID_FORMAT.test(data.documentId)
          ? data.documentId
          : newDocumentId(),
      code: type,
      name,
      description: typeof data.description === 'string' ? data.description.slice(0, 1000) : '',
      created_at: toMs(data.createdAt, now),
      updated_at: toMs(data.updatedAt, now),
    });
    this.roleIds.set(id, Number(folioId));
    this.report.count('member roles');
  }

  /**
   * A custom role's name, renamed `Name (type)` when another role has it: Strapi lets a custom role be
   * called "Public" or "Authenticated" beside the built-in ones (its names need not be unique), Folio's
   * role names are unique (without case, as MySQL compares them). The summary says so.
   */
  private async freeRoleName(name: string, type: string): Promise<string> {
    const lower = lowerFunction(dialectOf(this.trx));
    const taken = async (candidate: string) =>
      Boolean(
        await this.trx('folio_member_roles')
          .whereRaw(`${lower}(??) = ?`, ['name', candidate.toLowerCase()])
          .first('id'),
      );
    if (!(await taken(name))) return name;
    const renamed = `${name} (${type})`;
    if (await taken(renamed)) throw new Error(`two roles are named "${name}"; rename one in Strapi before exporting`);
    this.report.skip(
      `member role name "${name}"`,
      `another role has it (as Folio's built-in Public and Authenticated): the ${type} role is "${renamed}"`,
    );
    return renamed;
  }

  permission(id: number, data: Json): void {
    if (typeof data.action === 'string') this.permissionActions.set(id, data.action);
  }

  async user(id: number, data: Json): Promise<void> {
    await this.clear();
    const { documentId, username, email } = data;
    if (typeof documentId !== 'string' || !DOCUMENT_ID_FORMAT.test(documentId))
      throw new Error('it has no valid documentId');
    if (typeof username !== 'string' || !username) throw new Error('it has no username');
    if (typeof email !== 'string' || !email.includes('@')) throw new Error('it has no email');
    const password = data.password;
    const now = Date.now();
    const createdAt = toMs(data.createdAt, now);
    await this.trx('folio_members').insert({
      id,
      document_id: documentId,
      username,
      email: email.toLowerCase(),
      provider: typeof data.provider === 'string' && data.provider ? data.provider : 'local',
      // Strapi's bcrypt hash, verified as it is and replaced by argon2id at the first sign-in.
      password_hash: typeof password === 'string' && password ? password : null,
      confirmed: data.confirmed === true,
      blocked: data.blocked === true,
      // Every user links to its role; until the links are read, the Authenticated role.
      role_id: await this.folio.access.memberRoleId('authenticated', this.trx),
      token_version: 0,
      created_at: createdAt,
      updated_at: toMs(data.updatedAt, createdAt),
    });
    this.users.add(id);
    this.report.count('members');
  }

  /** A users-permissions link: a permission's role or a user's role. False when it is neither. */
  link(left: { type: string; ref: number; field: string }, right: { ref: number }): boolean {
    if (left.type === 'plugin::users-permissions.permission' && left.field === 'role')
      this.permissionRoles.push([left.ref, right.ref]);
    else if (left.type === 'plugin::users-permissions.user' && left.field === 'role')
      this.userRoles.push([left.ref, right.ref]);
    else return false;
    return true;
  }

  configuration(key: unknown, value: unknown): boolean {
    if (key !== ADVANCED_SETTINGS_KEY) return false;
    // The core store keeps its values as JSON text.
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`${ADVANCED_SETTINGS_KEY} is not an object`);
    this.advanced = parsed as Json;
    return true;
  }

  async finish(): Promise<void> {
    for (const [user, role] of this.userRoles) {
      const roleId = this.roleIds.get(role);
      if (!this.users.has(user)) throw new Error(`links: the archive holds no plugin::users-permissions.user ${user}`);
      if (roleId === undefined) throw new Error(`links: the archive holds no plugin::users-permissions.role ${role}`);
      await this.trx('folio_members').where({ id: user }).update({ role_id: roleId });
    }
    await this.permissions();
    await this.settings();
  }

  /** Each role's Content API permissions on the project's types; other actions are reported. */
  private async permissions(): Promise<void> {
    const allow = new Map<number, string[]>([...this.roleIds.keys()].map((role) => [role, []]));
    for (const [permission, role] of this.permissionRoles) {
      const action = this.permissionActions.get(permission);
      const list = allow.get(role);
      if (action === undefined || list === undefined) continue;
      const match = CONTENT_ACTION.exec(action);
      const type = match ? this.modelOf(match[1]) : undefined;
      if (match && type?.modelKind === 'contentType') list.push(`${type.uid}.${match[2]}`);
      else
        this.report.skip(
          `${this.roleTypes.get(role)} role permissions`,
          "actions of plugins or custom controllers: Folio's member roles hold the Content API's actions only",
        );
    }
    for (const [role, list] of allow) {
      // Strapi's permissions carry no field lists: nothing to check against the schema.
      const grants = parseMemberAllowList(list);
      await this.folio.access.setMemberRolePermissionsIn(this.trx, this.roleIds.get(role)!, grants);
      this.report.count(`${this.roleTypes.get(role)} permissions`, list.length);
    }
  }

  private async settings(): Promise<void> {
    if (!this.advanced) return;
    const settings: Json = { ...(await readMemberSettings(this.trx)) };
    for (const [strapi, folio] of Object.entries(SETTING_KEYS)) {
      const value = this.advanced[strapi];
      if (value === undefined || value === null) continue;
      const next = memberSettingsSchema.safeParse({ ...settings, [folio]: value });
      const roleKnown =
        folio !== 'defaultRole' || (await this.trx('folio_member_roles').where({ code: value }).first('id'));
      if (next.success && roleKnown) settings[folio] = next.data[folio];
      else this.report.skip(`member setting ${strapi}`, `its value ${JSON.stringify(value)} is not one Folio takes`);
    }
    for (const key of Object.keys(this.advanced))
      if (!(key in SETTING_KEYS))
        this.report.skip(
          `member setting ${key}`,
          key === 'unique_email' ? "Folio's member emails are always unique" : 'no Folio equivalent',
        );
    await writeMemberSettingsIn(this.trx, memberSettingsSchema.parse(settings));
    this.report.count('member settings');
  }
}
