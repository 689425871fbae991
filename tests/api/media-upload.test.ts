import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import type { Folio } from '../../server/folio.js';
import type { LocalStorage } from '../../server/media/storage.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { animatedGif, noisyPng, pixelBombPng, sidewaysJpeg, twoColours } from '../helpers/media.js';
import { editorHttp, tokenHttp, type Http } from '../helpers/callers.js';
import { signedIn } from '../helpers/admin.js';

function storedKeys(t: { folio: Folio }): Promise<string[]> {
  return (t.folio.media.storage as LocalStorage).list();
}

async function fetchBytes(http: Http, url: string) {
  const res = await http().get(url).responseType('blob');
  return res as typeof res & { body: Buffer };
}

describeEachDatabase('POST /api/upload: images through sharp', (t) => {
  let http: Http;
  beforeAll(async () => {
    http = await editorHttp(t());
  });

  it('turns a JPEG with EXIF orientation 6 upright and strips its metadata (no GPS)', async () => {
    const res = await http()
      .post('/api/upload')
      .attach('files', await sidewaysJpeg(), 'holiday.jpg');
    expect(res.status).toBe(201);
    const [file] = res.body;
    expect(file).toMatchObject({
      name: 'holiday.jpg',
      mime: 'image/jpeg',
      ext: '.jpg',
      width: 200,
      height: 400,
      provider: 'local',
    });
    expect(file.url).toMatch(/^\/uploads\/holiday_[0-9a-f]{10}\.jpg$/);
    const stored = await fetchBytes(http, file.url);
    expect(stored.status).toBe(200);
    const meta = await sharp(stored.body).metadata();
    expect([meta.width, meta.height]).toEqual([200, 400]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // Orientation 6 means "rotate 90° clockwise": the red left half is now on top.
    const { data } = await sharp(stored.body).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3));
    expect(pixel(100, 20)[0]).toBeGreaterThan(200);
    expect(pixel(100, 20)[2]).toBeLessThan(60);
    expect(pixel(100, 380)[2]).toBeGreaterThan(200);
    expect(pixel(100, 380)[0]).toBeLessThan(60);
    expect(file.formats.thumbnail).toMatchObject({ width: 78, height: 156, mime: 'image/jpeg' });
    const thumb = await fetchBytes(http, file.formats.thumbnail.url);
    expect((await sharp(thumb.body).metadata()).exif).toBeUndefined();
  });

  it('records size, hash, placeholder and only the formats smaller than the original', async () => {
    const res = await http()
      .post('/api/upload')
      .attach('files', await twoColours(1200, 900, '#336699', '#ffcc00'), 'Wide Shot.JPG');
    expect(res.status).toBe(201);
    const [file] = res.body;
    expect(file).toMatchObject({ width: 1200, height: 900, name: 'Wide Shot.JPG' });
    expect(file.hash).toMatch(/^wide_shot_[0-9a-f]{10}$/);
    expect(Object.keys(file.formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    expect(file.formats.large).toMatchObject({ width: 1000, height: 750 });
    expect(file.formats.medium).toMatchObject({ width: 750, height: 563 });
    expect(file.formats.small).toMatchObject({ width: 500, height: 375 });
    expect(file.formats.thumbnail).toMatchObject({ width: 208, height: 156 });
    expect(typeof file.placeholder).toBe('string');
    expect(Buffer.from(file.placeholder, 'base64').length).toBeGreaterThan(5);
    const onDisk = statSync(path.join(t().folio.config.uploadsDir, `${file.hash}.jpg`)).size;
    expect(file.size).toBeCloseTo(onDisk / 1024, 2);

    const small = await http()
      .post('/api/upload')
      .attach('files', await twoColours(600, 300, '#000000', '#ffffff'), 'small.jpg');
    expect(Object.keys(small.body[0].formats).sort()).toEqual(['small', 'thumbnail']);
  });

  it('keeps the alpha channel of a PNG in the original and its formats', async () => {
    const png = await sharp({
      create: { width: 600, height: 400, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.4 } },
    })
      .png()
      .toBuffer();
    const res = await http().post('/api/upload').attach('files', png, 'overlay.png');
    expect(res.status).toBe(201);
    const [file] = res.body;
    expect(file).toMatchObject({ mime: 'image/png', ext: '.png', width: 600, height: 400 });
    for (const url of [file.url, file.formats.small.url, file.formats.thumbnail.url]) {
      const body = (await fetchBytes(http, url)).body;
      const meta = await sharp(body).metadata();
      expect(meta.format).toBe('png');
      expect(meta.hasAlpha).toBe(true);
      const { data } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
      expect(data[3]).toBeGreaterThan(90);
      expect(data[3]).toBeLessThan(115);
    }
  });

  it('keeps an animated GIF animated, in the original and its formats', async () => {
    const gif = await animatedGif(3, 600);
    const res = await http().post('/api/upload').attach('files', gif, 'spinner.gif');
    expect(res.status).toBe(201);
    const [file] = res.body;
    expect(file).toMatchObject({ mime: 'image/gif', width: 600, height: 600 });
    const original = (await fetchBytes(http, file.url)).body;
    expect(original.equals(gif)).toBe(true);
    const small = (await fetchBytes(http, file.formats.small.url)).body;
    const meta = await sharp(small, { animated: true }).metadata();
    expect(meta.pages).toBe(3);
    expect(meta.width).toBe(500);
    expect(file.formats.small).toMatchObject({ width: 500, height: 500 });
  });

  it('uploads several files at once with their fileInfo', async () => {
    const a = await twoColours(300, 200, '#111111', '#eeeeee');
    const b = await twoColours(200, 300, '#222222', '#dddddd', 'png');
    const res = await http()
      .post('/api/upload')
      .field(
        'fileInfo',
        JSON.stringify([
          { alternativeText: 'first', caption: 'one' },
          { name: 'renamed.png', alternativeText: 'second' },
        ]),
      )
      .attach('files', a, 'a.jpg')
      .attach('files', b, 'b.png');
    expect(res.status).toBe(201);
    expect(
      res.body.map((f: { name: string; alternativeText: string; caption: string | null }) => [
        f.name,
        f.alternativeText,
        f.caption,
      ]),
    ).toEqual([
      ['a.jpg', 'first', 'one'],
      ['renamed.png', 'second', null],
    ]);
  });
});

describeEachDatabase('POST /api/upload: refused files leave nothing behind', (t) => {
  let http: Http;
  beforeAll(async () => {
    http = await editorHttp(t());
  });

  async function expectNothingStored() {
    expect(await storedKeys(t())).toEqual([]);
    expect(
      await t()
        .db('folio_files')
        .count({ n: '*' })
        .then((r) => Number(r[0].n)),
    ).toBe(0);
  }

  it('refuses a pixel bomb with 400', async () => {
    const res = await http().post('/api/upload').attach('files', pixelBombPng(), 'bomb.png');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/more than 100000000 pixels/),
    });
    await expectNothingStored();
  });

  it('refuses a text file named .jpg: the type comes from the bytes', async () => {
    const res = await http().post('/api/upload').attach('files', Buffer.from('just some text, not a picture\n'), {
      filename: 'photo.jpg',
      contentType: 'image/jpeg',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.message).toMatch(/photo\.jpg.*not a file type Folio accepts/);
    expect(res.body.error.details.errors[0].path).toEqual(['files', 0]);
    await expectNothingStored();
  });

  it('refuses a whole batch when one file is bad', async () => {
    const res = await http()
      .post('/api/upload')
      .attach('files', await twoColours(300, 200, '#111111', '#eeeeee'), 'good.jpg')
      .attach('files', Buffer.from('MZ\x90\x00 not really'), 'evil.exe');
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['files', 1]);
    await expectNothingStored();
  });

  it('answers a request without files with 400', async () => {
    const res = await http().post('/api/upload').field('fileInfo', '{}');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/No file was uploaded/);
  });

  it('answers a non-multipart body with 400', async () => {
    const res = await http().post('/api/upload').send({ files: 'x' });
    expect(res.status).toBe(400);
  });

  it('answers bad fileInfo JSON with 400', async () => {
    const res = await http()
      .post('/api/upload')
      .field('fileInfo', '{nope')
      .attach('files', await twoColours(300, 200, '#111111', '#eeeeee'), 'a.jpg');
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['fileInfo']);
    await expectNothingStored();
  });

  it('answers ref/refId/field naming no media field with 400', async () => {
    const res = await http()
      .post('/api/upload')
      .field('ref', 'article')
      .field('refId', '1')
      .field('field', 'cover')
      .attach('files', await twoColours(300, 200, '#111111', '#eeeeee'), 'a.jpg');
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['ref']);
    await expectNothingStored();
  });

  it('stores a path-traversal file name under its last segment, inside the uploads folder', async () => {
    const png = await twoColours(300, 200, '#123456', '#654321', 'png');
    const res = await http().post('/api/upload').attach('files', png, '../../../../etc/cron.d/evil.png');
    expect(res.status).toBe(201);
    const [file] = res.body;
    expect(file.name).toBe('evil.png');
    expect(file.url).toMatch(/^\/uploads\/evil_[0-9a-f]{10}\.png$/);
    const dir = t().folio.config.uploadsDir;
    for (const key of await storedKeys(t())) expect(path.resolve(dir, key).startsWith(dir + path.sep)).toBe(true);
    expect(existsSync('/etc/cron.d/evil.png')).toBe(false);
    const windows = await http().post('/api/upload').attach('files', png, '..\\..\\windows\\evil2.png');
    expect(windows.body[0].name).toBe('evil2.png');
    await http().delete(`/api/upload/files/${file.id}`);
    await http().delete(`/api/upload/files/${windows.body[0].id}`);
  });
});

describeEachDatabase(
  'POST /api/upload over the size limit',
  (t) => {
    it('answers 413 PayloadTooLargeError and keeps nothing on disk', async () => {
      const http = await editorHttp(t());
      const big = await noisyPng(200, 200); // ~120 KB
      const res = await http().post('/api/upload').attach('files', big, 'big.png');
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
      expect(await storedKeys(t())).toEqual([]);
      expect(readdirSync(t().folio.config.uploadsDir)).toEqual([]);
      expect(
        await t()
          .db('folio_files')
          .count({ n: '*' })
          .then((r) => Number(r[0].n)),
      ).toBe(0);
    });

    it('still accepts a file under the limit', async () => {
      const http = await editorHttp(t());
      const res = await http()
        .post('/api/upload')
        .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'ok.jpg');
      expect(res.status).toBe(201);
    });
  },
  { UPLOAD_MAX_BYTES: '50000' },
);

describe('who may upload', () => {
  describeEachDatabase('upload permissions', (t) => {
    it('answers 403 to a request without a caller', async () => {
      const res = await t().http().get('/api/upload/files');
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('ForbiddenError');
    });

    it('answers 403 to an upload by a caller allowed to read only, storing nothing', async () => {
      const res = await (
        await tokenHttp(t(), 'read-only')
      )()
        .post('/api/upload')
        .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'x.jpg');
      expect(res.status).toBe(403);
      expect(await storedKeys(t())).toEqual([]);
    });

    it('lets a reader list and read files but not delete them', async () => {
      const up = await (
        await editorHttp(t())
      )()
        .post('/api/upload')
        .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'x.jpg');
      const reader = await tokenHttp(t(), 'read-only');
      expect((await reader().get('/api/upload/files')).body.map((f: { id: number }) => f.id)).toEqual([up.body[0].id]);
      expect((await reader().get(`/api/upload/files/${up.body[0].id}`)).body).toMatchObject({
        id: up.body[0].id,
        name: 'x.jpg',
      });
      expect((await reader().delete(`/api/upload/files/${up.body[0].id}`)).status).toBe(403);
      // An API token is no key to the Admin API.
      expect((await reader().get('/admin-api/upload/files')).status).toBe(401);
    });

    it('lets an admin whose role may only read media browse the library but not change it', async () => {
      const role = await t().folio.access.createRole({ name: `Media viewer ${Date.now()}` });
      await t().folio.access.setPermissions(role.id, [{ action: 'read', subject: 'upload' }]);
      const viewer = await signedIn(t(), [role.id]);
      expect((await viewer.get('/admin-api/upload/files')).status).toBe(200);
      expect((await viewer.post('/admin-api/upload/folders', { name: 'x' })).status).toBe(403);
    });
  });
});
