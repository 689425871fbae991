// The demo blog: what a newcomer sees at /api/articles after the first `npm start`.
import { expect, it } from '@jest/globals';
import { demoArticles } from '../../server/demo/blog-content.js';
import { seedDemo, seedDemoOnFirstStart } from '../../server/demo/seed.js';
import { describeEachDatabase } from '../helpers/folio.js';

describeEachDatabase(
  'the demo seed',
  (t) => {
    it('is seeded once on the first start of a brand-new database', async () => {
      expect(await seedDemoOnFirstStart(t().folio, () => {})).toBe(true);
      expect(await seedDemoOnFirstStart(t().folio, () => {})).toBe(false);
    });

    it('serves its published articles to the Public role, newest entries with their relations and images', async () => {
      const res = await t()
        .http()
        .get('/api/articles')
        .query({ populate: ['category', 'tags', 'cover'], sort: 'publishedDate:desc' });
      expect(res.status).toBe(200);
      const published = demoArticles
        .filter((a) => !a.draft)
        .sort((a, b) => b.publishedDate.localeCompare(a.publishedDate));
      expect(res.body.meta.pagination.total).toBe(published.length);
      expect(res.body.data.map((a: { title: string }) => a.title)).toEqual(published.map((a) => a.title));
      const first = res.body.data[0];
      expect(first.category.name).toBe(published[0].category);
      expect(first.tags.map((tag: { name: string }) => tag.name).sort()).toEqual([...published[0].tags].sort());
      expect(first.cover).toMatchObject({ mime: 'image/jpeg', width: 1600, height: 900 });
      expect(Object.keys(first.cover.formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    });

    it('keeps its draft article out of the public API', async () => {
      const draft = demoArticles.find((a) => a.draft)!;
      const res = await t()
        .http()
        .get('/api/articles')
        .query({ filters: { title: { $eq: draft.title } } });
      expect(res.body.data).toEqual([]);
    });

    it('never shows private fields, such as an author email', async () => {
      const res = await t().http().get('/api/authors');
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeGreaterThan(0);
      for (const author of res.body.data) expect(author).not.toHaveProperty('email');
    });

    it('opens only reads to the Public role', async () => {
      const res = await t()
        .http()
        .post('/api/articles')
        .send({ data: { title: 'Not allowed' } });
      expect(res.status).toBe(403);
    });

    it('lets signed-in members comment, and edit or delete only their own comments', async () => {
      const member = async (name: string) => {
        const res = await t()
          .http()
          .post('/api/auth/local/register')
          .send({ username: name, email: `${name}@example.test`, password: 'correct-horse-42' });
        expect(res.status).toBe(200);
        return `Bearer ${res.body.jwt as string}`;
      };
      const [ada, bob] = [await member('ada'), await member('bob')];
      const article = (await t().http().get('/api/articles')).body.data[0].documentId as string;
      const created = await t()
        .http()
        .post('/api/comments')
        .set('Authorization', ada)
        .send({ data: { body: 'Lovely piece', article } });
      expect(created.status).toBe(201);
      const comment = created.body.data.documentId as string;
      const edit = (who: string, body: string) =>
        t().http().put(`/api/comments/${comment}`).set('Authorization', who).send({ data: { body } });
      expect((await edit(bob, 'Defaced')).status).toBe(404);
      expect((await t().http().delete(`/api/comments/${comment}`).set('Authorization', bob)).status).toBe(404);
      expect((await edit(ada, 'Lovely piece, thanks')).status).toBe(200);
      const read = await t().http().get(`/api/comments/${comment}`);
      expect(read.status).toBe(200);
      expect(read.body.data.body).toBe('Lovely piece, thanks');
      expect(
        (
          await t()
            .http()
            .post('/api/comments')
            .send({ data: { body: 'Anonymous' } })
        ).status,
      ).toBe(403);
      expect((await t().http().delete(`/api/comments/${comment}`).set('Authorization', ada)).status).toBe(204);
    });

    it('refuses to seed a database that already has content types', async () => {
      await expect(seedDemo(t().folio)).rejects.toThrow(/no content types/);
    });
  },
  { FOLIO_DEMO: 'true' },
);

describeEachDatabase('a first start with FOLIO_DEMO=false', (t) => {
  it('seeds nothing', async () => {
    expect(await seedDemoOnFirstStart(t().folio, () => {})).toBe(false);
    expect((await t().folio.schema.current()).contentTypes.size).toBe(0);
  });
});
