import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { tinyMp4, twoColours } from '../helpers/media.js';
import { editorHttp, type Http } from '../helpers/callers.js';
import { RUN_DIR } from '../helpers/env.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

// An upload's ref/refId/field links the new files to an entry's media field: the blog's `article`,
// whose `cover` holds one image and whose `gallery` holds many files of any kind. The link is an
// update of the entry's draft (tests/api/media-link-permissions.test.ts: who may).
describeEachDatabase('POST /api/upload with ref/refId/field', (t) => {
  let http: Http;
  let draft: { id: number; documentId: string };
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    http = await editorHttp(t());
    draft = await t().folio.documents.create('article', { data: { title: 'Linked' }, status: 'draft' });
  });

  const at = (field: string) => ({ entityTable: 'articles', entityId: draft.id, field });
  const form = (field: string) =>
    http().post('/api/upload').field('ref', 'article').field('refId', String(draft.id)).field('field', field);

  it('links a single-file field to the new file, replacing the previous one', async () => {
    const first = await form('cover').attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'one.jpg');
    expect(first.status).toBe(201);
    const second = await form('cover').attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'two.jpg');
    expect(await t().folio.media.linksOf(at('cover'))).toEqual([second.body[0].id]);
  });

  it('appends to a multiple field in upload order', async () => {
    const a = await form('gallery')
      .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'a.jpg')
      .attach('files', tinyMp4(100), 'b.mp4');
    const c = await form('gallery').attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'c.jpg');
    expect(await t().folio.media.linksOf(at('gallery'))).toEqual([a.body[0].id, a.body[1].id, c.body[0].id]);
  });

  it("enforces the field's allowedTypes and stores nothing when refused", async () => {
    const before = await t()
      .db('folio_files')
      .count({ n: '*' })
      .then((r) => Number(r[0].n));
    const res = await form('cover').attach('files', tinyMp4(100), 'clip.mp4');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/videos; this field accepts images/);
    expect(
      await t()
        .db('folio_files')
        .count({ n: '*' })
        .then((r) => Number(r[0].n)),
    ).toBe(before);
  });

  it('refuses two files for a single-file field, keeping neither', async () => {
    const before = await t()
      .db('folio_files')
      .count({ n: '*' })
      .then((r) => Number(r[0].n));
    const res = await form('cover')
      .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'x.jpg')
      .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'y.jpg');
    expect(res.status).toBe(400);
    expect(
      await t()
        .db('folio_files')
        .count({ n: '*' })
        .then((r) => Number(r[0].n)),
    ).toBe(before);
  });

  it('replaces a file through POST /api/upload?id=, as Strapi does', async () => {
    const up = await http()
      .post('/api/upload')
      .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'old.jpg');
    const res = await http()
      .post(`/api/upload?id=${up.body[0].id}`)
      .attach('files', await twoColours(300, 100, '#000000', '#ffffff', 'png'), 'new.png');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: up.body[0].id, name: 'new.png', mime: 'image/png', width: 300 });
  });

  it("uploads from the service with a field's allowedTypes", async () => {
    const file = path.join(RUN_DIR, `clip-${t().dialect}.mp4`);
    const data = tinyMp4(100);
    await writeFile(file, data);
    await expect(
      t().folio.media.upload([{ path: file, filename: 'clip.mp4', size: data.length }], [], {
        allowedTypes: ['audios'],
      }),
    ).rejects.toMatchObject({ status: 400 });
    const [ok] = await t().folio.media.upload([{ path: file, filename: 'clip.mp4', size: data.length }], [], {
      allowedTypes: ['videos'],
    });
    expect(ok.mime).toBe('video/mp4');
  });
});
