// Image processing with sharp: orientation from EXIF applied then every metadata block dropped,
// responsive formats, a thumbhash placeholder, and on-the-fly transforms. Decoding is bounded by
// a pixel limit (decompression bombs → 400) and by the media service's work queue.
import { stat } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { ValidationError } from '../errors.js';
import type { FocalPoint, ImageEdit } from './shape.js';

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

export const UNEDITED: ImageEdit = { rotation: 0, crop: null, focalPoint: null };

type SharpInputOptions = { limitInputPixels: number; animated: boolean; failOn: 'error' };
type Size = { width: number; height: number };

/**
 * The region of a `size` picture that a cover crop to `target` keeps, centred on `focal` as far as
 * the edges allow (sharp's own cover crop only knows gravities), and the size it is scaled to
 * (never enlarged).
 */
export function focusBox(size: Size, target: Size, focal: FocalPoint) {
  const scale = Math.min(1, Math.max(target.width / size.width, target.height / size.height));
  const width = Math.min(size.width, Math.round(target.width / scale));
  const height = Math.min(size.height, Math.round(target.height / scale));
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, Math.round(v)));
  return {
    left: clamp(focal.x * size.width - width / 2, size.width - width),
    top: clamp(focal.y * size.height - height / 2, size.height - height),
    width,
    height,
    out: { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) },
  };
}

/** The original turned and cut as edited (the original itself when it is not). */
function applyEdit(image: Sharp, edit: ImageEdit): Sharp {
  // Order matters to sharp: rotate first, so the crop is in the rotated picture's pixels.
  const turned = edit.rotation ? image.rotate(edit.rotation) : image;
  const c = edit.crop;
  return c ? turned.extract({ left: c.x, top: c.y, width: c.width, height: c.height }) : turned;
}

/** The picture the formats are made from: the source, or its edited copy and size. */
async function editedSource(
  source: Buffer | string,
  format: OutputFormat,
  options: SharpInputOptions,
  size: Size,
  edit: ImageEdit,
): Promise<{ input: Buffer | string; size: Size }> {
  if (!edit.rotation && !edit.crop) return { input: source, size };
  const out = await encode(applyEdit(sharp(source, options), edit), format, 90, false).toBuffer({
    resolveWithObject: true,
  });
  return { input: out.data, size: { width: out.info.width, height: out.info.height } };
}

/** The thumbnail of `input`: inside 245×156 as Strapi makes it, or a cover crop around the focal point. */
function thumbnailOf(input: Buffer | string, options: SharpInputOptions, size: Size, focal: FocalPoint | null): Sharp {
  if (!focal) {
    return sharp(input, options).resize(THUMBNAIL.width, THUMBNAIL.height, { fit: 'inside', withoutEnlargement: true });
  }
  const box = focusBox(size, THUMBNAIL, focal);
  return sharp(input, options)
    .extract({ left: box.left, top: box.top, width: box.width, height: box.height })
    .resize(box.out.width, box.out.height);
}

/**
 * The formats (and placeholder) of an image, made from `source` as `edit` says. Formats are made
 * one after another, each from the previous (larger) one, so a 4000×3000 original is decoded once
 * for `large`, never four times in parallel.
 */
async function formatsOf(
  source: Buffer | string,
  format: OutputFormat,
  options: SharpInputOptions,
  size: Size,
  edit: ImageEdit,
): Promise<{ variants: ImageVariant[]; placeholder: string | null }> {
  const edited = await editedSource(source, format, options, size, edit);
  const { width, height } = edited.size;
  const variants: ImageVariant[] = [];
  let previous: Buffer | string = edited.input;
  let previousSize: Size = edited.size;
  const add = async (name: ImageVariant['name'], image: Sharp) => {
    const out = await encode(image, format).toBuffer({ resolveWithObject: true });
    const variant = { name, data: out.data, width: out.info.width, height: out.info.pageHeight ?? out.info.height };
    variants.push(variant);
    previous = out.data;
    previousSize = { width: variant.width, height: variant.height };
  };
  for (const [name, limit] of BREAKPOINTS) {
    if (width <= limit && height <= limit) continue;
    await add(name, sharp(previous, options).resize(limit, limit, { fit: 'inside', withoutEnlargement: true }));
  }
  if (width > THUMBNAIL.width || height > THUMBNAIL.height)
    await add('thumbnail', thumbnailOf(previous, options, previousSize, edit.focalPoint));
  const placeholder = await placeholderOf(sharp(previous, { limitInputPixels: options.limitInputPixels }));
  return { variants: variants.reverse(), placeholder };
}

/**
 * The formats of a stored original (its bytes) made anew as `edit` says: the file's edit changed.
 * Animated images are kept as they are, so they have no edit.
 */
export async function reformatImage(
  original: Buffer,
  mime: string,
  maxPixels: number,
  edit: ImageEdit,
): Promise<{ variants: ImageVariant[]; placeholder: string | null }> {
  const format = FORMAT_OF_MIME[mime];
  if (!format) throw new ValidationError(`Cannot process ${mime} images`);
  const info = await inspect(original, maxPixels);
  if (info.pages > 1) throw new ValidationError('Animated images cannot be rotated, cropped or given a focal point');
  const options = { limitInputPixels: maxPixels, animated: false, failOn: 'error' as const };
  try {
    return await formatsOf(original, format, options, info, edit);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError('The image could not be processed (corrupt or unsupported)');
  }
}

/**
 * Processes an uploaded raster image (a temp file): the cleaned original, then its formats.
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
    return { original, width, height, ...(await formatsOf(source, format, options, { width, height }, UNEDITED)) };
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

/**
 * An on-the-fly transform of a stored original (its bytes), of the picture its file's `edit` makes:
 * turned and cut, and a cover crop of both sides centred on the focal point.
 */
export async function transformImage(
  input: Buffer,
  spec: TransformSpec,
  maxPixels: number,
  edit: ImageEdit = UNEDITED,
): Promise<Buffer> {
  const info = await inspect(input, maxPixels);
  const options = { limitInputPixels: maxPixels, animated: info.pages > 1 && spec.format === 'webp' };
  let image = sharp(input, options).rotate();
  let size: Size = info;
  if (edit.rotation || edit.crop) {
    const edited = await applyEdit(image, edit).png().toBuffer({ resolveWithObject: true });
    image = sharp(edited.data, options);
    size = edited.info;
  }
  if (edit.focalPoint && spec.fit === 'cover' && spec.w && spec.h) {
    const box = focusBox(size, { width: spec.w, height: spec.h }, edit.focalPoint);
    image = image.extract({ left: box.left, top: box.top, width: box.width, height: box.height });
  }
  if (spec.w || spec.h)
    image = image.resize(spec.w ?? null, spec.h ?? null, { fit: spec.fit, withoutEnlargement: true });
  // JPEG has no alpha: transparent areas become white, not black.
  if (spec.format === 'jpeg') image = image.flatten({ background: '#ffffff' });
  return encode(image, spec.format, spec.q).toBuffer();
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
