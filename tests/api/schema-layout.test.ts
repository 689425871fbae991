// A type's view layout is a schema change without SQL: `schema apply` and the builder plan it as one
// layout step that leaves every table as it was, the stored document carries it (export then apply
// is a no-op), a bad layout is refused with its path, and the content manager hands each editor the
// complete layout of what they may see. Both databases.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applySchema, applyTestSchema } from '../helpers/schema.js';
import { introspect } from '../../server/schema/introspect.js';
import type { ContentTypeDefinition, ContentTypeLayout } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const BASE = '/admin-api/content-type-builder';

const layout: ContentTypeLayout = {
  edit: [
    {
      title: 'Headline',
      fields: [
        { name: 'slug', size: 'half' },
        { name: 'title', size: 'half' },
      ],
    },
    { title: 'Story', fields: [{ name: 'summary' }, { name: 'body' }] },
  ],
  list: ['title', 'category', 'publishedDate'],
};

const withLayout = (l: ContentTypeLayout | undefined): ContentTypeDefinition => ({
  ...blogSchema.contentTypes.article,
  ...(l ? { layout: l } : {}),
});

/** Every table with its columns and indexes, to show that nothing in the database moved. */
async function tables(t: Parameters<Parameters<typeof describeEachDatabase>[1]>[0]) {
  const actual = await introspect(t().db, t().dialect);
  return [...actual]
    .filter(([name]) => !name.startsWith('folio_'))
    .map(([name, table]) => [name, [...table.columns].sort(), [...table.indexes].sort()]);
}

describeEachDatabase('schema: view layout', (t) => {
  let admin: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    admin = await signedIn(t(), ['super-admin']);
  });

  describe('schema apply', () => {
    it('plans a layout change as one layout step and changes no table', async () => {
      const before = await tables(t);
      const result = await applySchema(t().folio, { contentTypes: { article: withLayout(layout) } });
      expect(result.applied.map((s) => s.step)).toEqual([
        { action: 'changeLayout', table: 'articles', uid: 'article' },
      ]);
      expect(result.applied[0].description).toMatch(/^change the view layout of article .*no database change/);
      expect(await tables(t)).toEqual(before);
      const steps = await t()
        .db('folio_schema_steps')
        .where({ action: 'changeLayout' })
        .select('target_table', 'status');
      expect(steps).toContainEqual({ target_table: 'articles', status: 'applied' });
    });

    it('stores the layout with the schema: exporting and applying it again changes nothing', async () => {
      const document = await t().folio.schema.document();
      expect(document.contentTypes.article.layout).toEqual(layout);
      const again = await applySchema(t().folio, JSON.parse(JSON.stringify(document)) as unknown);
      expect(again.noop).toBe(true);
    });

    it('refuses a layout naming a field the type does not have, changing nothing', async () => {
      const version = await t().folio.schema.version();
      const bad = { ...layout, list: ['title', 'headline'] };
      await expect(applySchema(t().folio, { contentTypes: { article: withLayout(bad) } })).rejects.toMatchObject({
        name: 'ValidationError',
        message: 'invalid schema: contentTypes.article.layout.list.1: "headline" is not an attribute of this type',
      });
      expect(await t().folio.schema.version()).toBe(version);
      expect((await t().folio.schema.document()).contentTypes.article.layout).toEqual(layout);
    });
  });

  describe('the builder', () => {
    it('shows a layout change in its plan as a step that loses nothing', async () => {
      const res = await admin.post(`${BASE}/plan`, {
        contentTypes: { article: withLayout({ ...layout, list: ['title'] }) },
      });
      expect(res.status).toBe(200);
      expect(res.body.data.steps).toEqual([
        expect.objectContaining({
          action: 'changeLayout',
          table: 'articles',
          column: null,
          uids: ['article'],
          rowsAtStake: 0,
          destructive: false,
        }),
      ]);
      expect(res.body.data.changes).toEqual([{ kind: 'contentType', uid: 'article', change: 'update' }]);
    });

    it('answers a bad layout with 400 and the path of the mistake', async () => {
      const res = await admin.post(`${BASE}/plan`, {
        contentTypes: { article: withLayout({ edit: [{ fields: [{ name: 'title' }, { name: 'title' }] }] }) },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors).toContainEqual(
        expect.objectContaining({
          path: ['contentTypes', 'article', 'layout', 'edit', 0, 'fields', 1, 'name'],
          message: 'title is placed twice',
        }),
      );
    });
  });

  describe('the content manager', () => {
    async function articleType(session: AdminSession) {
      const res = await session.get('/admin-api/content/content-types');
      expect(res.status).toBe(200);
      return (res.body.data.contentTypes as Array<{ uid: string; layout: unknown }>).find((c) => c.uid === 'article');
    }

    it('describes the layout with every attribute placed: the rest after the placed ones', async () => {
      const type = await articleType(admin);
      const placed = Object.keys(blogSchema.contentTypes.article.attributes).filter(
        (n) => !['slug', 'title', 'summary', 'body'].includes(n),
      );
      expect(type?.layout).toEqual({
        edit: [
          {
            title: 'Headline',
            fields: [
              { name: 'slug', size: 'half' },
              { name: 'title', size: 'half' },
            ],
          },
          {
            title: 'Story',
            fields: [
              { name: 'summary', size: 'full' },
              { name: 'body', size: 'full' },
            ],
          },
          { fields: placed.map((name) => ({ name, size: 'full' })) },
        ],
        list: ['title', 'category', 'publishedDate'],
      });
    });

    it('describes a component without layout with its fields in schema order, full width', async () => {
      const res = await admin.get('/admin-api/content/content-types');
      const seo = (res.body.data.components as Array<{ uid: string; layout: unknown }>).find(
        (c) => c.uid === 'shared.seo',
      );
      expect(seo?.layout).toEqual({
        edit: [{ fields: ['metaTitle', 'metaDescription', 'shareImage'].map((name) => ({ name, size: 'full' })) }],
      });
    });

    it('leaves out of the layout the fields an editor may not read', async () => {
      const role = await t().folio.access.createRole({ name: 'Headline reader' });
      await t().folio.access.setPermissions(role.id, [
        { action: 'read', subject: 'article', fields: ['title', 'body', 'category'] },
      ]);
      const reader = await signedIn(t(), [role.id]);
      expect((await articleType(reader))?.layout).toEqual({
        edit: [
          { title: 'Headline', fields: [{ name: 'title', size: 'half' }] },
          { title: 'Story', fields: [{ name: 'body', size: 'full' }] },
          { fields: [{ name: 'category', size: 'full' }] },
        ],
        // The category column needs the categories themselves to be readable.
        list: ['title'],
      });
    });
  });
});
