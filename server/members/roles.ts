// Member roles: Public (no credentials), Authenticated (any signed-in member by default) and custom
// roles. Their permissions are `type.action` lists held by the AccessService (one ability path for
// every member role, the Public role included); this module keeps the roles themselves.
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newDocumentId } from '../content/document-id.js';
import { slugify } from '../slug.js';

export const BUILTIN_MEMBER_ROLES = ['public', 'authenticated'] as const;

export interface MemberRole {
  id: number;
  documentId: string;
  name: string;
  description: string;
  /** Strapi's role `type`: `public`, `authenticated`, or the custom role's code. */
  type: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string;
}

export interface MemberRoleRow {
  id: number;
  document_id: string;
  code: string;
  name: string;
  description: string;
  created_at: number | string;
  updated_at: number | string;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** A role as Strapi's users-permissions answers it. */
export function toMemberRole(r: MemberRoleRow): MemberRole {
  return {
    id: Number(r.id),
    documentId: r.document_id,
    name: r.name,
    description: r.description,
    type: r.code,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    publishedAt: iso(r.created_at),
  };
}

export class MemberRoleService {
  constructor(private readonly db: Knex) {}

  /** Every role with how many members hold it (Strapi's `nb_users`). */
  async list(db: Knex = this.db): Promise<(MemberRole & { nb_users: number })[]> {
    const rows = await db<MemberRoleRow>('folio_member_roles').orderBy('id');
    const counts: { role_id: number; n: number | string }[] = await db('folio_members')
      .select('role_id')
      .count({ n: '*' })
      .groupBy('role_id');
    return rows.map((r) => ({
      ...toMemberRole(r),
      nb_users: Number(counts.find((c) => Number(c.role_id) === Number(r.id))?.n ?? 0),
    }));
  }

  async get(id: number, db: Knex = this.db): Promise<MemberRole> {
    const row = await db('folio_member_roles').where({ id }).first<MemberRoleRow | undefined>();
    if (!row) throw new NotFoundError('Role not found');
    return toMemberRole(row);
  }

  async byCode(code: string, db: Knex = this.db): Promise<MemberRole | undefined> {
    const row = await db('folio_member_roles').where({ code }).first<MemberRoleRow | undefined>();
    return row ? toMemberRole(row) : undefined;
  }

  /** A role named by id or by code (`authenticated`); 400 naming it when there is none. */
  async resolve(ref: number | string, db: Knex = this.db): Promise<MemberRole> {
    const role = typeof ref === 'number' ? await this.get(ref, db).catch(() => undefined) : await this.byCode(ref, db);
    if (!role) throw new ValidationError(`Unknown member role "${ref}"`);
    return role;
  }

  async createIn(trx: Knex.Transaction, input: { name: string; description?: string }): Promise<MemberRole> {
    if (await trx('folio_member_roles').where({ name: input.name }).first())
      throw new ValidationError(`A member role named "${input.name}" already exists`);
    const base = slugify(input.name).slice(0, 150) || 'role';
    let code = base;
    for (let i = 2; await trx('folio_member_roles').where({ code }).first(); i++) code = `${base}-${i}`;
    const now = Date.now();
    const [id] = await trx('folio_member_roles').insert({
      document_id: newDocumentId(),
      code,
      name: input.name,
      description: input.description ?? '',
      created_at: now,
      updated_at: now,
    });
    return this.get(Number(id), trx);
  }

  /** Deletes a custom role no member holds (built-in roles stay). */
  async deleteIn(trx: Knex.Transaction, id: number): Promise<MemberRole> {
    const role = await this.get(id, trx);
    if ((BUILTIN_MEMBER_ROLES as readonly string[]).includes(role.type))
      throw new ValidationError(`The built-in role "${role.name}" cannot be deleted`);
    const [{ n }] = await trx('folio_members').where({ role_id: id }).count({ n: '*' });
    if (Number(n) > 0) throw new ConflictError(`The role "${role.name}" is still held by ${n} member(s)`);
    await trx('folio_member_roles').where({ id }).delete();
    return role;
  }
}
