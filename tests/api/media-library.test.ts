import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { signedTransformPath } from '../../server/media/index.js';
import type { LocalStorage } from '../../server/media/storage.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { animatedGif, tinyMp4, twoColours } from '../helpers/media.js';
import { editorHttp, type Http } from '../helpers/callers.js';
import { TEST_SECRET } from '../helpers/env.js';

function keys(t: TestFolio): Promise<string[]> {
  return (t.folio.media.storage as LocalStorage).list();
}

async function upload(http: Http, image: Buffer, name: string) {
  const res = await http().post('/api/upload').attach('files', image, name);
  expect(res.status).toBe(201);
  return res.body[0];
}

describeEachDatabase('GET /uploads: serving stored files', (t) => {
  let http: Http;
  beforeAll(async () => {
    http = await editorHttp(t());
  });

  it('serves a file with its type, a strong ETag and an immutable Cache-Control; If-None-Match gives 304', async () => {
    const file = await upload(http, await twoColours(300, 200, '#000000', '#ffffff'), 'serve.jpg');
    const res = await http().get(file.url).responseType('blob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect((res.body as Buffer).length).toBe(
      statSync(path.join(t().folio.config.uploadsDir, file.url.slice('/uploads/'.length))).size,
    );
    const again = await http().get(file.url).set('If-None-Match', res.headers.etag);
    expect(again.status).toBe(304);
  });

  it('answers Range requests with 206 and the asked bytes (audio/video seeking)', async () => {
    const mp4 = tinyMp4(10000);
    const file = await upload(http, mp4, 'clip.mp4');
    expect(file).toMatchObject({ mime: 'video/mp4', ext: '.mp4', width: null, formats: null });
    const res = await http().get(file.url).set('Range', 'bytes=100-199').responseType('blob');
    expect(res.status).toBe(206);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-range']).toBe(`bytes 100-199/${mp4.length}`);
    expect((res.body as Buffer).equals(mp4.subarray(100, 200))).toBe(true);
    const tail = await http().get(file.url).set('Range', 'bytes=-10').responseType('blob');
    expect(tail.status).toBe(206);
    expect((tail.body as Buffer).equals(mp4.subarray(mp4.length - 10))).toBe(true);
    const beyond = await http()
      .get(file.url)
      .set('Range', `bytes=${mp4.length + 5}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${mp4.length}`);
  });

  it('serves an SVG holding a script as a sandboxed attachment, never as active content', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" ' +
        'height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>',
    );
    const file = await upload(http, svg, 'logo.svg');
    expect(file).toMatchObject({ mime: 'image/svg+xml', ext: '.svg', formats: null });
    const res = await http().get(file.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['content-disposition']).toMatch(/^attachment/);
    expect(res.headers['content-security-policy']).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404 for unknown keys and for paths that try to leave the uploads folder', async () => {
    for (const url of [
      '/uploads/nope.jpg',
      '/uploads/../package.json',
      '/uploads/..%2f..%2fpackage.json',
      '/uploads/%2e%2e/package.json',
      '/uploads/a/../../x',
    ]) {
      const res = await http().get(url);
      expect(res.status).toBe(404);
    }
  });
});

describeEachDatabase('GET /uploads/<image>?w=&format=: on-the-fly transforms', (t) => {
  let http: Http;
  let file: { url: string; hash: string; id: number };
  beforeAll(async () => {
    http = await editorHttp(t());
    file = await upload(http, await twoColours(1200, 800, '#ff0000', '#00ff00'), 'hero.jpg');
  });

  it('generates a transform once, stores it, then serves it from storage', async () => {
    const url = `${file.url}?w=256&format=webp&q=75`;
    const first = await http().get(url).responseType('blob');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/webp');
    expect(first.headers['x-folio-transform']).toBe('generated');
    const meta = await sharp(first.body as Buffer).metadata();
    expect([meta.format, meta.width]).toEqual(['webp', 256]);
    const storedPath = path.join(t().folio.config.uploadsDir, '_transforms', file.hash, 'w256-h0-cover-q75.webp');
    const storedBytes = readFileSync(storedPath);
    expect(storedBytes.equals(first.body as Buffer)).toBe(true);
    const mtime = statSync(storedPath).mtimeMs;

    const second = await http().get(url).responseType('blob');
    expect(second.status).toBe(200);
    expect(second.headers['x-folio-transform']).toBe('stored');
    expect((second.body as Buffer).equals(storedBytes)).toBe(true);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(statSync(storedPath).mtimeMs).toBe(mtime);
  });

  it('crops to w×h with fit=cover and converts to the asked format', async () => {
    const res = await http().get(`${file.url}?w=128&h=128&fit=cover&format=png`).responseType('blob');
    expect(res.status).toBe(200);
    const meta = await sharp(res.body as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 128, 128]);
  });

  it('refuses parameters outside the allowlist with 400 ValidationError', async () => {
    for (const query of [
      'w=300',
      'h=99999',
      'format=gif',
      'q=0',
      'q=37',
      'q=101',
      'fit=stretch',
      'w=abc',
      'x=1',
      'w=256&w=320',
    ]) {
      const res = await http().get(`${file.url}?${query}`);
      expect([query, res.status, res.body.error?.name]).toEqual([query, 400, 'ValidationError']);
    }
    expect(await keys(t()).then((k) => k.filter((key) => key.includes('w300')))).toEqual([]);
  });

  it('lets a URL signed with the secret lift the allowlist, and refuses a tampered one', async () => {
    const key = file.url.slice('/uploads/'.length);
    const signed = signedTransformPath(TEST_SECRET, key, { w: 300, format: 'jpeg' });
    const res = await http().get(signed).responseType('blob');
    expect(res.status).toBe(200);
    expect((await sharp(res.body as Buffer).metadata()).width).toBe(300);
    const tampered = await http().get(signed.replace('w=300', 'w=301'));
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.details).toMatchObject({ param: 'sig' });
  });

  it('keeps an animated GIF animated when transformed to WebP, and flattens alpha on white for JPEG', async () => {
    const gif = await upload(http, await animatedGif(3, 300), 'anim.gif');
    const webp = await http().get(`${gif.url}?w=128&format=webp`).responseType('blob');
    expect(webp.status).toBe(200);
    const meta = await sharp(webp.body as Buffer, { animated: true }).metadata();
    expect([meta.format, meta.pages, meta.width]).toEqual(['webp', 3, 128]);

    const clear = await sharp({
      create: { width: 300, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const png = await upload(http, clear, 'clear.png');
    const jpeg = await http().get(`${png.url}?w=64&format=jpeg`).responseType('blob');
    const { data } = await sharp(jpeg.body as Buffer)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await http().head(file.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
  });

  it('refuses transforms of files that are not raster images', async () => {
    const svg = await upload(
      http,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'),
      'a.svg',
    );
    const res = await http().get(`${svg.url}?w=256`);
    expect(res.status).toBe(400);
  });
});

describeEachDatabase('replace, delete and links', (t) => {
  let http: Http;
  const article = { entityTable: 'articles', entityId: 7, field: 'cover' };
  beforeAll(async () => {
    http = await editorHttp(t());
  });

  it("replaces a file's content keeping its id, metadata and links, and removes the old variants", async () => {
    const media = t().folio.media;
    const res = await http()
      .post('/admin-api/upload/files')
      .field('fileInfo', JSON.stringify({ alternativeText: 'the cover', caption: 'old' }))
      .attach('files', await twoColours(800, 600, '#000000', '#ffffff'), 'cover.jpg');
    expect(res.status).toBe(201);
    const before = res.body.data[0];
    await media.setLinks(article, [before.id]);
    const oldKeys = await keys(t());
    expect(oldKeys).toEqual(
      expect.arrayContaining([`${before.hash}.jpg`, `small_${before.hash}.jpg`, `thumbnail_${before.hash}.jpg`]),
    );

    const replaced = await http()
      .post(`/admin-api/upload/files/${before.id}/replace`)
      .attach('files', await twoColours(1600, 1000, '#ff00ff', '#00ffff', 'png'), 'cover-v2.png');
    expect(replaced.status).toBe(200);
    const after = replaced.body.data;
    expect(after).toMatchObject({
      id: before.id,
      documentId: before.documentId,
      alternativeText: 'the cover',
      caption: 'old',
      mime: 'image/png',
      width: 1600,
      height: 1000,
    });
    expect(after.hash).not.toBe(before.hash);
    expect(Object.keys(after.formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    expect(await media.linksOf(article)).toEqual([before.id]);
    const now = await keys(t());
    for (const key of oldKeys) expect(now).not.toContain(key);
    expect(now).toContain(`${after.hash}.png`);
    expect((await http().get(before.url)).status).toBe(404);
    expect((await http().get(after.url)).status).toBe(200);
    await media.setLinks(article, []);
    await http().delete(`/admin-api/upload/files/${before.id}`);
  });

  it('refuses to delete a linked file (409) unless forced, then removes every variant and transform', async () => {
    const media = t().folio.media;
    const file = await upload(http, await twoColours(1200, 900, '#102030', '#405060'), 'used.jpg');
    await media.setLinks(article, [file.id]);
    expect((await http().get(`${file.url}?w=480&format=webp`)).status).toBe(200);
    expect((await keys(t())).length).toBe(6); // original, 4 formats, 1 transform

    const refused = await http().delete(`/api/upload/files/${file.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      name: 'ConflictError',
      details: { links: [{ entityTable: 'articles', entityId: 7, field: 'cover' }] },
    });
    expect((await keys(t())).length).toBe(6);
    expect((await http().delete(`/admin-api/upload/files/${file.id}`)).status).toBe(409);

    const forced = await http().delete(`/admin-api/upload/files/${file.id}?force=true`);
    expect(forced.status).toBe(200);
    expect(forced.body.data).toMatchObject({ id: file.id, name: 'used.jpg' });
    expect(await keys(t())).toEqual([]);
    expect(await media.linksOf(article)).toEqual([]);
    expect((await http().get(`/api/upload/files/${file.id}`)).status).toBe(404);
  });

  it('deletes an unlinked file through the Content API and answers the deleted file', async () => {
    const file = await upload(http, await twoColours(300, 200, '#102030', '#405060'), 'gone.jpg');
    const res = await http().delete(`/api/upload/files/${file.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: file.id, name: 'gone.jpg' });
    expect(await keys(t())).toEqual([]);
    expect((await http().delete(`/api/upload/files/${file.id}`)).status).toBe(404);
  });

  it('batches the files of many entries in one call, in link order', async () => {
    const media = t().folio.media;
    const a = await upload(http, await twoColours(100, 100, '#000000', '#ffffff'), 'a.jpg');
    const b = await upload(http, await twoColours(100, 100, '#000000', '#ffffff'), 'b.jpg');
    await media.setLinks({ entityTable: 'articles', entityId: 1, field: 'gallery' }, [b.id, a.id]);
    await media.setLinks({ entityTable: 'articles', entityId: 2, field: 'gallery' }, [a.id]);
    const map = await media.filesFor('articles', 'gallery', [1, 2, 3]);
    expect(map.get(1)?.map((f) => f.name)).toEqual(['b.jpg', 'a.jpg']);
    expect(map.get(2)?.map((f) => f.name)).toEqual(['a.jpg']);
    expect(map.get(3)).toBeUndefined();
    await expect(
      media.setLinks({ entityTable: 'articles', entityId: 1, field: 'gallery' }, [999999]),
    ).rejects.toMatchObject({ status: 400 });
    await media.removeEntityLinks('articles', [1, 2]);
    expect(await media.linkCount(a.id)).toBe(0);
  });
});

describeEachDatabase('admin API: metadata, lists and folders', (t) => {
  let http: Http;
  beforeAll(async () => {
    http = await editorHttp(t());
  });

  it('creates nested folders, moves them with their subtree, and refuses cycles and non-empty deletes', async () => {
    const photos = (await http().post('/admin-api/upload/folders').send({ name: 'Photos' })).body.data;
    expect(photos).toMatchObject({ name: 'Photos', parent: null, path: `/${photos.id}` });
    const y2026 = (await http().post('/admin-api/upload/folders').send({ name: '2026', parent: photos.id })).body.data;
    expect(y2026.path).toBe(`/${photos.id}/${y2026.id}`);
    const archive = (await http().post('/admin-api/upload/folders').send({ name: 'Archive' })).body.data;
    expect((await http().post('/admin-api/upload/folders').send({ name: 'Photos' })).status).toBe(400);

    const moved = await http().put(`/admin-api/upload/folders/${photos.id}`).send({ parent: archive.id });
    expect(moved.body.data.path).toBe(`/${archive.id}/${photos.id}`);
    expect((await http().get(`/admin-api/upload/folders/${y2026.id}`)).body.data.path).toBe(
      `/${archive.id}/${photos.id}/${y2026.id}`,
    );
    const cycle = await http().put(`/admin-api/upload/folders/${archive.id}`).send({ parent: y2026.id });
    expect(cycle.status).toBe(400);

    const up = await http()
      .post('/admin-api/upload/files')
      .field('folder', String(y2026.id))
      .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'in-folder.jpg');
    expect(up.body.data[0]).toMatchObject({ folder: y2026.id, folderPath: `/${archive.id}/${photos.id}/${y2026.id}` });
    const notEmpty = await http().delete(`/admin-api/upload/folders/${y2026.id}`);
    expect(notEmpty.status).toBe(409);

    const roots = await http().get('/admin-api/upload/folders?filters[parent]=null');
    expect(roots.body.data.map((f: { name: string }) => f.name)).toEqual(['Archive']);
    expect(roots.body.meta.pagination).toMatchObject({ total: 1 });

    // Moving the file out empties the folder.
    const put = await http()
      .put(`/admin-api/upload/files/${up.body.data[0].id}`)
      .send({ folder: null, alternativeText: 'alt', caption: 'cap', name: 'renamed.jpg' });
    expect(put.body.data).toMatchObject({ folder: null, alternativeText: 'alt', caption: 'cap', name: 'renamed.jpg' });
    expect((await http().delete(`/admin-api/upload/folders/${y2026.id}`)).status).toBe(200);
    expect((await http().get(`/admin-api/upload/folders/${y2026.id}`)).status).toBe(404);
  });

  it('lists files with pagination, type and folder filters, search and sort', async () => {
    const folder = (await http().post('/admin-api/upload/folders').send({ name: 'Lists' })).body.data;
    await http()
      .post('/admin-api/upload/files')
      .field('folder', String(folder.id))
      .attach('files', await twoColours(100, 100, '#000000', '#ffffff'), 'zebra.jpg');
    await http()
      .post('/admin-api/upload/files')
      .field('folder', String(folder.id))
      .attach('files', tinyMp4(100), 'movie.mp4');
    await http()
      .post('/admin-api/upload/files')
      .field('folder', String(folder.id))
      .attach('files', await twoColours(100, 100, '#000000', '#ffffff', 'png'), 'apple 100%.png');

    const page = await http().get(`/admin-api/upload/files?filters[folder]=${folder.id}&pageSize=2&sort=name:asc`);
    expect(page.status).toBe(200);
    expect(page.body.data.map((f: { name: string }) => f.name)).toEqual(['apple 100%.png', 'movie.mp4']);
    expect(page.body.meta.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, total: 3 });
    const images = await http().get(
      `/admin-api/upload/files?filters[folder]=${folder.id}&filters[type]=images&sort=name:desc`,
    );
    expect(images.body.data.map((f: { name: string }) => f.name)).toEqual(['zebra.jpg', 'apple 100%.png']);
    const videos = await http().get(`/admin-api/upload/files?filters[folder]=${folder.id}&filters[type]=videos`);
    expect(videos.body.data.map((f: { name: string }) => f.name)).toEqual(['movie.mp4']);
    const search = await http().get(`/admin-api/upload/files?q=${encodeURIComponent('100%')}`);
    expect(search.body.data.map((f: { name: string }) => f.name)).toEqual(['apple 100%.png']);
    const searchUnderscore = await http().get('/admin-api/upload/files?q=_');
    expect(searchUnderscore.body.data).toEqual([]);

    const content = await http().get(
      '/api/upload/files?filters[mime][$startsWith]=image/&sort=name:asc&pagination[pageSize]=1',
    );
    expect(content.status).toBe(200);
    expect(content.body.map((f: { name: string }) => f.name)).toEqual(['apple 100%.png']);

    for (const bad of [
      '/admin-api/upload/files?filters[type]=pdf',
      '/admin-api/upload/files?sort=secret:asc',
      '/admin-api/upload/files?page=0',
      '/admin-api/upload/files?nope=1',
      '/api/upload/files?filters[hash][$eq]=x',
      '/api/upload/files?populate=*',
    ]) {
      const res = await http().get(bad);
      expect([bad, res.status]).toEqual([bad, 400]);
    }
  });

  it('refuses bad metadata with 400 naming the field, and unknown ids with 404', async () => {
    const file = await upload(http, await twoColours(100, 100, '#000000', '#ffffff'), 'meta.jpg');
    const bad = await http().put(`/admin-api/upload/files/${file.id}`).send({ caption: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['caption']);
    const unknown = await http().put(`/admin-api/upload/files/${file.id}`).send({ owner: 'me' });
    expect(unknown.status).toBe(400);
    expect((await http().put('/admin-api/upload/files/999999').send({ caption: 'x' })).status).toBe(404);
    expect((await http().get('/api/upload/files/abc')).status).toBe(400);
    const noFolder = await http().put(`/admin-api/upload/files/${file.id}`).send({ folder: 999999 });
    expect(noFolder.status).toBe(400);
    expect(noFolder.body.error.details.errors[0].path).toEqual(['folder']);
    expect((await http().post('/admin-api/upload/folders').send({ name: 'orphan', parent: 999999 })).status).toBe(400);
    expect((await http().get('/admin-api/upload/folders/999999')).status).toBe(404);
  });
});

describeEachDatabase(
  'media settings from the environment',
  (t) => {
    it('uses MEDIA_TRANSFORM_SIZES and MEDIA_TRANSFORM_FORMATS as the transform allowlist', async () => {
      const http = await editorHttp(t());
      const file = await upload(http, await twoColours(600, 400, '#000000', '#ffffff'), 'conf.jpg');
      expect((await http().get(`${file.url}?w=300&format=png`)).status).toBe(200);
      expect((await http().get(`${file.url}?w=256&format=png`)).status).toBe(400);
      expect((await http().get(`${file.url}?w=300&format=webp`)).status).toBe(400);
    });

    it('refuses images above MEDIA_MAX_PIXELS', async () => {
      const http = await editorHttp(t());
      const res = await http()
        .post('/api/upload')
        .attach('files', await twoColours(1100, 1000, '#000000', '#ffffff'), 'big.jpg');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/more than 1000000 pixels/);
    });
  },
  { MEDIA_TRANSFORM_SIZES: '300,600', MEDIA_TRANSFORM_FORMATS: 'png,jpeg', MEDIA_MAX_PIXELS: '1000000' },
);
