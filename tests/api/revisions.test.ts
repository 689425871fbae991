// Content history (issue 20): every write operation records the version it wrote — author, operation,
// full data with relations by documentId, components, dynamic zones and media by file id — in the
// write's transaction; a failed write records none. The Admin API lists a document's revisions newest
// first to those who may read it, and restores one as the new draft through the update operation.
import { beforeAll, expect, it } from '@jest/globals';
import { RevisionPruner } from '../../server/content/revisions/retention.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const A = '/admin-api/content/article';
const history = (documentId: string) => `${A}/${documentId}/revisions`;

/** The stored revisions of a document, oldest first, as the table holds them. */
async function stored(t: TestFolio, documentId: string) {
  const rows = await t.db('folio_revisions').where({ document_id: documentId }).orderBy('id').select();
  return rows.map((r: Record<string, unknown>) => ({
    operation: r.operation,
    createdByKind: r.created_by_kind,
    createdById: r.created_by_id === null ? null : Number(r.created_by_id),
    createdByName: r.created_by_name,
    schemaVersion: Number(r.schema_version),
    data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
  }));
}

describeEachDatabase('content history: revisions recorded with each write, listed and restored', (t) => {
  let editor: AdminSession;
  let author: AdminSession;
  let category: string;
  let otherCategory: string;
  let tags: string[];
  let file: number;

  async function create(session: AdminSession, path: string, body: Record<string, unknown>): Promise<string> {
    const res = await session.post(path, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.data.documentId as string;
  }

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    category = await create(editor, '/admin-api/content/category', { name: 'Science' });
    otherCategory = await create(editor, '/admin-api/content/category', { name: 'Sports' });
    tags = [
      await create(editor, '/admin-api/content/tag', { name: 'space' }),
      await create(editor, '/admin-api/content/tag', { name: 'moon' }),
    ];
    const [id] = await t().db('folio_files').insert({
      document_id: 'revisionfile000000000000',
      name: 'cover.png',
      hash: 'revision-cover',
      ext: '.png',
      mime: 'image/png',
      size: 1,
      url: '/uploads/revision-cover.png',
      provider: 'local',
    });
    file = Number(id);
  });

  const fullArticle = () => ({
    title: 'First words',
    kind: 'news',
    category,
    tags,
    cover: file,
    seo: { metaTitle: 'First' },
    blocks: [{ __component: 'shared.quote', text: 'To the moon', author: 'Someone' }],
  });

  it('records a revision per operation, with its author and the full data written', async () => {
    const documentId = await create(editor, A, fullArticle());
    expect((await editor.put(`${A}/${documentId}`, { title: 'Second words' })).status).toBe(200);
    expect((await editor.post(`${A}/${documentId}/actions/publish`)).status).toBe(200);
    expect((await editor.put(`${A}/${documentId}`, { title: 'Third words' })).status).toBe(200);
    expect((await editor.post(`${A}/${documentId}/actions/discard`)).status).toBe(200);
    expect((await editor.post(`${A}/${documentId}/actions/unpublish`)).status).toBe(200);

    const revisions = await stored(t(), documentId);
    expect(revisions.map((r) => [r.operation, r.data.title])).toEqual([
      ['create', 'First words'],
      ['update', 'Second words'],
      ['publish', 'Second words'],
      ['update', 'Third words'],
      ['discardDraft', 'Second words'],
      ['unpublish', 'Second words'],
    ]);
    const [first] = revisions;
    expect(first).toMatchObject({
      createdByKind: 'admin',
      createdById: editor.userId,
      createdByName: expect.any(String),
    });
    expect(first.createdByName).toMatch(/^Test User/);
    // Relations by documentId, media by file id, the component and the dynamic zone's item in full.
    expect(first.data).toMatchObject(fullArticle());
    const schemaVersion = Number((await t().db('folio_schema').where({ id: 1 }).first('version')).version);
    expect(revisions.every((r) => r.schemaVersion === schemaVersion)).toBe(true);
  });

  it('records none when the write fails: a validation error, a refused permission', async () => {
    const documentId = await create(editor, A, { title: 'Kept as is' });
    const before = await stored(t(), documentId);
    expect((await editor.put(`${A}/${documentId}`, { title: 'x'.repeat(201) })).status).toBe(400);
    expect((await author.put(`${A}/${documentId}`, { title: 'Not yours' })).status).toBe(404);
    expect(await stored(t(), documentId)).toEqual(before);
    expect(before.map((r) => r.operation)).toEqual(['create']);
  });

  it('lists the revisions newest first, page by page, with author and operation', async () => {
    const documentId = await create(editor, A, { title: 'v1' });
    for (const title of ['v2', 'v3', 'v4'])
      expect((await editor.put(`${A}/${documentId}`, { title })).status).toBe(200);
    const first = await editor.get(`${history(documentId)}?page=1&pageSize=3`);
    expect(first.status).toBe(200);
    expect(first.body.meta.pagination).toEqual({ page: 1, pageSize: 3, pageCount: 2, total: 4 });
    expect(first.body.data.map((r: { operation: string }) => r.operation)).toEqual(['update', 'update', 'update']);
    const ids = first.body.data.map((r: { id: number }) => r.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(first.body.data[0]).toMatchObject({
      locale: null,
      createdAt: expect.any(String),
      createdBy: { kind: 'admin', id: editor.userId, name: expect.stringMatching(/^Test User/) },
      schemaVersion: expect.any(Number),
    });
    const second = await editor.get(`${history(documentId)}?page=2&pageSize=3`);
    expect(second.body.data.map((r: { operation: string }) => r.operation)).toEqual(['create']);
    const one = await editor.get(`${history(documentId)}/${second.body.data[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ operation: 'create', data: { title: 'v1' }, removedAttributes: [] });
  });

  it('answers 400 for malformed ids and parameters, 404 for an unknown revision', async () => {
    const documentId = await create(editor, A, { title: 'Checked' });
    expect((await editor.get(`${history(documentId)}?pageSize=0`)).status).toBe(400);
    expect((await editor.get(`${history(documentId)}?sort=id`)).status).toBe(400);
    expect((await editor.get(`${history(documentId)}/abc`)).status).toBe(400);
    expect((await editor.get(`${A}/not%20an%20id/revisions`)).status).toBe(400);
    const unknown = await editor.get(`${history(documentId)}/999999`);
    expect([unknown.status, unknown.body.error?.name]).toEqual([404, 'NotFoundError']);
    const other = await create(editor, A, { title: 'Another' });
    const [otherRevision] = (await editor.get(history(other))).body.data;
    // A revision of another document is not this one's.
    expect((await editor.get(`${history(documentId)}/${otherRevision.id}`)).status).toBe(404);
  });

  it('an Author may not list the revisions of an entry it may not read', async () => {
    const documentId = await create(editor, A, { title: 'The editor’s own' });
    const res = await author.get(history(documentId));
    expect([res.status, res.body.error?.name]).toEqual([404, 'NotFoundError']);
    const own = await create(author, A, { title: 'The author’s own' });
    expect((await author.get(history(own))).body.meta.pagination.total).toBe(1);
  });

  it('restores a revision as the draft, leaves the published version, records a restore', async () => {
    const documentId = await create(editor, A, fullArticle());
    expect((await editor.post(`${A}/${documentId}/actions/publish`)).status).toBe(200);
    const changed = { title: 'Rewritten', category: otherCategory, tags: [tags[1]], seo: { metaTitle: 'New' } };
    expect((await editor.put(`${A}/${documentId}`, changed)).status).toBe(200);
    const [oldest] = (await editor.get(history(documentId))).body.data.slice(-1);

    const res = await editor.post(`${history(documentId)}/${oldest.id}/restore`);
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(res.body.meta).toEqual({ skipped: [], dropped: [] });
    expect(res.body.data).toMatchObject({ title: 'First words', __status: 'modified' });
    expect(res.body.data.category.documentId).toBe(category);
    expect(res.body.data.tags.map((g: { documentId: string }) => g.documentId)).toEqual(tags);
    expect(res.body.data.seo).toMatchObject({ metaTitle: 'First' });
    const published = await t().db('articles').where({ document_id: documentId, status: 'published' }).first('title');
    expect(published.title).toBe('First words');
    const draftTitle = (await t().db('articles').where({ document_id: documentId, status: 'draft' }).first('title'))
      .title;
    expect(draftTitle).toBe('First words');
    const revisions = await stored(t(), documentId);
    expect(revisions.map((r) => r.operation)).toEqual(['create', 'publish', 'update', 'restore']);
    expect(revisions[3].data).toMatchObject({ title: 'First words', category, tags });
  });

  it('drops and reports a relation to a document deleted since', async () => {
    const gone = await create(editor, '/admin-api/content/tag', { name: 'ephemeral' });
    const documentId = await create(editor, A, { title: 'Tagged', tags: [tags[0], gone] });
    expect((await editor.put(`${A}/${documentId}`, { title: 'Retitled', tags: [] })).status).toBe(200);
    expect((await editor.delete(`/admin-api/content/tag/${gone}`)).status).toBe(200);
    const [oldest] = (await editor.get(history(documentId))).body.data.slice(-1);

    const res = await editor.post(`${history(documentId)}/${oldest.id}/restore`);
    expect(res.status).toBe(200);
    expect(res.body.meta.dropped).toEqual([{ field: 'tags', documentId: gone }]);
    expect(res.body.data.title).toBe('Tagged');
    expect(res.body.data.tags.map((g: { documentId: string }) => g.documentId)).toEqual([tags[0]]);
  });

  it('a restore by a caller who may not update the entry is refused and records nothing', async () => {
    const documentId = await create(editor, A, { title: 'Guarded' });
    expect((await editor.put(`${A}/${documentId}`, { title: 'Guarded, edited' })).status).toBe(200);
    const [oldest] = (await editor.get(history(documentId))).body.data.slice(-1);
    const before = await stored(t(), documentId);
    expect((await author.post(`${history(documentId)}/${oldest.id}/restore`)).status).toBe(404);
    expect(await stored(t(), documentId)).toEqual(before);
  });

  it('keeps the same history under the routes of a single type', async () => {
    const G = '/admin-api/content/single-types/global';
    expect((await editor.get(`${G}/revisions`)).status).toBe(404);
    expect((await editor.put(G, { siteName: 'Moonbase', links: [{ label: 'Home', url: '/' }] })).status).toBe(200);
    expect((await editor.put(G, { siteName: 'Marsbase', links: [] })).status).toBe(200);
    const list = await editor.get(`${G}/revisions`);
    expect(list.body.data.map((r: { operation: string }) => r.operation)).toEqual(['update', 'create']);

    const res = await editor.post(`${G}/revisions/${list.body.data[1].id}/restore`);
    expect([res.status, res.body.data?.siteName]).toEqual([200, 'Moonbase']);
    expect(res.body.data.links).toMatchObject([{ label: 'Home', url: '/' }]);
  });

  it('retention prunes, in batches, exactly the revisions beyond the count kept per document and locale', async () => {
    const busy = await create(editor, A, { title: 'r1' });
    for (const title of ['r2', 'r3', 'r4', 'r5'])
      expect((await editor.put(`${A}/${busy}`, { title })).status).toBe(200);
    const quiet = await create(editor, A, { title: 'q1' });
    const counts = async () => {
      const groups: Record<string, string | number>[] = await t()
        .db('folio_revisions')
        .groupBy('content_type', 'document_id', 'locale')
        .select('content_type', 'document_id', 'locale')
        .count({ n: '*' });
      return new Map(groups.map((g) => [`${g.content_type}/${g.document_id}/${g.locale}`, Number(g.n)]));
    };
    const before = await counts();
    const keepTwo = new RevisionPruner(t().db, { keep: 2, maxAgeDays: 0 }, t().folio.logger, { batchSize: 2 });
    await keepTwo.pruneAll();
    expect((await stored(t(), busy)).map((r) => r.data.title)).toEqual(['r4', 'r5']);
    expect((await stored(t(), quiet)).map((r) => r.data.title)).toEqual(['q1']);
    // Every document and locale keeps its newest two, or all it had when it had fewer.
    expect(await counts()).toEqual(new Map([...before].map(([key, n]) => [key, Math.min(n, 2)])));
  });

  it('retention by age prunes older revisions but keeps the newest of each document', async () => {
    const old = await create(editor, A, { title: 'o1' });
    expect((await editor.put(`${A}/${old}`, { title: 'o2' })).status).toBe(200);
    const now = Date.now();
    await t()
      .db('folio_revisions')
      .where({ document_id: old })
      .update({ created_at: now - 40 * 24 * 3600 * 1000 });
    const fresh = await create(editor, A, { title: 'f1' });
    const thirtyDays = new RevisionPruner(t().db, { keep: 0, maxAgeDays: 30 }, t().folio.logger);
    await thirtyDays.pruneAll(now);
    expect((await stored(t(), old)).map((r) => r.data.title)).toEqual(['o2']);
    expect((await stored(t(), fresh)).map((r) => r.data.title)).toEqual(['f1']);
  });

  it('records the entries a forced file delete unlinks, without the file', async () => {
    const [id] = await t().db('folio_files').insert({
      document_id: 'revisionfile000000000001',
      name: 'doomed.png',
      hash: 'revision-doomed',
      ext: '.png',
      mime: 'image/png',
      size: 1,
      url: '/uploads/revision-doomed.png',
      provider: 'local',
    });
    const doomed = Number(id);
    const documentId = await create(editor, A, { title: 'Illustrated', cover: doomed, gallery: [file, doomed] });
    const res = await editor.delete(`/admin-api/upload/files/${doomed}?force=true`);
    expect(res.status).toBe(200);
    const last = (await stored(t(), documentId)).at(-1)!;
    expect([last.operation, last.data.cover, last.data.gallery]).toEqual(['update', null, [file]]);
  });

  it('keeps a history per locale of localized types', async () => {
    const P = '/admin-api/content/page';
    const documentId = await create(editor, P, { title: 'Hello' });
    expect((await editor.put(`${P}/${documentId}?locale=fr`, { title: 'Bonjour' })).status).toBe(200);
    expect((await editor.put(`${P}/${documentId}?locale=fr`, { title: 'Salut' })).status).toBe(200);
    const fr = await editor.get(`${P}/${documentId}/revisions?locale=fr`);
    expect(fr.body.data.map((r: { operation: string; locale: string }) => [r.operation, r.locale])).toEqual([
      ['update', 'fr'],
      ['update', 'fr'],
    ]);
    const en = await editor.get(`${P}/${documentId}/revisions`);
    expect(en.body.data.map((r: { locale: string }) => r.locale)).toEqual(['en']);
    const res = await editor.post(`${P}/${documentId}/revisions/${fr.body.data[1].id}/restore?locale=fr`);
    expect([res.status, res.body.data?.title, res.body.data?.locale]).toEqual([200, 'Bonjour', 'fr']);
    // A revision of another locale is not found under this one.
    expect((await editor.get(`${P}/${documentId}/revisions/${en.body.data[0].id}?locale=fr`)).status).toBe(404);
  });

  it('records the links of a type without locales to documents of a localized type', async () => {
    const page = await create(editor, '/admin-api/content/page', { title: 'About' });
    const written = await editor.put('/admin-api/content/single-types/global', {
      siteName: 'Linked',
      links: [{ label: 'About', url: '/about', page }],
    });
    expect(written.status).toBe(200);
    const [revision] = (await stored(t(), written.body.data.documentId as string)).slice(-1);
    expect(revision.data.links).toEqual([{ label: 'About', url: '/about', page }]);
  });

  // Last: it takes an attribute out of the schema.
  it('reports an attribute removed from the schema since, and skips it on restore', async () => {
    const documentId = await create(editor, A, { title: 'Summed up', summary: 'A summary' });
    expect((await editor.put(`${A}/${documentId}`, { title: 'Changed' })).status).toBe(200);
    const { summary: _, ...attributes } = blogSchema.contentTypes.article.attributes;
    const withoutSummary: SchemaDocument = {
      ...blogSchema,
      contentTypes: {
        ...blogSchema.contentTypes,
        article: { ...blogSchema.contentTypes.article, attributes },
      },
    };
    await t().folio.schema.apply(withoutSummary, { force: true });
    const [oldest] = (await editor.get(history(documentId))).body.data.slice(-1);
    const one = await editor.get(`${history(documentId)}/${oldest.id}`);
    expect(one.body.data.removedAttributes).toEqual(['summary']);
    expect(one.body.data.data.summary).toBe('A summary');

    const res = await editor.post(`${history(documentId)}/${oldest.id}/restore`);
    expect([res.status, res.body.meta?.skipped]).toEqual([200, ['summary']]);
    expect(res.body.data.title).toBe('Summed up');
  });
});
