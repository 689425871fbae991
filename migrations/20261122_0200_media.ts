// The media library: folders (nested), files (Strapi's upload shape) and the generic link table
// through which entries' `media` attributes point at files. Links are the reference count: a linked
// file is not deleted unless the caller forces it (the service then removes its links first), hence
// ON DELETE RESTRICT as the last line of defence.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_folders', (t) => {
    t.increments('id');
    t.string('document_id', 32).notNullable().unique();
    t.string('name', 255).notNullable();
    t.integer('parent_id').unsigned().nullable().references('id').inTable('folio_folders').onDelete('RESTRICT');
    // '/1/5/9': the ids from the root down to this folder, so that a subtree is a prefix match.
    t.string('path', 700).notNullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: false, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.integer('created_by_id').unsigned().nullable();
    t.integer('updated_by_id').unsigned().nullable();
    t.index(['parent_id']);
  });

  await knex.schema.createTable('folio_files', (t) => {
    t.increments('id');
    t.string('document_id', 32).notNullable().unique();
    t.string('name', 255).notNullable();
    t.text('alternative_text').nullable();
    t.text('caption').nullable();
    t.integer('width').unsigned().nullable();
    t.integer('height').unsigned().nullable();
    t.json('formats').nullable();
    t.string('hash', 191).notNullable().unique();
    t.string('ext', 32).notNullable();
    t.string('mime', 127).notNullable();
    // Kilobytes with two decimals, as Strapi reports them.
    t.decimal('size', 14, 2).notNullable();
    t.string('url', 1024).notNullable();
    t.string('preview_url', 1024).nullable();
    t.string('placeholder', 255).nullable();
    t.string('provider', 32).notNullable();
    t.json('provider_metadata').nullable();
    t.integer('folder_id').unsigned().nullable().references('id').inTable('folio_folders').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: false, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.integer('created_by_id').unsigned().nullable();
    t.integer('updated_by_id').unsigned().nullable();
    t.index(['folder_id']);
    t.index(['mime']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('folio_file_links', (t) => {
    t.increments('id');
    t.integer('file_id').unsigned().notNullable().references('id').inTable('folio_files').onDelete('RESTRICT');
    t.string('entity_table', 64).notNullable();
    t.integer('entity_id').unsigned().notNullable();
    t.string('field', 64).notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.index(['entity_table', 'entity_id', 'field'], 'folio_file_links_entity_idx');
    t.index(['file_id'], 'folio_file_links_file_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('folio_file_links');
  await knex.schema.dropTable('folio_files');
  await knex.schema.dropTable('folio_folders');
}
