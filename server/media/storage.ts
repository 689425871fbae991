// Storage providers: where the bytes of the media library live. The service only speaks this
// interface; `createStorage(config)` picks `s3` when S3_BUCKET is set and `local` otherwise, so that
// switching needs no code change. Keys are flat, safe names chosen by Folio (`<hash><ext>`,
// `small_<hash><ext>`, `_transforms/<hash>/<variant>`), never user input.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ConfigError, type Config } from '../config.js';
import { PROJECT_ROOT } from '../project-root.js';

export interface ByteRange {
  /** Inclusive, as in HTTP. */
  start: number;
  end: number;
}

export interface StoredObject {
  size: number;
  /** A validator for the stored bytes (quoted, strong). */
  etag: string;
  lastModified?: Date;
}

export interface StorageProvider {
  readonly name: 'local' | 's3';
  put(key: string, body: Readable | Buffer, mime: string, size?: number): Promise<void>;
  getStream(key: string, range?: ByteRange): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix` (a transform folder). */
  deletePrefix(prefix: string): Promise<void>;
  /** How many objects a prefix (a transform folder) holds, counting no further than `upTo`. */
  countPrefix(prefix: string, upTo: number): Promise<number>;
  exists(key: string): Promise<boolean>;
  /** Size and validator, or null when the key is not stored. */
  stat(key: string): Promise<StoredObject | null>;
  /** The URL a client uses (relative `/uploads/...` for local, as Strapi's local provider answers). */
  url(key: string): string;
}

/** A stored object's bytes, whole (an image to decode). */
export async function readObject(storage: StorageProvider, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.getStream(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,190}$/;

/** Folio's keys only; anything else (`..`, absolute paths, backslashes, empty segments) is refused. */
export function isSafeKey(key: string): boolean {
  if (key.length === 0 || key.length > 600) return false;
  const segments = key.split('/');
  return (
    segments.length <= 3 && segments.every((s) => SAFE_SEGMENT.test(s) && s !== '.' && s !== '..' && !s.includes('..'))
  );
}

function assertSafeKey(key: string): void {
  if (!isSafeKey(key)) throw new Error(`Unsafe storage key ${JSON.stringify(key)}`);
}

/** The uploads folder, refused when it would put user files inside the server or admin sources. */
export function resolveUploadsDir(dir: string, cwd = process.cwd()): string {
  const resolved = path.resolve(cwd, dir);
  for (const forbidden of ['server', 'admin']) {
    const root = path.join(PROJECT_ROOT, forbidden);
    if (resolved === root || resolved.startsWith(root + path.sep)) {
      throw new ConfigError(
        `Invalid configuration: UPLOADS_DIR must not be inside ${forbidden}/ (got ${JSON.stringify(dir)})`,
      );
    }
  }
  return resolved;
}

export class LocalStorage implements StorageProvider {
  readonly name = 'local' as const;
  readonly root: string;

  constructor(dir: string) {
    this.root = resolveUploadsDir(dir);
  }

  /** The absolute path of a key, guaranteed to be inside the root. */
  pathOf(key: string): string {
    assertSafeKey(key);
    const full = path.resolve(this.root, key);
    if (!full.startsWith(this.root + path.sep)) throw new Error(`Unsafe storage key ${JSON.stringify(key)}`);
    return full;
  }

  async put(key: string, body: Readable | Buffer, _mime: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written beside the target then renamed: a reader never sees half a file.
    const temp = `${target}.part-${randomBytes(6).toString('hex')}`;
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async getStream(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    const stream = createReadStream(file, range ? { start: range.start, end: range.end } : {});
    // Surface ENOENT here rather than in the middle of a response.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    // Prefixes are folders here (`_transforms/<hash>/`).
    const folder = this.pathOf(prefix.replace(/\/+$/, ''));
    await rm(folder, { recursive: true, force: true });
  }

  async countPrefix(prefix: string, upTo: number): Promise<number> {
    try {
      const entries = await readdir(this.pathOf(prefix.replace(/\/+$/, '')), { withFileTypes: true });
      // Files being written (`.part-…`) are not variants yet.
      return Math.min(upTo, entries.filter((e) => e.isFile() && !e.name.includes('.part-')).length);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const s = await stat(this.pathOf(key));
      if (!s.isFile()) return null;
      return {
        size: s.size,
        etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`,
        lastModified: s.mtime,
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  url(key: string): string {
    assertSafeKey(key);
    return `/uploads/${key}`;
  }

  /** Every key stored (tests and maintenance). */
  async list(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isDirectory()) await walk(path.join(dir, e.name), `${prefix}${e.name}/`);
        else if (e.name !== '.gitkeep') out.push(`${prefix}${e.name}`);
      }
    };
    await walk(this.root, '');
    return out.sort();
  }
}

export interface S3Options {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export class S3Storage implements StorageProvider {
  readonly name = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      // S3-compatible servers (MinIO, R2, …) behind a custom endpoint expect path-style URLs.
      forcePathStyle: Boolean(options.endpoint),
      // The SDK's default sends a streamed body as aws-chunked with a trailing checksum, which many
      // S3-compatible servers store as it came, chunk headers and all; checksums stay on where an
      // operation requires them.
      ...(options.endpoint
        ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const }
        : {}),
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
    });
  }

  async put(key: string, body: Readable | Buffer, mime: string, size?: number): Promise<void> {
    assertSafeKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: body,
        ContentType: mime,
        ContentLength: Buffer.isBuffer(body) ? body.length : size,
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  }

  async getStream(key: string, range?: ByteRange): Promise<Readable> {
    assertSafeKey(key);
    const out = await this.client.send(
      new GetObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    return out.Body as Readable;
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key as string }));
      if (keys.length)
        await this.client.send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: keys } }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async countPrefix(prefix: string, upTo: number): Promise<number> {
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, MaxKeys: upTo }),
    );
    return Math.min(upTo, page.KeyCount ?? page.Contents?.length ?? 0);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async stat(key: string): Promise<StoredObject | null> {
    assertSafeKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, etag: head.ETag ?? `"${key}"`, lastModified: head.LastModified };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return null;
      throw err;
    }
  }

  url(key: string): string {
    assertSafeKey(key);
    if (this.options.endpoint) return `${this.options.endpoint.replace(/\/+$/, '')}/${this.options.bucket}/${key}`;
    return `https://${this.options.bucket}.s3.${this.options.region}.amazonaws.com/${key}`;
  }
}

export function createStorage(config: Pick<Config, 'uploadsDir' | 's3'>): StorageProvider {
  return config.s3 ? new S3Storage(config.s3) : new LocalStorage(config.uploadsDir);
}
