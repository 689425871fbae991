// Releases become a permission subject (`releases`: read, create, update, delete, publish). Until now
// any signed-in admin could create, rename, fill, delete and release them (each entry still checked
// against the caller's publish right). The built-in roles keep what they did with them: Editors
// everything, Authors — who cannot publish — may see them. Custom roles get nothing: an admin grants it.
import type { Knex } from 'knex';

const GRANTS: Record<string, string[]> = {
  editor: ['read', 'create', 'update', 'delete', 'publish'],
  author: ['read'],
};

export async function up(knex: Knex): Promise<void> {
  const roles = await knex('folio_roles')
    .whereIn('code', Object.keys(GRANTS))
    .select<Array<{ id: number; code: string }>>('id', 'code');
  const rows = roles.flatMap(({ id, code }) =>
    GRANTS[code].map((action) => ({ role_id: id, action, subject: 'releases', fields: null, conditions: null })),
  );
  if (rows.length) await knex('folio_permissions').insert(rows);
}

export async function down(knex: Knex): Promise<void> {
  await knex('folio_permissions').where('subject', 'releases').delete();
}
