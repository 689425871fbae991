// Owner conditions on member-role permissions (docs/members.md, "Owner permissions"): a member
// permission may hold on the entries the member owns only, stored as an admin permission's
// conditions are — JSON, built-ins by name (`{"builtins":["isOwner"]}`), NULL when unconditional.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_member_permissions', (t) => {
    t.text('conditions').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_member_permissions', (t) => {
    t.dropColumn('conditions');
  });
}
