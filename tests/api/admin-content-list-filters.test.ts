// The content manager's list filters (GET /admin-api/content/:uid?filters=…), as the dashboard's
// list sends them: relations by the documentIds the pickers list, date and datetime ranges, when a
// document was published (its published version, not the draft the list shows), and the link
// right — a role that may write a relation filters and sees it by its targets' documentId and label,
// and nothing else of them. List rows carry their media, for thumbnails.
import { beforeAll, describe, expect, it } from '@jest/globals';
import qs from 'qs';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { twoColours } from '../helpers/media.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const C = '/admin-api/content';

/** The list's URL with Strapi-style filters, encoded as the dashboard encodes them (qs). */
function listOf(uid: string, filters: Record<string, unknown>): string {
  return `${C}/${uid}?${qs.stringify({ filters, pageSize: 100 }, { encodeValuesOnly: true })}`;
}

function titles(body: { data: Array<{ title: string }> }): string[] {
  return body.data.map((e) => e.title).sort();
}

describeEachDatabase('content manager: list filters', (t) => {
  let editor: AdminSession;
  const categories = new Map<string, string>();
  const tags = new Map<string, string>();
  const articles = new Map<string, string>();

  async function create(s: AdminSession, uid: string, body: Record<string, unknown>): Promise<string> {
    const res = await s.post(`${C}/${uid}`, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.data.documentId as string;
  }

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    for (const name of ['News', 'Sport']) categories.set(name, await create(editor, 'category', { name }));
    for (const name of ['rust', 'go']) tags.set(name, await create(editor, 'tag', { name }));
    const seed: Array<[string, string, string, string, string[]]> = [
      ['March news', 'News', '2026-03-10', '2026-03-10T09:00:00.000Z', ['rust']],
      ['Late March news', 'News', '2026-03-31', '2026-03-31T23:30:00.000Z', ['go']],
      ['March sport', 'Sport', '2026-03-12', '2026-03-12T12:00:00.000Z', []],
      ['January news', 'News', '2026-01-05', '2026-01-05T08:00:00.000Z', ['rust', 'go']],
    ];
    for (const [title, category, publishedDate, scheduledAt, tagNames] of seed) {
      const id = await create(editor, 'article', {
        title,
        publishedDate,
        scheduledAt,
        category: { connect: [categories.get(category)] },
        tags: { connect: tagNames.map((n) => tags.get(n)) },
      });
      articles.set(title, id);
    }
  });

  it('lists the entries linking a category, by its documentId, within a date range', async () => {
    const res = await editor.get(
      listOf('article', {
        $and: [
          { category: { documentId: { $in: [categories.get('News')] } } },
          { publishedDate: { $gte: '2026-03-01' } },
          { publishedDate: { $lte: '2026-03-31' } },
        ],
      }),
    );
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(titles(res.body)).toEqual(['Late March news', 'March news']);
  });

  it('combines the filters with the search box', async () => {
    const filters = { $and: [{ category: { documentId: { $in: [categories.get('News')] } } }] };
    const res = await editor.get(`${listOf('article', filters)}&q=march`);
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(titles(res.body)).toEqual(['Late March news', 'March news']);
  });

  it('lists the entries linking any of the chosen tags (a to-many relation)', async () => {
    const res = await editor.get(listOf('article', { tags: { documentId: { $in: [tags.get('go')] } } }));
    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(['January news', 'Late March news']);
  });

  it('takes a datetime range as instants, the end excluded', async () => {
    const res = await editor.get(
      listOf('article', {
        scheduledAt: { $gte: '2026-03-10T09:00:00.000Z', $lt: '2026-03-31T23:30:00.000Z' },
      }),
    );
    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(['March news', 'March sport']);
  });

  describe('publishedAt, on a type with draft & publish', () => {
    let before: string;

    beforeAll(async () => {
      before = new Date(Date.now() - 1000).toISOString();
      for (const title of ['March news', 'March sport']) {
        const published = await editor.post(`${C}/article/${articles.get(title)}/actions/publish`);
        expect(published.status).toBe(200);
      }
    });

    it('filters by when the published version went live', async () => {
      const res = await editor.get(listOf('article', { publishedAt: { $gte: before } }));
      expect(res.status).toBe(200);
      expect(titles(res.body)).toEqual(['March news', 'March sport']);
      // The rows are still the drafts the editor works on.
      expect(res.body.data.map((e: { __status: string }) => e.__status)).toEqual(['published', 'published']);
    });

    it('finds nothing published after a date still to come', async () => {
      const res = await editor.get(listOf('article', { publishedAt: { $gt: '2999-01-01T00:00:00.000Z' } }));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    });

    it('takes $null as never published', async () => {
      const res = await editor.get(listOf('article', { publishedAt: { $null: true } }));
      expect(res.status).toBe(200);
      expect(titles(res.body)).toEqual(['January news', 'Late March news']);
    });
  });

  it('answers the media of each row, for the thumbnails', async () => {
    const upload = await editor.agent
      .post('/admin-api/upload/files')
      .set('X-CSRF-Token', editor.csrf)
      .attach('files', await twoColours(400, 300, '#204080', '#ffffff', 'png'), 'cover.png');
    expect(upload.status).toBe(201);
    const cover = upload.body.data[0].id as number;
    const id = await create(editor, 'article', { title: 'With a cover', cover });
    const res = await editor.get(listOf('article', { documentId: { $eq: id } }));
    expect(res.status).toBe(200);
    expect(res.body.data[0].cover).toMatchObject({
      id: cover,
      name: 'cover.png',
      mime: 'image/png',
      formats: { thumbnail: { url: expect.stringContaining('thumbnail_') } },
    });
  });

  describe('a role that may link categories but not read them', () => {
    let linker: AdminSession;
    let mine: string;

    beforeAll(async () => {
      const role = await t().folio.access.createRole({ name: 'Linker' });
      await t().folio.access.setPermissions(role.id, [
        { action: 'read', subject: 'article', fields: ['title', 'category'] },
        { action: 'update', subject: 'article', fields: ['title', 'category'] },
      ]);
      linker = await signedIn(t(), [role.id]);
      mine = articles.get('March sport') ?? '';
    });

    it('filters by a category it may link, and sees it by documentId and name only', async () => {
      const res = await linker.get(listOf('article', { category: { documentId: { $in: [categories.get('Sport')] } } }));
      expect([res.status, res.body.error]).toEqual([200, undefined]);
      expect(res.body.data.map((e: { documentId: string }) => e.documentId)).toEqual([mine]);
      expect(res.body.data[0].category).toEqual({
        id: expect.any(Number),
        documentId: categories.get('Sport'),
        name: 'Sport',
      });
    });

    it('cannot filter by when the category was created (400, nothing learnt)', async () => {
      const res = await linker.get(listOf('article', { category: { createdAt: { $gt: '2000-01-01T00:00:00.000Z' } } }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Invalid key createdAt/);
    });
  });
});
