// GET /uploads/<key>: stored files and their transforms, from whichever provider holds them.
// Keys are content-addressed by a random hash (a replaced file gets a new one), so every response
// may be cached forever. Files are never active content here: a sandboxing CSP on every response,
// and anything that is not a plain image, video or audio (SVG above all) is sent as an attachment.
// Serving a stored variant costs nothing more than serving a file; making a new one is bounded:
// see TransformLimits.
import type { Context } from 'koa';
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../errors.js';
import type { RequestRateLimiter } from '../limits/request-rate.js';
import { imageSize, transformImage, UNEDITED, type TransformSpec } from './images.js';
import type { ImageEdit } from './shape.js';
import { transformPrefix, type MediaService } from './service.js';
import { isSafeKey, readObject, type ByteRange, type StorageProvider } from './storage.js';
import { mimeOfKey, RASTER_MIMES } from './types.js';
import { assertNoEnlargement, editTag, parseTransform, transformKey, type TransformAllowlist } from './transforms.js';

/**
 * What a new variant may cost. Unsigned URLs: at most `maxVariants` stored per file (past it, 400:
 * serving unstored variants would burn the CPU the cap is there to save), no enlargement (400), and
 * `perIp` generations per client. Signed URLs skip those (their signer chose them); every
 * generation, signed or not, waits in one bounded queue.
 */
export interface TransformLimits {
  maxVariants: number;
  /** Generations admitted at once, running or waiting for an image slot; past it, 503 + Retry-After. */
  maxGenerations: number;
  perIp: RequestRateLimiter;
}

/** A full queue drains in seconds: long enough not to be asked again at once. */
const BUSY_RETRY_AFTER_SECONDS = 5;

const INLINE = /^(image\/(jpeg|png|gif|webp|avif)|video\/|audio\/)/;

/** One `bytes=a-b` range (multi-range requests get the whole file, as RFC 9110 allows). */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export class MediaServer {
  /** Transforms being generated, so that concurrent first requests render once. */
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly media: MediaService,
    private readonly secret: string,
    private readonly allowlist: TransformAllowlist,
    private readonly limits: TransformLimits,
  ) {}

  private get storage(): StorageProvider {
    return this.media.storage;
  }

  private async ensureTransform(
    key: string,
    query: Record<string, string | string[] | undefined>,
    ip: string,
  ): Promise<{ key: string; generated: boolean }> {
    const spec = parseTransform(query, key, this.allowlist, this.secret);
    if (!spec) return { key, generated: false };
    if (!RASTER_MIMES.has(mimeOfKey(key)) || key.startsWith('_transforms/')) {
      throw ValidationError.query(
        'Transforms apply to stored JPEG, PNG, GIF, WebP, AVIF and TIFF images only',
        'w',
        'w',
      );
    }
    // A transform is of the picture the file's edit makes (rotation, crop, focal point).
    const edit = (await this.media.editOfKey(key)) ?? UNEDITED;
    const target = transformKey(key, spec, editTag(edit));
    if (await this.storage.exists(target)) return { key: target, generated: false };
    const signed = query.sig !== undefined; // parseTransform has verified it
    if (!signed) await this.limits.perIp.assert(ip);
    // A signed request never waits on an unsigned one for the same variant: that one may be refused.
    const slot = signed ? `${target}#signed` : target;
    let job = this.inflight.get(slot);
    if (!job) {
      // Checked and taken in one synchronous step: concurrent requests cannot both take the last place.
      if (this.inflight.size >= this.limits.maxGenerations) {
        throw new ServiceUnavailableError(
          'Too many images are being generated; try again shortly',
          {},
          BUSY_RETRY_AFTER_SECONDS,
        );
      }
      job = this.generate(key, target, spec, signed, edit).finally(() => this.inflight.delete(slot));
      this.inflight.set(slot, job);
    }
    await job;
    return { key: target, generated: true };
  }

  private async generate(
    key: string,
    target: string,
    spec: TransformSpec,
    signed: boolean,
    edit: ImageEdit,
  ): Promise<void> {
    const { maxVariants } = this.limits;
    // Concurrent generations may each pass this check: the cap can be passed by at most the queue's bound.
    if (
      !signed &&
      (await this.storage.countPrefix(transformPrefix(key.slice(0, key.lastIndexOf('.'))), maxVariants)) >= maxVariants
    ) {
      throw new ValidationError(
        `This image already has ${maxVariants} stored variants: ask for one of them, or use a signed URL`,
      );
    }
    if (!(await this.storage.exists(key))) throw new NotFoundError('No such file');
    const original = await readObject(this.storage, key);
    const maxPixels = this.media.options.maxInputPixels;
    if (!signed) assertNoEnlargement(spec, await imageSize(original, maxPixels));
    const out = await this.media.queue.run(() => transformImage(original, spec, maxPixels, edit));
    await this.storage.put(target, out, mimeOfKey(target), out.length);
  }

  async serve(ctx: Context, rawKey: string): Promise<void> {
    if (!isSafeKey(rawKey)) throw new NotFoundError('No such file');
    const { key, generated } = await this.ensureTransform(rawKey, ctx.query, ctx.ip);
    const object = await this.storage.stat(key);
    if (!object) throw new NotFoundError('No such file');
    const mime = mimeOfKey(key);

    ctx.set('Content-Type', mime);
    ctx.set('ETag', object.etag);
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('Accept-Ranges', 'bytes');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    );
    if (!INLINE.test(mime)) ctx.set('Content-Disposition', `attachment; filename="${key.split('/').pop()}"`);
    if (ctx.query.w !== undefined || ctx.query.h !== undefined || ctx.query.format !== undefined)
      ctx.set('X-Folio-Transform', generated ? 'generated' : 'stored');
    if (object.lastModified) ctx.set('Last-Modified', object.lastModified.toUTCString());

    const inm = ctx.get('If-None-Match');
    if (
      inm &&
      inm
        .split(',')
        .map((s) => s.trim())
        .includes(object.etag)
    ) {
      ctx.status = 304;
      return;
    }

    const ifRange = ctx.get('If-Range');
    const range = !ifRange || ifRange === object.etag ? parseRange(ctx.get('Range') || undefined, object.size) : null;
    if (range === 'unsatisfiable') {
      ctx.set('Content-Range', `bytes */${object.size}`);
      ctx.status = 416;
      ctx.body = '';
      return;
    }
    if (range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`);
      ctx.length = range.end - range.start + 1;
      if (ctx.method !== 'HEAD') ctx.body = await this.storage.getStream(key, range);
      return;
    }
    ctx.status = 200;
    ctx.length = object.size;
    if (ctx.method !== 'HEAD') ctx.body = await this.storage.getStream(key);
    // koa infers a type from a stream body; keep the one of the stored key.
    ctx.type = mime;
  }
}
