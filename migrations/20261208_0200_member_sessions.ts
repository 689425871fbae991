// Member sign-in sessions and email changes (issue 23, items 3 and 5).
// folio_member_refresh_tokens: the rotating refresh tokens of the optional refresh mode, one row per
// token, stored as an HMAC digest only. The tokens of one sign-in share a `family_id`: a token is
// spent (`used_at`) when it is exchanged for the next one, and presenting a spent token again revokes
// the whole family (`revoked_at` on each row), so a stolen token dies with its thief's first reuse.
// folio_members gains the pending email of a change awaiting confirmation and its one-time code.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_member_refresh_tokens', (t) => {
    t.string('digest', 64).primary();
    t.string('family_id', 64).notNullable().index();
    t.integer('member_id').unsigned().notNullable().references('id').inTable('folio_members').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable().index();
    t.bigInteger('used_at').nullable();
    t.bigInteger('revoked_at').nullable();
    t.index(['member_id']);
  });
  await knex.schema.alterTable('folio_members', (t) => {
    t.string('pending_email', 191).nullable();
    t.string('email_change_digest', 64).nullable().unique();
    t.bigInteger('email_change_expires_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_member_refresh_tokens');
  await knex.schema.alterTable('folio_members', (t) => {
    t.dropUnique(['email_change_digest']);
    t.dropColumn('pending_email');
    t.dropColumn('email_change_digest');
    t.dropColumn('email_change_expires_at');
  });
}
