// Turning draft & publish or localization on or off on a populated type: the rows are reshaped to
// what the option now means, so no entry disappears from the API, and what would be lost (drafts
// with unpublished changes, other locales) is named and needs force.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import type { Folio } from '../../server/folio.js';
import type { ContentTypeDefinition, SchemaFile } from '../../server/schema/types.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { addLocales } from '../helpers/schema.js';

const seo = {
  collectionName: 'components_shared_seos',
  info: { displayName: 'Seo' },
  attributes: { metaTitle: { type: 'string' } },
};
const category: ContentTypeDefinition = {
  kind: 'collectionType',
  info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
  options: { draftAndPublish: false },
  attributes: { name: { type: 'string' } },
};

function postType(options: { draftAndPublish: boolean; localized?: boolean }): ContentTypeDefinition {
  return {
    kind: 'collectionType',
    info: { singularName: 'post', pluralName: 'posts', displayName: 'Post' },
    options: { draftAndPublish: options.draftAndPublish },
    ...(options.localized ? { pluginOptions: { i18n: { localized: true } } } : {}),
    attributes: {
      title: { type: 'string', required: true },
      category: { type: 'relation', relation: 'manyToOne', target: 'category' },
      seo: { type: 'component', component: 'shared.seo', repeatable: false },
    },
  };
}

const schemaWith = (post: ContentTypeDefinition): SchemaFile =>
  ({ contentTypes: { category, post }, components: { 'shared.seo': seo } }) as unknown as SchemaFile;

/** A failed apply rejects with a Folio error; matched by name and message (errors cross realms). */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { name: string; message: string };
  }
  throw new Error('expected the apply to fail');
}

interface PostRow {
  id: number;
  document_id: string;
  status: string;
  locale: string;
  title: string;
  published_at: unknown;
}
const rows = (db: Knex): Promise<PostRow[]> =>
  db('posts')
    .orderBy(['document_id', 'status', 'locale'])
    .select('id', 'document_id', 'status', 'locale', 'title', 'published_at');
const linksOf = async (db: Knex, rowId: number) => ({
  category: (await db('posts_category_lnk').where('entity_id', rowId).pluck('target_document_id')) as string[],
  components: Number((await db('posts_cmps').where('entity_id', rowId).count({ n: '*' }))[0].n),
});

describe("changing what a type's rows mean", () => {
  describeEachDatabase('draft & publish turned off', (t) => {
    let folio: Folio;
    let ids: { published: string; draftOnly: string; edited: string };
    let categoryId: string;

    beforeAll(async () => {
      folio = t().folio;
      await folio.schema.apply(schemaWith(postType({ draftAndPublish: true })));
      categoryId = (await folio.documents.create('category', { data: { name: 'News' } })).documentId;
      const data = (title: string) => ({ title, category: categoryId, seo: { metaTitle: `${title} seo` } });
      const published = await folio.documents.create('post', { data: data('Published') });
      const draftOnly = await folio.documents.create('post', { data: data('Draft only'), status: 'draft' });
      const edited = await folio.documents.create('post', { data: data('Edited, published') });
      await new Promise((resolve) => setTimeout(resolve, 5)); // the edit is later than the publication
      await folio.documents.update('post', edited.documentId, {
        data: { title: 'Edited, not yet published' },
        status: 'draft',
      });
      ids = { published: published.documentId, draftOnly: draftOnly.documentId, edited: edited.documentId };
    });

    it('is refused without force, naming the drafts with unpublished changes, and changes nothing', async () => {
      const before = await rows(t().db);
      const err = await failure(folio.schema.apply(schemaWith(postType({ draftAndPublish: false }))));
      expect(err.message).toMatch(/1 draft\(s\) with unpublished changes are dropped/);
      expect(await rows(t().db)).toEqual(before);
      expect((await folio.schema.current()).contentTypes.get('post')!.draftAndPublish).toBe(true);
    });

    it('with force keeps one published version per entry, draft-only entries published with their links', async () => {
      await folio.schema.apply(schemaWith(postType({ draftAndPublish: false })), { force: true });
      const after = await rows(t().db);
      expect(after.map((r) => [r.document_id, r.status, r.title]).sort()).toEqual(
        [
          [ids.draftOnly, 'published', 'Draft only'],
          [ids.edited, 'published', 'Edited, published'],
          [ids.published, 'published', 'Published'],
        ].sort(),
      );
      expect(after.every((r) => r.published_at !== null)).toBe(true);
      for (const row of after) expect(await linksOf(t().db, row.id)).toEqual({ category: [categoryId], components: 1 });
      // Every entry is readable and editable as a type without draft & publish.
      const draftOnly = await folio.documents.findOne('post', ids.draftOnly);
      expect(draftOnly?.values.title).toBe('Draft only');
      const updated = await folio.documents.update('post', ids.draftOnly, { data: { title: 'Renamed' } });
      expect(updated.values.title).toBe('Renamed');
    });
  });

  describeEachDatabase('draft & publish turned on', (t) => {
    it('gives every entry a draft that copies its values, links and components', async () => {
      const folio = t().folio;
      await folio.schema.apply(schemaWith(postType({ draftAndPublish: false })));
      const categoryId = (await folio.documents.create('category', { data: { name: 'News' } })).documentId;
      const post = await folio.documents.create('post', {
        data: { title: 'Live', category: categoryId, seo: { metaTitle: 'Live seo' } },
      });

      const plan = await folio.schema.plan(schemaWith(postType({ draftAndPublish: true })));
      expect(plan.refused).toEqual([]);
      await folio.schema.apply(schemaWith(postType({ draftAndPublish: true })));

      const after = await rows(t().db);
      expect(after.map((r) => [r.status, r.title])).toEqual([
        ['draft', 'Live'],
        ['published', 'Live'],
      ]);
      expect(after.find((r) => r.status === 'draft')!.published_at).toBeNull();
      for (const row of after) expect(await linksOf(t().db, row.id)).toEqual({ category: [categoryId], components: 1 });
      // The draft is edited on its own, the published version stays until the next publish.
      await folio.documents.update('post', post.documentId, { data: { title: 'Live, edited' }, status: 'draft' });
      expect((await folio.documents.findOne('post', post.documentId))?.values.title).toBe('Live');
      expect((await folio.documents.findOne('post', post.documentId, { status: 'draft' }))?.values.title).toBe(
        'Live, edited',
      );
    });
  });

  describeEachDatabase('localization', (t) => {
    it('turned on, moves every entry to the default locale', async () => {
      const folio = t().folio;
      await folio.schema.apply(schemaWith(postType({ draftAndPublish: false })));
      const post = await folio.documents.create('post', { data: { title: 'Hello' } });
      await folio.schema.apply(schemaWith(postType({ draftAndPublish: false, localized: true })));
      expect((await rows(t().db)).map((r) => r.locale)).toEqual(['en']);
      expect((await folio.documents.findOne('post', post.documentId, { locale: 'en' }))?.values.title).toBe('Hello');
    });

    it('turned off, keeps the default locale and deletes the others only with force', async () => {
      const folio = t().folio;
      const post = (await rows(t().db))[0].document_id;
      await addLocales(folio, 'fr');
      await folio.documents.update('post', post, { data: { title: 'Bonjour' }, locale: 'fr' });
      const off = schemaWith(postType({ draftAndPublish: false }));
      const err = await failure(folio.schema.apply(off));
      expect(err.message).toMatch(/1 row\(s\) in other locales are deleted/);
      expect((await rows(t().db)).map((r) => r.locale).sort()).toEqual(['en', 'fr']);

      await folio.schema.apply(off, { force: true });
      expect((await rows(t().db)).map((r) => [r.locale, r.title])).toEqual([['', 'Hello']]);
      expect((await folio.documents.findOne('post', post))?.values.title).toBe('Hello');
    });

    it('follows the default locale chosen in Settings › Locales, both ways', async () => {
      const folio = t().folio;
      const post = (await rows(t().db))[0].document_id;
      const fr = (await folio.locales.list()).find((l) => l.code === 'fr')!;
      await folio.locales.makeDefault(fr.id);
      await folio.schema.apply(schemaWith(postType({ draftAndPublish: false, localized: true })));
      expect((await rows(t().db)).map((r) => [r.locale, r.title])).toEqual([['fr', 'Hello']]);
      await folio.documents.update('post', post, { data: { title: 'Hello in English' }, locale: 'en' });

      const off = schemaWith(postType({ draftAndPublish: false }));
      expect((await failure(folio.schema.apply(off))).message).toMatch(/1 row\(s\) in other locales are deleted/);
      await folio.schema.apply(off, { force: true });
      expect((await rows(t().db)).map((r) => [r.locale, r.title])).toEqual([['', 'Hello']]);
      expect((await rows(t().db))[0].document_id).toBe(post);
    });
  });
});
