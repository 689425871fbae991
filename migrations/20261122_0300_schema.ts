// folio_schema: the schema document in force (one row) and its version, which every process checks
// to pick up an apply made elsewhere. folio_schema_steps: each DDL step of each apply, as it ran,
// so that an interrupted apply can be understood and repaired (MySQL DDL is not transactional).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  const mysql = (knex.client as Knex.Client).config.client === 'mysql2';
  await knex.schema.createTable('folio_schema', (t) => {
    t.integer('id').primary();
    t.integer('version').notNullable();
    t.text('document', mysql ? 'longtext' : undefined).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
  await knex('folio_schema').insert({
    id: 1,
    version: 0,
    document: JSON.stringify({ contentTypes: {}, components: {} }),
    updated_at: new Date(),
  });
  await knex.schema.createTable('folio_schema_steps', (t) => {
    t.increments('id').primary();
    t.string('apply_id', 36).notNullable();
    t.integer('position').notNullable();
    t.string('action', 32).notNullable();
    t.string('target_table', 64).nullable();
    t.text('description').notNullable();
    t.string('status', 16).notNullable(); // applied | failed
    t.text('error').nullable();
    t.datetime('applied_at', { precision: 3 }).notNullable();
    t.index(['apply_id', 'position'], 'folio_schema_steps_apply_idx');
    t.index(['target_table'], 'folio_schema_steps_table_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('folio_schema_steps');
  await knex.schema.dropTable('folio_schema');
}
