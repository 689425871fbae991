// "Duplicate this entry": POST /admin-api/content/:uid/:documentId/actions/duplicate creates a new
// draft with the source's fields, as a create by the caller (its permission, allowlist and audit row);
// unique values and uids are suffixed, links the source holds alone are left out and reported.
import { beforeAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { twoColours } from '../helpers/media.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

describeEachDatabase('POST /admin-api/content/:uid/:documentId/actions/duplicate', (t) => {
  const A = '/admin-api/content/article';
  let editor: AdminSession;
  let source: string;
  let science: string;
  let tags: string[];
  let cover: number;
  let relatedArticle: string;

  const duplicateOf = (s: AdminSession, documentId: string, uid = 'article', query = '') =>
    s.post(`/admin-api/content/${uid}/${documentId}/actions/duplicate${query}`);

  async function create(s: AdminSession, uid: string, body: Record<string, unknown>): Promise<string> {
    const res = await s.post(`/admin-api/content/${uid}`, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.data.documentId as string;
  }

  const articleCount = async () => Number((await t().db('articles').count({ n: '*' }))[0].n);

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    science = await create(editor, 'category', { name: 'Science' });
    tags = [await create(editor, 'tag', { name: 'engines' }), await create(editor, 'tag', { name: 'history' })];
    const upload = await editor.agent
      .post('/admin-api/upload/files')
      .set('X-CSRF-Token', editor.csrf)
      .attach('files', await twoColours(40, 30, '#204080', '#ffffff', 'png'), 'cover.png');
    cover = upload.body.data[0].id as number;
    relatedArticle = await create(editor, 'article', { title: 'Babbage' });
    source = await create(editor, 'article', {
      title: 'Engines',
      slug: 'engines',
      views: 12,
      category: science,
      tags,
      cover,
      related: [relatedArticle],
      seo: { metaTitle: 'Engines of the past' },
      blocks: [{ __component: 'shared.quote', text: 'It weaves algebraic patterns', author: 'Ada' }],
    });
  });

  it('creates a new draft with the same fields, the uid suffixed -copy', async () => {
    const res = await duplicateOf(editor, source);
    expect(res.status).toBe(201);
    const copy = res.body.data;
    expect(copy.documentId).not.toBe(source);
    expect(copy).toMatchObject({ title: 'Engines', slug: 'engines-copy', views: 12, __status: 'draft' });
    expect(copy.category).toMatchObject({ documentId: science });
    expect(copy.tags.map((x: { documentId: string }) => x.documentId).sort()).toEqual([...tags].sort());
    expect(copy.cover).toMatchObject({ id: cover });
    expect(copy.seo).toMatchObject({ metaTitle: 'Engines of the past' });
    expect(copy.blocks).toMatchObject([{ __component: 'shared.quote', text: 'It weaves algebraic patterns' }]);
  });

  it('gives the copy components of its own, leaving the source its own', async () => {
    const copy = (await duplicateOf(editor, source)).body.data;
    const original = (await editor.get(`${A}/${source}`)).body.data;
    expect(copy.seo.id).not.toBe(original.seo.id);
    await editor.put(`${A}/${copy.documentId}`, { seo: { id: copy.seo.id, metaTitle: 'Changed' } });
    expect((await editor.get(`${A}/${source}`)).body.data.seo.metaTitle).toBe('Engines of the past');
  });

  it('suffixes the next free value when a copy exists already', async () => {
    const res = await duplicateOf(editor, source);
    expect(res.status).toBe(201);
    expect(res.body.data.slug).toMatch(/^engines-copy-\d+$/);
  });

  it('leaves out links the source holds alone (oneToMany) and reports them', async () => {
    const res = await duplicateOf(editor, source);
    expect(res.body.meta.skipped).toEqual([{ field: 'related', reason: 'exclusive-relation' }]);
    expect(res.body.data.related).toEqual([]);
    const original = (await editor.get(`${A}/${source}`)).body.data;
    expect(original.related.map((x: { documentId: string }) => x.documentId)).toEqual([relatedArticle]);
  });

  it('leaves a oneToOne link with the source, from either side', async () => {
    const profile = await create(editor, 'profile', { bio: 'Mathematician' });
    const ada = await create(editor, 'author', { name: 'Ada', profile });
    const authorCopy = await duplicateOf(editor, ada, 'author');
    expect([authorCopy.status, authorCopy.body.meta.skipped]).toEqual([
      201,
      [{ field: 'profile', reason: 'exclusive-relation' }],
    ]);
    expect(authorCopy.body.data).toMatchObject({ name: 'Ada', profile: null });
    const profileCopy = await duplicateOf(editor, profile, 'profile');
    expect(profileCopy.body.meta.skipped).toEqual([{ field: 'author', reason: 'exclusive-relation' }]);
    expect(profileCopy.body.data).toMatchObject({ bio: 'Mathematician', author: null });
    expect((await editor.get(`/admin-api/content/author/${ada}`)).body.data.profile).toMatchObject({
      documentId: profile,
    });
  });

  it('suffixes a unique text attribute', async () => {
    const res = await duplicateOf(editor, science, 'category');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: 'Science-copy', slug: 'science-copy' });
  });

  it('audits the copy as a create naming its source', async () => {
    const copy = (await duplicateOf(editor, source)).body.data.documentId as string;
    const rows = await t()
      .db('folio_audit_log')
      .where({ action: 'content.create', entity_id: copy })
      .select('actor_id', 'details');
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_id).toBe(editor.userId);
    expect(JSON.parse(String(rows[0].details))).toMatchObject({ duplicatedFrom: source });
  });

  it('refuses (403) a role that may read but not create, creating nothing', async () => {
    const role = await t().folio.access.createRole({ name: 'Article reader' });
    await t().folio.access.setPermissions(role.id, [{ action: 'read', subject: 'article' }]);
    const reader = await signedIn(t(), [role.id]);
    const before = await articleCount();
    const res = await duplicateOf(reader, source);
    expect([res.status, res.body.error?.name]).toEqual([403, 'ForbiddenError']);
    expect(await articleCount()).toBe(before);
  });

  it('refuses (403) a role that may create but not read, creating nothing', async () => {
    const role = await t().folio.access.createRole({ name: 'Article writer' });
    await t().folio.access.setPermissions(role.id, [{ action: 'create', subject: 'article' }]);
    const writer = await signedIn(t(), [role.id]);
    const before = await articleCount();
    const res = await duplicateOf(writer, source);
    expect([res.status, res.body.error?.name]).toEqual([403, 'ForbiddenError']);
    expect(await articleCount()).toBe(before);
  });

  it('copies only the fields the caller may create, reporting the others', async () => {
    const role = await t().folio.access.createRole({ name: 'Title author' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'article' },
      { action: 'create', subject: 'article', fields: ['title', 'slug'] },
    ]);
    const author = await signedIn(t(), [role.id]);
    const res = await duplicateOf(author, source);
    expect(res.status).toBe(201);
    expect(res.body.data.slug).toMatch(/^engines-copy/);
    const copy = (await editor.get(`${A}/${res.body.data.documentId}`)).body.data;
    expect(copy).toMatchObject({ title: 'Engines', views: 0, category: null, tags: [], cover: null, seo: null });
    const skipped = (res.body.meta.skipped as Array<{ field: string; reason: string }>).map((s) => s.field);
    expect(skipped).toEqual(expect.arrayContaining(['views', 'cover', 'seo', 'blocks']));
  });

  it("lets an Author duplicate its own entry, and not one outside its role's conditions (404)", async () => {
    const author = await signedIn(t(), ['author']);
    const own = await create(author, 'article', { title: 'My notes' });
    const res = await duplicateOf(author, own);
    expect([res.status, res.body.data?.title, res.body.data?.slug]).toEqual([201, 'My notes', 'my-notes-copy']);
    const before = await articleCount();
    expect((await duplicateOf(author, source)).status).toBe(404);
    expect(await articleCount()).toBe(before);
  });

  it('answers 404 for a document that does not exist, creating nothing', async () => {
    const before = await articleCount();
    const res = await duplicateOf(editor, 'nosuchdocument000000000a');
    expect(res.status).toBe(404);
    expect(await articleCount()).toBe(before);
  });

  it('copies the version of the locale asked for, into that locale only', async () => {
    const page = await create(editor, 'page', { title: 'Home' });
    expect((await editor.put(`/admin-api/content/page/${page}?locale=fr`, { title: 'Accueil' })).status).toBe(200);
    const res = await duplicateOf(editor, page, 'page', '?locale=fr');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ title: 'Accueil', slug: 'accueil-copy', locale: 'fr', __locales: ['fr'] });
  });

  it('refuses (400) a malformed documentId', async () => {
    const res = await duplicateOf(editor, encodeURIComponent('bad id!'));
    expect([res.status, res.body.error?.name]).toEqual([400, 'ValidationError']);
    expect((await duplicateOf(editor, 'x'.repeat(65))).status).toBe(400);
  });

  it('refuses (400) a malformed locale', async () => {
    const res = await editor.post(`${A}/${source}/actions/duplicate?locale=${encodeURIComponent('<no>')}`);
    expect([res.status, res.body.error?.name]).toEqual([400, 'ValidationError']);
  });
});
