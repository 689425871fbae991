// Default indexes (docs/schema.md): a content type's date/datetime attribute with no `index` gets the
// descending list index lists sorted newest-first read, in the plan that creates it; `index: false`
// opts out; an installation whose existing attributes lack it gets the index proposed
// (`plan.suggested`), built only when the apply accepts it. To-one relations are indexed by their link
// table both ways. Every check reads the indexes the database really holds.
import { beforeAll, expect, it } from '@jest/globals';
import type { Attribute, SchemaFile } from '../../server/schema/types.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applySchema, indexColumns, indexShape } from '../helpers/schema.js';

/** A collection type `<name>` (table `<name>s`) with these attributes. */
function typeFile(name: string, attributes: Record<string, Attribute>): SchemaFile {
  return {
    contentTypes: {
      [name]: {
        kind: 'collectionType',
        info: { singularName: name, pluralName: `${name}s`, displayName: name },
        attributes: { title: { type: 'string' }, ...attributes },
      },
    },
  };
}

const LIST_DESC = (column: string) => ['status', 'locale', `${column} DESC`, 'id'];

/** Drops an index, as an installation made before the defaults never had it. */
async function dropIndex(t: TestFolio, table: string, index: string): Promise<void> {
  if (t.dialect === 'mysql') await t.db.raw('ALTER TABLE ?? DROP INDEX ??', [table, index]);
  else await t.db.raw('DROP INDEX ??', [index]);
}

describeEachDatabase('default indexes', (t) => {
  let admin: AdminSession;

  beforeAll(async () => {
    admin = await signedIn(t(), ['super-admin']);
  });

  it('gives a new type descending list indexes on its date and datetime attributes', async () => {
    await applySchema(t().folio, typeFile('talk', { heldOn: { type: 'date' }, postedAt: { type: 'datetime' } }));
    expect(await indexShape(t(), 'talks', 'talks_status_locale_held_on_desc_id_idx')).toEqual(LIST_DESC('held_on'));
    expect(await indexShape(t(), 'talks', 'talks_status_locale_posted_at_desc_id_idx')).toEqual(LIST_DESC('posted_at'));
  });

  it('builds no index for an attribute that says index: false', async () => {
    await applySchema(t().folio, typeFile('memo', { sentAt: { type: 'datetime', index: false } }));
    const columns = (await indexColumns(t(), 'memos')).map((c) => c.column);
    expect(columns).toContain('document_id'); // the table's own indexes are there
    expect(columns).not.toContain('sent_at');
  });

  it('leaves other attribute types unindexed unless they ask', async () => {
    await applySchema(t().folio, typeFile('note', { rank: { type: 'integer' }, done: { type: 'boolean' } }));
    const columns = (await indexColumns(t(), 'notes')).map((c) => c.column);
    expect(columns).not.toContain('rank');
    expect(columns).not.toContain('done');
  });

  it("indexes a new type's to-one relation by its owner and by its target", async () => {
    await applySchema(t().folio, {
      contentTypes: {
        ...typeFile('venue', {}).contentTypes,
        ...typeFile('gig', { venue: { type: 'relation', relation: 'manyToOne', target: 'venue' } }).contentTypes,
      },
    });
    expect(await indexShape(t(), 'gigs_venue_lnk', 'gigs_venue_lnk_entity_id_position_idx')).toEqual([
      'entity_id',
      'position',
    ]);
    expect(await indexShape(t(), 'gigs_venue_lnk', 'gigs_venue_lnk_target_document_id_entity_id_idx')).toEqual([
      'target_document_id',
      'entity_id',
    ]);
  });

  it('builds the default index of an attribute added to an existing type in the same plan', async () => {
    await applySchema(t().folio, typeFile('shift', {}));
    const result = await applySchema(t().folio, typeFile('shift', { startsAt: { type: 'datetime' } }));
    expect(result.applied.map((s) => s.step.action)).toEqual(['addColumn', 'createIndex']);
    expect(result.plan.suggested).toEqual([]);
    expect(await indexShape(t(), 'shifts', 'shifts_status_locale_starts_at_desc_id_idx')).toEqual(
      LIST_DESC('starts_at'),
    );
  });

  it('only proposes the default index an existing attribute lacks, building nothing', async () => {
    const file = typeFile('lecture', { givenOn: { type: 'date' } });
    await applySchema(t().folio, file);
    await dropIndex(t(), 'lectures', 'lectures_status_locale_given_on_desc_id_idx');

    const result = await applySchema(t().folio, file);
    expect(result.noop).toBe(true);
    expect(result.applied).toEqual([]);
    expect(result.plan.suggested.map((s) => [s.step.action, s.description])).toEqual([
      [
        'createIndex',
        'create index lectures_status_locale_given_on_desc_id_idx on lectures (status, locale, given_on DESC, id)',
      ],
    ]);
    expect(await indexShape(t(), 'lectures', 'lectures_status_locale_given_on_desc_id_idx')).toEqual([]);
  });

  it('builds the proposed index when the apply accepts the suggestions', async () => {
    const file = typeFile('seminar', { givenOn: { type: 'date' } });
    await applySchema(t().folio, file);
    await dropIndex(t(), 'seminars', 'seminars_status_locale_given_on_desc_id_idx');

    // Accepting builds every suggestion of the installation (the plan covers every type), this one among them.
    const result = await applySchema(t().folio, file, { acceptSuggested: true });
    expect(result.applied.map((s) => s.step.action)).toEqual(result.applied.map(() => 'createIndex'));
    expect(result.applied.map((s) => s.description)).toContain(
      'create index seminars_status_locale_given_on_desc_id_idx on seminars (status, locale, given_on DESC, id)',
    );
    expect(result.plan.suggested).toEqual([]);
    expect(await indexShape(t(), 'seminars', 'seminars_status_locale_given_on_desc_id_idx')).toEqual(
      LIST_DESC('given_on'),
    );
    expect((await applySchema(t().folio, file)).plan.suggested).toEqual([]);
  });

  it('no longer proposes the index once the attribute opts out with index: false', async () => {
    await applySchema(t().folio, typeFile('panel', { heldOn: { type: 'date' } }));
    await dropIndex(t(), 'panels', 'panels_status_locale_held_on_desc_id_idx');
    const result = await applySchema(t().folio, typeFile('panel', { heldOn: { type: 'date', index: false } }));
    expect(result.plan.suggested).toEqual([]);
    expect(result.applied).toEqual([]);
  });

  it('builds the missing index of an existing attribute that now declares it', async () => {
    await applySchema(t().folio, typeFile('recital', { playedOn: { type: 'date' } }));
    await dropIndex(t(), 'recitals', 'recitals_status_locale_played_on_desc_id_idx');
    const declared = typeFile('recital', { playedOn: { type: 'date' } });
    declared.contentTypes!.recital!.options = { indexes: [{ attributes: ['playedOn:desc'] }] };
    const result = await applySchema(t().folio, declared);
    expect(result.applied.map((s) => s.description)).toEqual([
      'create index recitals_status_locale_played_on_desc_id_idx on recitals (status, locale, played_on DESC, id)',
    ]);
    expect(result.plan.suggested.filter((step) => step.uids.includes('recital'))).toEqual([]);
  });

  it('drops a default index when its attribute opts out with index: false', async () => {
    await applySchema(t().folio, typeFile('poster', { shownOn: { type: 'date' } }));
    const result = await applySchema(t().folio, typeFile('poster', { shownOn: { type: 'date', index: false } }));
    expect(result.applied.map((s) => s.step.action)).toEqual(['dropIndex']);
    expect(await indexShape(t(), 'posters', 'posters_status_locale_shown_on_desc_id_idx')).toEqual([]);
  });

  it('shows the proposal in the Admin API plan and builds it on an apply with acceptSuggested', async () => {
    const file = typeFile('workshop', { heldOn: { type: 'date' } });
    await applySchema(t().folio, file);
    await dropIndex(t(), 'workshops', 'workshops_status_locale_held_on_desc_id_idx');

    const plan = await admin.post('/admin-api/content-type-builder/plan', { contentTypes: file.contentTypes });
    expect(plan.status).toBe(200);
    expect(plan.body.data.steps).toEqual([]);
    expect(plan.body.data.suggested).toEqual([
      expect.objectContaining({ action: 'createIndex', table: 'workshops', uids: ['workshop'] }),
    ]);

    const plain = await admin.post('/admin-api/content-type-builder/apply', { contentTypes: file.contentTypes });
    expect(plain.status).toBe(200);
    expect(await indexShape(t(), 'workshops', 'workshops_status_locale_held_on_desc_id_idx')).toEqual([]);

    const accepted = await admin.post('/admin-api/content-type-builder/apply', {
      contentTypes: file.contentTypes,
      acceptSuggested: true,
    });
    expect(accepted.status).toBe(200);
    expect(await indexShape(t(), 'workshops', 'workshops_status_locale_held_on_desc_id_idx')).toEqual(
      LIST_DESC('held_on'),
    );
  });
});
