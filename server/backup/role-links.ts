// Importing `settings` without `users` replaces the roles under the accounts this installation
// keeps: deleting the old roles cascades to every account's role links, so without this an import
// of settings alone would leave every admin — the Super Admin who ran it included — without a role.
// The links are kept by role code (stable: super-admin, editor, author, a custom role's slug) and
// put back onto the archive's role of the same code; a link to a role the archive does not have is
// dropped and reported.
import type { Knex } from 'knex';

export interface RoleLink {
  userId: number;
  code: string;
}

/** The accounts' role links, by role code, read before the roles are replaced. */
export async function roleLinksIn(trx: Knex.Transaction): Promise<RoleLink[]> {
  const rows = await trx('folio_admin_user_roles as l')
    .join('folio_roles as r', 'r.id', 'l.role_id')
    .orderBy(['l.user_id', 'r.code'])
    .select<Array<{ user_id: number | string; code: string }>>('l.user_id', 'r.code');
  return rows.map((row) => ({ userId: Number(row.user_id), code: row.code }));
}

/** Puts the links back onto the new roles of the same code; answers the links that found none. */
export async function restoreRoleLinksIn(trx: Knex.Transaction, links: readonly RoleLink[]): Promise<RoleLink[]> {
  const roles = await trx('folio_roles').select<Array<{ id: number | string; code: string }>>('id', 'code');
  const idOf = new Map(roles.map((role) => [role.code, Number(role.id)]));
  const kept = links.filter((link) => idOf.has(link.code));
  if (kept.length > 0)
    await trx('folio_admin_user_roles').insert(
      kept.map((link) => ({ user_id: link.userId, role_id: idOf.get(link.code)! })),
    );
  return links.filter((link) => !idOf.has(link.code));
}
