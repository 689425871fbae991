// Member accounts (folio_members): what Strapi calls `plugin::users-permissions.user`. Shaped as
// Strapi answers a user (never the password, codes or token version), read, written in a caller's
// transaction, and resolved behind a JWT with the access freshness (one second, like API tokens).
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { dialectOf, lowerFunction } from '../db/connection.js';
import { ApplicationError, NotFoundError } from '../errors.js';
import { newDocumentId } from '../content/document-id.js';
import type { TokenFreshness } from '../auth/api-tokens.js';
import { toMemberRole, type MemberRole, type MemberRoleRow } from './roles.js';
import { revokeMemberFamiliesIn } from './refresh-tokens.js';

export interface MemberRow {
  id: number;
  document_id: string;
  username: string;
  email: string;
  provider: string;
  password_hash: string | null;
  confirmed: number | boolean;
  blocked: number | boolean;
  role_id: number;
  token_version: number;
  confirmation_digest: string | null;
  reset_digest: string | null;
  reset_expires_at: number | string | null;
  /** An email change awaiting confirmation (email-change.ts): the new address and its code's digest. */
  pending_email: string | null;
  email_change_digest: string | null;
  email_change_expires_at: number | string | null;
  profile: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** A member as Strapi answers a user: system fields, the extra (allowlisted) fields, `role` when populated. */
export type MemberJson = Record<string, unknown> & { id: number; documentId: string; username: string; email: string };

export type ProfileValue = string | number | boolean | null;

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export function profileOf(row: Pick<MemberRow, 'profile'>): Record<string, ProfileValue> {
  return row.profile ? (JSON.parse(row.profile) as Record<string, ProfileValue>) : {};
}

export function toMemberJson(row: MemberRow, role?: MemberRole): MemberJson {
  const out: MemberJson = {
    id: Number(row.id),
    documentId: row.document_id,
    username: row.username,
    email: row.email,
    provider: row.provider,
    confirmed: Boolean(row.confirmed),
    blocked: Boolean(row.blocked),
    ...profileOf(row),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    publishedAt: iso(row.created_at),
  };
  if (role) out.role = role;
  return out;
}

/**
 * Passwords arrive hashed (hashPassword, before the transaction: a write lock is not held during a
 * hash); a member of an OAuth provider has none (`provider` names it; 'local' by default).
 */
export interface NewMember {
  username: string;
  email: string;
  passwordHash: string | null;
  provider?: string;
  roleId: number;
  confirmed: boolean;
  blocked?: boolean;
  profile?: Record<string, ProfileValue>;
}

export interface MemberPatch {
  username?: string;
  email?: string;
  passwordHash?: string;
  roleId?: number;
  confirmed?: boolean;
  blocked?: boolean;
  profile?: Record<string, ProfileValue>;
}

/** What a JWT is checked against: the member's version, block and confirmation, and its role. */
export interface MemberTokenState {
  id: number;
  documentId: string;
  username: string;
  roleId: number;
  tokenVersion: number;
  blocked: boolean;
  confirmed: boolean;
}

export class MemberService {
  /** Token states by member id (a deleted member as null), with when they were read. */
  private readonly states = new LRUCache<number, { state: MemberTokenState | null; readAt: number }>({ max: 5000 });

  constructor(
    private readonly db: Knex,
    private readonly freshness: TokenFreshness,
  ) {
    freshness.onInvalidate(() => this.states.clear());
  }

  async rowById(id: number, db: Knex = this.db, lock = false): Promise<MemberRow | undefined> {
    const query = db('folio_members').where({ id }).first<MemberRow | undefined>();
    if (lock && dialectOf(db) === 'mysql') query.forUpdate();
    return query;
  }

  /**
   * The local member an identifier names: its email or its username, without case (as MySQL's
   * collation compares them in Strapi). One at most: usernames are unique without case, and a
   * username can never be another member's email (assertFree).
   */
  async rowByIdentifier(identifier: string): Promise<MemberRow | undefined> {
    const lower = lowerFunction(dialectOf(this.db));
    return this.db('folio_members')
      .where({ provider: 'local' })
      .andWhere((q) => {
        q.where({ email: identifier.toLowerCase() }).orWhereRaw(`${lower}(??) = ?`, [
          'username',
          identifier.toLowerCase(),
        ]);
      })
      .first<MemberRow | undefined>();
  }

  async rowByEmail(email: string): Promise<MemberRow | undefined> {
    return this.db('folio_members').where({ email: email.toLowerCase() }).first<MemberRow | undefined>();
  }

  async rowByDigest(
    column: 'confirmation_digest' | 'reset_digest' | 'email_change_digest',
    value: string,
    db: Knex = this.db,
  ): Promise<MemberRow | undefined> {
    return db('folio_members').where(column, value).first<MemberRow | undefined>();
  }

  async roleOf(row: MemberRow, db: Knex = this.db): Promise<MemberRole> {
    const role = await db('folio_member_roles').where({ id: row.role_id }).first<MemberRoleRow>();
    return toMemberRole(role);
  }

  /** The member's JSON, with its role when `populateRole`. */
  async json(row: MemberRow, populateRole = false, db: Knex = this.db): Promise<MemberJson> {
    return toMemberJson(row, populateRole ? await this.roleOf(row, db) : undefined);
  }

  /**
   * 400 ApplicationError unless the username and email are free (apart from member `except`): a
   * username may not be another's email either. `message` is the register route's single answer;
   * without it, Strapi's user routes' "Username already taken" / "Email already taken".
   */
  async assertFree(
    trx: Knex,
    fields: { username?: string; email?: string },
    options: { except?: number; message?: string } = {},
  ): Promise<void> {
    // Usernames compare without case on every database (MySQL's collation does, SQLite's would not).
    const lower = lowerFunction(dialectOf(trx));
    const taken = async (values: string[]) => {
      const query = trx('folio_members').where((q) => {
        for (const v of values)
          q.orWhereRaw(`${lower}(??) = ?`, ['username', v.toLowerCase()]).orWhere({ email: v.toLowerCase() });
      });
      if (options.except !== undefined) query.whereNot({ id: options.except });
      return Boolean(await query.first('id'));
    };
    if (fields.username !== undefined && (await taken([fields.username])))
      throw new ApplicationError(options.message ?? 'Username already taken');
    if (fields.email !== undefined && (await taken([fields.email])))
      throw new ApplicationError(options.message ?? 'Email already taken');
  }

  async createIn(trx: Knex.Transaction, input: NewMember, takenMessage?: string): Promise<MemberRow> {
    const email = input.email.toLowerCase();
    await this.assertFree(trx, { username: input.username, email }, { message: takenMessage });
    const now = Date.now();
    const [id] = await trx('folio_members').insert({
      document_id: newDocumentId(),
      username: input.username,
      email,
      provider: input.provider ?? 'local',
      password_hash: input.passwordHash,
      confirmed: input.confirmed,
      blocked: input.blocked ?? false,
      role_id: input.roleId,
      token_version: 0,
      profile: input.profile && Object.keys(input.profile).length ? JSON.stringify(input.profile) : null,
      created_at: now,
      updated_at: now,
    });
    return (await this.rowById(Number(id), trx))!;
  }

  /**
   * Applies `patch` to the (locked) member in `trx`. A new password or a block bumps the token
   * version: every JWT signed before is refused from then on. Answers the row as written and
   * whether what a JWT is checked against changed (version, block, confirmation, role): then
   * invalidate after the commit, so that every instance forgets the state it trusted.
   */
  async updateIn(
    trx: Knex.Transaction,
    id: number,
    patch: MemberPatch,
  ): Promise<{ row: MemberRow; tokenStateChanged: boolean }> {
    const before = await this.rowById(id, trx, true);
    if (!before) throw new NotFoundError('User not found');
    const email = patch.email?.toLowerCase();
    await this.assertFree(trx, { username: patch.username, email }, { except: id });
    const update: Record<string, unknown> = { updated_at: Math.max(Date.now(), Number(before.updated_at) + 1) };
    if (patch.username !== undefined) update.username = patch.username;
    if (email !== undefined) update.email = email;
    if (patch.roleId !== undefined) update.role_id = patch.roleId;
    if (patch.confirmed !== undefined) update.confirmed = patch.confirmed;
    if (patch.blocked !== undefined) update.blocked = patch.blocked;
    if (patch.profile !== undefined) {
      const profile = { ...profileOf(before), ...patch.profile };
      update.profile = Object.keys(profile).length ? JSON.stringify(profile) : null;
    }
    const blocking = patch.blocked === true && !before.blocked;
    if (patch.passwordHash !== undefined) {
      update.password_hash = patch.passwordHash;
      update.reset_digest = null;
      update.reset_expires_at = null;
    }
    // An email set directly (an admin, an API token) ends a change the member had asked for.
    if (email !== undefined)
      Object.assign(update, { pending_email: null, email_change_digest: null, email_change_expires_at: null });
    if (blocking || patch.passwordHash !== undefined) {
      update.token_version = Number(before.token_version) + 1;
      await revokeMemberFamiliesIn(trx, id); // and its refresh tokens, in the same transaction
    }
    await trx('folio_members').where({ id }).update(update);
    const tokenStateChanged =
      'token_version' in update ||
      (patch.blocked !== undefined && patch.blocked !== Boolean(before.blocked)) ||
      (patch.confirmed !== undefined && patch.confirmed !== Boolean(before.confirmed)) ||
      (patch.roleId !== undefined && patch.roleId !== Number(before.role_id));
    return { row: (await this.rowById(id, trx))!, tokenStateChanged };
  }

  async deleteIn(trx: Knex.Transaction, id: number): Promise<MemberRow> {
    const row = await this.rowById(id, trx, true);
    if (!row) throw new NotFoundError('User not found');
    await trx('folio_members').where({ id }).delete();
    return row;
  }

  /** Members whose username or email contains `q`, a page of them, and how many match. */
  async list(options: { q?: string; page: number; pageSize: number }): Promise<{ rows: MemberRow[]; total: number }> {
    const base = () => {
      const query = this.db('folio_members');
      if (options.q) {
        // '!' as the escape character: a backslash means something else in MySQL's string literals.
        const like = `%${options.q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
        query.where((q) => {
          q.whereRaw("?? LIKE ? ESCAPE '!'", ['username', like]).orWhereRaw("?? LIKE ? ESCAPE '!'", ['email', like]);
        });
      }
      return query;
    };
    const [{ n }] = await base().count({ n: '*' });
    const rows = await base()
      .orderBy('id')
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .select<MemberRow[]>('*');
    return { rows, total: Number(n) };
  }

  /**
   * The state a member's JWT is checked against, trusted for the access freshness before it is read
   * again (a site making many requests with one JWT does not pay a statement each); a block or
   * password change invalidates it at once here and on every instance sharing Redis.
   */
  async tokenState(id: number): Promise<MemberTokenState | null> {
    const now = Date.now();
    const cached = this.states.get(id);
    if (cached && now - cached.readAt < this.freshness.freshnessMs) return cached.state;
    const row = await this.rowById(id);
    const state = row
      ? {
          id: Number(row.id),
          documentId: row.document_id,
          username: row.username,
          roleId: Number(row.role_id),
          tokenVersion: Number(row.token_version),
          blocked: Boolean(row.blocked),
          confirmed: Boolean(row.confirmed),
        }
      : null;
    this.states.set(id, { state, readAt: now });
    return state;
  }
}
