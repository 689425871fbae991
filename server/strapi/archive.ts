// Reading the archive `strapi export` writes (Strapi 5's data-transfer "local file" format): a tar,
// gzipped unless exported with --no-compress, encrypted when exported with --key. Entries:
// metadata.json, schemas/schemas_NNNNN.jsonl, entities/entities_NNNNN.jsonl, links/links_NNNNN.jsonl,
// configuration/configuration_NNNNN.jsonl (one JSON value a line) and assets/uploads/<hash><ext>
// (the media files; recent versions add assets/metadata/<hash><ext>.json beside each).
//
// Encryption is aes-128-ecb. Two key derivations exist: archives of Strapi 5 up to the "v2" format
// carry no header and derive the key as scrypt(key, '', 16); v2 archives start with the header
// "STRAPI2\0", a version byte (2), a salt length byte (16) and the salt, and derive scrypt(key, salt, 16).
import { createDecipheriv, scrypt as scryptCallback } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { ApplicationError } from '../errors.js';

const V2_MAGIC = Buffer.from('STRAPI2\0', 'latin1');
const V2_VERSION = 2;
const V2_SALT_BYTES = 16;
const V2_HEADER_BYTES = V2_MAGIC.length + 2 + V2_SALT_BYTES;
const BLOCK = 16;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** The kinds of JSONL entries, by their folder. */
export const JSONL_FOLDERS = ['schemas', 'entities', 'links', 'configuration'] as const;
export type JsonlFolder = (typeof JSONL_FOLDERS)[number];

export type StrapiEntry =
  | { kind: 'metadata'; name: string; body: Readable }
  | { kind: 'jsonl'; folder: JsonlFolder; name: string; body: Readable }
  | { kind: 'asset'; filename: string; name: string; size: number; body: Readable }
  | { kind: 'assetMetadata'; name: string; body: Readable }
  | { kind: 'other'; name: string; body: Readable };

interface Layout {
  /** Where the tar (or gzip) bytes start in the file. */
  offset: number;
  /** The key, when encrypted. */
  key?: Buffer;
  gzip: boolean;
}

function scrypt(password: string, salt: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // Node's defaults (N 16384, r 8, p 1) are the ones Strapi's scryptSync calls use.
    scryptCallback(password, salt, 16, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new ApplicationError(`cannot read ${file}: ${err.code ?? err.message}`);
  });
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Whether `head` is the start of a tar (its first header's "ustar" magic at 257). */
const isTar = (head: Buffer) => head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';

/** Works out how the file is wrapped: encrypted (and how), gzipped, or a plain tar. */
async function layout(file: string, key: string | undefined): Promise<Layout> {
  const head = await readHead(file, 512);
  const v2 = head.length >= V2_HEADER_BYTES && head.subarray(0, V2_MAGIC.length).equals(V2_MAGIC);
  if (key === undefined) {
    if (v2) throw new ApplicationError(`${file} is encrypted: give the key it was exported with (--key)`);
    if (head.subarray(0, 2).equals(GZIP_MAGIC)) return { offset: 0, gzip: true };
    if (isTar(head)) return { offset: 0, gzip: false };
    throw new ApplicationError(
      `${file} is neither a .tar nor a .tar.gz: if it was exported with --key, give that key (--key)`,
    );
  }
  if (v2 && (head[V2_MAGIC.length] !== V2_VERSION || head[V2_MAGIC.length + 1] !== V2_SALT_BYTES))
    throw new ApplicationError(`${file} is encrypted in a format this Folio does not know`);
  const offset = v2 ? V2_HEADER_BYTES : 0;
  const derived = v2 ? await scrypt(key, head.subarray(V2_MAGIC.length + 2, V2_HEADER_BYTES)) : await scrypt(key, '');
  // ECB deciphers each block alone: the first one tells gzip from tar before the stream is opened.
  const first = head.subarray(offset, offset + BLOCK);
  if (first.length < BLOCK) throw new ApplicationError(`${file} is too short to be an encrypted archive`);
  const peek = createDecipheriv('aes-128-ecb', derived, null).setAutoPadding(false).update(first);
  if (peek.subarray(0, 2).equals(GZIP_MAGIC)) return { offset, key: derived, gzip: true };
  // A tar's first block starts with a file name: printable text, NUL-padded. Anything else is a wrong key.
  if (/^[\x20-\x7e]+\0*$/.test(peek.toString('latin1'))) return { offset, key: derived, gzip: false };
  throw new ApplicationError(`${file} cannot be decrypted with this key (wrong key, or not a Strapi export)`);
}

/** Maps a tar entry's name to what it holds in the data-transfer layout. */
function classify(rawName: string, size: number, body: Readable): StrapiEntry {
  const name = rawName.replace(/^(\.\/)+/, '');
  const parts = name.split('/');
  if (name === 'metadata.json') return { kind: 'metadata', name, body };
  if (parts.length === 2 && (JSONL_FOLDERS as readonly string[]).includes(parts[0]) && parts[1].endsWith('.jsonl'))
    return { kind: 'jsonl', folder: parts[0] as JsonlFolder, name, body };
  if (parts.length === 3 && parts[0] === 'assets' && parts[1] === 'uploads')
    return { kind: 'asset', filename: parts[2], name, size, body };
  if (parts.length === 3 && parts[0] === 'assets' && parts[1] === 'metadata')
    return { kind: 'assetMetadata', name, body };
  return { kind: 'other', name, body };
}

/**
 * The archive's file entries in order. Read or drain each body before asking for the next; a damaged
 * stream (wrong key, truncated file, broken gzip) makes the iteration throw.
 */
export async function* readStrapiArchive(file: string, key?: string): AsyncGenerator<StrapiEntry> {
  const shape = await layout(file, key);
  const extract = tar.extract();
  const stages: NodeJS.ReadWriteStream[] = [];
  if (shape.key) stages.push(createDecipheriv('aes-128-ecb', shape.key, null));
  if (shape.gzip) stages.push(createGunzip());
  const source = createReadStream(file, { start: shape.offset });
  const feeding = pipeline([source, ...stages, extract] as unknown as [Readable, PassThrough]);
  feeding.catch(() => {}); // the same error reaches the loop through `extract`
  try {
    for await (const entry of extract) {
      if (entry.header.type === 'file') {
        yield classify(entry.header.name, entry.header.size ?? 0, entry as unknown as Readable);
      }
      entry.resume();
    }
    await feeding;
  } catch (err) {
    if (err instanceof ApplicationError) throw err;
    const reason = (err as Error).message;
    throw new ApplicationError(
      shape.key
        ? `${file} cannot be read: ${reason} (a wrong key, or a damaged archive)`
        : `${file} is not a readable archive: ${reason}`,
    );
  } finally {
    extract.destroy();
  }
}

/** A JSONL entry's values, one line at a time (constant memory); a bad line names its entry and line. */
export async function* jsonLines(name: string, body: Readable): AsyncGenerator<unknown> {
  const lines = createInterface({ input: body, crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as unknown;
    } catch (err) {
      throw new ApplicationError(`${name}, line ${number}: not valid JSON (${(err as Error).message})`);
    }
  }
}
