// Webhooks and the transactional outbox (docs/architecture.md, "Side effects").
// A content write inserts its events into folio_outbox in the same transaction, so a crash loses no
// webhook and a rolled-back write fires none. The dispatcher turns each outbox event into one
// delivery per subscribed webhook and deletes the event in one transaction (the outbox is a queue),
// then delivers them with retries; the deliveries, each with its own payload, are the log the
// dashboard shows. Times are epoch milliseconds (bigInteger), as in the auth tables.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_webhooks', (t) => {
    t.increments('id').primary();
    t.string('name', 191).notNullable().unique();
    t.string('url', 2048).notNullable();
    /** JSON object of extra request headers (an Authorization header for the receiver, say). */
    t.text('headers').notNullable();
    /** JSON array of event names (entry.create, media.delete, …). */
    t.text('events').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    /** The HMAC-SHA256 signing key for X-Folio-Signature, encrypted with the Folio secret; write-only. */
    t.string('secret', 512).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('folio_outbox', (t) => {
    t.bigIncrements('id').primary();
    t.string('topic', 64).notNullable();
    t.text('payload', 'mediumtext').notNullable();
    t.bigInteger('created_at').notNullable();
    /** A dispatcher's claim: rows claimed by another instance are left alone until it expires. */
    t.string('claim', 32).nullable();
    t.bigInteger('claimed_until').nullable();
  });

  await knex.schema.createTable('folio_webhook_deliveries', (t) => {
    t.bigIncrements('id').primary();
    t.integer('webhook_id').unsigned().notNullable().references('id').inTable('folio_webhooks').onDelete('CASCADE');
    t.bigInteger('outbox_id').unsigned().notNullable();
    t.string('event', 64).notNullable();
    t.text('payload', 'mediumtext').notNullable();
    t.string('status', 16).notNullable(); // pending | succeeded | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').notNullable();
    t.string('claim', 32).nullable();
    t.bigInteger('claimed_until').nullable();
    t.integer('response_status').nullable();
    t.text('response_body').nullable();
    t.text('error').nullable();
    t.integer('duration_ms').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['status', 'next_attempt_at']);
    t.index(['webhook_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_webhook_deliveries');
  await knex.schema.dropTableIfExists('folio_outbox');
  await knex.schema.dropTableIfExists('folio_webhooks');
}
