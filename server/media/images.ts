// Image processing with sharp: orientation from EXIF applied then every metadata block dropped,
// responsive formats, a thumbhash placeholder, and on-the-fly transforms. Decoding is bounded by
// a pixel limit (decompression bombs → 400) and by the media service's work queue.
import { stat } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { ValidationError } from '../errors.js';

// libvips' operation cache keeps decoded images around; an upload server gains nothing from it.
sharp.cache(false);

export const BREAKPOINTS: ReadonlyArray<readonly [name: 'large' | 'medium' | 'small', size: number]> = [
  ['large', 1000],
  ['medium', 750],
  ['small', 500],
];
export const THUMBNAIL = { width: 245, height: 156 } as const;

export interface ImageVariant {
  name: 'thumbnail' | 'small' | 'medium' | 'large';
  data: Buffer;
  width: number;
  height: number;
}

export interface ProcessedImage {
  /** The cleaned original (oriented, no metadata), or null when the original is kept byte for byte. */
  original: Buffer | null;
  width: number;
  height: number;
  variants: ImageVariant[];
  placeholder: string | null;
}

type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff';

const FORMAT_OF_MIME: Record<string, OutputFormat> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
  'image/tiff': 'tiff',
};

function encode(image: Sharp, format: OutputFormat, quality = 82, small = true): Sharp {
  switch (format) {
    case 'jpeg':
      // mozjpeg saves ~10% on small formats but costs seconds on a 12-megapixel original.
      return image.jpeg({ quality, mozjpeg: small });
    case 'png':
      return image.png({ compressionLevel: 8 });
    case 'webp':
      return image.webp({ quality });
    case 'avif':
      return image.avif({ quality: Math.min(quality, 70), effort: 2 });
    case 'gif':
      return image.gif();
    case 'tiff':
      return image.tiff({ quality });
  }
}

function pixelBombError(limit: number): ValidationError {
  return new ValidationError(`The image has more than ${limit} pixels`, {
    errors: [{ path: ['files'], message: `Images may have at most ${limit} pixels`, name: 'ValidationError' }],
  });
}

/** Reads the header only: dimensions and frame count, refusing pixel bombs before any decoding. */
async function inspect(input: string | Buffer, maxPixels: number) {
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ValidationError('The image could not be read (corrupt or unsupported)');
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > maxPixels) throw pixelBombError(maxPixels);
  return { width, height, pages: meta.pages ?? 1, orientation: meta.orientation };
}

async function placeholderOf(input: Sharp): Promise<string | null> {
  const { data, info } = await input
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

/**
 * Processes an uploaded raster image (a temp file). Formats are made one after another, each from
 * the previous (larger) one, so a 4000×3000 original is decoded once for the cleaned original and
 * once for `large`, never four times in parallel.
 */
export async function processImage(file: string, mime: string, maxPixels: number): Promise<ProcessedImage> {
  const format = FORMAT_OF_MIME[mime];
  if (!format) throw new ValidationError(`Cannot process ${mime} images`);
  const info = await inspect(file, maxPixels);
  const animated = info.pages > 1;
  const options = { limitInputPixels: maxPixels, animated, failOn: 'error' as const };

  try {
    let original: Buffer | null;
    let width: number;
    let height: number;
    if (animated) {
      // Animated images are kept byte for byte: nothing to orient, and re-encoding would only lose.
      original = null;
      width = info.width;
      height = info.height;
    } else {
      const out = await encode(sharp(file, options).rotate(), format, 90, false).toBuffer({ resolveWithObject: true });
      original = out.data;
      width = out.info.width;
      height = out.info.height;
    }
    const source = original ?? file;

    const variants: ImageVariant[] = [];
    let previous: Buffer | string = source;
    for (const [name, size] of BREAKPOINTS) {
      if (width <= size && height <= size) continue;
      const out = await encode(
        sharp(previous, options).resize(size, size, { fit: 'inside', withoutEnlargement: true }),
        format,
      ).toBuffer({ resolveWithObject: true });
      variants.push({ name, data: out.data, width: out.info.width, height: out.info.pageHeight ?? out.info.height });
      previous = out.data;
    }
    if (width > THUMBNAIL.width || height > THUMBNAIL.height) {
      const out = await encode(
        sharp(previous, options).resize(THUMBNAIL.width, THUMBNAIL.height, { fit: 'inside', withoutEnlargement: true }),
        format,
      ).toBuffer({ resolveWithObject: true });
      variants.push({
        name: 'thumbnail',
        data: out.data,
        width: out.info.width,
        height: out.info.pageHeight ?? out.info.height,
      });
      previous = out.data;
    }
    const placeholder = await placeholderOf(sharp(previous, { limitInputPixels: maxPixels }));
    return { original, width, height, variants: variants.reverse(), placeholder };
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const message = (err as Error).message ?? '';
    if (/pixel limit/i.test(message)) throw pixelBombError(maxPixels);
    throw new ValidationError('The image could not be processed (corrupt or unsupported)');
  }
}

export interface TransformSpec {
  w?: number;
  h?: number;
  fit: 'cover' | 'contain' | 'fill' | 'inside' | 'outside';
  format: 'webp' | 'avif' | 'jpeg' | 'png';
  q: number;
}

/** A stored image's size, read from its header alone. */
export async function imageSize(input: Buffer, maxPixels: number): Promise<{ width: number; height: number }> {
  const { width, height } = await inspect(input, maxPixels);
  return { width, height };
}

/** An on-the-fly transform of a stored original (its bytes). */
export async function transformImage(input: Buffer, spec: TransformSpec, maxPixels: number): Promise<Buffer> {
  const info = await inspect(input, maxPixels);
  let image = sharp(input, {
    limitInputPixels: maxPixels,
    animated: info.pages > 1 && spec.format === 'webp',
  }).rotate();
  if (spec.w || spec.h)
    image = image.resize(spec.w ?? null, spec.h ?? null, { fit: spec.fit, withoutEnlargement: true });
  // JPEG has no alpha: transparent areas become white, not black.
  if (spec.format === 'jpeg') image = image.flatten({ background: '#ffffff' });
  return encode(image, spec.format, spec.q).toBuffer();
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
