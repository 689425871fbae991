// The default locale becomes a setting (Strapi's "Set as default locale"): the one a request without
// ?locale= reads and writes. English, the default so far, keeps the flag.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_locales', (t) => {
    t.boolean('is_default').notNullable().defaultTo(false);
  });
  const hasDefault = await knex('folio_locales').where('is_default', true).first<{ id: number } | undefined>('id');
  if (!hasDefault) await knex('folio_locales').where('code', 'en').update({ is_default: true });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_locales', (t) => {
    t.dropColumn('is_default');
  });
}
