// A role's conditions and the `status` filter are Filter nodes of the admin read's query
// (access/conditions-filter.ts, content/query/ast.ts): list, total, one document and populated
// relations all honour them, with CASL's NULL semantics, on both databases.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { listDocuments, readEditableDocument } from '../../server/content/operations/read-as-editor.js';
import { NotFoundError } from '../../server/errors.js';

interface Listed {
  documentId: string;
  title: string;
  related?: Array<{ documentId: string }>;
}

describeEachDatabase('admin reads under role conditions and states', (t) => {
  const A = '/admin-api/content/article';
  let editor: AdminSession;
  let reviewer: AdminSession;
  let author: AdminSession;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    // Reads every article whose summary is not "secret": a missing summary is "not equal" too.
    const role = await t().folio.access.createRole({ name: 'Not secret' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'article', conditions: { query: { summary: { $ne: 'secret' } } } },
    ]);
    reviewer = await signedIn(t(), [role.id]);
    const create = async (s: AdminSession, title: string, body: Record<string, unknown> = {}) => {
      const res = await s.post(A, { title, ...body });
      expect(res.status).toBe(201);
      ids[title] = res.body.data.documentId as string;
    };
    await create(editor, 'Secret', { summary: 'secret' });
    await create(editor, 'Open', { summary: 'open' });
    await create(editor, 'Blank');
    await create(editor, 'Linking', { related: [ids.Secret, ids.Open] });
    await create(author, 'Author draft');
    await create(author, 'Author published');
    await create(author, 'Author modified');
    for (const title of ['Author published', 'Author modified', 'Open']) {
      expect((await editor.post(`${A}/${ids[title]}/actions/publish`)).status).toBe(200);
    }
    expect((await author.put(`${A}/${ids['Author modified']}`, { summary: 'changed' })).status).toBe(200);
  });

  const titles = (data: Listed[]) => data.map((e) => e.title).sort();

  describe('a custom condition ($ne, a missing value counting as not equal)', () => {
    it('lists and counts only the rows it allows', async () => {
      const res = await reviewer.get(`${A}?pageSize=2&sort=title:asc`);
      expect(res.status).toBe(200);
      expect(res.body.meta.pagination.total).toBe(6);
      const all = await reviewer.get(`${A}?pageSize=100`);
      const allowed = ['Author draft', 'Author modified', 'Author published', 'Blank', 'Linking', 'Open'];
      expect(titles(all.body.data)).toEqual(allowed);
    });

    it('answers 404 for one document outside it, 200 inside', async () => {
      expect((await reviewer.get(`${A}/${ids.Secret}`)).status).toBe(404);
      expect((await reviewer.get(`${A}/${ids.Blank}`)).status).toBe(200);
    });

    it('leaves related entries outside it out of a populated relation', async () => {
      const res = await reviewer.get(`${A}/${ids.Linking}`);
      expect(res.status).toBe(200);
      expect((res.body.data as Listed).related?.map((r) => r.documentId)).toEqual([ids.Open]);
      const full = await editor.get(`${A}/${ids.Linking}`);
      const related = (full.body.data as Listed).related?.map((r) => r.documentId);
      expect(related?.sort()).toEqual([ids.Secret, ids.Open].sort());
    });

    it('combines with the request filters and the search', async () => {
      const res = await reviewer.get(`${A}?filters[summary][$null]=true&q=a`);
      expect(titles(res.body.data)).toEqual(['Author draft', 'Author published', 'Blank']);
      expect(res.body.meta.pagination.total).toBe(3);
    });
  });

  describe('called directly, without HTTP', () => {
    it('the operations apply the same conditions to the caller given', async () => {
      const roleIds = await t().folio.auth.users.roleIds(reviewer.userId);
      const { folio } = t();
      const caller = await folio.access.adminCaller({ id: reviewer.userId, email: 'reviewer@example.test', roleIds });
      const params = { page: 1, pageSize: 100, filters: { title: 'Secret' } };
      const listed = await listDocuments(folio, caller, 'article', params);
      expect(listed.data).toEqual([]);
      expect(listed.meta.pagination.total).toBe(0);
      const outside = readEditableDocument(folio, caller, 'article', ids.Secret, undefined);
      await expect(outside).rejects.toThrow(NotFoundError);
      expect((await readEditableDocument(folio, caller, 'article', ids.Open, undefined)).title).toBe('Open');
    });
  });

  describe('the status filter', () => {
    it('lists drafts, published and modified entries, within the caller’s conditions', async () => {
      const byStatus = async (s: AdminSession, status: string) =>
        titles((await s.get(`${A}?status=${status}&pageSize=100`)).body.data);
      expect(await byStatus(author, 'draft')).toEqual(['Author draft']);
      expect(await byStatus(author, 'published')).toEqual(['Author published']);
      expect(await byStatus(author, 'modified')).toEqual(['Author modified']);
      expect(await byStatus(editor, 'published')).toEqual(['Author published', 'Open']);
      expect(await byStatus(editor, 'draft')).toEqual(['Author draft', 'Blank', 'Linking', 'Secret']);
      const counted = await author.get(`${A}?status=draft&pageSize=1`);
      expect(counted.body.meta.pagination.total).toBe(1);
    });

    it('finds every entry of a type without draft & publish published, none a draft or modified', async () => {
      expect((await editor.post('/admin-api/content/category', { name: 'Always published' })).status).toBe(201);
      const count = async (status: string) =>
        (await editor.get(`/admin-api/content/category?status=${status}`)).body.meta.pagination.total;
      expect(await count('published')).toBe(1);
      expect(await count('draft')).toBe(0);
      expect(await count('modified')).toBe(0);
    });
  });
});
