// A JSON string holding a lone surrogate ("\ud800") cannot be stored as sent: both databases would
// keep U+FFFD instead. It is refused with a 400 naming its path, on /api and /admin-api alike.
import { beforeAll, expect, it } from '@jest/globals';
import { blogSchema } from '../fixtures/blog-schema.js';
import { editorHttp, type Http } from '../helpers/callers.js';
import { twoColours } from '../helpers/media.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

describeEachDatabase('strings that are not well-formed Unicode', (t) => {
  let http: Http;
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    http = await editorHttp(t());
  });

  // JSON.stringify escapes a lone surrogate as \ud800, exactly what a client sends on the wire.
  const raw = (body: unknown) => JSON.stringify(body);

  it('refuses a lone surrogate in a Content API write with 400 naming its path, storing nothing', async () => {
    const res = await http()
      .post('/api/articles')
      .set('Content-Type', 'application/json')
      .send(raw({ data: { title: 'Broken \ud800 title' } }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'ValidationError',
      details: { errors: [{ path: ['data', 'title'] }] },
    });
    expect(await t().db('articles').where('title', 'like', 'Broken%').first()).toBeUndefined();
  });

  it('refuses one in an Admin API write, deep in a list', async () => {
    const res = await http()
      .post('/admin-api/content/tag')
      .set('Content-Type', 'application/json')
      .send(raw({ name: 'ok', nested: [{ x: 'fine' }, { y: '\udc00 low' }] }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['nested', 1, 'y']);
  });

  it('refuses one in a key', async () => {
    const res = await http()
      .put('/admin-api/auth/me')
      .set('Content-Type', 'application/json')
      .send(raw({ ['first\ud83d']: 'x' }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['first\ud83d']);
  });

  it('keeps a surrogate pair (an emoji) exactly as sent', async () => {
    const res = await http()
      .post('/api/articles')
      .set('Content-Type', 'application/json')
      .send(raw({ data: { title: 'Smile 😀 ü' } }));
    expect(res.status).toBe(201);
    expect((await t().db('articles').where('document_id', res.body.data.documentId).first()).title).toBe('Smile 😀 ü');
  });

  it("refuses one in an upload's fileInfo, storing no file", async () => {
    const before = await t().db('folio_files').count({ n: '*' }).first();
    const res = await http()
      .post('/api/upload')
      .attach('files', await twoColours(64, 64, '#000000', '#ffffff', 'png'), 'a.png')
      .field('fileInfo', raw({ alternativeText: 'alt \ud800' }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['fileInfo', 'alternativeText']);
    expect(await t().db('folio_files').count({ n: '*' }).first()).toEqual(before);
  });
});
