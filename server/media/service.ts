// The media library's service: upload (sniff → check → process → store → record), replace,
// metadata, delete (every stored variant), folders, and the link table through which entries'
// `media` attributes point at files (the reference count that keeps a used file from vanishing).
// HTTP adapters (routes/uploads.ts) and the content engine call this; nothing else touches
// folio_files, folio_folders or folio_file_links.
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { dialectOf } from '../db/connection.js';
import { isForeignKeyViolation } from '../db/errors.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newDocumentId } from '../content/document-id.js';
import { processImage, reformatImage, type ImageVariant } from './images.js';
import { WorkQueue } from './queue.js';
import { categoryOf, fieldAccepts, isAllowedMime, RASTER_MIMES, sanitizeFileName, slugOf, sniffType } from './types.js';
import {
  editOf,
  kilobytes,
  toMediaFile,
  toMediaFolder,
  type FileRow,
  type FolderRow,
  type ImageEdit,
  type MediaFile,
  type MediaFolder,
  type MediaFormat,
} from './shape.js';
import { readObject, type StorageProvider } from './storage.js';

export interface MediaOptions {
  /** sharp's limitInputPixels: larger images are refused with 400 (default 100 megapixels). */
  maxInputPixels: number;
  /** Images processed at once (each uses libvips' thread pool). */
  imageConcurrency: number;
}

export const DEFAULT_MEDIA_OPTIONS: MediaOptions = { maxInputPixels: 100_000_000, imageConcurrency: 2 };

/** A file received on disk (by the multipart parser, or written by the demo seed). */
export interface IncomingFile {
  path: string;
  /** The client's name (untrusted). */
  filename: string;
  size: number;
}

export interface FileInfo {
  name?: string;
  alternativeText?: string | null;
  caption?: string | null;
  folder?: number | null;
}

export interface UploadOptions {
  /** A field's `allowedTypes` (images, videos, audios, files); the global allowlist always applies. */
  allowedTypes?: readonly string[];
  userId?: number;
  /** Records each new file in the upload's transaction (server/media/operations.ts: the audit row). */
  written?: MediaGuard['written'];
}

/** A file or folder as a permission check sees it: its public shape and who created it. */
export type GuardedItem = (MediaFile | MediaFolder) & { createdBy: number | null };

/**
 * What a caller-aware operation (server/media/operations.ts) hangs into one change, inside the
 * change's transaction, so that nothing is checked before and acted on after: `check` sees the file
 * or folder as it is then (its row locked until the commit on MySQL) and throws to refuse;
 * `written` records the change (the audit row), and its failure rolls the change back.
 */
export interface MediaGuard {
  check?(trx: Knex.Transaction, item: GuardedItem): Promise<void>;
  written?(trx: Knex.Transaction, item: { id: number; name: string }): Promise<void>;
}

export interface LinkTarget {
  entityTable: string;
  entityId: number;
  field: string;
}

interface StoredObjectPlan {
  key: string;
  mime: string;
  body: Buffer | { path: string; size: number };
}

interface Prepared {
  name: string;
  hash: string;
  ext: string;
  mime: string;
  width: number | null;
  height: number | null;
  sizeBytes: number;
  placeholder: string | null;
  formats: Record<string, MediaFormat> | null;
  objects: StoredObjectPlan[];
}

const FILES = 'folio_files';
const FOLDERS = 'folio_folders';
const LINKS = 'folio_file_links';

/** Where the transforms of one stored key (without its extension) live: removed with the file. */
export function transformPrefix(keyBase: string): string {
  return `_transforms/${keyBase}/`;
}

export interface ListQuery {
  page: number;
  pageSize: number;
  sort: Array<{ column: string; order: 'asc' | 'desc' }>;
  q?: string;
  /** undefined: any folder; null: the root only. */
  folder?: number | null;
  type?: 'images' | 'videos' | 'audios' | 'files';
  mime?: string;
  /** Column conditions (Content API filters), ANDed. */
  conditions?: Array<{
    column: 'name' | 'mime' | 'ext' | 'caption' | 'alternative_text';
    op: '$eq' | '$ne' | '$contains' | '$startsWith';
    value: string;
  }>;
}

/** A file's link row: which row (content-type version or component instance) links it, through which field. */
export interface FileLink {
  entityTable: string;
  entityId: number;
  field: string;
}

/**
 * The `allowedTypes` of the media field a link row goes through (provided by the content engine,
 * which knows the schema); undefined: any accepted file. Read before a transaction opens: the
 * schema may need the database, which a SQLite transaction holds.
 */
export type LinkedFieldTypes = () => Promise<(entityTable: string, field: string) => readonly string[] | undefined>;

/**
 * Runs inside a forced delete's transaction with the link rows being removed (already deleted in the
 * transaction, so the entries read as they will be): the content engine checks there that the caller
 * may update every entry losing the file, and records those updates (audit, outbox, revisions). Its
 * failure leaves the file and its links as they were.
 */
export type UnlinkHook = (trx: Knex.Transaction, links: readonly FileLink[]) => Promise<void>;

/**
 * Writes the new files' rows (`record`) in a transaction someone else opens: a document write
 * linking them, whose refusal then leaves nothing behind.
 */
export type FileRecordWriter = (record: (trx: Knex.Transaction) => Promise<number[]>) => Promise<unknown>;

function formatKeys(row: FileRow): string[] {
  const formats = (typeof row.formats === 'string' ? JSON.parse(row.formats) : row.formats) as Record<
    string,
    MediaFormat
  > | null;
  return Object.values(formats ?? {}).map((f) => `${f.hash}${f.ext}`);
}

/** 400 unless the crop lies within the original once rotated (the focal point's range is the route's). */
function assertEditFits(edit: ImageEdit, original: { width: number; height: number }): void {
  const c = edit.crop;
  if (!c) return;
  const turned = edit.rotation % 180 === 0;
  const width = turned ? original.width : original.height;
  const height = turned ? original.height : original.width;
  if (c.x + c.width <= width && c.y + c.height <= height) return;
  throw ValidationError.fromErrors([
    { path: ['crop'], message: `The crop must lie within the ${width}×${height} image`, name: 'ValidationError' },
  ]);
}

function creatorOfRow(row: { created_by_id: number | null }): number | null {
  return row.created_by_id === null ? null : Number(row.created_by_id);
}

function likeEscape(value: string): string {
  // '!' rather than a backslash: MySQL and SQLite read a backslash in a literal differently.
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}

export type MediaEvent = 'media.create' | 'media.update' | 'media.delete';
/** Runs inside the change's transaction (the webhook outbox); query through `trx` only. */
export type MediaEventHook = (trx: Knex.Transaction, event: MediaEvent, file: MediaFile) => Promise<void>;

/** What a MediaService is given by the rest of Folio when it is built (server/folio.ts). */
export interface MediaWiring {
  linkedFieldTypes: LinkedFieldTypes;
  inTransaction?: readonly MediaEventHook[];
  afterChange?: ReadonlyArray<() => void>;
}

export class MediaService {
  readonly queue: WorkQueue;
  /** Side effects recorded in the change's own transaction. */
  readonly inTransaction: MediaEventHook[];
  readonly options: MediaOptions;
  /** From the content engine: a replacement must suit every field linking the file. */
  private readonly linkedFieldTypes: LinkedFieldTypes;
  /**
   * Called after a committed change to files, folders or an entry's file links made here (not the
   * ones made inside a document write's transaction: the document engine reports those itself), so
   * that cached responses which populated media are dropped (server/cache/).
   */
  readonly afterChange: Array<() => void>;

  constructor(
    private readonly db: Knex,
    readonly storage: StorageProvider,
    private readonly logger: Logger,
    options: Partial<MediaOptions>,
    wiring: MediaWiring,
  ) {
    this.linkedFieldTypes = wiring.linkedFieldTypes;
    this.inTransaction = [...(wiring.inTransaction ?? [])];
    this.afterChange = [...(wiring.afterChange ?? [])];
    this.options = {
      maxInputPixels: options.maxInputPixels ?? DEFAULT_MEDIA_OPTIONS.maxInputPixels,
      imageConcurrency: options.imageConcurrency ?? DEFAULT_MEDIA_OPTIONS.imageConcurrency,
    };
    this.queue = new WorkQueue(this.options.imageConcurrency);
  }

  // ---------------------------------------------------------------- reading

  async findOne(id: number): Promise<MediaFile | null> {
    const row = await this.db<FileRow>(FILES).where({ id }).first<FileRow | undefined>();
    if (!row) return null;
    return (await this.withFolderPaths([row]))[0];
  }

  async get(id: number): Promise<MediaFile> {
    const file = await this.findOne(id);
    if (!file) throw new NotFoundError(`No file with id ${id}`);
    return file;
  }

  async list(query: ListQuery): Promise<{ results: MediaFile[]; total: number }> {
    const base = this.db<FileRow>(FILES);
    if (query.folder === null) base.whereNull('folder_id');
    else if (query.folder !== undefined) base.where('folder_id', query.folder);
    if (query.mime) base.where('mime', query.mime);
    if (query.type === 'images' || query.type === 'videos' || query.type === 'audios') {
      base.where('mime', 'like', `${query.type.slice(0, -1)}/%`);
    } else if (query.type === 'files') {
      base.whereNot('mime', 'like', 'image/%').whereNot('mime', 'like', 'video/%').whereNot('mime', 'like', 'audio/%');
    }
    for (const c of query.conditions ?? []) {
      if (c.op === '$eq') base.where(c.column, c.value);
      else if (c.op === '$ne') base.whereNot(c.column, c.value);
      else
        base.whereRaw("?? LIKE ? ESCAPE '!'", [
          c.column,
          c.op === '$contains' ? `%${likeEscape(c.value)}%` : `${likeEscape(c.value)}%`,
        ]);
    }
    if (query.q) {
      const like = `%${likeEscape(query.q)}%`;
      base.where((w) => {
        w.whereRaw("?? LIKE ? ESCAPE '!'", ['name', like])
          .orWhereRaw("?? LIKE ? ESCAPE '!'", ['alternative_text', like])
          .orWhereRaw("?? LIKE ? ESCAPE '!'", ['caption', like]);
      });
    }
    const [{ total }] = await base.clone().count<Array<{ total: number | string }>>({ total: '*' });
    const rows = base.clone().select('*');
    for (const s of query.sort) rows.orderBy(s.column, s.order);
    rows
      .orderBy('id', 'asc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { results: await this.withFolderPaths(await rows), total: Number(total) };
  }

  /** The edit of the file stored under `key` (its original's), or null when no file has that key. */
  async editOfKey(key: string): Promise<ImageEdit | null> {
    const dot = key.lastIndexOf('.');
    if (dot < 1) return null;
    const row = await this.db<FileRow>(FILES)
      .where({ hash: key.slice(0, dot), ext: key.slice(dot) })
      .first<FileRow | undefined>('rotation', 'crop', 'focal_point');
    return row ? editOf(row) : null;
  }

  /** Files linked to many entries' field at once (one query: populate has no N+1). */
  async filesFor(entityTable: string, field: string, entityIds: readonly number[]): Promise<Map<number, MediaFile[]>> {
    const out = new Map<number, MediaFile[]>();
    if (entityIds.length === 0) return out;
    const rows = await this.db(LINKS)
      .join(FILES, `${FILES}.id`, `${LINKS}.file_id`)
      .where({ [`${LINKS}.entity_table`]: entityTable, [`${LINKS}.field`]: field })
      .whereIn(`${LINKS}.entity_id`, entityIds)
      .orderBy([{ column: `${LINKS}.entity_id` }, { column: `${LINKS}.position` }, { column: `${LINKS}.id` }])
      .select<Array<FileRow & { link_entity_id: number }>>(`${FILES}.*`, `${LINKS}.entity_id as link_entity_id`);
    const files = await this.withFolderPaths(rows);
    rows.forEach((row, i) => {
      const list = out.get(row.link_entity_id) ?? [];
      list.push(files[i]);
      out.set(row.link_entity_id, list);
    });
    return out;
  }

  private async withFolderPaths(rows: FileRow[]): Promise<MediaFile[]> {
    const folderIds = [...new Set(rows.map((r) => r.folder_id).filter((id): id is number => id != null))];
    const paths = new Map<number, string>();
    if (folderIds.length) {
      for (const f of await this.db<FolderRow>(FOLDERS).whereIn('id', folderIds).select<FolderRow[]>('id', 'path'))
        paths.set(f.id, f.path);
    }
    return rows.map((r) => toMediaFile(r, r.folder_id != null ? (paths.get(r.folder_id) ?? '/') : '/'));
  }

  // ---------------------------------------------------------------- writing

  /**
   * Uploads files: every file is checked and processed before anything is stored; then the bytes
   * go to storage and the rows are written in one transaction. A failure at any step leaves neither
   * rows nor stored objects behind.
   */
  async upload(files: IncomingFile[], infos: FileInfo[], options: UploadOptions = {}): Promise<MediaFile[]> {
    return this.uploadWithin(files, infos, options, (record) => this.db.transaction(record));
  }

  /**
   * `upload`, the rows written by `write` in the transaction it opens (see FileRecordWriter). The
   * bytes are stored before; a failure of `write` removes them.
   */
  async uploadWithin(
    files: IncomingFile[],
    infos: FileInfo[],
    options: UploadOptions,
    write: FileRecordWriter,
  ): Promise<MediaFile[]> {
    if (files.length === 0)
      throw ValidationError.fromErrors([
        { path: ['files'], message: 'No file was uploaded in the "files" field', name: 'ValidationError' },
      ]);
    for (const [i, info] of infos.entries())
      if (info.folder != null) await this.assertFolder(info.folder, ['fileInfo', i, 'folder']);
    const prepared: Prepared[] = [];
    for (const [i, file] of files.entries())
      prepared.push(await this.prepare(file, infos[i]?.name, options.allowedTypes, i));
    const stored: string[] = [];
    let ids: number[] = [];
    try {
      for (const p of prepared) {
        for (const o of p.objects) {
          await this.putObject(o);
          stored.push(o.key);
        }
      }
      // A write redone after a deadlock records the rows again: the last ids are the committed ones.
      await write(async (trx) => {
        ids = await this.insertFiles(trx, prepared, infos, options.userId);
        for (const [i, id] of ids.entries()) await options.written?.(trx, { id, name: prepared[i].name });
        return ids;
      });
    } catch (err) {
      await this.removeObjects(stored);
      throw err;
    }
    this.changed();
    return Promise.all(ids.map((id) => this.get(id)));
  }

  private async insertFiles(
    trx: Knex.Transaction,
    prepared: Prepared[],
    infos: FileInfo[],
    userId: number | undefined,
  ): Promise<number[]> {
    const now = new Date();
    const out: number[] = [];
    for (const [i, p] of prepared.entries()) {
      const info = infos[i] ?? {};
      const [id] = await trx(FILES).insert({
        document_id: newDocumentId(),
        name: p.name,
        alternative_text: info.alternativeText ?? null,
        caption: info.caption ?? null,
        ...this.contentColumns(p),
        preview_url: null,
        provider_metadata: null,
        folder_id: info.folder ?? null,
        created_at: now,
        updated_at: now,
        created_by_id: userId ?? null,
        updated_by_id: userId ?? null,
      });
      out.push(Number(id));
    }
    for (const id of out) await this.emit(trx, 'media.create', id);
    return out;
  }

  /**
   * The columns a file's content sets (an upload's and a replacement's alike). New content has no
   * edit: a crop or focal point chosen on the previous picture would not fit it.
   */
  private contentColumns(p: Prepared): Record<string, unknown> {
    return {
      rotation: 0,
      crop: null,
      focal_point: null,
      width: p.width,
      height: p.height,
      formats: p.formats ? JSON.stringify(p.formats) : null,
      hash: p.hash,
      ext: p.ext,
      mime: p.mime,
      size: kilobytes(p.sizeBytes),
      url: this.storage.url(`${p.hash}${p.ext}`),
      placeholder: p.placeholder,
      provider: this.storage.name,
    };
  }

  /**
   * New content for an existing file: same id, documentId, links, alt text and caption; the new file's name (or
   * fileInfo.name), a new hash and URLs.
   */
  async replace(
    id: number,
    file: IncomingFile,
    info: FileInfo = {},
    options: UploadOptions & { guard?: MediaGuard } = {},
  ): Promise<MediaFile> {
    const before = await this.getRow(id);
    const p = await this.prepare(file, info.name, options.allowedTypes, 0);
    const typesOf = await this.linkedFieldTypes();
    const stored: string[] = [];
    try {
      for (const o of p.objects) {
        await this.putObject(o);
        stored.push(o.key);
      }
      await this.db.transaction(async (trx) => {
        await this.checkFile(trx, id, options.guard);
        await trx(FILES)
          .where({ id })
          .update({
            name: p.name,
            ...(info.alternativeText !== undefined ? { alternative_text: info.alternativeText } : {}),
            ...(info.caption !== undefined ? { caption: info.caption } : {}),
            ...this.contentColumns(p),
            updated_at: new Date(),
            updated_by_id: options.userId ?? before.updated_by_id,
          });
        // After the update, which locks the row: a concurrent link waits for it (DocumentService
        // share-locks the files it links) or is committed and seen here.
        await this.assertLinksAccept(trx, id, p, typesOf);
        await this.emit(trx, 'media.update', id);
        await options.guard?.written?.(trx, { id, name: p.name });
      });
    } catch (err) {
      await this.removeObjects(stored);
      throw err;
    }
    this.changed();
    await this.removeStoredVariants(before);
    return this.get(id);
  }

  async updateInfo(id: number, info: FileInfo, userId?: number, guard?: MediaGuard): Promise<MediaFile> {
    await this.getRow(id);
    if (info.folder != null) await this.assertFolder(info.folder, ['folder']);
    const patch: Record<string, unknown> = { updated_at: new Date() };
    const name = info.name === undefined ? undefined : sanitizeFileName(info.name);
    if (name !== undefined) patch.name = name;
    if (info.alternativeText !== undefined) patch.alternative_text = info.alternativeText;
    if (info.caption !== undefined) patch.caption = info.caption;
    if (info.folder !== undefined) patch.folder_id = info.folder;
    if (userId !== undefined) patch.updated_by_id = userId;
    await this.db.transaction(async (trx) => {
      const file = await this.checkFile(trx, id, guard);
      await trx(FILES).where({ id }).update(patch);
      await this.emit(trx, 'media.update', id);
      await guard?.written?.(trx, { id, name: name ?? file.name });
    });
    this.changed();
    return this.get(id);
  }

  /**
   * Edits an image without touching its original: its formats are made anew from the original as
   * `edit` says (rotation, crop, focal point) under new keys, so that cached copies of the old ones
   * are never mistaken for the new; the old formats are removed once the change is committed. An
   * empty edit is a reset to the formats the upload made.
   */
  async editImage(
    id: number,
    edit: ImageEdit,
    options: { userId?: number; guard?: MediaGuard } = {},
  ): Promise<MediaFile> {
    const before = await this.getRow(id);
    if (!RASTER_MIMES.has(before.mime))
      throw ValidationError.fromErrors([
        { path: ['rotation'], message: `"${before.name}" is not an image Folio can edit`, name: 'ValidationError' },
      ]);
    assertEditFits(edit, { width: Number(before.width), height: Number(before.height) });
    const original = await readObject(this.storage, `${before.hash}${before.ext}`);
    const image = await this.queue.run(() => reformatImage(original, before.mime, this.options.maxInputPixels, edit));
    // A new hash for the formats only: the original keeps its key and URL.
    const { formats, objects } = this.formatObjects(image.variants, {
      name: before.name,
      hash: `${before.hash}_${randomBytes(4).toString('hex')}`,
      ext: before.ext,
      mime: before.mime,
    });
    const stored: string[] = [];
    let replaced: FileRow | undefined;
    try {
      for (const o of objects) {
        await this.putObject(o);
        stored.push(o.key);
      }
      await this.db.transaction(async (trx) => {
        replaced = await this.checkFile(trx, id, options.guard);
        if (replaced.hash !== before.hash)
          throw new ConflictError(`"${before.name}" was replaced meanwhile; edit it again`);
        await trx(FILES)
          .where({ id })
          .update({
            formats: formats ? JSON.stringify(formats) : null,
            placeholder: image.placeholder,
            rotation: edit.rotation,
            crop: edit.crop ? JSON.stringify(edit.crop) : null,
            focal_point: edit.focalPoint ? JSON.stringify(edit.focalPoint) : null,
            updated_at: new Date(),
            updated_by_id: options.userId ?? replaced.updated_by_id,
          });
        await this.emit(trx, 'media.update', id);
        await options.guard?.written?.(trx, { id, name: replaced.name });
      });
    } catch (err) {
      await this.removeObjects(stored);
      throw err;
    }
    this.changed();
    if (replaced) await this.removeFormats(replaced);
    return this.get(id);
  }

  /**
   * Deletes a file and every stored variant (original, formats, transforms). A file still linked
   * from entries is refused (409) unless `force`, which removes its links first.
   */
  async delete(
    id: number,
    options: { force?: boolean; beforeUnlink?: UnlinkHook; guard?: MediaGuard } = {},
  ): Promise<MediaFile> {
    const file = await this.get(id);
    const row = await this.getRow(id);
    await this.db
      .transaction(async (trx) => {
        await this.checkFile(trx, id, options.guard);
        const links = await trx(LINKS)
          .where({ file_id: id })
          .select<Array<{ entity_table: string; entity_id: number; field: string }>>(
            'entity_table',
            'entity_id',
            'field',
          );
        if (links.length && !options.force) {
          throw new ConflictError(
            `The file "${file.name}" is used by ${links.length} ${links.length === 1 ? 'entry' : 'entries'}; ` +
              `unlink it first or delete with force`,
            {
              links: links.map((l) => ({ entityTable: l.entity_table, entityId: l.entity_id, field: l.field })),
            },
          );
        }
        // The links go first: the hook then records the entries as they are without the file (their
        // revisions, server/content/revisions/); its failure still rolls the removal back.
        await trx(LINKS).where({ file_id: id }).delete();
        if (links.length)
          await options.beforeUnlink?.(
            trx,
            links.map((l) => ({ entityTable: l.entity_table, entityId: Number(l.entity_id), field: l.field })),
          );
        await trx(FILES).where({ id }).delete();
        for (const hook of this.inTransaction) await hook(trx, 'media.delete', file);
        await options.guard?.written?.(trx, { id, name: file.name });
      })
      .catch((err: unknown) => {
        if (isForeignKeyViolation(err))
          throw new ConflictError(`The file "${file.name}" was just linked to an entry; try again`);
        throw err;
      });
    this.changed();
    await this.removeStoredVariants(row);
    return file;
  }

  private changed(): void {
    for (const listener of this.afterChange) listener();
  }

  private async afterCommitted<T>(work: Promise<T>): Promise<T> {
    const result = await work;
    this.changed();
    return result;
  }

  // ---------------------------------------------------------------- links (content engine)

  /** Points an entry's media field at these files, in this order (replacing its previous links). */
  async setLinks(
    target: LinkTarget,
    fileIds: readonly number[],
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<void> {
    const unique = [...new Set(fileIds)];
    if (unique.length) {
      const found = await trx(FILES).whereIn('id', unique).select<Array<{ id: number }>>('id');
      const missing = unique.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) {
        throw ValidationError.fromErrors([
          { path: [target.field], message: `No file with id ${missing.join(', ')}`, name: 'ValidationError' },
        ]);
      }
    }
    const where = { entity_table: target.entityTable, entity_id: target.entityId, field: target.field };
    await trx(LINKS).where(where).delete();
    if (fileIds.length) {
      await trx(LINKS)
        .insert(fileIds.map((file_id, position) => ({ ...where, file_id, position })))
        .catch((err: unknown) => {
          if (isForeignKeyViolation(err))
            throw ValidationError.fromErrors([
              { path: [target.field], message: 'A file was deleted meanwhile', name: 'ValidationError' },
            ]);
          throw err;
        });
    }
  }

  async linksOf(target: LinkTarget, trx: Knex | Knex.Transaction = this.db): Promise<number[]> {
    const rows = await trx(LINKS)
      .where({ entity_table: target.entityTable, entity_id: target.entityId, field: target.field })
      .orderBy([{ column: 'position' }, { column: 'id' }])
      .select<Array<{ file_id: number }>>('file_id');
    return rows.map((r) => r.file_id);
  }

  /** An entry is gone: its media links go too (the files stay in the library). */
  async removeEntityLinks(
    entityTable: string,
    entityIds: readonly number[],
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<void> {
    if (entityIds.length)
      await trx(LINKS).where({ entity_table: entityTable }).whereIn('entity_id', entityIds).delete();
  }

  /** Every link row of a file: which rows (content-type versions or component instances) use it. */
  async linksOfFile(fileId: number): Promise<FileLink[]> {
    const rows = await this.db(LINKS)
      .where({ file_id: fileId })
      .orderBy('id')
      .select<Array<{ entity_table: string; entity_id: number; field: string }>>('entity_table', 'entity_id', 'field');
    return rows.map((l) => ({ entityTable: l.entity_table, entityId: Number(l.entity_id), field: l.field }));
  }

  async linkCount(fileId: number): Promise<number> {
    const [{ n }] = await this.db(LINKS).where({ file_id: fileId }).count<Array<{ n: number | string }>>({ n: '*' });
    return Number(n);
  }

  // ---------------------------------------------------------------- folders

  async listFolders(parent?: number | null): Promise<MediaFolder[]> {
    const q = this.db<FolderRow>(FOLDERS).orderBy([{ column: 'name' }, { column: 'id' }]);
    if (parent === null) q.whereNull('parent_id');
    else if (parent !== undefined) q.where('parent_id', parent);
    return (await q.select<FolderRow[]>('*')).map(toMediaFolder);
  }

  async getFolder(id: number): Promise<MediaFolder> {
    return toMediaFolder(await this.getFolderRow(id));
  }

  async createFolder(input: { name: string; parent?: number | null }, userId?: number): Promise<MediaFolder> {
    const name = this.folderName(input.name);
    return this.db.transaction(async (trx) => {
      const parent = input.parent != null ? await this.assertFolder(input.parent, ['parent'], trx) : null;
      await this.assertFreeFolderName(trx, name, parent?.id ?? null);
      const now = new Date();
      const [id] = await trx(FOLDERS).insert({
        document_id: newDocumentId(),
        name,
        parent_id: parent?.id ?? null,
        path: '/',
        created_at: now,
        updated_at: now,
        created_by_id: userId ?? null,
        updated_by_id: userId ?? null,
      });
      const path = `${parent ? parent.path : ''}/${Number(id)}`;
      await trx(FOLDERS).where({ id }).update({ path });
      return toMediaFolder((await trx<FolderRow>(FOLDERS).where({ id }).first()) as FolderRow);
    });
  }

  /** Renames and/or moves a folder (with its whole subtree). */
  async updateFolder(
    id: number,
    input: { name?: string; parent?: number | null },
    userId?: number,
    guard?: MediaGuard,
  ): Promise<MediaFolder> {
    // A file's shape carries its folder's path.
    return this.afterCommitted(
      this.db.transaction(async (trx) => {
        const folder = await this.checkFolder(trx, id, guard);
        const name = input.name !== undefined ? this.folderName(input.name) : folder.name;
        let parentId = folder.parent_id;
        let parentPath = folder.path.slice(0, folder.path.lastIndexOf('/'));
        if (input.parent !== undefined) {
          if (input.parent === null) {
            parentId = null;
            parentPath = '';
          } else {
            const parent = await this.assertFolder(input.parent, ['parent'], trx);
            if (parent.id === folder.id || parent.path.startsWith(`${folder.path}/`)) {
              throw ValidationError.fromErrors([
                {
                  path: ['parent'],
                  message: 'A folder cannot be moved into itself or one of its subfolders',
                  name: 'ValidationError',
                },
              ]);
            }
            parentId = parent.id;
            parentPath = parent.path;
          }
        }
        if (name !== folder.name || parentId !== folder.parent_id)
          await this.assertFreeFolderName(trx, name, parentId, id);
        const newPath = `${parentPath}/${id}`;
        await trx(FOLDERS)
          .where({ id })
          .update({
            name,
            parent_id: parentId,
            path: newPath,
            updated_at: new Date(),
            ...(userId !== undefined ? { updated_by_id: userId } : {}),
          });
        if (newPath !== folder.path) {
          const descendants = await trx<FolderRow>(FOLDERS)
            .where('path', 'like', `${folder.path}/%`)
            .select<FolderRow[]>('id', 'path');
          for (const d of descendants)
            await trx(FOLDERS)
              .where({ id: d.id })
              .update({ path: newPath + d.path.slice(folder.path.length) });
        }
        return toMediaFolder((await trx<FolderRow>(FOLDERS).where({ id }).first()) as FolderRow);
      }),
    );
  }

  /** Deletes an empty folder; one holding files or subfolders is refused (409). */
  async deleteFolder(id: number, guard?: MediaGuard): Promise<MediaFolder> {
    return this.db.transaction(async (trx) => {
      const folder = await this.checkFolder(trx, id, guard);
      const [{ n: files }] = await trx(FILES).where({ folder_id: id }).count<Array<{ n: number | string }>>({ n: '*' });
      const [{ n: children }] = await trx(FOLDERS)
        .where({ parent_id: id })
        .count<Array<{ n: number | string }>>({ n: '*' });
      if (Number(files) || Number(children)) {
        throw new ConflictError(
          `The folder "${folder.name}" is not empty (${Number(files)} files, ${Number(children)} folders)`,
        );
      }
      await trx(FOLDERS).where({ id }).delete();
      return toMediaFolder(folder);
    });
  }

  // ---------------------------------------------------------------- internals

  private folderName(raw: string): string {
    const name = sanitizeFileName(raw);
    if (!raw.trim() || name !== raw.trim()) {
      throw ValidationError.fromErrors([
        {
          path: ['name'],
          message: 'A folder name must be non-empty and contain no slashes or control characters',
          name: 'ValidationError',
        },
      ]);
    }
    return name;
  }

  private async assertFreeFolderName(
    trx: Knex.Transaction,
    name: string,
    parentId: number | null,
    except?: number,
  ): Promise<void> {
    const q = trx(FOLDERS).where({ name });
    if (parentId === null) q.whereNull('parent_id');
    else q.where({ parent_id: parentId });
    if (except !== undefined) q.whereNot({ id: except });
    if (await q.first())
      throw ValidationError.fromErrors([
        { path: ['name'], message: `A folder named "${name}" already exists here`, name: 'ValidationError' },
      ]);
  }

  /** 400 when a field linking file `id` would not accept the replacement's type (its `allowedTypes`). */
  private async assertLinksAccept(
    trx: Knex.Transaction,
    id: number,
    replacement: Prepared,
    typesOf: Awaited<ReturnType<LinkedFieldTypes>>,
  ): Promise<void> {
    const fields = await trx(LINKS)
      .where({ file_id: id })
      .distinct<Array<{ entity_table: string; field: string }>>('entity_table', 'field');
    for (const link of fields) {
      const allowedTypes = typesOf(link.entity_table, link.field);
      if (fieldAccepts(allowedTypes, replacement.mime)) continue;
      const message =
        `"${replacement.name}" is ${categoryOf(replacement.mime)}; ` +
        `the file is linked through "${link.field}", which accepts ${(allowedTypes ?? []).join(', ')}`;
      throw ValidationError.fromErrors([{ path: ['files', 0], message, name: 'ValidationError' }], message);
    }
  }

  /** Hands a file, read inside the transaction, to the in-transaction hooks. */
  private async emit(trx: Knex.Transaction, event: MediaEvent, id: number): Promise<void> {
    if (!this.inTransaction.length) return;
    const row = (await trx<FileRow>(FILES).where({ id }).first()) as FileRow;
    const file = toMediaFile(row);
    for (const hook of this.inTransaction) await hook(trx, event, file);
  }

  /**
   * Who uploaded a file, or created a folder (null: the CLI, the demo or an API token), for
   * permissions limited to one's own. A missing one is a 404.
   */
  async creatorOf(id: number, kind: 'file' | 'folder' = 'file'): Promise<number | null> {
    const row = await this.db(kind === 'file' ? FILES : FOLDERS)
      .where({ id })
      .first<{ created_by_id: number | null } | undefined>('created_by_id');
    if (!row) throw new NotFoundError(`No ${kind} with id ${id}`);
    return row.created_by_id === null ? null : Number(row.created_by_id);
  }

  /** Who created each of these files (or folders), in one query (the admin lists show what each may do). */
  async creatorsOf(ids: readonly number[], kind: 'file' | 'folder' = 'file'): Promise<Map<number, number | null>> {
    if (!ids.length) return new Map();
    const rows = await this.db(kind === 'file' ? FILES : FOLDERS)
      .whereIn('id', [...ids])
      .select<{ id: number; created_by_id: number | null }[]>('id', 'created_by_id');
    return new Map(rows.map((r) => [Number(r.id), r.created_by_id === null ? null : Number(r.created_by_id)]));
  }

  private async getRow(id: number): Promise<FileRow> {
    const row = await this.db<FileRow>(FILES).where({ id }).first<FileRow | undefined>();
    if (!row) throw new NotFoundError(`No file with id ${id}`);
    return row;
  }

  /** A folder named in a request body: missing is a 400 on that path, not a 404 of the route. */
  private async assertFolder(
    id: number,
    path: (string | number)[],
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<FolderRow> {
    const row = await trx<FolderRow>(FOLDERS).where({ id }).first<FolderRow | undefined>();
    if (!row) throw ValidationError.fromErrors([{ path, message: `No folder with id ${id}`, name: 'ValidationError' }]);
    return row;
  }

  /** The row of a file or folder, locked until the commit on MySQL (SQLite writes one at a time). */
  private async lockedRow<R extends FileRow | FolderRow>(
    trx: Knex.Transaction,
    kind: 'file' | 'folder',
    id: number,
  ): Promise<R> {
    const query = trx(kind === 'file' ? FILES : FOLDERS)
      .where({ id })
      .first();
    if (dialectOf(trx) === 'mysql') query.forUpdate();
    const row = (await query) as R | undefined;
    if (!row) throw new NotFoundError(`No ${kind} with id ${id}`);
    return row;
  }

  /** The file as it is inside the change's transaction, shown to the guard's check. */
  private async checkFile(trx: Knex.Transaction, id: number, guard: MediaGuard | undefined): Promise<FileRow> {
    const row = await this.lockedRow<FileRow>(trx, 'file', id);
    await guard?.check?.(trx, { ...toMediaFile(row), createdBy: creatorOfRow(row) });
    return row;
  }

  private async checkFolder(trx: Knex.Transaction, id: number, guard: MediaGuard | undefined): Promise<FolderRow> {
    const row = await this.lockedRow<FolderRow>(trx, 'folder', id);
    await guard?.check?.(trx, { ...toMediaFolder(row), createdBy: creatorOfRow(row) });
    return row;
  }

  private async getFolderRow(id: number, trx: Knex | Knex.Transaction = this.db): Promise<FolderRow> {
    const row = await trx<FolderRow>(FOLDERS).where({ id }).first<FolderRow | undefined>();
    if (!row) throw new NotFoundError(`No folder with id ${id}`);
    return row;
  }

  private async prepare(
    file: IncomingFile,
    name: string | undefined,
    allowedTypes: readonly string[] | undefined,
    index: number,
  ): Promise<Prepared> {
    const fail = (message: string) =>
      ValidationError.fromErrors([{ path: ['files', index], message, name: 'ValidationError' }], message);
    const displayName = sanitizeFileName(name ?? file.filename);
    if (file.size === 0) throw fail(`"${displayName}" is empty`);
    const type = await sniffType(file.path, sanitizeFileName(file.filename));
    if (!type) throw fail(`The content of "${displayName}" is not a file type Folio accepts`);
    if (!isAllowedMime(type.mime)) throw fail(`"${displayName}" is ${type.mime}, which is not allowed`);
    if (!fieldAccepts(allowedTypes, type.mime)) {
      throw fail(`"${displayName}" is ${categoryOf(type.mime)}; this field accepts ${(allowedTypes ?? []).join(', ')}`);
    }
    const hash = `${slugOf(displayName)}_${randomBytes(5).toString('hex')}`;
    const key = `${hash}${type.ext}`;
    const objects: StoredObjectPlan[] = [];
    const base = { name: displayName, hash, ext: type.ext, mime: type.mime };

    if (!RASTER_MIMES.has(type.mime)) {
      objects.push({ key, mime: type.mime, body: { path: file.path, size: file.size } });
      return { ...base, width: null, height: null, sizeBytes: file.size, placeholder: null, formats: null, objects };
    }

    const image = await this.queue.run(() => processImage(file.path, type.mime, this.options.maxInputPixels));
    const sizeBytes = image.original ? image.original.length : file.size;
    objects.push({ key, mime: type.mime, body: image.original ?? { path: file.path, size: file.size } });
    const formats = this.formatObjects(image.variants, { name: displayName, hash, ext: type.ext, mime: type.mime });
    objects.push(...formats.objects);
    return {
      ...base,
      width: image.width,
      height: image.height,
      sizeBytes,
      placeholder: image.placeholder,
      formats: formats.formats,
      objects,
    };
  }

  /** The stored objects and `formats` of an image's variants, keyed `<format>_<hash><ext>`. */
  private formatObjects(
    variants: readonly ImageVariant[],
    file: { name: string; hash: string; ext: string; mime: string },
  ): { formats: Record<string, MediaFormat> | null; objects: StoredObjectPlan[] } {
    const formats: Record<string, MediaFormat> = {};
    const objects: StoredObjectPlan[] = [];
    for (const v of variants) {
      const hash = `${v.name}_${file.hash}`;
      const key = `${hash}${file.ext}`;
      objects.push({ key, mime: file.mime, body: v.data });
      formats[v.name] = {
        name: `${v.name}_${file.name}`,
        hash,
        ext: file.ext,
        mime: file.mime,
        path: null,
        width: v.width,
        height: v.height,
        size: kilobytes(v.data.length),
        sizeInBytes: v.data.length,
        url: this.storage.url(key),
      };
    }
    return { formats: Object.keys(formats).length ? formats : null, objects };
  }

  private async putObject(o: StoredObjectPlan): Promise<void> {
    if (Buffer.isBuffer(o.body)) await this.storage.put(o.key, o.body, o.mime, o.body.length);
    else await this.storage.put(o.key, createReadStream(o.body.path), o.mime, o.body.size);
  }

  private async removeObjects(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.storage.delete(key);
      } catch (err) {
        this.logger.warn({ err, key }, 'could not remove a stored media object');
      }
    }
  }

  private async removeStoredVariants(row: FileRow): Promise<void> {
    await this.removeKeys([`${row.hash}${row.ext}`, ...formatKeys(row)]);
  }

  /** A row's formats and their transforms (the original stays: an edit made them anew). */
  private async removeFormats(row: FileRow): Promise<void> {
    await this.removeKeys(formatKeys(row));
  }

  /** Stored objects and the transforms made of each. */
  private async removeKeys(keys: string[]): Promise<void> {
    await this.removeObjects(keys);
    for (const key of keys) {
      try {
        await this.storage.deletePrefix(transformPrefix(key.slice(0, key.lastIndexOf('.'))));
      } catch (err) {
        this.logger.warn({ err, key }, 'could not remove stored transforms');
      }
    }
  }
}
