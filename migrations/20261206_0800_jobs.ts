// Jobs and scheduled publishing (issue 21). folio_jobs is the job runner's queue for one-off work due
// at a time (server/jobs/queue.ts): claimed like the outbox and the webhook deliveries (claim token,
// owner, expiry; released when the owner's lease in folio_dispatchers runs out), retried with backoff,
// kept afterwards with its outcome. folio_schedules is what an editor scheduled: a publish or
// unpublish of one document (one locale, or all) at a UTC time, with the job that runs it and the
// outcome shown to editors. Times are epoch milliseconds (bigInteger), as in the other tables.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_jobs', (t) => {
    t.bigIncrements('id').primary();
    t.string('kind', 64).notNullable();
    t.text('payload').notNullable();
    t.string('status', 16).notNullable(); // pending | succeeded | failed | cancelled
    t.bigInteger('run_at').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
    t.string('claim', 32).nullable();
    t.string('claimed_by', 191).nullable();
    t.bigInteger('claimed_until').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    // "What is due": the queue's one read walks this index.
    t.index(['status', 'run_at'], 'folio_jobs_due_idx');
  });

  await knex.schema.createTable('folio_schedules', (t) => {
    t.increments('id').primary();
    t.string('content_type', 191).notNullable();
    t.string('document_id', 64).notNullable();
    /** A locale code, '' for types that are not localized, '*' for every locale of the document. */
    t.string('locale', 32).notNullable();
    t.string('action', 16).notNullable(); // publish | unpublish
    t.bigInteger('run_at').notNullable();
    t.string('status', 16).notNullable(); // pending | succeeded | failed | cancelled
    /** Why it failed, as editors read it. */
    t.text('reason').nullable();
    /** Locales done so far (JSON array): a run resumed after a crash does not redo them. */
    t.text('done_locales').notNullable();
    t.bigInteger('job_id').unsigned().notNullable();
    /** The admin who scheduled it, no foreign key: a deleted admin's schedule must fail visibly, not vanish. */
    t.integer('created_by').unsigned().notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['status', 'run_at'], 'folio_schedules_upcoming_idx');
    t.index(['content_type', 'document_id'], 'folio_schedules_document_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_schedules');
  await knex.schema.dropTableIfExists('folio_jobs');
}
