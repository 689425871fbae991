import { describe, expect, it } from '@jest/globals';
import { parseRange } from '../../server/media/serve.js';
import { isSafeKey, resolveUploadsDir } from '../../server/media/storage.js';
import { WorkQueue } from '../../server/media/queue.js';
import {
  assertNoEnlargement,
  DEFAULT_TRANSFORM_ALLOWLIST,
  parseTransform,
  signTransform,
  transformKey,
} from '../../server/media/transforms.js';
import { fieldAccepts, sanitizeFileName, slugOf } from '../../server/media/types.js';
import { ROOT } from '../helpers/process.js';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('file names', () => {
  it('keeps only the last path segment, with either separator', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('..\\..\\boot.ini')).toBe('boot.ini');
    expect(sanitizeFileName('/abs/path/photo.jpg')).toBe('photo.jpg');
  });

  it('drops control and bidi-override characters and leading dots', () => {
    expect(sanitizeFileName('inv\u202Egnp.exe')).toBe('invgnp.exe');
    expect(sanitizeFileName('a\u0000b\nc.png')).toBe('abc.png');
    expect(sanitizeFileName('.htaccess')).toBe('htaccess');
    expect(sanitizeFileName('..')).toBe('file');
  });

  it('makes ASCII slugs for storage hashes', () => {
    expect(slugOf('My Photo (1).JPG')).toBe('my_photo_1');
    expect(slugOf('Été à Paris.png')).toBe('ete_a_paris');
    expect(slugOf('日本.png')).toBe('file');
  });
});

describe('storage keys', () => {
  it("accepts Folio's own keys", () => {
    for (const key of [
      'photo_ab12cd34ef.jpg',
      'small_photo_ab12cd34ef.jpg',
      '_transforms/photo_ab12cd34ef/w256-h0-cover-q80.webp',
    ])
      expect(isSafeKey(key)).toBe(true);
  });

  it('refuses anything that could leave the storage root', () => {
    for (const key of [
      '',
      '..',
      '../x',
      'a/../b',
      '/etc/passwd',
      'a\\b',
      'a//b',
      '.hidden',
      'a/b/c/d',
      '%2e%2e/x',
      'a b.jpg',
    ])
      expect(isSafeKey(key)).toBe(false);
  });

  it('refuses an uploads folder inside server/ or admin/', () => {
    expect(() => resolveUploadsDir('server/uploads', ROOT)).toThrow(/must not be inside server/);
    expect(() => resolveUploadsDir('./admin', ROOT)).toThrow(/must not be inside admin/);
    expect(resolveUploadsDir('./uploads', ROOT)).toBe(`${ROOT}/uploads`);
  });
});

describe('HTTP ranges', () => {
  it('reads one range, open-ended and suffix ranges', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
  });

  it('marks impossible ranges unsatisfiable and ignores malformed ones', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
    expect(parseRange(undefined, 100)).toBeNull();
  });
});

describe('transform parameters', () => {
  const key = 'hero_0123456789.jpg';
  const secret = 's'.repeat(40);
  const parse = (q: Record<string, string>) => parseTransform(q, key, DEFAULT_TRANSFORM_ALLOWLIST, secret);

  it('asks for nothing without parameters, and defaults the rest', () => {
    expect(parse({})).toBeNull();
    expect(parse({ w: '480' })).toEqual({ w: 480, h: undefined, q: 80, fit: 'cover', format: 'jpeg' });
  });

  it('holds sizes, formats and quality to the allowlist', () => {
    expect(() => parse({ w: '500' })).toThrow(/"w" must be one of/);
    expect(() => parse({ w: '480', format: 'gif' })).toThrow(/"format"/);
    expect(() => parse({ q: '0' })).toThrow(/"q"/);
    expect(() => parse({ w: '-1' })).toThrow(/"w"/);
  });

  it('takes q only from the qualities allowlist, or the default that leaving it out gives', () => {
    expect(() => parse({ w: '480', q: '37' })).toThrow(/"q" must be one of 50 75 90/);
    expect(parse({ w: '480', q: '75' })?.q).toBe(75);
    expect(parse({ w: '480', q: '80' })).toEqual(parse({ w: '480' }));
  });

  it('refuses a width or height beyond the original, and allows up to it', () => {
    const original = { width: 600, height: 400 };
    expect(() => assertNoEnlargement({ w: 640, q: 80, fit: 'cover', format: 'webp' }, original)).toThrow(
      /"w" may not exceed the image's width \(600\)/,
    );
    expect(() => assertNoEnlargement({ h: 480, q: 80, fit: 'cover', format: 'webp' }, original)).toThrow(
      /"h" may not exceed/,
    );
    expect(() => assertNoEnlargement({ w: 600, h: 400, q: 80, fit: 'cover', format: 'webp' }, original)).not.toThrow();
  });

  it('lets an exact signature lift the size allowlist', () => {
    const spec = { w: 500, h: undefined, q: 80, fit: 'cover' as const, format: 'webp' as const };
    const sig = signTransform(secret, key, spec);
    expect(parse({ w: '500', format: 'webp', sig })).toEqual(spec);
    expect(() => parse({ w: '501', format: 'webp', sig })).toThrow(/Invalid signature/);
    expect(() =>
      parseTransform({ w: '500', format: 'webp', sig }, 'other_0123456789.jpg', DEFAULT_TRANSFORM_ALLOWLIST, secret),
    ).toThrow(/Invalid signature/);
  });

  it("stores each variant under the file's own transform folder", () => {
    expect(transformKey(key, { w: 480, q: 75, fit: 'cover', format: 'webp' })).toBe(
      '_transforms/hero_0123456789/w480-h0-cover-q75.webp',
    );
  });
});

describe('allowedTypes', () => {
  it("matches Strapi's categories", () => {
    expect(fieldAccepts(['images'], 'image/png')).toBe(true);
    expect(fieldAccepts(['images'], 'video/mp4')).toBe(false);
    expect(fieldAccepts(['videos', 'files'], 'application/pdf')).toBe(true);
    expect(fieldAccepts(undefined, 'audio/mpeg')).toBe(true);
  });
});

describe('the image work queue', () => {
  it('never runs more jobs at once than its limit, and runs them all', async () => {
    const queue = new WorkQueue(2);
    let running = 0;
    let peak = 0;
    const job = async (i: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => queue.run(() => job(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(2);
  });

  it('frees its slot when a job fails', async () => {
    const queue = new WorkQueue(1);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});

describe('media configuration', () => {
  it('defaults to the documented allowlist, 100 megapixels and 2 images at once', () => {
    expect(loadConfig({}).media).toEqual({
      transformSizes: undefined,
      transformFormats: undefined,
      transformQualities: undefined,
      transformMaxVariants: 50,
      transformQueue: 8,
      transformRatePerMinute: 60,
      maxInputPixels: 100_000_000,
      imageConcurrency: 2,
    });
  });

  it('reads the transform allowlist and limits', () => {
    expect(
      loadConfig({
        MEDIA_TRANSFORM_SIZES: '100, 200',
        MEDIA_TRANSFORM_FORMATS: 'webp',
        MEDIA_TRANSFORM_QUALITIES: '60, 85',
        MEDIA_TRANSFORM_MAX_VARIANTS: '10',
        MEDIA_TRANSFORM_QUEUE: '3',
        MEDIA_TRANSFORM_RATE: '20',
        MEDIA_MAX_PIXELS: '5000000',
        MEDIA_IMAGE_CONCURRENCY: '1',
      }).media,
    ).toEqual({
      transformSizes: [100, 200],
      transformFormats: ['webp'],
      transformQualities: [60, 85],
      transformMaxVariants: 10,
      transformQueue: 3,
      transformRatePerMinute: 20,
      maxInputPixels: 5_000_000,
      imageConcurrency: 1,
    });
  });

  it.each([
    ['MEDIA_TRANSFORM_SIZES', 'big'],
    ['MEDIA_TRANSFORM_SIZES', '0'],
    ['MEDIA_TRANSFORM_SIZES', '9000'],
    ['MEDIA_TRANSFORM_FORMATS', 'gif'],
    ['MEDIA_TRANSFORM_QUALITIES', '0'],
    ['MEDIA_TRANSFORM_QUALITIES', 'high'],
    ['MEDIA_TRANSFORM_MAX_VARIANTS', '0'],
    ['MEDIA_TRANSFORM_QUEUE', '0'],
    ['MEDIA_TRANSFORM_RATE', '0'],
    ['MEDIA_MAX_PIXELS', '-1'],
    ['MEDIA_IMAGE_CONCURRENCY', '0'],
  ])('refuses a bad %s=%s with one line naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });
});
