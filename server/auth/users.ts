// Admin accounts and their roles. Super Admin cannot be locked out of: the last active Super Admin
// can be neither deactivated, deleted nor stripped of the role.
import type { Knex } from 'knex';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { SUPER_ADMIN, type AccessService, type Role } from '../access/service.js';
import { hashPassword } from './crypto.js';

export interface AdminUser {
  id: number;
  email: string;
  firstname: string;
  lastname: string;
  isActive: boolean;
  /** False for an invited user who has not chosen a password yet. */
  registered: boolean;
  roles: Pick<Role, 'id' | 'code' | 'name'>[];
  createdAt: string;
  updatedAt: string;
}

/** A user's role, as joined for the list. */
interface RoleLink {
  user_id: number;
  id: number;
  code: string;
  name: string;
}

interface UserRow {
  id: number;
  email: string;
  firstname: string;
  lastname: string;
  password_hash: string | null;
  is_active: number | boolean;
  created_at: number | string;
  updated_at: number | string;
}

/** A Map, never a plain object: a user-supplied name (`constructor`) must not find Object.prototype. */
const SORTABLE_COLUMNS = new Map([
  ['id', 'id'],
  ['email', 'email'],
  ['firstname', 'firstname'],
  ['lastname', 'lastname'],
  ['createdAt', 'created_at'],
  ['isActive', 'is_active'],
]);

/** A new account as given: roles by id, code or name; no password for an invitation. */
export interface NewAccount {
  email: string;
  firstname?: string;
  lastname?: string;
  password?: string;
  roles: (number | string)[];
}

/** The changes an account takes; roles by id, code or name. */
export interface AccountPatch {
  email?: string;
  firstname?: string;
  lastname?: string;
  isActive?: boolean;
  roles?: (number | string)[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class UserService {
  constructor(
    private readonly db: Knex,
    private readonly access: AccessService,
  ) {}

  async count(): Promise<number> {
    const [{ n }] = await this.db('folio_admin_users').count({ n: '*' });
    return Number(n);
  }

  async rowByEmail(email: string): Promise<UserRow | undefined> {
    return this.db('folio_admin_users')
      .where({ email: normalizeEmail(email) })
      .first<UserRow | undefined>();
  }

  async rowById(id: number, db: Knex = this.db): Promise<UserRow | undefined> {
    return db('folio_admin_users').where({ id }).first<UserRow | undefined>();
  }

  async roleIds(userId: number, db: Knex = this.db): Promise<number[]> {
    return (await db('folio_admin_user_roles').where({ user_id: userId }).select('role_id')).map(
      (r: { role_id: number }) => Number(r.role_id),
    );
  }

  /** How the dashboard names these users ("First Last", else the email); unknown ids are left out. */
  async displayNames(ids: readonly number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    type Named = Pick<UserRow, 'id' | 'firstname' | 'lastname' | 'email'>;
    const rows = await this.db('folio_admin_users')
      .whereIn('id', ids)
      .select<Named[]>('id', 'firstname', 'lastname', 'email');
    return new Map(rows.map((u) => [Number(u.id), `${u.firstname} ${u.lastname}`.trim() || u.email]));
  }

  private async present(rows: UserRow[], db: Knex = this.db): Promise<AdminUser[]> {
    const ids = rows.map((r) => r.id);
    const links = ids.length
      ? await db('folio_admin_user_roles as ur')
          .join('folio_roles as r', 'r.id', 'ur.role_id')
          .whereIn('ur.user_id', ids)
          .select<RoleLink[]>('ur.user_id', 'r.id', 'r.code', 'r.name')
          .orderBy('r.id')
      : [];
    return rows.map((r) => ({
      id: Number(r.id),
      email: r.email,
      firstname: r.firstname,
      lastname: r.lastname,
      isActive: Boolean(r.is_active),
      registered: r.password_hash !== null,
      roles: links
        .filter((l) => Number(l.user_id) === Number(r.id))
        .map((l) => ({ id: Number(l.id), code: l.code, name: l.name })),
      createdAt: new Date(Number(r.created_at)).toISOString(),
      updatedAt: new Date(Number(r.updated_at)).toISOString(),
    }));
  }

  async get(id: number, db: Knex = this.db): Promise<AdminUser> {
    const row = await this.rowById(id, db);
    if (!row) throw new NotFoundError('User not found');
    return (await this.present([row], db))[0];
  }

  async list(opts: {
    page: number;
    pageSize: number;
    q?: string;
    sort?: { field: string; order: 'asc' | 'desc' };
  }): Promise<{ users: AdminUser[]; total: number }> {
    const base = this.db('folio_admin_users').where((w) => {
      if (opts.q) {
        const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        w.whereRaw("email LIKE ? ESCAPE '\\'", [like])
          .orWhereRaw("firstname LIKE ? ESCAPE '\\'", [like])
          .orWhereRaw("lastname LIKE ? ESCAPE '\\'", [like]);
      }
    });
    const [{ n }] = await base.clone().count({ n: '*' });
    const sort = opts.sort ?? { field: 'id', order: 'asc' as const };
    const column = SORTABLE_COLUMNS.get(sort.field);
    if (!column)
      throw ValidationError.query(
        `Cannot sort users by "${sort.field}" (fields: ${[...SORTABLE_COLUMNS.keys()].join(', ')})`,
        'sort',
        sort.field,
      );
    const rows = await base
      .clone()
      .select<UserRow[]>('*')
      .orderBy(column, sort.order)
      .orderBy('id')
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize);
    return { users: await this.present(rows), total: Number(n) };
  }

  private async resolveRoles(roles: (number | string)[], db: Knex): Promise<number[]> {
    return (await this.access.resolveRoles(roles, db)).map((r) => r.id);
  }

  /**
   * Creates an account, unchecked (first-run registration, fixtures); without a password it is an
   * invitation waiting to be accepted. `onlyIfFirst` refuses (inside the transaction) when any
   * account exists: first-run registration. Callers go through access/operations/users.ts.
   */
  async create(input: NewAccount, opts: { onlyIfFirst?: boolean } = {}): Promise<AdminUser> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const user = await this.db.transaction(async (trx) => {
      if (opts.onlyIfFirst) {
        const [{ n }] = await trx('folio_admin_users').count({ n: '*' });
        if (Number(n) > 0) throw new ForbiddenError('Registration is closed: an admin already exists');
      }
      return this.createIn(trx, input, passwordHash);
    });
    await this.access.invalidate();
    return user;
  }

  /** Writes a new account and its roles in `trx` (the password already hashed); invalidate after the commit. */
  async createIn(trx: Knex.Transaction, input: NewAccount, passwordHash: string | null): Promise<AdminUser> {
    const email = normalizeEmail(input.email);
    if (await trx('folio_admin_users').where({ email }).first())
      throw new ConflictError('An account with this email already exists');
    const roleIds = await this.resolveRoles(input.roles, trx);
    if (!roleIds.length) throw new ValidationError('A user needs at least one role');
    const now = Date.now();
    const [newId] = await trx('folio_admin_users').insert({
      email,
      firstname: input.firstname ?? '',
      lastname: input.lastname ?? '',
      password_hash: passwordHash,
      is_active: true,
      created_at: now,
      updated_at: now,
    });
    await trx('folio_admin_user_roles').insert(roleIds.map((role_id) => ({ user_id: Number(newId), role_id })));
    return this.get(Number(newId), trx);
  }

  async setPassword(userId: number, password: string): Promise<void> {
    await this.db('folio_admin_users')
      .where({ id: userId })
      .update({ password_hash: await hashPassword(password), updated_at: Date.now() });
  }

  private async activeSuperAdmins(db: Knex): Promise<number[]> {
    return (
      await db('folio_admin_users as u')
        .join('folio_admin_user_roles as ur', 'ur.user_id', 'u.id')
        .join('folio_roles as r', 'r.id', 'ur.role_id')
        .where('r.code', SUPER_ADMIN)
        .where('u.is_active', true)
        .distinct('u.id')
    ).map((r: { id: number }) => Number(r.id));
  }

  /** Changes an account, unchecked (its own profile, an accepted invitation's names). */
  async update(id: number, input: AccountPatch): Promise<AdminUser> {
    const user = await this.db.transaction((trx) => this.updateIn(trx, id, input));
    if (input.roles) await this.access.invalidate();
    return user;
  }

  /**
   * Changes an account in `trx`; deactivating it ends its sessions there too. The caller
   * invalidates abilities after the commit when the roles changed.
   */
  async updateIn(trx: Knex.Transaction, id: number, input: AccountPatch): Promise<AdminUser> {
    const before = await this.get(id, trx);
    const patch: Record<string, unknown> = { updated_at: Date.now() };
    if (input.email !== undefined) {
      const email = normalizeEmail(input.email);
      if (await trx('folio_admin_users').where({ email }).whereNot({ id }).first())
        throw new ConflictError('An account with this email already exists');
      patch.email = email;
    }
    if (input.firstname !== undefined) patch.firstname = input.firstname;
    if (input.lastname !== undefined) patch.lastname = input.lastname;
    if (input.isActive !== undefined) patch.is_active = input.isActive;
    const roleIds = input.roles ? await this.resolveRoles(input.roles, trx) : undefined;
    if (roleIds && !roleIds.length) throw new ValidationError('A user needs at least one role');
    const wasSuper = before.isActive && before.roles.some((r) => r.code === SUPER_ADMIN);
    if (wasSuper) {
      const superRole = await this.access.roleByCode(SUPER_ADMIN, trx);
      const losesRole = roleIds !== undefined && !roleIds.includes(superRole!.id);
      const deactivated = input.isActive === false;
      if ((losesRole || deactivated) && (await this.activeSuperAdmins(trx)).length <= 1) {
        throw new ValidationError('The last active Super Admin cannot be deactivated or lose the Super Admin role');
      }
    }
    await trx('folio_admin_users').where({ id }).update(patch);
    if (roleIds) {
      await trx('folio_admin_user_roles').where({ user_id: id }).delete();
      await trx('folio_admin_user_roles').insert(roleIds.map((role_id) => ({ user_id: id, role_id })));
    }
    if (input.isActive === false) await trx('folio_sessions').where({ user_id: id }).delete();
    return this.get(id, trx);
  }

  /** Deletes an account in `trx` (never the last active Super Admin); invalidate after the commit. */
  async deleteIn(trx: Knex.Transaction, id: number): Promise<AdminUser> {
    const user = await this.get(id, trx);
    if (
      user.isActive &&
      user.roles.some((r) => r.code === SUPER_ADMIN) &&
      (await this.activeSuperAdmins(trx)).length <= 1
    ) {
      throw new ValidationError('The last active Super Admin cannot be deleted');
    }
    await trx('folio_admin_users').where({ id }).delete();
    return user;
  }
}
