// `folio export`: one consistent snapshot of the selected parts, streamed into a tar.gz archive.
// Memory stays bounded whatever the size: rows are read in keyset pages and each page is one
// archive entry; media files are streamed from the storage provider into the archive.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationError } from '../errors.js';
import type { Folio } from '../folio.js';
import { PROJECT_ROOT } from '../project-root.js';
import type { SchemaDocument } from '../schema/types.js';
import type { StorageProvider } from '../media/storage.js';
import type { MediaFormat } from '../media/shape.js';
import {
  ArchiveWriter,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST_ENTRY,
  SCHEMA_ENTRY,
  mediaEntry,
  tablePageEntry,
  type Manifest,
} from './archive.js';
import { sealStream } from './crypto.js';
import { tablesOf, type Part, type TableEntry } from './parts.js';
import { withSnapshot, type Snapshot } from './snapshot.js';
import { datetimeColumns, encodeRow, type Row } from './values.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import { DATA_KEYS_TABLE, type FieldCipher } from '../encryption/cipher.js';
import { encryptedColumnsOf, openedRow } from './encrypted.js';

export interface ExportOptions {
  parts: ReadonlySet<Part>;
  /** Keep webhook signing secrets (encrypted with this installation's FOLIO_SECRET). */
  webhookSecrets?: boolean;
  progress?: Progress;
  /** Encrypts the archive (crypto.ts). */
  passphrase?: string;
  /** Rows per archive page (bounded memory; tests make it small to cross page boundaries). */
  pageRows?: number;
  /**
   * Write the values of encrypted attributes in the clear, without the data keys (`--decrypt`:
   * docs/encryption.md). By default they stay sealed and the wrapped data keys travel with them.
   */
  decrypt?: boolean;
}

export const PAGE_ROWS = 1000;

export function folioVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** An HMAC of a fixed label: equal for equal secrets, and it reveals nothing of the secret. */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('folio-backup-secret-fingerprint').digest('hex').slice(0, 16);
}

/** `WHERE (k1, k2) > (v1, v2)` for keyset paging, spelled out (SQLite and MySQL both take it this way). */
function afterKey(snapshot: Snapshot, table: TableEntry, last: Row | undefined) {
  const query = snapshot.table(table.name).select('*');
  for (const column of table.key) query.orderBy(column, 'asc');
  if (!last) return query;
  const [first, second] = table.key;
  if (second === undefined) return query.where(first, '>', last[first] as number);
  return query.where((w) => {
    void w.where(first, '>', last[first] as number).orWhere((e) => {
      void e.where(first, last[first] as number).andWhere(second, '>', last[second] as number);
    });
  });
}

async function* pages(snapshot: Snapshot, table: TableEntry, size: number): AsyncGenerator<Row[]> {
  let last: Row | undefined;
  for (;;) {
    const rows = (await afterKey(snapshot, table, last).limit(size)) as Row[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < size) return;
    last = rows[rows.length - 1];
  }
}

/** What an archive may not carry in the clear, whatever the caller asks. */
function withoutSecrets(table: string, row: Row, webhookSecrets: boolean): Row {
  if (table === 'folio_webhooks' && !webhookSecrets) return { ...row, secret: null };
  return row;
}

/** How a table's rows are opened on the way out: `--decrypt` only. */
interface Decryption {
  cipher: FieldCipher;
  columns: Map<string, string[]>;
}

async function writeTable(
  snapshot: Snapshot,
  writer: ArchiveWriter,
  table: TableEntry,
  options: Required<Pick<ExportOptions, 'webhookSecrets' | 'pageRows'>> & {
    progress: Progress;
    decryption?: Decryption;
  },
): Promise<Manifest['tables'][string]> {
  const datetimes = await datetimeColumns(() => snapshot.table(table.name));
  const entries: string[] = [];
  let rows = 0;
  const { decryption } = options;
  // Decrypted values travel without the keys that sealed them.
  if (decryption && table.name === DATA_KEYS_TABLE) return { part: table.part, rows, entries };
  const sealedColumns = decryption?.columns.get(table.name);
  for await (const page of pages(snapshot, table, options.pageRows)) {
    const lines = page.map((row) => {
      const plain = decryption ? openedRow(decryption.cipher, sealedColumns, row) : row;
      return JSON.stringify(encodeRow(withoutSecrets(table.name, plain, options.webhookSecrets), datetimes));
    });
    const name = tablePageEntry(table.name, entries.length + 1);
    await writer.addBuffer(name, Buffer.from(`${lines.join('\n')}\n`));
    entries.push(name);
    rows += page.length;
    options.progress.advance(page.length);
  }
  return { part: table.part, rows, entries };
}

interface FileKeys {
  hash: string;
  ext: string;
  formats: string | Record<string, MediaFormat> | null;
}

/** The storage keys of one file row: the original and each format (transforms are caches, left out). */
export function keysOfFile(row: FileKeys): string[] {
  const formats = (typeof row.formats === 'string' ? JSON.parse(row.formats) : row.formats) as Record<
    string,
    MediaFormat
  > | null;
  return [`${row.hash}${row.ext}`, ...Object.values(formats ?? {}).map((f) => `${f.hash}${f.ext}`)];
}

async function writeMedia(
  snapshot: Snapshot,
  writer: ArchiveWriter,
  storage: StorageProvider,
  pageRows: number,
  progress: Progress,
): Promise<Manifest['media']> {
  const media: Manifest['media'] = { files: 0, bytes: 0, missing: [] };
  const files: TableEntry = { name: 'folio_files', part: 'media', key: ['id'] };
  for await (const page of pages(snapshot, files, pageRows)) {
    for (const row of page) {
      for (const key of keysOfFile(row as unknown as FileKeys)) {
        const stored = await storage.stat(key);
        if (!stored) {
          // A row whose bytes are gone cannot be restored; the manifest says which, the export goes on.
          media.missing.push(key);
          continue;
        }
        await writer.addStream(mediaEntry(key), stored.size, await storage.getStream(key));
        media.files += 1;
        media.bytes += stored.size;
      }
      progress.advance(1);
    }
  }
  return media;
}

async function countRows(snapshot: Snapshot, tables: TableEntry[]): Promise<number> {
  let total = 0;
  for (const table of tables) {
    const row = (await snapshot.table(table.name).count({ n: '*' }).first()) as { n: number | string };
    total += Number(row.n);
  }
  return total;
}

/** Writes the archive to `file` (refusing to overwrite one); answers its manifest. */
export async function exportArchive(folio: Folio, file: string, options: ExportOptions): Promise<Manifest> {
  const progress = options.progress ?? NO_PROGRESS;
  const settings: Parameters<typeof writeTable>[3] = {
    webhookSecrets: options.webhookSecrets === true,
    pageRows: options.pageRows ?? PAGE_ROWS,
    progress,
  };
  if (existsSync(file)) throw new ApplicationError(`${file} already exists: an export never overwrites a file`);
  // Written beside the target and renamed at the end: a failed export leaves no half archive.
  const partial = `${file}.part`;
  const seal = options.passphrase === undefined ? undefined : await sealStream(options.passphrase);
  const writer = new ArchiveWriter(partial, seal);
  // The data keys are read before the snapshot (on SQLite it holds the one connection).
  if (options.decrypt === true) await folio.cipher.load();
  try {
    const manifest = await withSnapshot(folio.db, folio.dialect, async (snapshot) => {
      const stored = await snapshot
        .table('folio_schema')
        .where({ id: 1 })
        .first<{ version: number; document: string } | undefined>('version', 'document');
      const document: SchemaDocument = stored
        ? (JSON.parse(stored.document) as SchemaDocument)
        : { contentTypes: {}, components: {} };
      const migration = await snapshot.table('folio_migrations').orderBy('id', 'desc').first<{ name: string }>('name');
      const tables = tablesOf(options.parts, document);
      if (options.decrypt === true)
        settings.decryption = { cipher: folio.cipher, columns: encryptedColumnsOf(document) };
      const withMedia = options.parts.has('media');
      const fileCount = withMedia
        ? await countRows(snapshot, [{ name: 'folio_files', part: 'media', key: ['id'] }])
        : 0;
      progress.start('export', (await countRows(snapshot, tables)) + fileCount);
      await writer.addBuffer(SCHEMA_ENTRY, Buffer.from(JSON.stringify(document)));
      const tableManifests: Manifest['tables'] = {};
      for (const table of tables) tableManifests[table.name] = await writeTable(snapshot, writer, table, settings);
      const media = withMedia
        ? await writeMedia(snapshot, writer, folio.media.storage, settings.pageRows, progress)
        : { files: 0, bytes: 0, missing: [] };
      const result: Manifest = {
        format: FORMAT,
        formatVersion: FORMAT_VERSION,
        folioVersion: folioVersion(),
        migration: migration.name,
        schemaVersion: Number(stored?.version ?? 0),
        dialect: folio.dialect,
        createdAt: new Date().toISOString(),
        parts: [...options.parts],
        webhookSecrets: settings.webhookSecrets,
        decrypted: options.decrypt === true,
        secretFingerprint: secretFingerprint(folio.config.secret),
        tables: tableManifests,
        media,
        entries: { ...writer.entries },
      };
      return result;
    });
    await writer.addBuffer(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 2)));
    await writer.finish();
    await rename(partial, file);
    return manifest;
  } catch (err) {
    await writer.abort();
    await rm(partial, { force: true });
    throw err;
  } finally {
    progress.stop();
  }
}
