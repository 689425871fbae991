// Field allowlists on member-role permissions (docs/members.md, "Field allowlists"): a member
// permission may open some attributes of its type only, stored as an admin permission's fields are —
// a JSON list of attribute names, NULL for every field.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_member_permissions', (t) => {
    t.text('fields').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_member_permissions', (t) => {
    t.dropColumn('fields');
  });
}
