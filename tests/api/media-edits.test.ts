// Rotate, crop and focal point (issue 19, media picker): an edit of an image is an update of the
// file by the caller (checked and audited in its transaction), stored with the file, and its formats
// are made anew from the untouched original — the thumbnail cut around the focal point. The
// original stays as uploaded, so an empty edit resets the formats. Both databases.
import { beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { tokenHttp, type Http } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { greenRight, greenShare, twoColours } from '../helpers/media.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const FILES = '/admin-api/upload/files';
const UNEDITED = { rotation: 0, crop: null, focalPoint: null };

describeEachDatabase('PUT /admin-api/upload/files/:id/edit', (t) => {
  let editor: AdminSession;
  let author: AdminSession;
  let reader: Http;

  const upload = async (s: AdminSession, content: Buffer, name: string) => {
    const res = await s.agent.post(FILES).set('X-CSRF-Token', s.csrf).attach('files', content, name);
    expect(res.status).toBe(201);
    return res.body.data[0] as { id: number; url: string; formats: Record<string, { url: string }> };
  };
  const bytes = async (url: string) => (await t().http().get(url).buffer(true)).body as Buffer;
  const thumbnailOf = async (file: { formats: Record<string, { url: string }> }) => bytes(file.formats.thumbnail.url);

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    reader = await tokenHttp(t(), 'read-only');
  });

  it('centres the thumbnail on the focal point: mostly green at the right, none at the left', async () => {
    const file = await upload(editor, await greenRight(), 'focus.png');
    const right = await editor.put(`${FILES}/${file.id}/edit`, { ...UNEDITED, focalPoint: { x: 0.9, y: 0.5 } });
    expect(right.status).toBe(200);
    expect(right.body.data).toMatchObject({ focalPoint: { x: 0.9, y: 0.5 }, width: 1000, height: 400 });
    const thumbnail = await thumbnailOf(right.body.data);
    expect(await sharp(thumbnail).metadata()).toMatchObject({ width: 245, height: 156 });
    expect(await greenShare(thumbnail)).toBeGreaterThan(0.6);

    const left = await editor.put(`${FILES}/${file.id}/edit`, { ...UNEDITED, focalPoint: { x: 0.1, y: 0.5 } });
    expect(await greenShare(await thumbnailOf(left.body.data))).toBeLessThan(0.1);
  });

  it('rotates then crops every format, keeps the original untouched, and resets with an empty edit', async () => {
    // Red left, blue right; turned a quarter clockwise the red half is on top: its square is all red.
    const original = await twoColours(400, 200, '#ff0000', '#0000ff', 'png');
    const file = await upload(editor, original, 'turn.png');
    const before = await bytes(file.url);
    const res = await editor.put(`${FILES}/${file.id}/edit`, {
      rotation: 90,
      crop: { x: 0, y: 0, width: 200, height: 200 },
      focalPoint: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ url: file.url, rotation: 90, crop: { x: 0, y: 0, width: 200, height: 200 } });
    const thumbnail = await sharp(await thumbnailOf(res.body.data)).stats();
    expect(res.body.data.formats.thumbnail).toMatchObject({ width: 156, height: 156 });
    expect(thumbnail.channels.slice(0, 3).map((c) => Math.round(c.mean))).toEqual([255, 0, 0]);
    expect((await bytes(file.url)).equals(before)).toBe(true);
    // The old thumbnail is gone from storage: its URL changed with the edit.
    expect(res.body.data.formats.thumbnail.url).not.toBe(file.formats.thumbnail.url);
    expect((await t().http().get(file.formats.thumbnail.url)).status).toBe(404);

    const reset = await editor.put(`${FILES}/${file.id}/edit`, UNEDITED);
    const { width, height } = file.formats.thumbnail as unknown as { width: number; height: number };
    expect(reset.body.data).toMatchObject({ ...UNEDITED, formats: { thumbnail: { width, height } } });
    const row = await t().db('folio_files').where({ id: file.id }).first();
    expect([row.rotation, row.crop, row.focal_point]).toEqual([0, null, null]);
  });

  it('is an update of the file by its caller: audited, refused to an Author on a file it did not upload', async () => {
    const file = await upload(editor, await twoColours(400, 200, '#ff0000', '#0000ff'), 'theirs.jpg');
    const refused = await author.put(`${FILES}/${file.id}/edit`, { ...UNEDITED, focalPoint: { x: 0, y: 0 } });
    expect(refused.status).toBe(403);
    const row = await t().db('folio_files').where({ id: file.id }).first();
    expect(row.focal_point).toBeNull();
    expect(JSON.parse(typeof row.formats === 'string' ? row.formats : JSON.stringify(row.formats)).thumbnail.url).toBe(
      file.formats.thumbnail.url,
    );

    const own = await upload(author, await twoColours(400, 200, '#ff0000', '#0000ff'), 'mine.jpg');
    expect((await author.put(`${FILES}/${own.id}/edit`, { ...UNEDITED, rotation: 180 })).status).toBe(200);
    const audit = await t()
      .db('folio_audit_log')
      .where({ action: 'media.update', entity_id: String(own.id) });
    expect(audit).toHaveLength(1);
  });

  it('refuses a crop outside the rotated image and a focal point outside 0..1 (400), the file unchanged', async () => {
    const file = await upload(editor, await twoColours(400, 200, '#ff0000', '#0000ff'), 'bounds.jpg');
    const crop = await editor.put(`${FILES}/${file.id}/edit`, {
      rotation: 90,
      crop: { x: 0, y: 0, width: 400, height: 200 },
      focalPoint: null,
    });
    expect(crop.status).toBe(400);
    expect(crop.body.error.details.errors[0]).toMatchObject({ path: ['crop'] });
    const focal = await editor.put(`${FILES}/${file.id}/edit`, { ...UNEDITED, focalPoint: { x: 1.5, y: 0 } });
    expect(focal.status).toBe(400);
    expect((await editor.get(`${FILES}/${file.id}`)).body.data).toMatchObject({ ...UNEDITED, formats: file.formats });
  });

  it('is forgotten when the file is replaced: a crop of the old picture would not fit the new one', async () => {
    const file = await upload(editor, await twoColours(400, 200, '#ff0000', '#0000ff', 'png'), 'swap.png');
    await editor.put(`${FILES}/${file.id}/edit`, {
      rotation: 90,
      crop: { x: 0, y: 0, width: 200, height: 200 },
      focalPoint: { x: 0.5, y: 0.5 },
    });
    const replaced = await editor.agent
      .post(`${FILES}/${file.id}/replace`)
      .set('X-CSRF-Token', editor.csrf)
      .attach('files', await twoColours(300, 100, '#000000', '#ffffff', 'png'), 'new.png');
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toMatchObject({ ...UNEDITED, width: 300, height: 100 });
  });

  describe('cached public reads', () => {
    it('a populated read answered before the edit shows the new thumbnail after it', async () => {
      const file = await upload(editor, await greenRight(), 'cached.png');
      const created = await editor.post('/admin-api/content/article', { title: 'Cached cover', cover: file.id });
      const { documentId } = created.body.data as { documentId: string };
      await editor.post(`/admin-api/content/article/${documentId}/actions/publish`);
      const read = () => reader().get(`/api/articles/${documentId}?populate=cover`);
      expect((await read()).body.data.cover.formats.thumbnail.url).toBe(file.formats.thumbnail.url);
      const edited = await editor.put(`${FILES}/${file.id}/edit`, { ...UNEDITED, focalPoint: { x: 1, y: 1 } });
      expect((await read()).body.data.cover.formats.thumbnail.url).toBe(edited.body.data.formats.thumbnail.url);
    });
  });

  describe('on-the-fly transforms', () => {
    it('are of the edited picture: a cover crop centred on the focal point', async () => {
      const file = await upload(editor, await greenRight(), 'transform.png');
      await editor.put(`${FILES}/${file.id}/edit`, { ...UNEDITED, focalPoint: { x: 0.95, y: 0.5 } });
      const res = await t().http().get(`${file.url}?w=256&h=256&fit=cover&format=png`).buffer(true);
      expect(res.status).toBe(200);
      expect(await greenShare(res.body as Buffer)).toBeGreaterThan(0.95);
    });
  });
});
