// What a new image variant may cost an unsigned URL (issue 17, item 6): qualities from an allowlist,
// no enlargement, a cap of stored variants per file, a bounded generation queue and a per-IP rate.
// Signed URLs keep their freedom. Stored variants are always served.
import { beforeAll, beforeEach, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { signedTransformPath } from '../../server/media/index.js';
import type { LocalStorage } from '../../server/media/storage.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';
import { editorHttp, type Http } from '../helpers/callers.js';
import { TEST_SECRET } from '../helpers/env.js';

const MAX_VARIANTS = 3;
const RATE = 4;

async function upload(http: Http, name: string): Promise<{ url: string; hash: string }> {
  const res = await http()
    .post('/api/upload')
    .attach('files', await twoColours(600, 400, '#ff0000', '#0000ff'), name);
  expect(res.status).toBe(201);
  return res.body[0];
}

async function variants(t: TestFolio, hash: string): Promise<string[]> {
  return (await (t.folio.media.storage as LocalStorage).list()).filter((k) => k.startsWith(`_transforms/${hash}/`));
}

describeEachDatabase(
  'GET /uploads/<image>?…: what unsigned transforms may cost',
  (t) => {
    let http: Http;
    beforeAll(async () => {
      http = await editorHttp(t());
    });
    beforeEach(async () => {
      // Every test starts with the IP's full allowance (the test client always has one address).
      await t().db('folio_rate_limits').where('key', 'like', 'rate:%').delete();
    });

    it('refuses a quality outside MEDIA_TRANSFORM_QUALITIES with 400 and stores nothing', async () => {
      const file = await upload(http, 'quality.jpg');
      const res = await http().get(`${file.url}?w=256&format=webp&q=37`);
      expect([res.status, res.body.error?.name, res.body.error?.details?.param]).toEqual([400, 'ValidationError', 'q']);
      expect(await variants(t(), file.hash)).toEqual([]);
      expect((await http().get(`${file.url}?w=256&format=webp&q=75`)).status).toBe(200);
    });

    it('refuses to enlarge: a width or height beyond the original answers 400 and stores nothing', async () => {
      const file = await upload(http, 'small.jpg');
      for (const query of ['w=640', 'h=480', 'w=1024&h=256']) {
        const res = await http().get(`${file.url}?${query}&format=webp`);
        expect([query, res.status, res.body.error?.message]).toEqual([
          query,
          400,
          expect.stringMatching(/may not exceed the image's (width \(600\)|height \(400\))/),
        ]);
      }
      expect(await variants(t(), file.hash)).toEqual([]);
      const fits = await http().get(`${file.url}?w=320&h=320&format=png`).responseType('blob');
      expect(fits.status).toBe(200);
      expect((await sharp(fits.body as Buffer).metadata()).width).toBe(320);
    });

    it('stores no more than MEDIA_TRANSFORM_MAX_VARIANTS variants of a file, and still serves those', async () => {
      const file = await upload(http, 'capped.jpg');
      for (const w of [64, 128, 256]) expect((await http().get(`${file.url}?w=${w}&format=webp`)).status).toBe(200);
      const past = await http().get(`${file.url}?w=320&format=webp`);
      expect([past.status, past.body.error?.message]).toEqual([
        400,
        expect.stringMatching(/already has 3 stored variants/),
      ]);
      expect(await variants(t(), file.hash)).toHaveLength(MAX_VARIANTS);
      const stored = await http().get(`${file.url}?w=64&format=webp`);
      expect([stored.status, stored.headers['x-folio-transform']]).toEqual([200, 'stored']);
    });

    it('answers 503 with Retry-After while the generation queue is full, and generates once it drains', async () => {
      const file = await upload(http, 'queued.jpg');
      const media = t().folio.media;
      // Hold the only image slot, so that the first generation waits in the queue.
      let release!: () => void;
      const holder = media.queue.run(() => new Promise<void>((resolve) => (release = resolve)));
      const waiting = http()
        .get(`${file.url}?w=64&format=webp`)
        .then((r) => r.status);
      for (let i = 0; i < 200 && media.queue.pending === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(media.queue.pending).toBe(1);
      let timer: NodeJS.Timeout | undefined;
      const full = await Promise.race([
        http().get(`${file.url}?w=128&format=webp`),
        new Promise<'held'>((r) => (timer = setTimeout(() => r('held'), 3000))),
      ]);
      clearTimeout(timer);
      release();
      await holder;
      expect(full).not.toBe('held');
      if (full === 'held') return;
      expect([full.status, full.body.error?.name]).toEqual([503, 'ServiceUnavailableError']);
      expect(Number(full.headers['retry-after'])).toBeGreaterThan(0);
      expect(await waiting).toBe(200);
      expect((await http().get(`${file.url}?w=128&format=webp`)).status).toBe(200);
    });

    it('limits the generations one IP may ask for with 429 and Retry-After, never the stored variants', async () => {
      const first = await upload(http, 'rate-1.jpg');
      const second = await upload(http, 'rate-2.jpg');
      for (const w of [64, 128, 256]) expect((await http().get(`${first.url}?w=${w}&format=png`)).status).toBe(200);
      expect((await http().get(`${second.url}?w=64&format=png`)).status).toBe(200);
      const limited = await http().get(`${second.url}?w=128&format=png`);
      expect([limited.status, limited.body.error?.name]).toEqual([429, 'RateLimitError']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(await variants(t(), second.hash)).toHaveLength(1);
      const stored = await http().get(`${first.url}?w=64&format=png`);
      expect([stored.status, stored.headers['x-folio-transform']]).toEqual([200, 'stored']);
    });

    it("lets a signed URL ask for any quality, past the variant cap and the IP's allowance", async () => {
      const file = await upload(http, 'signed.jpg');
      for (const w of [64, 128, 256]) expect((await http().get(`${file.url}?w=${w}&format=jpeg`)).status).toBe(200);
      const other = await upload(http, 'signed-other.jpg');
      expect((await http().get(`${other.url}?w=64&format=jpeg`)).status).toBe(200);
      expect((await http().get(`${other.url}?w=128&format=jpeg`)).status).toBe(429);
      const key = file.url.slice('/uploads/'.length);
      const signed = await http()
        .get(signedTransformPath(TEST_SECRET, key, { w: 333, q: 37, format: 'webp' }))
        .responseType('blob');
      expect(signed.status).toBe(200);
      expect((await sharp(signed.body as Buffer).metadata()).width).toBe(333);
      const wide = await http()
        .get(signedTransformPath(TEST_SECRET, key, { w: 1000, format: 'png' }))
        .responseType('blob');
      expect(wide.status).toBe(200);
      expect((await sharp(wide.body as Buffer).metadata()).width).toBe(600); // never enlarged, even signed
      expect(await variants(t(), file.hash)).toHaveLength(MAX_VARIANTS + 2);
    });
  },
  {
    MEDIA_TRANSFORM_MAX_VARIANTS: String(MAX_VARIANTS),
    MEDIA_TRANSFORM_RATE: String(RATE),
    MEDIA_TRANSFORM_QUEUE: '1',
    MEDIA_IMAGE_CONCURRENCY: '1',
  },
);
