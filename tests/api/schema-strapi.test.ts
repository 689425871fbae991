// A Strapi project's schema.json files apply unchanged (no custom fields, no morph relations).
import { beforeAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { strapiProjectSchema } from '../fixtures/strapi-project.js';

describeEachDatabase("a Strapi project's schema", (t) => {
  const strapi = strapiProjectSchema();

  beforeAll(async () => {
    await t().folio.schema.apply(strapi);
  });

  it('creates the tables Strapi names (collectionName), links and component tables', async () => {
    const { db } = t();
    for (const table of [
      'articles',
      'authors',
      'categories',
      'abouts',
      'globals',
      'pages',
      'components_shared_quotes',
      'components_shared_rich_texts',
      'components_shared_seos',
      'components_shared_sliders',
      'components_shared_media',
      'articles_author_lnk',
      'articles_category_lnk',
      'pages_parent_lnk',
      'articles_cmps',
      'abouts_cmps',
      'globals_cmps',
      'pages_cmps',
    ]) {
      expect([table, await db.schema.hasTable(table)]).toEqual([table, true]);
    }
    expect(await db.schema.hasColumn('globals', 'site_description')).toBe(true);
    expect(await db.schema.hasColumn('pages', 'publish_on')).toBe(true);
  });

  it("resolves Strapi's api:: targets, both sides of each relation sharing one link table", async () => {
    const model = await t().folio.schema.current();
    expect(model.contentTypes.get('article')!.fields.get('author')).toMatchObject({
      target: 'author',
      owner: true,
      toMany: false,
      linkTable: 'articles_author_lnk',
    });
    expect(model.contentTypes.get('author')!.fields.get('articles')).toMatchObject({
      target: 'article',
      owner: false,
      toMany: true,
      linkTable: 'articles_author_lnk',
    });
    expect(model.contentTypes.get('page')).toMatchObject({ localized: true, draftAndPublish: true });
    expect(model.byRoute.get('about')?.kind).toBe('singleType');
  });

  it('stores the definitions unchanged, and exporting then applying them is a no-op', async () => {
    const stored = await t().folio.schema.document();
    expect(stored.contentTypes).toEqual(strapi.contentTypes);
    expect(stored.components).toEqual(strapi.components);
    const result = await t().folio.schema.apply(JSON.parse(JSON.stringify(stored)));
    expect(result).toMatchObject({ noop: true, applied: [] });
  });
});
