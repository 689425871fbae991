// "Used by" (issue 19, media picker): a file's details name the entries linking it — through a
// media field or a component's — each once, with its type, title and locale, and only those the
// caller may read; the others are counted. Both databases.
import { beforeAll, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const A = '/admin-api/content/article';

describeEachDatabase('GET /admin-api/upload/files/:id/used-by', (t) => {
  let editor: AdminSession;
  let author: AdminSession;
  let file: number;
  let editorial: string;
  let seoStory: string;
  let own: string;

  const create = async (s: AdminSession, data: object, publish = false) => {
    const res = await s.post(A, data);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    const documentId = res.body.data.documentId as string;
    if (publish) expect((await s.post(`${A}/${documentId}/actions/publish`)).status).toBe(200);
    return documentId;
  };

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    const up = await editor.agent
      .post('/admin-api/upload/files')
      .set('X-CSRF-Token', editor.csrf)
      .attach('files', await twoColours(64, 64, '#ff0000', '#000000'), 'shared.jpg');
    file = up.body.data[0].id as number;
    // Published: its draft and published versions both link the file, and it is one entry.
    editorial = await create(editor, { title: 'Editorial', cover: file }, true);
    seoStory = await create(editor, { title: 'Shared on socials', seo: { metaTitle: 'Socials', shareImage: file } });
    own = await create(author, { title: 'My own story', gallery: [file] });
  });

  it('names every entry using the file, once each, with its type, title and the fields holding it', async () => {
    const res = await editor.get(`/admin-api/upload/files/${file}/used-by`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      hidden: 0,
      entries: [
        {
          uid: 'article',
          displayName: 'Article',
          kind: 'collectionType',
          documentId: editorial,
          label: 'Editorial',
          locale: null,
          fields: ['cover'],
        },
        {
          uid: 'article',
          displayName: 'Article',
          kind: 'collectionType',
          documentId: own,
          label: 'My own story',
          locale: null,
          fields: ['gallery'],
        },
        {
          uid: 'article',
          displayName: 'Article',
          kind: 'collectionType',
          documentId: seoStory,
          label: 'Shared on socials',
          locale: null,
          fields: ['seo'],
        },
      ],
    });
  });

  it('names only the entries the caller may read, and counts the others', async () => {
    const res = await author.get(`/admin-api/upload/files/${file}/used-by`);
    expect(res.status).toBe(200);
    expect(res.body.data.entries.map((e: { documentId: string }) => e.documentId)).toEqual([own]);
    expect(res.body.data.hidden).toBe(2);
  });

  it('is a 404 for a file that does not exist', async () => {
    expect((await editor.get('/admin-api/upload/files/999999/used-by')).status).toBe(404);
  });
});
