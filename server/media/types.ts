// What a file is: sniffed from its bytes (file-type), never from its name or the client's
// Content-Type; checked against the global allowlist and a field's `allowedTypes`.
import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { slugify } from '../slug.js';

export type MediaCategory = 'images' | 'videos' | 'audios' | 'files';
export const MEDIA_CATEGORIES: readonly MediaCategory[] = ['images', 'videos', 'audios', 'files'];

/** The global allowlist: mime → the extension Folio stores it under. */
export const ALLOWED_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/avif': '.avif',
  'image/tiff': '.tif',
  'image/svg+xml': '.svg',
  'video/mp4': '.mp4',
  'video/webm': '.webm',
  'video/quicktime': '.mov',
  'video/ogg': '.ogv',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'audio/ogg': '.ogg',
  'audio/flac': '.flac',
  'audio/aac': '.aac',
  'audio/mp4': '.m4a',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
  'application/vnd.oasis.opendocument.text': '.odt',
  'text/plain': '.txt',
  'text/csv': '.csv',
  'text/markdown': '.md',
};

/** Synonyms file-type may answer with. */
const ALIASES: Record<string, string> = {
  'audio/x-wav': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-flac': 'audio/flac',
  'audio/x-m4a': 'audio/mp4',
  'video/x-m4v': 'video/mp4',
  'audio/ogg; codecs=opus': 'audio/ogg',
  'audio/opus': 'audio/ogg',
};

const MIME_BY_EXT: Record<string, string> = Object.fromEntries(
  Object.entries(ALLOWED_TYPES).map(([mime, ext]) => [ext, mime]),
);

/** The Content-Type to serve a stored key with (keys carry Folio's own extension). */
export function mimeOfKey(key: string): string {
  const ext = key.slice(key.lastIndexOf('.')).toLowerCase();
  return Object.hasOwn(MIME_BY_EXT, ext) ? MIME_BY_EXT[ext] : 'application/octet-stream';
}

/** Raster images that sharp reads and writes. */
export const RASTER_MIMES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/tiff']);

export function categoryOf(mime: string): MediaCategory {
  if (mime.startsWith('image/')) return 'images';
  if (mime.startsWith('video/')) return 'videos';
  if (mime.startsWith('audio/')) return 'audios';
  return 'files';
}

const TEXT_EXTS: Record<string, string> = { '.txt': 'text/plain', '.csv': 'text/csv', '.md': 'text/markdown' };

async function head(file: string, bytes: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function looksLikeUtf8Text(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, Math.max(0, buf.length - 4)));
    return true;
  } catch {
    return false;
  }
}

export interface SniffedType {
  mime: string;
  ext: string;
}

/**
 * The file's type from its bytes. Binary formats come from file-type; SVG (XML text) and plain text
 * are recognised here, text only under a text extension (a text file named `.jpg` is no image).
 * Null when the bytes match nothing Folio accepts.
 */
export async function sniffType(file: string, originalName: string): Promise<SniffedType | null> {
  const detected = await fileTypeFromFile(file);
  // file-type calls any `<?xml` document XML; whether it is an SVG is decided below.
  if (detected && !/^(application|text)\/xml$/.test(detected.mime)) {
    const mime = ALIASES[detected.mime] ?? detected.mime;
    const ext = ALLOWED_TYPES[mime];
    return ext ? { mime, ext } : { mime, ext: `.${detected.ext}` };
  }
  const start = await head(file, 4096);
  if (!looksLikeUtf8Text(start)) return null;
  const text = start
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text))
    return { mime: 'image/svg+xml', ext: '.svg' };
  const nameExt = originalName.slice(originalName.lastIndexOf('.')).toLowerCase();
  const textMime = originalName.includes('.') && Object.hasOwn(TEXT_EXTS, nameExt) ? TEXT_EXTS[nameExt] : undefined;
  return textMime ? { mime: textMime, ext: nameExt } : null;
}

export function isAllowedMime(mime: string): boolean {
  return Object.hasOwn(ALLOWED_TYPES, mime);
}

/** A field's `allowedTypes` (Strapi: images, videos, audios, files) accepts this mime? */
export function fieldAccepts(allowedTypes: readonly string[] | undefined, mime: string): boolean {
  if (!allowedTypes || allowedTypes.length === 0) return true;
  return allowedTypes.includes(categoryOf(mime));
}

/**
 * Unicode's bidirectional controls: embeddings and overrides (U+202A–202E), isolates (U+2066–2069),
 * the marks (U+200E, U+200F, U+061C). In a name they serve only to disguise it ("invoice", U+202E,
 * "gnp.exe" shows as "invoiceexe.png"), so they are removed from every stored name, on purpose.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
const MAX_NAME_CODE_POINTS = 200;

/**
 * A display name safe to store and show: the last path segment only (both separators), no control
 * or bidi control characters, NFC, at most 200 characters (whole code points: an emoji is never
 * cut in half). Never used as a storage key.
 */
export function sanitizeFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(CONTROL_CHARACTERS, '')
    .replace(BIDI_CONTROLS, '')
    .replace(/^\.+/, '')
    .trim();
  const name = cleaned.length ? cleaned : 'file';
  const codePoints = Array.from(name);
  return codePoints.length > MAX_NAME_CODE_POINTS ? codePoints.slice(0, MAX_NAME_CODE_POINTS).join('') : name;
}

/** The ASCII slug that starts a storage hash: `My photo (1).JPG` → `my_photo_1`. */
export function slugOf(name: string): string {
  const base = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
  const slug = slugify(base, { separator: '_' }).slice(0, 60);
  return slug || 'file';
}
