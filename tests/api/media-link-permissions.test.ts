// Linking a file to an entry is an update of that entry, by whoever links it (ISSUE 17, items 1
// and 18): an upload with ref/refId/field goes through the same operation as the content manager's
// PUT (type, field and row-condition checks inside the write, audited, announced), on the draft
// only; a forced delete unlinks only from entries the caller may update; every link and every
// replacement respects the field's allowedTypes. Real sessions and tokens, both databases.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type supertest from 'supertest';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { TestCallers } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { tinyPdf, twoColours } from '../helpers/media.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const A = '/admin-api/content/article';

interface Article {
  documentId: string;
  draftId: number;
  publishedId: number | null;
}

describeEachDatabase('media links are entry updates', (t) => {
  let editor: AdminSession;
  let author: AdminSession;
  let callers: TestCallers;

  const image = (colour = '#ff0000') => twoColours(64, 64, colour, '#000000');
  const fileCount = async () => Number((await t().db('folio_files').count({ n: '*' }))[0].n);
  const links = (entityId: number, field = 'cover') =>
    t().folio.media.linksOf({ entityTable: 'articles', entityId, field });
  const auditRows = (documentId: string) =>
    t().db('folio_audit_log').where({ action: 'content.update', entity_id: documentId }).orderBy('id');
  const outboxUpdates = async (documentId: string) =>
    (await t().db('folio_outbox').where({ topic: 'entry.update' }).orderBy('id').select('payload'))
      .map(
        (r: { payload: string }) =>
          JSON.parse(r.payload) as { entry: { documentId: string; publishedAt: string | null } },
      )
      .filter((p) => p.entry.documentId === documentId);

  async function adminUpload(
    s: AdminSession,
    name: string,
    content: Buffer,
    ref?: { refId: string; field: string },
  ): Promise<supertest.Response> {
    const req = s.agent.post('/admin-api/upload/files').set('X-CSRF-Token', s.csrf);
    if (ref) req.field('ref', 'article').field('refId', ref.refId).field('field', ref.field);
    return req.attach('files', content, name);
  }

  /** An article written by `s` with this cover, published when `publish` (an Editor's). */
  async function article(s: AdminSession, title: string, cover: number, publish: boolean): Promise<Article> {
    const created = await s.post(A, { title, cover });
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    const documentId: string = created.body.data.documentId;
    if (publish) expect((await s.post(`${A}/${documentId}/actions/publish`)).status).toBe(200);
    const rows = await t().db('articles').where({ document_id: documentId }).select('id', 'status');
    const idOf = (status: string) =>
      (rows.find((r: { status: string }) => r.status === status)?.id as number | undefined) ?? null;
    return { documentId, draftId: idOf('draft') as number, publishedId: idOf('published') };
  }

  let cover: number;
  let editorial: Article;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    callers = await new TestCallers(t().folio).prepare('upload.create', 'upload.create,article.update');
    cover = (await adminUpload(editor, 'cover.jpg', await image())).body.data[0].id;
    editorial = await article(editor, 'Editorial', cover, true);
  });

  describe('upload with ref/refId/field', () => {
    it(
      "an Author cannot replace the cover of another editor's " +
        'published article: 404, no file kept, both versions as they were',
      async () => {
        const before = await fileCount();
        const res = await adminUpload(author, 'hijack.jpg', await image('#00ff00'), {
          refId: String(editorial.publishedId),
          field: 'cover',
        });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ data: null, error: { status: 404, name: 'NotFoundError' } });
        expect(await fileCount()).toBe(before);
        expect(await links(editorial.draftId)).toEqual([cover]);
        expect(await links(editorial.publishedId as number)).toEqual([cover]);
      },
    );

    it('a token allowed only upload.create cannot link its upload to an article: 403, no file kept', async () => {
      const before = await fileCount();
      const res = await callers
        .as(t().http().post('/api/upload'), 'upload.create')
        .field('ref', 'article')
        .field('refId', editorial.documentId)
        .field('field', 'cover')
        .attach('files', await image('#0000ff'), 'token.jpg');
      expect(res.status).toBe(403);
      expect(await fileCount()).toBe(before);
      expect(await links(editorial.draftId)).toEqual([cover]);
    });

    describe('the Public role allowed upload.create', () => {
      beforeAll(async () => {
        await t().folio.access.grantPublic(['upload.create']);
      });
      afterAll(async () => {
        await t().folio.access.revokePublic(['upload.create']);
      });

      it('cannot link an anonymous upload to an article: 403, no file kept', async () => {
        const before = await fileCount();
        const res = await t()
          .http()
          .post('/api/upload')
          .field('ref', 'article')
          .field('refId', String(editorial.publishedId))
          .field('field', 'cover')
          .attach('files', await image('#ffff00'), 'anonymous.jpg');
        expect(res.status).toBe(403);
        expect(await fileCount()).toBe(before);
        expect(await links(editorial.publishedId as number)).toEqual([cover]);
      });
    });

    it(
      'a token allowed article.update links the upload to ' + 'the draft; the published version keeps its cover',
      async () => {
        const target = await article(editor, 'Token target', cover, true);
        const res = await callers
          .as(t().http().post('/api/upload'), 'upload.create,article.update')
          .field('ref', 'article')
          .field('refId', String(target.publishedId))
          .field('field', 'cover')
          .attach('files', await image('#00ffff'), 'by-token.jpg');
        expect(res.status).toBe(201);
        expect(await links(target.draftId)).toEqual([res.body[0].id]);
        expect(await links(target.publishedId as number)).toEqual([cover]);
      },
    );

    it(
      "an Editor's link is an update of the draft, audited " + 'as content.update and announced as entry.update',
      async () => {
        const target = await article(editor, 'Audited link', cover, true);
        const res = await adminUpload(editor, 'new-cover.jpg', await image('#ff00ff'), {
          refId: target.documentId,
          field: 'cover',
        });
        expect(res.status).toBe(201);
        expect(await links(target.draftId)).toEqual([res.body.data[0].id]);
        expect(await links(target.publishedId as number)).toEqual([cover]);
        const audit = await auditRows(target.documentId);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ actor_id: editor.userId, subject: 'article' });
        expect(JSON.parse(audit[0].details)).toMatchObject({ fields: ['cover'] });
        const events = await outboxUpdates(target.documentId);
        expect(events).toHaveLength(1);
        expect(events[0].entry.publishedAt).toBeNull(); // the draft
      },
    );

    it(
      "a role that may update an article's title but not its cover " +
        'is refused the link (403) as it is the same field in a PUT',
      async () => {
        const role = await t().folio.access.createRole({ name: 'Title editor' });
        await t().folio.access.setPermissions(role.id, [
          { action: 'read', subject: 'article' },
          { action: 'update', subject: 'article', fields: ['title'] },
          { action: 'create', subject: 'upload' },
          { action: 'read', subject: 'upload' },
        ]);
        const titles = await signedIn(t(), [role.id]);
        const before = await fileCount();
        const res = await adminUpload(titles, 'cover.jpg', await image('#555555'), {
          refId: editorial.documentId,
          field: 'cover',
        });
        expect(res.status).toBe(403);
        expect(await fileCount()).toBe(before);
        expect((await titles.put(`${A}/${editorial.documentId}`, { cover })).status).toBe(403);
        expect((await titles.put(`${A}/${editorial.documentId}`, { title: 'Retitled' })).status).toBe(200);
      },
    );

    it('an Author links an upload to its own draft, appending to a multiple field', async () => {
      const own = await article(author, 'Mine', cover, false);
      const first = await adminUpload(author, 'one.jpg', await image('#111111'), {
        refId: own.documentId,
        field: 'gallery',
      });
      const second = await adminUpload(author, 'two.jpg', await image('#222222'), {
        refId: String(own.draftId),
        field: 'gallery',
      });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(await links(own.draftId, 'gallery')).toEqual([first.body.data[0].id, second.body.data[0].id]);
    });
  });

  describe("a media field's allowedTypes", () => {
    let pdf: number;
    beforeAll(async () => {
      pdf = (await adminUpload(editor, 'terms.pdf', tinyPdf())).body.data[0].id;
    });

    it('refuses linking a PDF by id to an images-only cover through the content manager (400)', async () => {
      const res = await editor.put(`${A}/${editorial.documentId}`, { cover: pdf });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0]).toMatchObject({
        path: ['cover'],
        message: expect.stringMatching(/files; this field accepts images/),
      });
      expect(await links(editorial.draftId)).toEqual([cover]);
    });

    it('refuses it through the Content API too, and accepts the PDF in the gallery, which takes any file', async () => {
      const { token } = await t().folio.apiTokens.create({ name: 'allowed types', type: 'full-access' });
      const refused = await t()
        .http()
        .put(`/api/articles/${editorial.documentId}?status=draft`)
        .set('Authorization', `Bearer ${token}`)
        .send({ data: { cover: pdf } });
      expect(refused.status).toBe(400);
      const accepted = await t()
        .http()
        .put(`/api/articles/${editorial.documentId}?status=draft`)
        .set('Authorization', `Bearer ${token}`)
        .send({ data: { gallery: [pdf] } });
      expect(accepted.status).toBe(200);
    });

    it('refuses a text file uploaded to an images-only cover (400 naming what it takes), storing nothing', async () => {
      const before = await fileCount();
      const res = await adminUpload(editor, 'notes.txt', Buffer.from('Meeting notes\n'), {
        refId: editorial.documentId,
        field: 'cover',
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'ValidationError',
        message: expect.stringMatching(/accepts images/),
      });
      expect(await fileCount()).toBe(before);
      expect(await links(editorial.draftId)).toEqual([cover]);
    });

    it('refuses replacing a linked cover image with a PDF; the file stays an image', async () => {
      const res = await editor.agent
        .post(`/admin-api/upload/files/${cover}/replace`)
        .set('X-CSRF-Token', editor.csrf)
        .attach('files', tinyPdf(), 'swap.pdf');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/"cover", which accepts images/);
      expect((await editor.get(`/admin-api/upload/files/${cover}`)).body.data).toMatchObject({
        mime: 'image/jpeg',
        name: 'cover.jpg',
      });
    });
  });

  describe('DELETE /admin-api/upload/files/:id?force=true', () => {
    it(
      "an Author may not unlink its own file from another editor's published article: 409 naming how many " +
        'entries block, nothing removed',
      async () => {
        const own = (await adminUpload(author, 'shared.jpg', await image('#333333'))).body.data[0].id as number;
        const target = await article(editor, 'Uses the Author file', own, true);
        const res = await author.delete(`/admin-api/upload/files/${own}?force=true`);
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ name: 'ConflictError', details: { blockingEntries: 1 } });
        expect(await links(target.draftId)).toEqual([own]);
        expect(await links(target.publishedId as number)).toEqual([own]);
        expect((await editor.get(`/admin-api/upload/files/${own}`)).status).toBe(200);
      },
    );

    it("counts an entry holding the file in a component (the article's SEO share image) as blocking too", async () => {
      const own = (await adminUpload(author, 'share.jpg', await image('#666666'))).body.data[0].id as number;
      const created = await editor.post(A, { title: 'Shared in SEO', seo: { metaTitle: 'Shared', shareImage: own } });
      expect(created.status).toBe(201);
      const res = await author.delete(`/admin-api/upload/files/${own}?force=true`);
      expect(res.status).toBe(409);
      expect(res.body.error.details).toEqual({ blockingEntries: 1 });
      expect(await t().folio.media.linkCount(own)).toBe(1);
    });

    it(
      'an Editor unlinks a file from both versions of its article, each audited as content.update and ' +
        'announced as entry.update',
      async () => {
        const file = (await adminUpload(editor, 'gone.jpg', await image('#444444'))).body.data[0].id as number;
        const target = await article(editor, 'Loses its cover', file, true);
        const res = await editor.delete(`/admin-api/upload/files/${file}?force=true`);
        expect(res.status).toBe(200);
        expect(await links(target.draftId)).toEqual([]);
        expect(await links(target.publishedId as number)).toEqual([]);
        const audit = await auditRows(target.documentId);
        expect(audit.map((r: { details: string }) => JSON.parse(r.details).status).sort()).toEqual([
          'draft',
          'published',
        ]);
        expect(audit.every((r: { details: string }) => JSON.parse(r.details).unlinkedFile === file)).toBe(true);
        expect(await outboxUpdates(target.documentId)).toHaveLength(2);
      },
    );
  });
});
