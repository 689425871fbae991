// folio_meta: small key/value facts about this installation (when it was set up, whether the demo
// was seeded). Each later concern owns its own folio_* tables in its own migration.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_meta', (t) => {
    t.string('key', 191).primary();
    t.text('value').notNullable();
    t.timestamp('updated_at', { useTz: false, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('folio_meta');
}
