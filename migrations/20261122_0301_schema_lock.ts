// A lease on folio_schema so that two `schema apply` runs (two CLIs, CLI and admin UI, two
// instances) never plan and run steps at the same time. A row lease works the same on SQLite and
// MySQL and expires by itself if its holder dies.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_schema', (t) => {
    t.string('lock_token', 36).nullable();
    t.datetime('locked_until', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_schema', (t) => {
    t.dropColumn('lock_token');
    t.dropColumn('locked_until');
  });
}
