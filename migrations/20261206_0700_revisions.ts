// Content history (issue 20): every write of a document records the version it wrote, in the write's
// own transaction, with who wrote it and under which schema version. The data column holds the full
// version (scalars, relations by documentId, components, dynamic zones, media by file id) as JSON, so
// that an old revision still reads after the schema or the linked documents changed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_revisions', (t) => {
    t.increments('id').primary();
    t.string('content_type', 191).notNullable();
    t.string('document_id', 64).notNullable();
    /** '' for types that are not localized. */
    t.string('locale', 32).notNullable();
    t.string('operation', 32).notNullable();
    // Revisions of long rich text run past MySQL's 64 KiB TEXT: a JSON/LONGTEXT column holds them.
    t.json('data').notNullable();
    t.integer('schema_version').notNullable();
    t.string('created_by_kind', 16).nullable();
    t.integer('created_by_id').nullable();
    t.string('created_by_name', 255).nullable();
    t.bigInteger('created_at').notNullable();
    // "A document's revisions in one locale, newest first": the list's one statement walks this index.
    t.index(['content_type', 'document_id', 'locale', 'id'], 'folio_revisions_document_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('folio_revisions');
}
