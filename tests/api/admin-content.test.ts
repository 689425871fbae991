// The content manager's Admin API (/admin-api/content): what editors and authors see and may do,
// through real sessions, on both databases.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

interface Listed {
  id: string;
  documentId: string;
  title: string;
  __status: 'draft' | 'published' | 'modified';
}

describeEachDatabase('content manager Admin API', (t) => {
  let editor: AdminSession;
  let author: AdminSession;
  let otherAuthor: AdminSession;
  const A = '/admin-api/content/article';

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    otherAuthor = await signedIn(t(), ['author']);
  });

  async function create(s: AdminSession, body: Record<string, unknown>): Promise<Listed> {
    const res = await s.post(A, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.data as Listed;
  }

  describe('content types', () => {
    it('lists the readable types with their attributes and the actions the caller has', async () => {
      const res = await author.get('/admin-api/content/content-types');
      expect(res.status).toBe(200);
      const article = res.body.data.contentTypes.find((c: { uid: string }) => c.uid === 'article');
      expect(article).toMatchObject({
        kind: 'collectionType',
        draftAndPublish: true,
        mainField: 'title',
        actions: ['read', 'create', 'update', 'delete'],
      });
      expect(article.attributes.title).toEqual({ type: 'string', required: true, maxLength: 200 });
      expect(res.body.data.components.map((c: { uid: string }) => c.uid)).toContain('shared.seo');
      const editorTypes = await editor.get('/admin-api/content/content-types');
      expect(editorTypes.body.data.contentTypes.find((c: { uid: string }) => c.uid === 'article').actions).toContain(
        'publish',
      );
    });
  });

  describe('list', () => {
    beforeAll(async () => {
      for (const title of ['Alpha news', 'Beta review', 'Gamma guide'])
        await create(editor, { title, views: title.length });
    });

    it('paginates, sorts and searches, with totals', async () => {
      const page = await editor.get(`${A}?page=1&pageSize=2&sort=title:asc`);
      expect(page.status).toBe(200);
      expect(page.body.meta.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, total: 3 });
      expect(page.body.data.map((e: Listed) => e.title)).toEqual(['Alpha news', 'Beta review']);
      expect(page.body.data[0].id).toBe(page.body.data[0].documentId);
      const desc = await editor.get(`${A}?sort=title:desc&pageSize=1`);
      expect(desc.body.data[0].title).toBe('Gamma guide');
      const search = await editor.get(`${A}?q=REVIEW`);
      expect(search.body.data.map((e: Listed) => e.title)).toEqual(['Beta review']);
      const byIds = await editor.get(
        `${A}?filters[documentId][$in][0]=${page.body.data[0].documentId}&filters[documentId][$in][1]=` +
          `${page.body.data[1].documentId}&sort=title:asc`,
      );
      expect(byIds.body.data.map((e: Listed) => e.title)).toEqual(['Alpha news', 'Beta review']);
      const filtered = await editor.get(`${A}?filters[views][$gt]=10`);
      expect(filtered.body.data.map((e: Listed) => e.title).sort()).toEqual(['Beta review', 'Gamma guide']);
    });

    it('answers 400, never 500, for bad list parameters', async () => {
      for (const query of [
        'page=0',
        'pageSize=1000',
        'sort=nope:asc',
        'filters[nope]=1',
        'status=live',
        'unknown=1',
        'filters[views][$gt]=abc',
      ]) {
        const res = await editor.get(`${A}?${query}`);
        expect([query, res.status, res.body.error?.name]).toEqual([query, 400, 'ValidationError']);
      }
      expect((await editor.get('/admin-api/content/nothing')).status).toBe(404);
    });

    it('filters by document state: draft, published, modified', async () => {
      const draft = await create(editor, { title: 'State draft' });
      const published = await create(editor, { title: 'State published' });
      const modified = await create(editor, { title: 'State modified' });
      for (const d of [published, modified])
        expect((await editor.post(`${A}/${d.documentId}/actions/publish`)).status).toBe(200);
      const edited = await editor.put(`${A}/${modified.documentId}`, { title: 'State modified!' });
      expect(edited.body.data.__status).toBe('modified');
      const states = async (status: string) =>
        ((await editor.get(`${A}?q=State&status=${status}`)).body.data as Listed[]).map((e) => e.documentId);
      expect(await states('draft')).toEqual([draft.documentId]);
      expect(await states('published')).toEqual([published.documentId]);
      expect(await states('modified')).toEqual([modified.documentId]);
      const all = (await editor.get(`${A}?q=State`)).body.data as Listed[];
      expect(Object.fromEntries(all.map((e) => [e.title, e.__status]))).toEqual({
        'State draft': 'draft',
        'State published': 'published',
        'State modified!': 'modified',
      });
    });
  });

  describe('authors', () => {
    it('see only their own entries, with totals that match', async () => {
      const mine = await create(author, { title: 'Author own one' });
      await create(author, { title: 'Author own two' });
      const theirs = await create(otherAuthor, { title: 'Someone else' });
      const list = await author.get(`${A}?pageSize=1`);
      expect(list.status).toBe(200);
      expect(list.body.meta.pagination.total).toBe(2);
      const all = await author.get(A);
      expect(all.body.data.map((e: Listed) => e.title).sort()).toEqual(['Author own one', 'Author own two']);
      expect((await author.get(`${A}/${mine.documentId}`)).status).toBe(200);
      // Outside the conditions: 404 for every action, and nothing changes.
      expect((await author.get(`${A}/${theirs.documentId}`)).status).toBe(404);
      expect((await author.put(`${A}/${theirs.documentId}`, { title: 'Hijacked' })).status).toBe(404);
      expect((await author.delete(`${A}/${theirs.documentId}`)).status).toBe(404);
      expect(
        (await author.post(`${A}/actions/bulk-delete`, { documentIds: [mine.documentId, theirs.documentId] })).status,
      ).toBe(404);
      expect((await editor.get(`${A}/${theirs.documentId}`)).body.data.title).toBe('Someone else');
      expect((await author.get(`${A}/${mine.documentId}`)).status).toBe(200);
    });

    it('see what their entries link by label only (the link right), and keep the links when editing', async () => {
      const category = await editor.post('/admin-api/content/category', { name: 'Editorial' });
      const own = await create(author, { title: 'Linked by an author' });
      // The editor links the author's article to a category the author cannot read; the author may
      // write the field, so it sees the link as the picker lists it: documentId and main field.
      expect((await editor.put(`${A}/${own.documentId}`, { category: category.body.data.documentId })).status).toBe(
        200,
      );
      expect((await author.get(`/admin-api/content/category/${category.body.data.documentId}`)).status).toBe(404);
      const read = await author.get(`${A}/${own.documentId}`);
      expect(read.body.data.category).toEqual({
        id: expect.any(Number),
        documentId: category.body.data.documentId,
        name: 'Editorial',
      });
      expect(
        (
          await author.put(`${A}/${own.documentId}`, {
            title: 'Linked, edited',
            category: { connect: [], disconnect: [] },
          })
        ).status,
      ).toBe(200);
      expect((await editor.get(`${A}/${own.documentId}`)).body.data.category).toMatchObject({ name: 'Editorial' });
    });

    it('cannot publish (403) but may edit their drafts', async () => {
      const mine = await create(author, { title: 'Author draft' });
      expect((await author.post(`${A}/${mine.documentId}/actions/publish`)).status).toBe(403);
      expect((await author.post(`${A}/actions/bulk-publish`, { documentIds: [mine.documentId] })).status).toBe(403);
      expect((await editor.get(`${A}/${mine.documentId}`)).body.data.__status).toBe('draft');
      expect((await author.put(`${A}/${mine.documentId}`, { title: 'Author draft, edited' })).body.data.title).toBe(
        'Author draft, edited',
      );
    });
  });

  describe('field permissions', () => {
    let restricted: AdminSession;
    beforeAll(async () => {
      const role = await t().folio.access.createRole({ name: 'Title writer' });
      await t().folio.access.setPermissions(role.id, [
        { action: 'read', subject: 'article', fields: ['title', 'slug', 'views'] },
        { action: 'create', subject: 'article', fields: ['title'] },
        { action: 'update', subject: 'article', fields: ['title'] },
      ]);
      restricted = await signedIn(t(), [role.id]);
    });

    it('strips unreadable fields and refuses (403) writes naming forbidden fields', async () => {
      const res = await restricted.post(A, { title: 'Restricted', views: 5 });
      expect(res.status).toBe(403);
      expect(res.body.error.details.fields).toEqual(['views']);
      const ok = await restricted.post(A, { title: 'Restricted' });
      expect(ok.status).toBe(201);
      expect(Object.keys(ok.body.data)).not.toContain('summary');
      expect(ok.body.data).toMatchObject({ title: 'Restricted', views: 0 });
      expect((await restricted.put(`${A}/${ok.body.data.documentId}`, { summary: 'no' })).status).toBe(403);
      expect((await restricted.get(`${A}?sort=summary:asc`)).status).toBe(400);
      expect((await restricted.get(`${A}?filters[$or][0][summary][$eq]=x`)).status).toBe(400);
      // Searching does not look into fields the role cannot read.
      await editor.post(A, { title: 'Visible title', summary: 'secretword inside' });
      expect((await editor.get(`${A}?q=secretword`)).body.meta.pagination.total).toBe(1);
      expect((await restricted.get(`${A}?q=secretword`)).body.meta.pagination.total).toBe(0);
      expect((await restricted.get(`${A}?q=visible`)).body.meta.pagination.total).toBe(1);
      expect((await restricted.delete(`${A}/${ok.body.data.documentId}`)).status).toBe(403);
    });
  });

  describe('writes', () => {
    it('names who created the entry and who saved it last', async () => {
      const other = await signedIn(t(), ['editor']);
      const created = await editor.post(A, { title: 'Whose is it' });
      expect(created.body.data.createdBy).toEqual({
        id: editor.userId,
        name: expect.stringMatching(/^Test User \d+$/),
      });
      const saved = await other.put(`${A}/${created.body.data.documentId as string}`, { title: 'Saved by another' });
      expect(saved.status).toBe(200);
      expect(saved.body.data.createdBy.id).toBe(editor.userId);
      expect(saved.body.data.updatedBy).toEqual({ id: other.userId, name: expect.stringMatching(/^Test User \d+$/) });
    });

    it('answers validation errors with the path of each failing field', async () => {
      const res = await editor.post(A, {
        title: 'x'.repeat(300),
        views: -1,
        kind: 'poem',
        seo: { metaDescription: 'no title' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
      const paths = res.body.error.details.errors.map((e: { path: (string | number)[] }) => e.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['title', 'views', 'kind', 'seo.metaTitle']));
      expect((await editor.post(A, { nope: 1, title: 'x' })).body.error.details.errors[0].path).toEqual(['nope']);
      expect((await editor.post(A, [1, 2])).status).toBe(400);
    });

    it('keeps edits as drafts until published; unpublish and discard', async () => {
      const doc = await create(editor, { title: 'Lifecycle', summary: 'first' });
      expect(doc.__status).toBe('draft');
      const api = () => t().http().get(`/api/articles/${doc.documentId}`);
      await t().folio.access.grantPublic(['article.findOne']);
      expect((await api()).status).toBe(404);
      const published = await editor.post(`${A}/${doc.documentId}/actions/publish`);
      expect(published.body.data).toMatchObject({ __status: 'published', __publishedAt: expect.any(String) });
      expect((await api()).body.data.title).toBe('Lifecycle');
      // The record as read can be sent back as is: echoed system keys are ignored.
      const edited = await editor.put(`${A}/${doc.documentId}`, { ...published.body.data, title: 'Lifecycle 2' });
      expect([edited.status, edited.body.data.__status]).toEqual([200, 'modified']);
      expect((await api()).body.data.title).toBe('Lifecycle');
      const discarded = await editor.post(`${A}/${doc.documentId}/actions/discard`);
      expect(discarded.body.data).toMatchObject({ title: 'Lifecycle', __status: 'published' });
      const unpublished = await editor.post(`${A}/${doc.documentId}/actions/unpublish`);
      expect(unpublished.body.data.__status).toBe('draft');
      expect((await api()).status).toBe(404);
      const audit = (
        await t().db('folio_audit_log').where({ entity_id: doc.documentId }).orderBy('id').select('action')
      ).map((r: { action: string }) => r.action);
      expect(audit).toEqual([
        'content.create',
        'content.publish',
        'content.update',
        'content.discardDraft',
        'content.unpublish',
      ]);
    });

    it('refuses to publish an incomplete draft with the failing paths', async () => {
      const doc = await create(editor, { title: 'Incomplete' });
      await t().db('articles').where({ document_id: doc.documentId }).update({ title: null });
      const res = await editor.post(`${A}/${doc.documentId}/actions/publish`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0].path).toEqual(['title']);
    });

    it('bulk publishes and bulk deletes', async () => {
      const docs = [await create(editor, { title: 'Bulk one' }), await create(editor, { title: 'Bulk two' })];
      const ids = docs.map((d) => d.documentId);
      const pub = await editor.post(`${A}/actions/bulk-publish`, { documentIds: ids });
      expect(pub.body.data).toEqual({ count: 2, failed: [] });
      expect(((await editor.get(`${A}?q=Bulk&status=published`)).body.data as Listed[]).length).toBe(2);
      expect((await editor.post(`${A}/actions/bulk-delete`, { documentIds: [] })).status).toBe(400);
      const del = await editor.post(`${A}/actions/bulk-delete`, { documentIds: ids });
      expect(del.body.data).toEqual({ count: 2 });
      expect((await editor.get(`${A}?q=Bulk`)).body.meta.pagination.total).toBe(0);
      expect(await t().db('articles').whereIn('document_id', ids).first()).toBeUndefined();
    });

    it('writes relations by documentId and reads them back populated with their main field', async () => {
      const category = await editor.post('/admin-api/content/category', { name: 'Picked' });
      expect(category.status).toBe(201);
      const doc = await create(editor, {
        title: 'With category',
        category: category.body.data.documentId,
        seo: { metaTitle: 'Seo' },
      });
      const read = await editor.get(`${A}/${doc.documentId}`);
      expect(read.body.data.category).toMatchObject({ documentId: category.body.data.documentId, name: 'Picked' });
      const listed = await editor.get(`${A}?filters[documentId]=${doc.documentId}`);
      expect(listed.body.data[0].category).toMatchObject({ documentId: category.body.data.documentId, name: 'Picked' });
      expect(listed.body.data[0].tags).toBeUndefined(); // to-many relations are not listed
      expect(read.body.data.seo).toMatchObject({ metaTitle: 'Seo' });
      expect(read.body.data.editorNote).toBeNull(); // private fields are for editors to see
    });

    it('edits single types at one path', async () => {
      expect((await editor.get('/admin-api/content/single-types/global')).body).toEqual({ data: null });
      const created = await editor.put('/admin-api/content/single-types/global', { siteName: 'Folio' });
      expect([created.status, created.body.data.siteName]).toEqual([200, 'Folio']);
      const updated = await editor.put('/admin-api/content/single-types/global', { siteName: 'Folio 2' });
      expect(updated.body.data.documentId).toBe(created.body.data.documentId);
      expect((await editor.get('/admin-api/content/single-types/global')).body.data.siteName).toBe('Folio 2');
      expect((await editor.get('/admin-api/content/single-types/article')).status).toBe(404);
    });
  });

  describe('locales', () => {
    it('lists, reads and writes one locale of a localized type; the others are untouched', async () => {
      const P = '/admin-api/content/page';
      const en = await editor.post(P, { title: 'Hello' });
      expect(en.status).toBe(201);
      const id = en.body.data.documentId as string;
      expect(en.body.data).toMatchObject({ locale: 'en', __locales: ['en'] });
      expect((await editor.get(`${P}/${id}?locale=fr`)).status).toBe(404);
      const fr = await editor.put(`${P}/${id}?locale=fr`, { title: 'Bonjour' });
      expect([fr.status, fr.body.data.title, fr.body.data.__locales]).toEqual([200, 'Bonjour', ['en', 'fr']]);
      expect((await editor.get(`${P}/${id}`)).body.data.title).toBe('Hello');
      expect((await editor.get(`${P}?locale=fr`)).body.data.map((e: Listed) => e.title)).toEqual(['Bonjour']);
      const types = await editor.get('/admin-api/content/content-types');
      // The configured locales (the fixtures configure de and fr besides the default en).
      expect(types.body.data.contentTypes.find((c: { uid: string }) => c.uid === 'page').locales).toEqual([
        'en',
        'de',
        'fr',
      ]);
      expect((await editor.get(`${P}?locale=not a locale`)).status).toBe(400);
    });
  });

  describe('malformed requests', () => {
    it('answer 4xx with the error envelope, never 500', async () => {
      const doc = await create(editor, { title: 'Target of bad requests' });
      const requests = [
        editor.get(`${A}/relations/category?page=abc`),
        editor.get(`${A}/relations/category?q[0]=a&q[1]=b`),
        editor.get(`${A}/relations/category?component=nope.nope`),
        editor.get(`${A}/uid-available`),
        editor.get(`${A}/uid-available?field=slug&documentId=${'x'.repeat(100)}`),
        editor.post(`${A}/actions/bulk-delete`, { documentIds: 'x' }),
        editor.post(`${A}/actions/bulk-publish`, { documentIds: ['../x'] }),
        editor.post(`${A}/actions/bulk-publish`, { documentIds: [doc.documentId], extra: 1 }),
        editor.post('/admin-api/content/category/actions/bulk-publish', { documentIds: ['a'] }),
        editor.post(`/admin-api/content/category/x/actions/publish`),
        editor.put(`${A}/${doc.documentId}?locale=${'x'.repeat(40)}`, { title: 'x' }),
        editor.put(`${A}/${doc.documentId}?status=draft`, { title: 'x' }),
        editor.put(`${A}/${doc.documentId}`, { title: { nested: true } }),
        editor.put(`${A}/${doc.documentId}`, { category: { connect: 'nope' } }),
        editor.get(`${A}/${encodeURIComponent('%00\'";--')}`),
        editor.get(`${A}?sort=title:sideways`),
        editor.get(`${A}?filters[$or]=1`),
        editor.get(`${A}?${'filters[a]'.repeat(50)}=1`),
      ];
      for (const [i, res] of (await Promise.all(requests)).entries()) {
        expect([i, res.status >= 400 && res.status < 500, res.body.data, typeof res.body.error?.message]).toEqual([
          i,
          true,
          null,
          'string',
        ]);
      }
    });
  });

  describe('pickers', () => {
    it('lists relation targets the caller may read, searchable', async () => {
      for (const name of ['Science', 'Sport', 'Politics']) await editor.post('/admin-api/content/category', { name });
      const res = await editor.get(`${A}/relations/category?q=sp`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((e: { label: string }) => e.label)).toEqual(['Sport']);
      expect(res.body.data[0]).toEqual({
        id: expect.any(String),
        documentId: expect.any(String),
        label: 'Sport',
        __status: 'published',
      });
      const all = await editor.get(`${A}/relations/category?pageSize=2`);
      expect(all.body.meta.pagination.pageSize).toBe(2);
      expect((await editor.get(`${A}/relations/title`)).status).toBe(404);
      expect((await editor.get('/admin-api/content/global/relations/page?component=shared.link')).status).toBe(200);
      // A component the type does not hold is no way in.
      expect((await editor.get(`${A}/relations/page?component=shared.link`)).status).toBe(404);
      // Authors may link what they may write: every category, labelled (tests/api/admin-content-field-access.test.ts).
      expect(
        (await author.get(`${A}/relations/category?q=sp`)).body.data.map((e: { label: string }) => e.label),
      ).toEqual(['Sport']);
    });

    it('says whether a uid is free and suggests one from its target field', async () => {
      const doc = await create(editor, { title: 'Hello World' });
      expect((await editor.get(`${A}/${doc.documentId}`)).body.data.slug).toBe('hello-world');
      const taken = await editor.get(`${A}/uid-available?field=slug&value=hello-world`);
      expect(taken.body.data).toMatchObject({ available: false, suggestion: 'hello-world-1' });
      const own = await editor.get(`${A}/uid-available?field=slug&value=hello-world&documentId=${doc.documentId}`);
      expect(own.body.data.available).toBe(true);
      const fromTitle = await editor.get(`${A}/uid-available?field=slug&from=${encodeURIComponent('Héllo, World!')}`);
      expect(fromTitle.body.data).toMatchObject({ available: null, suggestion: 'hello-world-1' });
      expect((await editor.get(`${A}/uid-available?field=title&value=x`)).status).toBe(400);
    });
  });
});
