// Releases (issue 21): a named group of publish/unpublish actions over many documents, published all
// at once in one transaction, now or at a time (a job of folio_jobs, like a schedule). folio_releases
// is the release with its state; folio_release_actions its entries, one per document and locale.
// Times are epoch milliseconds (bigInteger), as in the other tables.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_releases', (t) => {
    t.increments('id').primary();
    t.string('name', 191).notNullable();
    t.string('status', 16).notNullable(); // open | scheduled | published | failed
    /** When a scheduled release runs, with its job and the admin it runs for. */
    t.bigInteger('run_at').nullable();
    t.bigInteger('job_id').unsigned().nullable();
    t.integer('scheduled_by').unsigned().nullable();
    /** Why the last scheduled run failed, as editors read it. */
    t.text('reason').nullable();
    t.integer('released_by').unsigned().nullable();
    t.bigInteger('released_at').nullable();
    /** Admins by id, no foreign key: a deleted admin's scheduled release must fail visibly, not vanish. */
    t.integer('created_by').unsigned().notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['status', 'run_at'], 'folio_releases_status_idx');
  });

  await knex.schema.createTable('folio_release_actions', (t) => {
    t.increments('id').primary();
    t.integer('release_id').unsigned().notNullable().references('id').inTable('folio_releases').onDelete('CASCADE');
    t.string('content_type', 191).notNullable();
    t.string('document_id', 64).notNullable();
    /** A locale code, '' for types that are not localized. */
    t.string('locale', 32).notNullable();
    t.string('action', 16).notNullable(); // publish | unpublish
    t.integer('added_by').unsigned().notNullable();
    /** When it was added (or its action last changed): a draft updated later "changed since added". */
    t.bigInteger('added_at').notNullable();
    // One action per entry of a release: adding it again changes its action.
    t.unique(['release_id', 'content_type', 'document_id', 'locale'], { indexName: 'folio_release_actions_entry_uq' });
    t.index(['content_type', 'document_id'], 'folio_release_actions_document_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_release_actions');
  await knex.schema.dropTableIfExists('folio_releases');
}
