// On-the-fly image transforms on a stored image's URL: `?w=&h=&fit=&format=&q=`. Parameters are
// held to an allowlist (DEFAULT_TRANSFORM_ALLOWLIST by default) so that nobody can make the server render and store
// endless variants; a URL signed with the instance secret (`&sig=`) may ask for anything in range.
// What bounds the work of unsigned URLs beyond their parameters (no enlargement, variants per file,
// the generation queue, the per-IP rate) is enforced where variants are made: serve.ts.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { TransformSpec } from './images.js';
import type { ImageEdit } from './shape.js';

export interface TransformAllowlist {
  sizes: readonly number[];
  formats: ReadonlyArray<TransformSpec['format']>;
  /** `q` values; leaving `q` out asks for DEFAULT_QUALITY, which is always accepted. */
  qualities: readonly number[];
}

/** The quality of a URL without `q`. */
export const DEFAULT_QUALITY = 80;

export const DEFAULT_TRANSFORM_ALLOWLIST: TransformAllowlist = {
  sizes: [64, 128, 256, 320, 480, 640, 768, 1024, 1280, 1536, 1920, 2560],
  formats: ['webp', 'avif', 'jpeg', 'png'],
  qualities: [50, 75, 90],
};

const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
const ALL_FORMATS = ['webp', 'avif', 'jpeg', 'png'] as const;
const PARAMS = new Set(['w', 'h', 'fit', 'format', 'q', 'sig']);
/** Even a signed URL stays within these. */
const MAX_SIGNED_SIDE = 8192;

const DEFAULT_FORMAT_OF_EXT: Record<string, TransformSpec['format']> = {
  '.jpg': 'jpeg',
  '.png': 'png',
  '.webp': 'webp',
  '.avif': 'avif',
};

function bad(param: string, message: string): ValidationError {
  return ValidationError.query(message, param, param);
}

function canonical(key: string, spec: TransformSpec): string {
  return `${key}?w=${spec.w ?? 0}&h=${spec.h ?? 0}&fit=${spec.fit}&format=${spec.format}&q=${spec.q}`;
}

export function signTransform(secret: string, key: string, spec: TransformSpec): string {
  return createHmac('sha256', secret).update(canonical(key, spec)).digest('base64url');
}

/** A signed transform URL path for `key` (e.g. for an exact 333-pixel crop the allowlist lacks). */
export function signedTransformPath(
  secret: string,
  key: string,
  spec: Partial<TransformSpec> & Pick<TransformSpec, 'format'>,
): string {
  const full: TransformSpec = { fit: 'cover', q: DEFAULT_QUALITY, ...spec };
  const params = new URLSearchParams();
  if (full.w) params.set('w', String(full.w));
  if (full.h) params.set('h', String(full.h));
  params.set('fit', full.fit);
  params.set('format', full.format);
  params.set('q', String(full.q));
  params.set('sig', signTransform(secret, key, full));
  return `/uploads/${key}?${params.toString()}`;
}

function single(query: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw bad(name, `"${name}" may be given once`);
  return v;
}

function intParam(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw bad(name, `"${name}" must be a whole number from ${min} to ${max}`);
  return Number(raw);
}

/**
 * The transform a query asks for, or null when it asks for none. Outside the allowlist → 400,
 * unless a valid signature covers exactly these parameters.
 */
export function parseTransform(
  query: Record<string, string | string[] | undefined>,
  key: string,
  allowlist: TransformAllowlist,
  secret: string,
): TransformSpec | null {
  const keys = Object.keys(query);
  if (keys.length === 0) return null;
  for (const k of keys)
    if (!PARAMS.has(k)) throw bad(k, `Unknown parameter "${k}"; image URLs accept w, h, fit, format, q`);
  const w = intParam(single(query, 'w'), 'w', 1, MAX_SIGNED_SIDE);
  const h = intParam(single(query, 'h'), 'h', 1, MAX_SIGNED_SIDE);
  const q = intParam(single(query, 'q'), 'q', 1, 100) ?? DEFAULT_QUALITY;
  const fitRaw = single(query, 'fit') ?? 'cover';
  if (!(FITS as readonly string[]).includes(fitRaw)) throw bad('fit', `"fit" must be one of ${FITS.join(', ')}`);
  const ext = key.slice(key.lastIndexOf('.')).toLowerCase();
  const formatRaw = single(query, 'format') ?? DEFAULT_FORMAT_OF_EXT[ext] ?? 'png';
  if (!(ALL_FORMATS as readonly string[]).includes(formatRaw))
    throw bad('format', `"format" must be one of ${ALL_FORMATS.join(', ')}`);
  const spec: TransformSpec = {
    w,
    h,
    q,
    fit: fitRaw as TransformSpec['fit'],
    format: formatRaw as TransformSpec['format'],
  };

  const sig = single(query, 'sig');
  if (sig !== undefined) {
    const expected = Buffer.from(signTransform(secret, key, spec));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw bad('sig', 'Invalid signature for these transform parameters');
    return spec;
  }
  if (w !== undefined && !allowlist.sizes.includes(w))
    throw bad('w', `"w" must be one of ${allowlist.sizes.join(' ')}`);
  if (h !== undefined && !allowlist.sizes.includes(h))
    throw bad('h', `"h" must be one of ${allowlist.sizes.join(' ')}`);
  if (!allowlist.formats.includes(spec.format))
    throw bad('format', `"format" must be one of ${allowlist.formats.join(', ')}`);
  if (q !== DEFAULT_QUALITY && !allowlist.qualities.includes(q))
    throw bad('q', `"q" must be one of ${allowlist.qualities.join(' ')}`);
  return spec;
}

/**
 * Unsigned URLs never enlarge: a width or height beyond the original's is refused (400) rather than
 * clamped, so that each stored variant is a distinct picture and a client learns the real size
 * (every file's answer carries `width` and `height`).
 */
export function assertNoEnlargement(spec: TransformSpec, original: { width: number; height: number }): void {
  if (spec.w !== undefined && spec.w > original.width)
    throw bad('w', `"w" may not exceed the image's width (${original.width})`);
  if (spec.h !== undefined && spec.h > original.height)
    throw bad('h', `"h" may not exceed the image's height (${original.height})`);
}

/** Names an image's edit in its transforms' keys, so that a new edit never serves the old ones; '' unedited. */
export function editTag(edit: ImageEdit | null): string {
  if (!edit || (!edit.rotation && !edit.crop && !edit.focalPoint)) return '';
  return `e${createHash('sha256').update(JSON.stringify(edit)).digest('hex').slice(0, 10)}-`;
}

/** Where a transform of `key` is stored: beside its siblings, removed with the file. */
export function transformKey(key: string, spec: TransformSpec, tag = ''): string {
  const base = key.slice(0, key.lastIndexOf('.'));
  const ext = spec.format === 'jpeg' ? 'jpg' : spec.format;
  return `_transforms/${base}/${tag}w${spec.w ?? 0}-h${spec.h ?? 0}-${spec.fit}-q${spec.q}.${ext}`;
}
