// Non-destructive image edits (issue 19, media picker): a file keeps its original untouched and
// records how its formats are made from it — a rotation (quarter turns), a crop rectangle (pixels
// of the rotated original) and a focal point (0..1 of the cropped picture) the thumbnail centres on.
// Nulls and 0 mean "as uploaded", so every existing file reads as unedited.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_files', (t) => {
    t.integer('rotation').notNullable().defaultTo(0);
    /** { x, y, width, height } in pixels of the original once rotated. */
    t.json('crop').nullable();
    /** { x, y }, each 0..1, in the cropped picture. */
    t.json('focal_point').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('folio_files', (t) => {
    t.dropColumn('rotation');
    t.dropColumn('crop');
    t.dropColumn('focal_point');
  });
}
