// Reads without filters compile their statements once per shape (server/content/query/statements.ts)
// and run them again with other ids bound. Every read must still answer its own rows: another
// document, another page, another status or a changed schema never gets an earlier read's values.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { blogSchema } from '../fixtures/blog-schema.js';
import { seedBlog, type Seed } from '../fixtures/content-seed.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import type { SchemaDocument } from '../../server/schema/types.js';

/** The statements a request runs, as sent to the database. */
async function statementsOf(
  t: TestFolio,
  url: string,
): Promise<{
  body: { data: unknown; meta?: { pagination?: { total?: number } } };
  statements: Array<{ sql: string; bindings: Knex.Value[] }>;
}> {
  const statements: Array<{ sql: string; bindings: Knex.Value[] }> = [];
  const listener = (q: { sql: string; bindings: Knex.Value[] }) =>
    statements.push({ sql: q.sql, bindings: q.bindings });
  t.db.on('query', listener);
  try {
    const res = await t.http().get(url);
    expect(res.status).toBe(200);
    return {
      body: res.body as { data: unknown; meta?: { pagination?: { total?: number } } },
      statements: statements.filter((s) => /^select/i.test(s.sql) && /articles/.test(s.sql)),
    };
  } finally {
    t.db.off('query', listener);
  }
}

describeEachDatabase('statements compiled once per shape', (t) => {
  let seed: Seed;
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    seed = await seedBlog(t().db);
    await t().folio.access.grantPublic(['article.find', 'article.findOne', 'tag.find', 'category.find']);
  });

  const published = () => seed.articles.filter((a) => a.published !== null);

  it('each document read by its id answers itself, through one statement shared by all', async () => {
    const sqls = new Set<string>();
    for (const doc of published()) {
      const { body, statements } = await statementsOf(t(), `/api/articles/${doc.documentId}`);
      expect(body.data).toMatchObject({ documentId: doc.documentId, title: doc.published?.title });
      sqls.add(statements[0].sql);
      expect(statements[0].bindings).toContain(doc.documentId);
    }
    expect(sqls.size).toBe(1);
  });

  it(
    'each page of a list with populated tags carries its ' + 'own articles and their own tags, whatever its size',
    async () => {
      const expected = published().sort((a, b) => (a.published?.id ?? 0) - (b.published?.id ?? 0));
      for (const size of [3, 1, 2]) {
        for (let page = 1; (page - 1) * size < expected.length; page++) {
          const { body } = await statementsOf(
            t(),
            `/api/articles?populate[tags]=true&pagination[pageSize]=${size}&pagination[page]=${page}`,
          );
          const data = body.data as Array<{ documentId: string; tags: Array<{ documentId: string }> }>;
          const want = expected.slice((page - 1) * size, page * size);
          expect(data.map((d) => d.documentId)).toEqual(want.map((a) => a.documentId));
          data.forEach((d, i) => expect(d.tags.map((tag) => tag.documentId)).toEqual(want[i].published?.tagDocs));
        }
      }
    },
  );

  /** The published articles' documentIds in id order that `keep` selects, computed from the seed. */
  const expectedIds = (keep: (v: NonNullable<Seed['articles'][number]['published']>) => boolean) =>
    published()
      .filter((a) => a.published && keep(a.published))
      .sort((a, b) => (a.published?.id ?? 0) - (b.published?.id ?? 0))
      .map((a) => a.documentId);

  const listIds = async (query: string) => {
    const { body } = await statementsOf(t(), `/api/articles?pagination[pageSize]=100&${query}`);
    return (body.data as Array<{ documentId: string }>).map((d) => d.documentId);
  };

  it('one filter shape read with other values answers other rows', async () => {
    for (const views of [0, 25, 50, 90]) {
      expect(await listIds(`filters[views][$gt]=${views}`)).toEqual(expectedIds((v) => v.views > views));
    }
    for (const doc of published().slice(0, 4)) {
      const title = doc.published?.title as string;
      expect(await listIds(`filters[title][$eq]=${encodeURIComponent(title)}`)).toEqual(
        expectedIds((v) => v.title === title),
      );
    }
    for (const [low, high] of [
      [0, 20],
      [30, 60],
      [10, 10],
    ]) {
      expect(await listIds(`filters[views][$between][0]=${low}&filters[views][$between][1]=${high}`)).toEqual(
        expectedIds((v) => v.views >= low && v.views <= high),
      );
    }
  });

  it('one relation filter shape read with other values answers other rows', async () => {
    for (const tag of seed.tags.slice(0, 5)) {
      expect(await listIds(`filters[tags][slug][$eq]=${tag.slug}`)).toEqual(
        expectedIds((v) => v.tagDocs.includes(tag.documentId)),
      );
    }
  });

  it('each total is counted for its own filter values', async () => {
    for (const views of [0, 50]) {
      const { body } = await statementsOf(t(), `/api/articles?filters[views][$gte]=${views}&pagination[pageSize]=1`);
      expect(body.meta?.pagination?.total).toBe(expectedIds((v) => v.views >= views).length);
    }
  });

  it('the draft and the published version of a document are read apart', async () => {
    const doc = published().find((a) => a.draft.title !== a.published?.title);
    expect(doc).toBeDefined();
    const draftToken = await t().folio.apiTokens.create({ name: `drafts-${Date.now()}`, type: 'full-access' });
    const ask = (status: string) =>
      t()
        .http()
        .get(`/api/articles/${doc?.documentId}?status=${status}`)
        .set('Authorization', `Bearer ${draftToken.token}`);
    expect((await ask('published')).body.data.title).toBe(doc?.published?.title);
    expect((await ask('draft')).body.data.title).toBe(doc?.draft.title);
    expect((await ask('published')).body.data.title).toBe(doc?.published?.title);
  });

  it('a field added by a schema change is read by the next request', async () => {
    const doc = published()[0];
    await statementsOf(t(), `/api/articles/${doc.documentId}`);
    const withSubtitle = structuredClone<SchemaDocument>(blogSchema);
    withSubtitle.contentTypes.article.attributes.subtitle = { type: 'string' };
    await applyTestSchema(t().folio, withSubtitle);
    await t().db('articles').update({ subtitle: 'Read at once' });
    const { body } = await statementsOf(t(), `/api/articles/${doc.documentId}`);
    expect(body.data).toMatchObject({ documentId: doc.documentId, subtitle: 'Read at once' });
  });
});
