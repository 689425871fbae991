// The locales editors may write localized content in (Strapi's i18n locales). English is there from
// the start: it is the default locale, the one a request without ?locale= reads and writes.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_locales', (t) => {
    t.increments('id').primary();
    t.string('code', 16).notNullable().unique();
    t.string('name', 191).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  const now = Date.now();
  await knex('folio_locales').insert({ code: 'en', name: 'English (en)', created_at: now, updated_at: now });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_locales');
}
