// Webhook guards (issue 17): who configured each webhook (its deliveries are bounded by their read
// rights), which process holds each claim plus a lease per dispatcher (a crashed process's claims
// are released at once instead of at their expiry), and delivery logs reduced to what is shown
// from now on (the start of a 2xx body, nothing of other answers).
import type { Knex } from 'knex';

const CLAIMED = ['folio_outbox', 'folio_webhook_deliveries'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_webhooks', (t) => {
    /** Admin ids, no foreign key: a deleted admin's webhooks must stop delivering, not become ownerless. */
    t.integer('created_by').unsigned().nullable();
    t.integer('updated_by').unsigned().nullable();
  });
  for (const table of CLAIMED) {
    await knex.schema.alterTable(table, (t) => {
      /** The dispatcher holding the claim (folio_dispatchers.id). */
      t.string('claimed_by', 191).nullable();
    });
  }
  await knex.schema.createTable('folio_dispatchers', (t) => {
    /** host:pid:random — one per running dispatcher. */
    t.string('id', 191).primary();
    t.string('host', 191).notNullable();
    t.integer('pid').notNullable();
    /** Tells a process apart from an earlier one that had the same pid (a container's pid 1). */
    t.bigInteger('process_started_at').notNullable();
    t.bigInteger('heartbeat_at').notNullable();
  });
  await knex('folio_webhook_deliveries')
    .where((q) => {
      q.whereNull('response_status').orWhere('response_status', '<', 200).orWhere('response_status', '>=', 300);
    })
    .update({ response_body: null });
  await knex('folio_webhook_deliveries')
    .whereNotNull('response_body')
    .update({ response_body: knex.raw('substr(response_body, 1, 200)') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_dispatchers');
  for (const table of CLAIMED) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('claimed_by');
    });
  }
  await knex.schema.alterTable('folio_webhooks', (t) => {
    t.dropColumn('created_by');
    t.dropColumn('updated_by');
  });
}
