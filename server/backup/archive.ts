// The archive file: a gzipped tar (tar-stream + zlib) of NDJSON pages, media files, the schema
// document and, last, manifest.json with every entry's sha256. The manifest comes last because the
// checksums are only known once everything before it is written; reading verifies it in a first
// pass over the file before anything is changed.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { ApplicationError } from '../errors.js';
import { isSealed, openSealed } from './crypto.js';
import type { Part } from './parts.js';

export const FORMAT = 'folio-backup';
export const FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const SCHEMA_ENTRY = 'schema.json';

export interface TableManifest {
  part: Part;
  rows: number;
  /** Its NDJSON pages, in order. */
  entries: string[];
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  folioVersion: string;
  /** The last of Folio's migrations the source had applied: an archive is read by that Folio or a later one. */
  migration: string;
  schemaVersion: number;
  dialect: string;
  createdAt: string;
  parts: Part[];
  /** Whether webhook signing secrets are in (encrypted with the source's FOLIO_SECRET). */
  webhookSecrets: boolean;
  /** Whether encrypted attributes are in the clear (`--decrypt`); absent in archives before it. */
  decrypted?: boolean;
  /** Tells whether the target's FOLIO_SECRET is the source's, without giving either away. */
  secretFingerprint: string;
  tables: Record<string, TableManifest>;
  media: { files: number; bytes: number; missing: string[] };
  entries: Record<string, { sha256: string; bytes: number }>;
}

export const tablePageEntry = (table: string, page: number) =>
  `tables/${table}/${String(page).padStart(6, '0')}.ndjson`;
export const mediaEntry = (key: string) => `media/${key}`;

/** Passes bytes through, hashing and counting them. */
export class Digest extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes entries one at a time; each resolves once the tar stream took it (backpressure included). */
export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly done: Promise<void>;
  readonly entries: Manifest['entries'] = {};

  /** `seal`: an encrypting transform (crypto.ts) for an archive with a passphrase. */
  constructor(file: string, seal?: Transform) {
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    this.done = seal ? pipeline(this.pack, createGzip(), seal, out) : pipeline(this.pack, createGzip(), out);
    // Surfaced by finish(); a rejection nobody awaited yet must not end the process first.
    this.done.catch(() => {});
  }

  async addBuffer(name: string, data: Buffer): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.pack.entry({ name, size: data.length }, data, (err) => (err ? reject(err) : resolve()));
    });
    this.entries[name] = { sha256: sha256(data), bytes: data.length };
  }

  async addStream(name: string, size: number, body: Readable): Promise<void> {
    const digest = new Digest();
    const sink = this.pack.entry({ name, size });
    await pipeline(body, digest, sink);
    this.entries[name] = { sha256: digest.hex(), bytes: digest.bytes };
  }

  async finish(): Promise<void> {
    this.pack.finalize();
    await this.done;
  }

  /** Stops writing after a failure (the caller removes the partial file). */
  async abort(): Promise<void> {
    this.pack.destroy();
    await this.done.catch(() => {});
  }
}

export interface ArchiveEntry {
  name: string;
  size: number;
  body: Readable;
}

/**
 * The archive's entries in order. The caller must read or drain each body before asking for the
 * next; a damaged gzip or tar stream makes the iteration throw.
 */
export async function* readArchive(file: string, passphrase?: string): AsyncGenerator<ArchiveEntry> {
  const extract = tar.extract();
  const sealed = await isSealed(file);
  if (sealed && passphrase === undefined)
    throw new ApplicationError(`${file} is encrypted: give its passphrase (FOLIO_BACKUP_PASSPHRASE)`);
  const feeding = sealed
    ? pipeline(...(await openSealed(file, passphrase!)), createGunzip(), extract)
    : pipeline(createReadStream(file), createGunzip(), extract);
  feeding.catch(() => {}); // the same error reaches the loop below through `extract`
  try {
    for await (const entry of extract) {
      yield { name: entry.header.name, size: entry.header.size ?? 0, body: entry as unknown as Readable };
      entry.resume(); // drains what the caller left unread
    }
    await feeding;
  } finally {
    // A caller that stops early (a refused entry) closes the file rather than leave it half read.
    extract.destroy();
  }
}

/** Reads an entry's bytes whole (pages, the schema document and the manifest are small). */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
