// Field permissions through relations in the content manager's Admin API: every segment of a filter,
// sort, populate and label is checked against the fields the caller may read of the type it belongs
// to; a caller who may write a relation field may pick its targets (Strapi's exception); uid-available
// answers only from the entries the caller may read. Both databases, real sessions.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import type { PermissionInput } from '../../server/access/service.js';

describeEachDatabase('content manager field access through relations', (t) => {
  const A = '/admin-api/content/article';
  let editor: AdminSession;
  let author: AdminSession;
  /** Reads articles (not their views) and authors' avatars only: an author's name is hidden. */
  let avatarReader: AdminSession;
  let ada: string;
  let science: string;

  async function withRole(name: string, permissions: PermissionInput[]): Promise<AdminSession> {
    const role = await t().folio.access.createRole({ name });
    await t().folio.access.setPermissions(role.id, permissions);
    return signedIn(t(), [role.id]);
  }

  async function create(s: AdminSession, uid: string, body: Record<string, unknown>): Promise<string> {
    const res = await s.post(`/admin-api/content/${uid}`, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.data.documentId as string;
  }

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    avatarReader = await withRole('Avatar reader', [
      { action: 'read', subject: 'article', fields: ['title', 'slug', 'author', 'category'] },
      { action: 'read', subject: 'author', fields: ['avatar'] },
      { action: 'read', subject: 'category' },
    ]);
    ada = await create(editor, 'author', { name: 'Ada Lovelace' });
    science = await create(editor, 'category', { name: 'Science' });
    await create(editor, 'article', { title: 'Engines', author: ada, category: science, views: 500 });
  });

  describe('hidden fields of related types', () => {
    it('lists a related entry by documentId when the caller may not read its main field', async () => {
      const res = await avatarReader.get(`${A}?sort=title:asc`);
      expect(res.status).toBe(200);
      expect(res.body.data[0].author).toEqual({ id: expect.anything(), documentId: ada });
      expect(res.body.data[0].category).toMatchObject({ documentId: science, name: 'Science' });
      expect(JSON.stringify(res.body)).not.toContain('Ada Lovelace');
    });

    it('reads one entry with the related entry labelled by documentId only', async () => {
      const list = await avatarReader.get(A);
      const res = await avatarReader.get(`${A}/${list.body.data[0].documentId}`);
      expect(res.status).toBe(200);
      expect(res.body.data.author).toEqual({ id: expect.anything(), documentId: ada });
      expect(JSON.stringify(res.body)).not.toContain('Ada Lovelace');
    });

    it('labels picker targets by documentId when the main field is hidden, and does not search it', async () => {
      const res = await avatarReader.get(`${A}/relations/author`);
      expect(res.status).toBe(200);
      expect(res.body.data).toContainEqual({ id: ada, documentId: ada, label: ada, __status: 'published' });
      expect(JSON.stringify(res.body)).not.toContain('Ada Lovelace');
      expect((await avatarReader.get(`${A}/relations/author?q=Ada`)).body.data).toEqual([]);
    });

    it('refuses (400) filtering on a hidden field through a relation', async () => {
      const res = await avatarReader.get(`${A}?filters[author][name][$startsWith]=Ada`);
      expect([res.status, res.body.error?.name, res.body.error?.details?.key]).toEqual([
        400,
        'ValidationError',
        'name',
      ]);
      // The readable fields of a related type still filter.
      const ok = await avatarReader.get(`${A}?filters[category][name][$eq]=Science`);
      expect([ok.status, ok.body.data.length]).toEqual([200, 1]);
    });

    it('refuses (400) sorting on a hidden field through a relation', async () => {
      const res = await avatarReader.get(`${A}?sort=author.name:asc`);
      expect([res.status, res.body.error?.name]).toEqual([400, 'ValidationError']);
      expect((await avatarReader.get(`${A}?sort=category.name:asc`)).status).toBe(200);
    });

    it('refuses (400) filtering on a hidden field of the target through an inverse relation', async () => {
      const res = await avatarReader.get('/admin-api/content/category?filters[articles][views][$gt]=100');
      expect([res.status, res.body.error?.name, res.body.error?.details?.key]).toEqual([
        400,
        'ValidationError',
        'views',
      ]);
      // A readable field of the same path still filters (a category's links read published articles).
      expect((await avatarReader.get('/admin-api/content/category?filters[articles][title][$eq]=Engines')).status).toBe(
        200,
      );
    });
  });

  describe('relation pickers', () => {
    it(
      'lets a caller who may write the relation pick every ' + 'target with its label (an Author links a category)',
      async () => {
        const res = await author.get(`${A}/relations/category?q=sci`);
        expect(res.status).toBe(200);
        expect(res.body.data).toEqual([{ id: science, documentId: science, label: 'Science', __status: 'published' }]);
      },
    );

    it('labels the targets a picker already holds, by id, under the same link right', async () => {
      const res = await author.get(`${A}/relations/category?ids[0]=${science}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([{ id: science, documentId: science, label: 'Science', __status: 'published' }]);
      // The same filter through the Admin API's list is the caller's read right, which holds nothing here.
      expect(
        (await author.get(`/admin-api/content/category?filters[documentId][$in][0]=${science}`)).body.data,
      ).toEqual([]);
      expect((await author.get(`${A}/relations/category?ids=${science}`)).status).toBe(400);
    });

    it('lists only the targets a read-only caller may read', async () => {
      const own = await withRole('Own reader', [
        { action: 'read', subject: 'article', conditions: { builtins: ['isCreator'] } },
        { action: 'read', subject: 'category', conditions: { builtins: ['isCreator'] } },
      ]);
      const res = await own.get(`${A}/relations/category`);
      expect([res.status, res.body.data]).toEqual([200, []]);
    });

    it('refuses a caller who may neither read the target nor write the field', async () => {
      const noAuthors = await withRole('No authors', [{ action: 'read', subject: 'article' }]);
      expect((await noAuthors.get(`${A}/relations/author`)).status).toBe(403);
    });
  });

  describe('uid availability', () => {
    it('does not tell whether entries the caller cannot read use a value', async () => {
      await create(editor, 'article', { title: 'Secret merger plan' });
      const res = await author.get(`${A}/uid-available?field=slug&value=secret-merger-plan`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ available: true, suggestion: 'secret-merger-plan' });
      const fromTitle = await author.get(
        `${A}/uid-available?field=slug&from=${encodeURIComponent('Secret merger plan')}`,
      );
      expect(fromTitle.body.data.suggestion).toBe('secret-merger-plan');
    });

    it('still finds the values of entries the caller may read', async () => {
      await create(author, 'article', { title: 'My own story' });
      const res = await author.get(`${A}/uid-available?field=slug&value=my-own-story`);
      expect(res.body.data).toMatchObject({ available: false, suggestion: 'my-own-story-1' });
    });

    it('refuses a uid field the caller may not read', async () => {
      const titleOnly = await withRole('Title only', [{ action: 'read', subject: 'article', fields: ['title'] }]);
      expect((await titleOnly.get(`${A}/uid-available?field=slug&value=engines`)).status).toBe(400);
    });
  });
});
