// Encryption at rest (issue 22, docs/encryption.md). folio_encryption_keys holds the installation's
// data keys, each sealed (AES-256-GCM) under a master key of FOLIO_ENCRYPTION_KEYS named by its id;
// the newest seals new values. folio_encryption_tasks records how far a column rewrite (encrypted
// turned on or off by a schema step, or `folio keys rotate`) has come, so that a run stopped by a
// crash resumes after the last batch it committed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_encryption_keys', (t) => {
    t.string('id', 32).primary();
    t.string('master_key_id', 64).notNullable();
    /** base64(iv ‖ sealed data key ‖ tag) */
    t.text('wrapped').notNullable();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('folio_encryption_tasks', (t) => {
    /** `encrypt:<table>.<column>`, `decrypt:<table>.<column>`, `rotate:<table>.<column>`, or `rotate`. */
    t.string('task', 191).primary();
    /** rotate: the data key the run seals under. */
    t.string('data_key_id', 32).nullable();
    /** The highest row id rewritten so far. */
    t.bigInteger('last_id').notNullable().defaultTo(0);
    t.bigInteger('done').notNullable().defaultTo(0);
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_encryption_tasks');
  await knex.schema.dropTableIfExists('folio_encryption_keys');
}
