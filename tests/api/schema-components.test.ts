// Removing component fields, or components from a dynamic zone, on a populated database: the
// instances go with everything they own (nested components, relation links), the others stay, and
// nothing goes without force.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import type { Folio } from '../../server/folio.js';
import type { SchemaFile } from '../../server/schema/types.js';
import { describeEachDatabase } from '../helpers/folio.js';

const components = {
  'shared.meta': { info: { displayName: 'Meta' }, attributes: { name: { type: 'string' } } },
  'shared.seo': {
    info: { displayName: 'Seo' },
    attributes: {
      title: { type: 'string' },
      metas: { type: 'component', component: 'shared.meta', repeatable: true },
      category: { type: 'relation', relation: 'manyToOne', target: 'category' },
    },
  },
  'shared.quote': { info: { displayName: 'Quote' }, attributes: { text: { type: 'text' } } },
  'shared.hero': { info: { displayName: 'Hero' }, attributes: { heading: { type: 'string' } } },
};

function schema(page: { seo: boolean; blocks: string[] }): SchemaFile {
  return {
    contentTypes: {
      category: {
        kind: 'collectionType',
        info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
        options: { draftAndPublish: false },
        attributes: { name: { type: 'string' } },
      },
      page: {
        kind: 'collectionType',
        info: { singularName: 'page', pluralName: 'pages', displayName: 'Page' },
        options: { draftAndPublish: false },
        attributes: {
          title: { type: 'string' },
          ...(page.seo ? { seo: { type: 'component', component: 'shared.seo', repeatable: false } } : {}),
          blocks: { type: 'dynamiczone', components: page.blocks },
        },
      },
    },
    components,
  } as unknown as SchemaFile;
}

const count = async (db: Knex, table: string) => Number((await db(table).count({ n: '*' }))[0].n);

describeEachDatabase('removing components from a populated type', (t) => {
  let folio: Folio;
  let db: Knex;

  beforeAll(async () => {
    folio = t().folio;
    db = t().db;
    await folio.schema.apply(schema({ seo: true, blocks: ['shared.quote', 'shared.hero'] }));
    const category = await folio.documents.create('category', { data: { name: 'News' } });
    await folio.documents.create('page', {
      data: {
        title: 'Home',
        seo: { title: 'Home page', metas: [{ name: 'a' }, { name: 'b' }], category: category.documentId },
        blocks: [
          { __component: 'shared.quote', text: 'Stay' },
          { __component: 'shared.hero', heading: 'Go' },
          { __component: 'shared.hero', heading: 'Go too' },
        ],
      },
    });
  });

  it("a dynamic zone that no longer allows a component loses only that component's items, with force", async () => {
    const change = schema({ seo: true, blocks: ['shared.quote'] });
    await expect(folio.schema.apply(change)).rejects.toThrow(/delete the 2 shared\.hero item\(s\) of page\.blocks/);
    expect(await count(db, 'components_shared_hero')).toBe(2);

    await folio.schema.apply(change, { force: true });
    expect(await count(db, 'components_shared_hero')).toBe(0);
    expect(await count(db, 'components_shared_quote')).toBe(1);
    expect(await db('pages_cmps').where('field', 'blocks').pluck('component_type')).toEqual(['shared.quote']);
  });

  it('a removed component field takes its nested components and their links along', async () => {
    expect([
      await count(db, 'components_shared_seo'),
      await count(db, 'components_shared_meta'),
      await count(db, 'components_shared_seo_category_lnk'),
    ]).toEqual([1, 2, 1]);
    await folio.schema.apply(schema({ seo: false, blocks: ['shared.quote'] }), { force: true });
    expect(await count(db, 'components_shared_seo')).toBe(0);
    expect(await count(db, 'components_shared_meta')).toBe(0);
    expect(await count(db, 'components_shared_seo_cmps')).toBe(0);
    expect(await count(db, 'components_shared_seo_category_lnk')).toBe(0);
    expect(await count(db, 'components_shared_quote')).toBe(1);
  });
});
