// The document engine: the one way content is written (docs/architecture.md, "The document model").
//
// - A document (documentId) has at most one row per (locale, status) in its type's table; draft and
//   published are separate rows. Editing changes the draft; publishing copies the draft row onto the
//   published row (updated in place, so the published id is stable) with its relation links, media
//   links and a deep copy of its component instances. Types without draft & publish keep a single
//   'published' row whose publishedAt is its creation time.
// - Relation links go from a source ROW (entity_id: that version) to a target DOCUMENT
//   (target_document_id); `position` orders to-many links. Reads resolve the target's version of the
//   same status, so publishing never re-points links.
// - Writes through the inverse (mappedBy) side change the OWNER's links, on the owner rows of the
//   same status as the version written. When the owner type has draft & publish and the written type
//   does not (it only has 'published' rows), both the owner's draft and published rows are changed, so
//   that the owner's next publish does not undo the change. When the owner type has no draft &
//   publish, its single 'published' row is changed.
// - Each write is one transaction; nothing is left behind when it fails. Side effects (webhooks,
//   cache invalidation, revisions later) subscribe to `afterCommit`: the one place they hang.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/crypto.js';
import type { Knex } from 'knex';
import { ApplicationError, FolioError, NotFoundError, ValidationError, type BodyErrorItem } from '../errors.js';
import type {
  ComponentModel,
  ContentTypeModel,
  Field,
  MediaField,
  RelationField,
  ScalarField,
  SchemaModel,
  SchemaSource,
} from '../schema/model.js';
import {
  COMPONENT_LINK_COLUMNS as CL,
  FILE_LINK_COLUMNS as FL,
  FILE_LINK_TABLE,
  RELATION_LINK_COLUMNS as RL,
  SYSTEM_COLUMNS as S,
  componentLinkTable,
} from '../schema/naming.js';
import {
  parseInput,
  referencedDocuments,
  UID_SLUG,
  type ComponentInput,
  type ParsedInput,
  type Path,
  type RelationInput,
} from './input.js';
import { dialectOf } from '../db/connection.js';
import { isDeadlock, isLockWaitTimeout, isMissingReference, isUniqueViolation } from '../db/errors.js';
import { NO_LOCALE, resolveLocale } from './locales.js';
import { readDefaultLocale } from './locale-service.js';
import { decodeScalar, rewritable, toIsoDateTime, type Row } from './values.js';
import { categoryOf, fieldAccepts } from '../media/types.js';
import { slugify } from '../slug.js';
import { EncryptionError, type FieldCipher } from '../encryption/cipher.js';
import { isEncrypted } from '../schema/text-attributes.js';
import { newDocumentId } from './document-id.js';
import { SCHEMA_TABLE } from '../schema/registry.js';

export type Status = 'draft' | 'published';

/** One version (locale × status) of a document, its scalar attributes decoded by name. */
export interface DocumentEntry {
  id: number;
  documentId: string;
  locale: string;
  status: Status;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  createdBy: number | null;
  updatedBy: number | null;
  /** Scalar attributes (private and password ones included: callers strip them; encrypted ones never). */
  values: Record<string, unknown>;
}

export interface WriteOptions {
  data: unknown;
  locale?: string;
  /** On draft & publish types: 'published' (default) publishes after writing; 'draft' keeps a draft. */
  status?: Status;
  /** Admin user id, stored as createdBy/updatedBy. */
  userId?: number;
  /** Who asked: handed to the in-transaction hooks. */
  origin?: WriteOrigin;
}

/**
 * The version a write is about to act on, handed to its hooks inside the write's transaction, after
 * the document's rows are locked: the editable version (the draft; the single 'published' row on
 * types without draft & publish) in the locale written, or null when the document has no version
 * in this locale yet (a create, or an update creating the locale).
 */
export interface EditableVersion {
  trx: Knex.Transaction;
  schema: SchemaModel;
  type: ContentTypeModel;
  documentId: string;
  locale: string;
  row: DocumentEntry | null;
}

/**
 * What a caller-aware operation hangs into one write, inside its transaction (no check-then-act).
 * The same two points on every write method; `R` is what the write answers.
 */
export interface WriteHooks<V = EditableVersion, R = DocumentEntry> {
  /** After the document is locked, before anything is written: the caller's checks throw here. */
  check?: (version: V) => Promise<void>;
  /** After the write, before the commit (the audit row): its failure rolls the write back. */
  written?: (trx: Knex.Transaction, result: R) => Promise<void>;
}

/** An update's hooks: `prepare` also answers the data to write (given `options.data`). */
export interface UpdateHooks extends Omit<WriteHooks, 'check'> {
  /**
   * Before anything is parsed or written: answers the data to write (given `options.data`). The
   * caller's checks throw here; so may a computed write (appending to a media field).
   */
  prepare?: (version: EditableVersion, data: unknown) => Promise<unknown>;
}

/** The rows a delete is about to remove (every status; one locale, or every locale), locked. */
export interface DeletedVersions {
  trx: Knex.Transaction;
  schema: SchemaModel;
  type: ContentTypeModel;
  documentId: string;
  /** The locale deleted; undefined: every locale. */
  locale?: string;
  rows: DocumentEntry[];
}

/**
 * Who asked for a write, handed to the in-transaction hooks: the operation (server/content/operations)
 * and its caller. The hook point where a revision is recorded with its author, in the write's
 * transaction. Writes made directly on the DocumentService (schema reshaping, tests) have none.
 */
export interface WriteOrigin {
  operation: string;
  caller: { kind: string; id?: number };
}

export interface CreateOptions extends WriteOptions {
  hooks?: WriteHooks;
}

export interface UpdateOptions extends WriteOptions {
  hooks?: UpdateHooks;
}

export interface VersionOptions {
  locale?: string;
  userId?: number;
  hooks?: WriteHooks;
  origin?: WriteOrigin;
  /** Write inside this batch's transaction (DocumentService.batch) instead of one of its own. */
  batch?: WriteBatch;
}

/**
 * Several version writes in one transaction: all commit or none does (a release). Each write in it
 * runs its checks and in-transaction hooks as it would alone (its audit row, outbox events and
 * revision); the after-commit hooks run once the batch committed, with every event of the batch.
 * The schema and default locale are read before the transaction opens: on SQLite the transaction
 * holds the one connection, so nothing in a batch may read outside it.
 */
export interface WriteBatch {
  readonly trx: Knex.Transaction;
  readonly schema: SchemaModel;
  readonly defaultLocale: string;
  /** @internal The batch's events so far, in order. */
  readonly events: DocumentEvent[];
}

export interface DeleteOptions {
  locale?: string;
  hooks?: WriteHooks<DeletedVersions, number>;
  origin?: WriteOrigin;
}

export type DocumentAction = 'create' | 'update' | 'delete' | 'publish' | 'unpublish' | 'discardDraft';

export interface DocumentEvent {
  action: DocumentAction;
  uid: string;
  documentId: string;
  /** The locale written ('' for non-localized types; undefined for a delete of every locale). */
  locale?: string;
}

/** Runs after the write's transaction committed; its failure is reported, never undoes the write. */
export type AfterCommitHook = (event: DocumentEvent) => void | Promise<void>;

/**
 * Runs once per committed transaction with all of its events (a release publishing fifty documents
 * commits once: a cache is invalidated once, sites see the whole release change at once).
 */
export type CommitHook = (events: readonly DocumentEvent[]) => void | Promise<void>;

/**
 * Runs inside the write's transaction, after the write and before the commit, with every event the
 * write produced and the version it answers (null for a delete). Its failure rolls the write back:
 * this is where side effects that must not be lost are recorded (the outbox). It must query through
 * `trx` only: on SQLite the transaction holds the one connection.
 */
export type InTransactionHook = (
  trx: Knex.Transaction,
  events: readonly DocumentEvent[],
  entry: DocumentEntry | null,
  schema: SchemaModel,
  origin?: WriteOrigin,
) => Promise<void>;

type Model = ContentTypeModel | ComponentModel;

/** The version editors write: the draft on draft & publish types, the single 'published' row otherwise. */
export function editableStatus(type: ContentTypeModel): Status {
  return type.draftAndPublish ? 'draft' : 'published';
}

interface Scope {
  trx: Knex.Transaction;
  schema: SchemaModel;
  events: DocumentEvent[];
  /** 1 for the first try of a write, then 2, 3… when it is redone after a race or a deadlock. */
  attempt: number;
  /** Columns whose uid this attempt generated (a clash on them is a lost race, not the input's fault). */
  generated: Set<string>;
}

/**
 * A uid generated by this write was committed by a concurrent one between the pick and the check
 * (reads see other commits under READ COMMITTED): the write is redone and picks again.
 */
class GeneratedUidTaken extends Error {}

/** The media library's files (migration 0200 of the media module); links reference its ids. */
const FILE_TABLE = 'folio_files';

interface MediaReference {
  fileId: number;
  path: Path;
  /** The attribute's `allowedTypes` (images, videos, audios, files); none: any accepted file. */
  allowedTypes?: readonly string[];
}

/** Every file an input links, with the attribute linking it, through components too. */
function mediaReferences(
  model: Model,
  input: ParsedInput,
  schema: SchemaModel,
  out: MediaReference[] = [],
  base: Path = [],
): MediaReference[] {
  for (const [name, ids] of input.media) {
    const field = model.fields.get(name) as MediaField;
    for (const fileId of ids) out.push({ fileId, path: [...base, name], allowedTypes: field.attribute.allowedTypes });
  }
  for (const [name, instances] of input.components) {
    instances.forEach((instance, i) => {
      mediaReferences(schema.components.get(instance.component) as ComponentModel, instance.values, schema, out, [
        ...base,
        name,
        i,
      ]);
    });
  }
  return out;
}

/**
 * Now, or a millisecond after `previous` when the clock has not moved past it: every update of a
 * version moves its updatedAt forward, so that (documentId, locale, updatedAt) names one state of
 * the editable version (the admin API's ETag, server/content/operations/version-tag.ts).
 */
function laterThan(previous: unknown): Date {
  const before = Date.parse(toIsoDateTime(previous) ?? '');
  return new Date(Number.isNaN(before) ? Date.now() : Math.max(Date.now(), before + 1));
}

/** How often a write that lost a race on a unique index is redone before its 400 stands. */
const MAX_WRITE_ATTEMPTS = 10;

const UNIQUE_MESSAGE = 'This attribute must be unique';

function isTo1Exclusive(field: RelationField): boolean {
  // A target can be held by only one source: oneToOne, and oneToMany from the owner's side.
  return field.attribute.relation === 'oneToOne' || field.attribute.relation === 'oneToMany';
}

function ownedRelations(model: Model): RelationField[] {
  return [...model.fields.values()].filter((f): f is RelationField => f.kind === 'relation' && f.owner);
}

function hasComponentFields(model: Model): boolean {
  return [...model.fields.values()].some((f) => f.kind === 'component' || f.kind === 'dynamiczone');
}

function hasMediaFields(model: Model): boolean {
  return [...model.fields.values()].some((f) => f.kind === 'media');
}

/**
 * `SELECT *` of a model's table. SQLite hands 64-bit integers back as JS numbers (losing digits
 * beyond 2^53), so biginteger columns are read as text there.
 */
function selectRow(db: Knex, model: Model): Knex.QueryBuilder<Row, Row[]> {
  const big = model.scalars.filter((f) => f.attribute.type === 'biginteger');
  if (!big.length || dialectOf(db) !== 'sqlite') return db<Row>(model.table).select<Row[]>('*');
  const casts = big.map((f) => db.raw('CAST(?? AS TEXT) AS ??', [f.column, f.column]));
  return db<Row>(model.table).select<Row[]>(`${model.table}.*`, ...casts);
}

/** A row's locale column ('' on types without i18n). */
function localeOfRow(row: Row): string {
  const locale = row[S.locale];
  return typeof locale === 'string' ? locale : NO_LOCALE;
}

function insertedId(result: unknown): number {
  const first: unknown = Array.isArray(result) ? result[0] : result;
  return Number(typeof first === 'object' && first !== null ? Object.values(first)[0] : first);
}

function isDocumentEntry(value: unknown): value is DocumentEntry {
  return typeof value === 'object' && value !== null && 'documentId' in value && 'values' in value;
}

/** What the engine asks of the configured locales (LocaleService). */
export interface DocumentLocales {
  assertWritable(code: string): Promise<void>;
  defaultCode(): Promise<string>;
}

/** The side effects a DocumentService runs around its writes, given when it is built. */
export interface DocumentHooks {
  /** An afterCommit hook failed: the write stands, the failure is reported here. */
  onHookError: (err: unknown, event: DocumentEvent) => void;
  inTransaction?: readonly InTransactionHook[];
  afterCommit?: readonly AfterCommitHook[];
  /** Once per committed transaction, after the per-event afterCommit hooks. */
  committed?: readonly CommitHook[];
}

export class DocumentService {
  /** Side effects of committed writes (outbox, cache, revisions): the one place to hang them. */
  readonly afterCommit: AfterCommitHook[];
  /** Side effects of a committed transaction as a whole (cache invalidation): once per commit. */
  readonly committed: CommitHook[];
  /** Side effects recorded in the write's own transaction (the webhook outbox). */
  readonly inTransaction: InTransactionHook[];
  private readonly onHookError: DocumentHooks['onHookError'];
  private fileLinksPresent: boolean | undefined;
  /**
   * MySQL writes run under READ COMMITTED: under InnoDB's default REPEATABLE READ, the inserts into
   * link tables take gap locks on their secondary indexes, and concurrent creates linking to the same
   * category deadlocked one another (the bench's seeding failed at 16 writers). Every check a write
   * makes is backed by a unique index and the retry below, so the weaker isolation loses nothing.
   * (Binary logging must then be ROW or MIXED, the default of MariaDB and MySQL 8.)
   */
  private readonly transactionConfig: Knex.TransactionConfig | undefined;

  constructor(
    private readonly db: Knex,
    private readonly schemaSource: SchemaSource,
    /** The configured locales (Settings › Locales): localized writes must name one of them. */
    private readonly locales: DocumentLocales,
    hooks: DocumentHooks,
    /** Seals the values of encrypted attributes before they are written (server/encryption/). */
    private readonly cipher?: FieldCipher,
  ) {
    this.onHookError = hooks.onHookError;
    this.inTransaction = [...(hooks.inTransaction ?? [])];
    this.afterCommit = [...(hooks.afterCommit ?? [])];
    this.committed = [...(hooks.committed ?? [])];
    this.transactionConfig = dialectOf(db) === 'mysql' ? { isolationLevel: 'read committed' } : undefined;
  }

  // ---------------------------------------------------------------- public API

  /** A new document. `hooks` run inside the write's transaction: the caller's checks, the audit row. */
  async create(uid: string, options: CreateOptions): Promise<DocumentEntry> {
    const schema = await this.schemaSource.current();
    const type = this.typeOf(schema, uid);
    const locale = await this.localeOf(type, options.locale);
    if (type.localized) await this.locales.assertWritable(locale);
    const { check, written } = options.hooks ?? {};
    return this.run(schema, options.origin, undefined, async (scope) => {
      const documentId = newDocumentId();
      // The caller's checks come first: a field it may not write is a 403 before the input is judged.
      if (check) await check({ trx: scope.trx, schema, type, documentId, locale, row: null });
      const input = await this.parsed(schema, type, options.data, true);
      if (type.kind === 'singleType') await this.assertSingleTypeEmpty(scope.trx, type);
      const entry = await this.createVersion(scope, type, documentId, locale, input, options);
      if (written) await written(scope.trx, entry);
      return entry;
    });
  }

  /**
   * Partial update of one locale's version (the draft on draft & publish types). A locale the
   * document does not have yet is created (all required attributes then apply). `hooks` run inside
   * the write's transaction: the caller's checks on the version written, and the audit row.
   */
  async update(uid: string, documentId: string, options: UpdateOptions): Promise<DocumentEntry> {
    const schema = await this.schemaSource.current();
    const type = this.typeOf(schema, uid);
    const locale = await this.localeOf(type, options.locale);
    if (type.localized) await this.locales.assertWritable(locale);
    return this.run(schema, options.origin, undefined, async (scope) => {
      const { trx } = scope;
      const [any] = await this.lockDocument(trx, type, documentId);
      if (!any) throw new NotFoundError(`No ${type.singularName} with documentId "${documentId}"`);
      const editable = editableStatus(type);
      const row = await this.findRow(trx, type, documentId, locale, editable);
      const { prepare, written } = options.hooks ?? {};
      const data = prepare
        ? await prepare(
            { trx, schema, type, documentId, locale, row: row ? this.entryOf(type, row) : null },
            options.data,
          )
        : options.data;
      const entry = row
        ? await this.updateVersion(scope, type, row, data, options)
        : await this.createVersion(
            scope,
            type,
            documentId,
            locale,
            await this.parsed(schema, type, data, true),
            options,
          );
      if (written) await written(trx, entry);
      return entry;
    });
  }

  /** One version of a document; by default the published one (the draft on request). */
  async findOne(
    uid: string,
    documentId: string,
    options: { locale?: string; status?: Status } = {},
  ): Promise<DocumentEntry | null> {
    const schema = await this.schemaSource.current();
    const type = this.typeOf(schema, uid);
    const locale = await this.localeOf(type, options.locale);
    const row = await this.findRow(this.db, type, documentId, locale, options.status ?? 'published');
    return row ? this.entryOf(type, row) : null;
  }

  /** The documentId of a single type's entry (any locale, any status), if it has one. */
  async singleDocumentId(uid: string): Promise<string | null> {
    const schema = await this.schemaSource.current();
    const type = this.typeOf(schema, uid);
    const row = await this.db(type.table).orderBy(S.id).first<Row | undefined>(S.documentId);
    return row ? String(row[S.documentId]) : null;
  }

  /**
   * Deletes a document (every locale and status), or one locale of it. Links pointing at the
   * document are removed once no version of it is left. Returns the number of rows deleted.
   */
  async delete(uid: string, documentId: string, options: DeleteOptions = {}): Promise<number> {
    return this.deleteMany(uid, [documentId], options);
  }

  /**
   * Deletes documents in one transaction: all of them or none (`hooks.check` runs on each, before
   * any row is removed). Returns the number of rows deleted.
   */
  async deleteMany(uid: string, documentIds: readonly string[], options: DeleteOptions = {}): Promise<number> {
    const schema = await this.schemaSource.current();
    const type = this.typeOf(schema, uid);
    const locale = options.locale === undefined ? undefined : await this.localeOf(type, options.locale);
    const { check, written } = options.hooks ?? {};
    return this.run(schema, options.origin, undefined, async (scope) => {
      const { trx } = scope;
      const doomed: Array<{ documentId: string; rows: Row[] }> = [];
      // A document named twice is deleted once.
      for (const documentId of new Set(documentIds)) {
        await this.lockDocument(trx, type, documentId);
        const query = selectRow(trx, type).where(S.documentId, documentId);
        if (locale !== undefined) query.andWhere(S.locale, locale);
        const rows: Row[] = await query;
        if (!rows.length) throw new NotFoundError(`No ${type.singularName} with documentId "${documentId}"`);
        if (check) await check({ trx, schema, type, documentId, locale, rows: rows.map((r) => this.entryOf(type, r)) });
        doomed.push({ documentId, rows });
      }
      let count = 0;
      for (const { documentId, rows } of doomed) {
        for (const row of rows) await this.deleteRow(scope, type, Number(row[S.id]));
        const left = await trx(type.table).where(S.documentId, documentId).first<Row | undefined>(S.id);
        if (!left) await this.deleteIncomingLinks(scope, uid, documentId);
        scope.events.push({ action: 'delete', uid, documentId, locale });
        count += rows.length;
      }
      if (written) await written(trx, count);
      return count;
    });
  }

  async publish(uid: string, documentId: string, options: VersionOptions = {}): Promise<DocumentEntry> {
    const schema = options.batch?.schema ?? (await this.schemaSource.current());
    const type = this.typeWithDraftAndPublish(schema, uid);
    const locale = await this.localeOf(type, options.locale, options.batch);
    return this.run(schema, options.origin, options.batch, async (scope) => {
      await this.checkVersion(scope, type, documentId, locale, options.hooks);
      const entry = await this.publishIn(scope, type, documentId, locale, options.userId);
      await options.hooks?.written?.(scope.trx, entry);
      return entry;
    });
  }

  /** Removes the published version; the draft stays. */
  async unpublish(uid: string, documentId: string, options: VersionOptions = {}): Promise<DocumentEntry> {
    const schema = options.batch?.schema ?? (await this.schemaSource.current());
    const type = this.typeWithDraftAndPublish(schema, uid);
    const locale = await this.localeOf(type, options.locale, options.batch);
    return this.run(schema, options.origin, options.batch, async (scope) => {
      await this.checkVersion(scope, type, documentId, locale, options.hooks);
      const draft = await this.requireRow(scope.trx, type, documentId, locale, 'draft');
      const published = await this.findRow(scope.trx, type, documentId, locale, 'published');
      if (published) await this.deleteRow(scope, type, Number(published[S.id]));
      scope.events.push({ action: 'unpublish', uid, documentId, locale });
      const entry = this.entryOf(type, draft);
      await options.hooks?.written?.(scope.trx, entry);
      return entry;
    });
  }

  /** Replaces the draft by a copy of the published version. */
  async discardDraft(uid: string, documentId: string, options: VersionOptions = {}): Promise<DocumentEntry> {
    const schema = options.batch?.schema ?? (await this.schemaSource.current());
    const type = this.typeWithDraftAndPublish(schema, uid);
    const locale = await this.localeOf(type, options.locale, options.batch);
    return this.run(schema, options.origin, options.batch, async (scope) => {
      await this.checkVersion(scope, type, documentId, locale, options.hooks);
      const published = await this.findRow(scope.trx, type, documentId, locale, 'published');
      if (!published) {
        await this.requireRow(scope.trx, type, documentId, locale, 'draft');
        throw new ValidationError('The document has no published version to go back to');
      }
      const draft = await this.findRow(scope.trx, type, documentId, locale, 'draft');
      // The draft becomes the published version again, timestamp included: a draft newer than its
      // published version is what "modified since published" means to the admin.
      const draftId = await this.copyVersion(
        scope,
        type,
        published,
        draft,
        { [S.publishedAt]: null, [S.updatedAt]: rewritable(published[S.updatedAt]) },
        'draft',
      );
      scope.events.push({ action: 'discardDraft', uid, documentId, locale });
      const entry = this.entryOf(type, await this.rowById(scope.trx, type, draftId));
      await options.hooks?.written?.(scope.trx, entry);
      return entry;
    });
  }

  /**
   * Why publishing the draft in `locale` would be refused now (the checks a publish makes: required
   * attributes, unique values), or null when it would go through; NotFoundError when there is no
   * draft. Reads only (a release page lists each entry's state this way).
   */
  async publishProblem(uid: string, documentId: string, locale: string | undefined): Promise<ValidationError | null> {
    const schema = await this.schemaSource.current();
    const type = this.typeWithDraftAndPublish(schema, uid);
    const code = await this.localeOf(type, locale);
    const check = async (trx: Knex.Transaction) => {
      const scope: Scope = { trx, schema, events: [], attempt: 1, generated: new Set() };
      const draft = await this.requireRow(trx, type, documentId, code, 'draft');
      await this.checkPublishable(scope, type, draft);
      const columns: Row = {};
      for (const field of type.scalars) columns[field.column] = draft[field.column];
      await this.checkUnique(scope, type, columns, { locale: code, status: 'published', documentId });
    };
    try {
      await this.db.transaction(check);
      return null;
    } catch (err) {
      if (err instanceof ValidationError) return err;
      throw err;
    }
  }

  /** Locks the document and hands its draft in `locale` (or null) to the caller's checks. */
  private async checkVersion(
    scope: Scope,
    type: ContentTypeModel,
    documentId: string,
    locale: string,
    hooks?: WriteHooks,
  ): Promise<void> {
    const { trx, schema } = scope;
    await this.lockDocument(trx, type, documentId);
    if (!hooks?.check) return;
    const draft = await this.findRow(trx, type, documentId, locale, 'draft');
    await hooks.check({ trx, schema, type, documentId, locale, row: draft ? this.entryOf(type, draft) : null });
  }

  // ---------------------------------------------------------------- schema evolution

  /**
   * After a type's draftAndPublish option changed (schema apply, in the caller's transaction, with
   * the new model): gives its documents the versions the option now means.
   * - turned on: every published version without a draft gets one (a copy: links, media, components);
   * - turned off: a document's draft goes where a published version exists (that version is the
   *   single row from now on); a draft-only document is published as it is.
   */
  async reshapeVersions(
    trx: Knex.Transaction,
    schema: SchemaModel,
    uid: string,
    draftAndPublish: boolean,
  ): Promise<void> {
    const type = this.typeOf(schema, uid);
    const scope: Scope = { trx, schema, events: [], attempt: 1, generated: new Set() };
    const sibling = (status: Status) => (q: Knex.QueryBuilder) => {
      q.select(S.id)
        .from({ other: type.table })
        .whereRaw('?? = ??', [`other.${S.documentId}`, `${type.table}.${S.documentId}`])
        .whereRaw('?? = ??', [`other.${S.locale}`, `${type.table}.${S.locale}`])
        .where(`other.${S.status}`, status);
    };
    if (draftAndPublish) {
      const published: Row[] = await selectRow(trx, type).where(S.status, 'published').whereNotExists(sibling('draft'));
      for (const row of published)
        await this.copyVersion(
          scope,
          type,
          row,
          undefined,
          { [S.publishedAt]: null, [S.updatedAt]: rewritable(row[S.updatedAt]) },
          'draft',
        );
      return;
    }
    const superseded = await trx(type.table)
      .where(S.status, 'draft')
      .whereExists(sibling('published'))
      .select<Row[]>(S.id);
    for (const row of superseded) await this.deleteRow(scope, type, Number(row[S.id]));
    // Draft-only documents go live as they are; publishedAt is their creation time, as for any type
    // without draft & publish.
    await trx(type.table)
      .where(S.status, 'draft')
      .update({ [S.status]: 'published', [S.publishedAt]: trx.ref(S.createdAt) });
  }

  /**
   * After a type's localized option changed: non-localized types store locale '', localized ones a
   * real locale. Turned on: every version moves to the default locale. Turned off: the default
   * locale's versions stay (as ''), the other locales' are deleted with their links and components.
   */
  async reshapeLocales(trx: Knex.Transaction, schema: SchemaModel, uid: string, localized: boolean): Promise<void> {
    const type = this.typeOf(schema, uid);
    const defaultLocale = await readDefaultLocale(trx);
    if (localized) {
      await trx(type.table)
        .where(S.locale, NO_LOCALE)
        .update({ [S.locale]: defaultLocale });
      return;
    }
    const scope: Scope = { trx, schema, events: [], attempt: 1, generated: new Set() };
    const others: Row[] = await trx(type.table).whereNotIn(S.locale, [defaultLocale, NO_LOCALE]).select(S.id);
    for (const row of others) await this.deleteRow(scope, type, Number(row[S.id]));
    await trx(type.table)
      .where(S.locale, defaultLocale)
      .update({ [S.locale]: NO_LOCALE });
  }

  // ---------------------------------------------------------------- transactions and lookups

  /** The locale a write or read names, or the default one (Settings › Locales) when it names none. */
  private async localeOf(type: ContentTypeModel, locale: string | undefined, batch?: WriteBatch): Promise<string> {
    if (!type.localized) return NO_LOCALE;
    return resolveLocale(type, locale, batch?.defaultLocale ?? (await this.locales.defaultCode()));
  }

  /**
   * Runs `body` in one transaction handed to the version writes it makes (their `batch` option): all
   * of them commit or none does. A deadlock or lost race redoes the whole body, as it does a write.
   */
  async batch<T>(body: (batch: WriteBatch) => Promise<T>): Promise<T> {
    const schema = await this.schemaSource.current();
    const defaultLocale = await this.locales.defaultCode();
    const events: DocumentEvent[] = [];
    const result = await this.transact(schema, events, (trx) => body({ trx, schema, defaultLocale, events }));
    await this.announce(events);
    return result;
  }

  /** A write inside a batch: its checks and in-transaction hooks, its events kept for the batch's commit. */
  private async runInBatch<T>(
    batch: WriteBatch,
    origin: WriteOrigin | undefined,
    body: (scope: Scope) => Promise<T>,
  ): Promise<T> {
    const events: DocumentEvent[] = [];
    const answer = await body({ trx: batch.trx, schema: batch.schema, events, attempt: 1, generated: new Set() });
    const entry = isDocumentEntry(answer) ? answer : null;
    for (const hook of this.inTransaction) await hook(batch.trx, events, entry, batch.schema, origin);
    batch.events.push(...events);
    return answer;
  }

  private async run<T>(
    schema: SchemaModel,
    origin: WriteOrigin | undefined,
    batch: WriteBatch | undefined,
    body: (scope: Scope) => Promise<T>,
  ): Promise<T> {
    if (batch) return this.runInBatch(batch, origin, body);
    const events: DocumentEvent[] = [];
    const result = await this.transact(schema, events, async (trx, attempt) => {
      const answer = await body({ trx, schema, events, attempt, generated: new Set() });
      const entry = isDocumentEntry(answer) ? answer : null;
      for (const hook of this.inTransaction) await hook(trx, events, entry, schema, origin);
      return answer;
    });
    await this.announce(events);
    return result;
  }

  /** One transaction around `work`, redone after a race (`events` emptied before each try). */
  private async transact<T>(
    schema: SchemaModel,
    events: DocumentEvent[],
    work: (trx: Knex.Transaction, attempt: number) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      events.length = 0;
      try {
        return await this.db.transaction((trx) => work(trx, attempt), this.transactionConfig);
      } catch (err) {
        // InnoDB may pick a concurrent write as a deadlock victim, and a unique index may catch a
        // value a concurrent write committed after our checks ran (e.g. the same generated uid):
        // the whole write is safe to redo, and the redo's checks see the committed row.
        const race =
          isDeadlock(err) || isLockWaitTimeout(err) || isUniqueViolation(err) || err instanceof GeneratedUidTaken;
        if (race && attempt < MAX_WRITE_ATTEMPTS) {
          // A little jitter, so that writers racing for the same value do not collide again in lockstep.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
          continue;
        }
        throw this.translateDatabaseError(err, schema);
      }
    }
  }

  /** After a commit: the per-event hooks, then the per-commit ones; failures are reported, never thrown. */
  private async announce(events: readonly DocumentEvent[]): Promise<void> {
    for (const event of events) {
      for (const hook of this.afterCommit) {
        try {
          await hook(event);
        } catch (err) {
          this.onHookError(err, event);
        }
      }
    }
    const [first] = events;
    if (!first) return;
    for (const hook of this.committed) {
      try {
        await hook(events);
      } catch (err) {
        this.onHookError(err, first);
      }
    }
  }

  /** Unique and foreign-key violations the checks did not catch (a concurrent write) → 400. */
  private translateDatabaseError(err: unknown, schema: SchemaModel): unknown {
    if (err instanceof FolioError) return err;
    if (err instanceof GeneratedUidTaken)
      return ValidationError.fromErrors([{ path: [], message: UNIQUE_MESSAGE, name: 'ValidationError' }]);
    const message = (err as { message?: string }).message ?? '';
    if (isUniqueViolation(err)) {
      let path: string[] = [];
      for (const type of schema.contentTypes.values()) {
        const field = type.scalars.find(
          (f) =>
            f.attribute.unique &&
            (message.includes(`${type.table}.${f.column}`) || message.includes(`${type.table}_${f.column}_`)),
        );
        if (field) {
          path = [field.name];
          break;
        }
      }
      return ValidationError.fromErrors([{ path, message: UNIQUE_MESSAGE, name: 'ValidationError' }]);
    }
    if (isMissingReference(err)) {
      return new ValidationError('A referenced file does not exist');
    }
    return err;
  }

  private typeOf(schema: SchemaModel, uid: string): ContentTypeModel {
    const type = schema.contentTypes.get(uid);
    if (!type) throw new NotFoundError(`Unknown content type "${uid}"`);
    return type;
  }

  private typeWithDraftAndPublish(schema: SchemaModel, uid: string): ContentTypeModel {
    const type = this.typeOf(schema, uid);
    if (!type.draftAndPublish) throw new ApplicationError(`"${uid}" has no draft & publish`);
    return type;
  }

  /**
   * Locks a document's rows until the write's transaction ends, first thing in every write to an
   * existing document, so that writes to one document run one after the other. Under READ
   * COMMITTED, a publish read the published row an unpublish then deleted (500), and parallel
   * deletes each found the rows and each announced the delete. SQLite runs one write at a time
   * already. Answers the rows' ids: none when there is no such document.
   */
  /**
   * A single type has one document: creating it must find the table empty, in any locale (another
   * locale is added to the existing document by an update). Two creates racing under MySQL's READ
   * COMMITTED would both find it empty — there is no row to lock yet and no gap locks — so they queue
   * on the one schema row first; creating a single type's entry is rare, and the queue is per
   * installation. SQLite's writers are serialised by BEGIN IMMEDIATE already.
   */
  private async assertSingleTypeEmpty(trx: Knex.Transaction, type: ContentTypeModel): Promise<void> {
    if (dialectOf(trx) === 'mysql') await trx(SCHEMA_TABLE).where({ id: 1 }).forUpdate().select('id');
    const existing = await trx(type.table).first<{ locale: string | null } | undefined>({ locale: S.locale });
    if (!existing) return;
    const locale = existing.locale ?? '';
    throw new ValidationError(
      `The single type "${type.uid}" already has an entry${locale ? ` in locale ${locale}` : ''}`,
    );
  }

  private async lockDocument(trx: Knex.Transaction, type: ContentTypeModel, documentId: string): Promise<Row[]> {
    const rows = trx(type.table).where(S.documentId, documentId).select(S.id);
    return dialectOf(trx) === 'mysql' ? rows.forUpdate() : rows;
  }

  private async findRow(
    db: Knex,
    type: ContentTypeModel,
    documentId: string,
    locale: string,
    status: Status,
  ): Promise<Row | undefined> {
    return selectRow(db, type)
      .where({ [S.documentId]: documentId, [S.locale]: locale, [S.status]: status })
      .first();
  }

  private async requireRow(
    db: Knex,
    type: ContentTypeModel,
    documentId: string,
    locale: string,
    status: Status,
  ): Promise<Row> {
    const row = await this.findRow(db, type, documentId, locale, status);
    if (!row)
      throw new NotFoundError(
        `No ${type.singularName} with documentId "${documentId}"${locale ? ` in locale ${locale}` : ''}`,
      );
    return row;
  }

  private async rowById(db: Knex, type: ContentTypeModel, id: number): Promise<Row> {
    return (await selectRow(db, type).where(S.id, id).first()) as Row;
  }

  entryOf(type: ContentTypeModel, row: Row): DocumentEntry {
    const values: Record<string, unknown> = {};
    // Encrypted attributes are left out: an entry goes to hooks (the outbox) and write answers,
    // which never carry their values (the reads decrypt for callers allowed to see them).
    for (const field of type.scalars)
      if (!isEncrypted(field.attribute)) values[field.name] = decodeScalar(field, row[field.column]);
    const createdBy = row[S.createdBy];
    const updatedBy = row[S.updatedBy];
    return {
      id: Number(row[S.id]),
      documentId: String(row[S.documentId]),
      locale: localeOfRow(row),
      status: row[S.status] as Status,
      createdAt: toIsoDateTime(row[S.createdAt]) as string,
      updatedAt: toIsoDateTime(row[S.updatedAt]) as string,
      publishedAt: toIsoDateTime(row[S.publishedAt]),
      createdBy: createdBy === null || createdBy === undefined ? null : Number(createdBy),
      updatedBy: updatedBy === null || updatedBy === undefined ? null : Number(updatedBy),
      values,
    };
  }

  // ---------------------------------------------------------------- writing a version

  private async hashPasswords(model: Model, input: ParsedInput): Promise<void> {
    for (const [name, value] of input.scalars) {
      const field = model.fields.get(name) as ScalarField;
      if (field.attribute.type === 'password' && typeof value === 'string')
        input.scalars.set(name, await hashPassword(value));
    }
  }

  private async parsed(
    schema: SchemaModel,
    type: ContentTypeModel,
    data: unknown,
    requireAll: boolean,
  ): Promise<ParsedInput> {
    const input = parseInput(schema, type, data, { requireAll });
    await this.hashPasswords(type, input);
    return input;
  }

  private async updateVersion(
    scope: Scope,
    type: ContentTypeModel,
    row: Row,
    data: unknown,
    options: WriteOptions,
  ): Promise<DocumentEntry> {
    const { trx } = scope;
    const documentId = String(row[S.documentId]);
    const locale = localeOfRow(row);
    const status = row[S.status] as Status;
    const input = await this.parsed(scope.schema, type, data, false);
    await this.checkReferences(scope, type, input);
    const rowId = Number(row[S.id]);
    const columns = await this.sealed(trx, type, this.columnsOf(type, input.scalars));
    await this.checkUnique(scope, type, columns, { locale, status, documentId });
    await trx(type.table)
      .where(S.id, rowId)
      .update({
        ...columns,
        [S.updatedAt]: laterThan(row[S.updatedAt]),
        ...(options.userId !== undefined ? { [S.updatedBy]: options.userId } : {}),
      });
    await this.writeChildren(scope, type, rowId, input, { status, documentId, locale }, false);
    scope.events.push({ action: 'update', uid: type.uid, documentId, locale });
    if (type.draftAndPublish && options.status !== 'draft') {
      return this.publishIn(scope, type, documentId, locale, options.userId);
    }
    return this.entryOf(type, await this.rowById(trx, type, rowId));
  }

  private async createVersion(
    scope: Scope,
    type: ContentTypeModel,
    documentId: string,
    locale: string,
    input: ParsedInput,
    options: WriteOptions,
  ): Promise<DocumentEntry> {
    const { trx } = scope;
    await this.checkReferences(scope, type, input);
    const status = editableStatus(type);
    const columns = await this.sealed(trx, type, this.columnsOf(type, this.withDefaults(type, input.scalars)));
    await this.generateUids(scope, type, columns, { locale, documentId });
    await this.checkUnique(scope, type, columns, { locale, status, documentId });
    const now = new Date();
    const rowId = insertedId(
      await trx(type.table).insert({
        ...columns,
        [S.documentId]: documentId,
        [S.locale]: locale,
        [S.status]: status,
        [S.createdAt]: now,
        [S.updatedAt]: now,
        [S.publishedAt]: type.draftAndPublish ? null : now,
        [S.createdBy]: options.userId ?? null,
        [S.updatedBy]: options.userId ?? null,
      }),
    );
    await this.writeChildren(scope, type, rowId, input, { status, documentId, locale }, true);
    scope.events.push({ action: 'create', uid: type.uid, documentId, locale });
    if (type.draftAndPublish && options.status !== 'draft') {
      return this.publishIn(scope, type, documentId, locale, options.userId);
    }
    return this.entryOf(type, await this.rowById(trx, type, rowId));
  }

  private withDefaults(model: Model, scalars: Map<string, unknown>): Map<string, unknown> {
    const out = new Map(scalars);
    for (const field of model.scalars) {
      const fallback = field.attribute.default;
      if (out.has(field.name) || fallback === undefined) continue;
      out.set(
        field.name,
        field.attribute.type === 'json' || field.attribute.type === 'blocks' ? JSON.stringify(fallback) : fallback,
      );
    }
    return out;
  }

  /**
   * `row` (column → value, as written) with the values of encrypted attributes sealed, inside the
   * write's transaction `trx`. Validation saw the plaintext; the database sees only ciphertext.
   */
  private async sealed(trx: Knex, model: Model, row: Row): Promise<Row> {
    for (const field of model.scalars) {
      const value = row[field.column];
      if (!isEncrypted(field.attribute) || value === null || value === undefined) continue;
      if (!this.cipher?.configured)
        throw new EncryptionError(`${model.uid}.${field.name} is encrypted and FOLIO_ENCRYPTION_KEYS is not set`);
      row[field.column] = await this.cipher.encrypt(typeof value === 'string' ? value : JSON.stringify(value), trx);
    }
    return row;
  }

  /** Attribute name → value becomes column → value. */
  private columnsOf(model: Model, scalars: Map<string, unknown>): Row {
    const row: Row = {};
    for (const [name, value] of scalars) row[(model.fields.get(name) as ScalarField).column] = value;
    return row;
  }

  /** `uid` attributes left empty on creation: slug of the target field, made unique with -1, -2 … */
  private async generateUids(
    scope: Scope,
    type: ContentTypeModel,
    columns: Row,
    at: { locale: string; documentId: string },
  ): Promise<void> {
    const errors: BodyErrorItem[] = [];
    for (const field of type.scalars) {
      const a = field.attribute;
      if (a.type !== 'uid' || (columns[field.column] !== undefined && columns[field.column] !== null)) continue;
      const target = a.targetField ? type.fields.get(a.targetField) : undefined;
      const source = target?.kind === 'scalar' ? columns[target.column] : undefined;
      const base = typeof source === 'string' ? slugify(source, UID_SLUG).slice(0, a.maxLength ?? 180) : '';
      if (!base) {
        if (a.required) errors.push({ path: [field.name], message: 'is required', name: 'ValidationError' });
        continue;
      }
      const taken = new Set(
        (await scope
          .trx(type.table)
          .where(S.locale, at.locale)
          .andWhereNot(S.documentId, at.documentId)
          .andWhere((q) => {
            q.where(field.column, base).orWhere(field.column, 'like', `${base}-%`);
          })
          .pluck(field.column)) as string[],
      );
      let candidate = base;
      for (let n = 1; taken.has(candidate); n += 1) candidate = `${base}-${n}`;
      // Concurrent writes of the same title all pick the same first free slug and all but one lose
      // on the unique index; redone, they race again for the next one (numbers stay consecutive, as
      // editors expect). After six lost races a random tail ends the race: 32 writers of one title
      // used to exhaust the retries and answer 400.
      if (scope.attempt > 6) candidate = `${candidate}-${randomBytes(4).toString('hex')}`;
      columns[field.column] = candidate;
      scope.generated.add(field.column);
    }
    if (errors.length) throw ValidationError.fromErrors(errors);
  }

  /** Unique attributes (and uids) hold per (locale, status), across documents. */
  private async checkUnique(
    scope: Scope,
    type: ContentTypeModel,
    columns: Row,
    at: { locale: string; status: Status; documentId: string },
  ): Promise<void> {
    const errors: BodyErrorItem[] = [];
    for (const field of type.scalars) {
      if (!(field.attribute.unique || field.attribute.type === 'uid')) continue;
      const value = columns[field.column];
      if (value === undefined || value === null) continue;
      const clash = await scope
        .trx(type.table)
        .where({ [field.column]: value as string | number, [S.locale]: at.locale, [S.status]: at.status })
        .andWhereNot(S.documentId, at.documentId)
        .first<Row | undefined>(S.id);
      if (clash && scope.generated.has(field.column)) throw new GeneratedUidTaken();
      if (clash) errors.push({ path: [field.name], message: UNIQUE_MESSAGE, name: 'ValidationError' });
    }
    if (errors.length) throw ValidationError.fromErrors(errors);
  }

  /** Every related documentId must exist (in some locale and status) in its target type. */
  private async checkReferences(scope: Scope, model: Model, input: ParsedInput): Promise<void> {
    const errors: BodyErrorItem[] = [];
    for (const [target, ids] of referencedDocuments(model, input, scope.schema)) {
      const table = scope.schema.contentTypes.get(target)?.table;
      if (!table || !ids.size) continue;
      const found = new Set(
        (
          await scope
            .trx(table)
            .distinct(S.documentId)
            .whereIn(S.documentId, [...ids.keys()])
        ).map((r: Row) => String(r[S.documentId])),
      );
      for (const [id, path] of ids) {
        if (!found.has(id))
          errors.push({ path, message: `No ${target} with documentId "${id}"`, name: 'ValidationError' });
      }
    }
    errors.push(...(await this.checkFiles(scope, mediaReferences(model, input, scope.schema))));
    if (errors.length) throw ValidationError.fromErrors(errors);
  }

  /**
   * Every linked file must exist and be of a type its attribute accepts (`allowedTypes`), whichever
   * route wrote the link. On MySQL the files' rows are share-locked: a replacement of the file
   * (MediaService.replace) updates its row before checking the links, so either it waits for this
   * write and sees its link, or this write waits for it and sees its new type.
   */
  private async checkFiles(scope: Scope, files: MediaReference[]): Promise<BodyErrorItem[]> {
    if (!files.length || !(await scope.trx.schema.hasTable(FILE_TABLE))) return [];
    const query = scope
      .trx(FILE_TABLE)
      .whereIn('id', [...new Set(files.map((f) => f.fileId))])
      .select('id', 'mime');
    if (dialectOf(scope.trx) === 'mysql') query.forShare();
    const mimes = new Map(((await query) as Row[]).map((r) => [Number(r.id), String(r.mime)]));
    const errors: BodyErrorItem[] = [];
    const missing = new Set<number>();
    for (const { fileId, path, allowedTypes } of files) {
      const mime = mimes.get(fileId);
      if (mime === undefined) {
        if (!missing.has(fileId)) errors.push({ path, message: `No file with id ${fileId}`, name: 'ValidationError' });
        missing.add(fileId);
      } else if (!fieldAccepts(allowedTypes, mime)) {
        errors.push({
          path,
          message: `File ${fileId} is ${categoryOf(mime)}; this field accepts ${(allowedTypes ?? []).join(', ')}`,
          name: 'ValidationError',
        });
      }
    }
    return errors;
  }

  /**
   * Relations, media and components of a row (content-type version or component instance).
   * `rowIsNew`: the row was inserted by this write, so no relation or component links hang off it
   * yet (their foreign keys cascade, and ids are not reused): nothing to read or remove first, two
   * statements fewer per relation of every create.
   */
  private async writeChildren(
    scope: Scope,
    model: Model,
    rowId: number,
    input: ParsedInput,
    at: { status: Status; documentId: string; locale: string },
    rowIsNew: boolean,
  ): Promise<void> {
    for (const [name, rel] of input.relations) {
      const field = model.fields.get(name) as RelationField;
      if (field.owner) await this.writeOwnedRelation(scope, model, field, rowId, rel, at.status, [name], rowIsNew);
      else
        await this.writeInverseRelation(scope, model as ContentTypeModel, field, at.documentId, at.status, rel, [name]);
    }
    for (const [name, ids] of input.media) {
      await this.requireFileLinks(scope.trx);
      // Even for a new row: file links name their row by table and id, with no foreign key to
      // remove them with it.
      await scope
        .trx(FILE_LINK_TABLE)
        .where({ [FL.entityTable]: model.table, [FL.entityId]: rowId, [FL.field]: name })
        .delete();
      if (ids.length) {
        await scope.trx(FILE_LINK_TABLE).insert(
          ids.map((fileId, i) => ({
            [FL.fileId]: fileId,
            [FL.entityTable]: model.table,
            [FL.entityId]: rowId,
            [FL.field]: name,
            [FL.position]: i + 1,
          })),
        );
      }
    }
    for (const [name, instances] of input.components) {
      if (!rowIsNew) await this.deleteComponents(scope, model, rowId, name);
      await this.insertComponents(scope, model, rowId, name, instances, at);
    }
  }

  private async requireFileLinks(trx: Knex): Promise<void> {
    if (this.fileLinksPresent === undefined) this.fileLinksPresent = await trx.schema.hasTable(FILE_LINK_TABLE);
    if (!this.fileLinksPresent)
      throw new ApplicationError('Media fields cannot be written: the media library is not installed');
  }

  private async fileLinksExist(trx: Knex): Promise<boolean> {
    if (this.fileLinksPresent === undefined) this.fileLinksPresent = await trx.schema.hasTable(FILE_LINK_TABLE);
    return this.fileLinksPresent;
  }

  /** Applies set / disconnect / connect (in that order) to an ordered list of documentIds. */
  private applyRelationOps(current: string[], rel: RelationInput, toMany: boolean, path: Path): string[] {
    let list = rel.set ? [...new Set(rel.set.map((i) => i.documentId))] : [...current];
    if (rel.disconnect) list = list.filter((id) => !rel.disconnect?.includes(id));
    for (const item of rel.connect ?? []) {
      if (!toMany) {
        list = [item.documentId];
        continue;
      }
      list = list.filter((id) => id !== item.documentId);
      const pos = item.position;
      let index = list.length;
      if (pos && 'start' in pos) index = 0;
      else if (pos && ('before' in pos || 'after' in pos)) {
        const anchor = 'before' in pos ? pos.before : pos.after;
        const at = list.indexOf(anchor);
        if (at < 0)
          throw ValidationError.fromErrors([
            { path, message: `cannot position relative to "${anchor}": it is not connected`, name: 'ValidationError' },
          ]);
        index = 'before' in pos ? at : at + 1;
      }
      list.splice(index, 0, item.documentId);
    }
    return toMany ? list : list.slice(-1);
  }

  private async writeOwnedRelation(
    scope: Scope,
    model: Model,
    field: RelationField,
    rowId: number,
    rel: RelationInput,
    status: Status,
    path: Path,
    rowIsNew: boolean,
  ): Promise<void> {
    const { trx } = scope;
    const current = rowIsNew
      ? []
      : ((await trx(field.linkTable)
          .where(RL.entityId, rowId)
          .orderBy([RL.position, RL.id])
          .pluck(RL.targetDocumentId)) as string[]);
    const next = this.applyRelationOps(current.map(String), rel, field.toMany, path);
    if (!rowIsNew) await trx(field.linkTable).where(RL.entityId, rowId).delete();
    if (next.length && isTo1Exclusive(field) && model.modelKind === 'contentType') {
      // The targets leave whichever other source version of the same status held them.
      await trx(field.linkTable)
        .whereIn(RL.targetDocumentId, next)
        .whereIn(RL.entityId, trx(model.table).select(S.id).where(S.status, status))
        .delete();
    }
    if (next.length) {
      await trx(field.linkTable).insert(
        next.map((target, i) => ({ [RL.entityId]: rowId, [RL.targetDocumentId]: target, [RL.position]: i + 1 })),
      );
    }
  }

  private async writeInverseRelation(
    scope: Scope,
    type: ContentTypeModel,
    field: RelationField,
    documentId: string,
    status: Status,
    rel: RelationInput,
    path: Path,
  ): Promise<void> {
    const { trx, schema } = scope;
    const owner = schema.contentTypes.get(field.ownerType);
    if (!owner) throw new ApplicationError(`The owner of "${field.name}" is not a content type`);
    const ownerField = owner.fields.get(field.ownerField) as RelationField;
    const statuses: Status[] = !owner.draftAndPublish
      ? ['published']
      : !type.draftAndPublish
        ? ['draft', 'published']
        : [status];
    const linked: Row[] = await trx(`${field.linkTable} as l`)
      .join(`${owner.table} as o`, `o.${S.id}`, `l.${RL.entityId}`)
      .where(`l.${RL.targetDocumentId}`, documentId)
      .whereIn(`o.${S.status}`, statuses)
      .orderBy(`o.${S.id}`)
      .select(`o.${S.documentId} as documentId`);
    const current = [...new Set(linked.map((r) => String(r.documentId)))];
    const next = this.applyRelationOps(current, rel, field.toMany, path);
    const removed = current.filter((id) => !next.includes(id));
    const added = next.filter((id) => !current.includes(id));
    if (removed.length) {
      await trx(field.linkTable)
        .where(RL.targetDocumentId, documentId)
        .whereIn(RL.entityId, trx(owner.table).select(S.id).whereIn(S.documentId, removed).whereIn(S.status, statuses))
        .delete();
    }
    if (added.length && !field.toMany) {
      // I can have one owner only: the others let go of me.
      await trx(field.linkTable)
        .where(RL.targetDocumentId, documentId)
        .whereIn(RL.entityId, trx(owner.table).select(S.id).whereIn(S.status, statuses))
        .delete();
    }
    const ownerRows: Row[] = added.length
      ? await trx(owner.table).whereIn(S.documentId, added).whereIn(S.status, statuses).select(S.id)
      : [];
    for (const row of ownerRows) {
      const entityId = Number(row[S.id]);
      if (!ownerField.toMany) await trx(field.linkTable).where(RL.entityId, entityId).delete();
      const max = await trx(field.linkTable).where(RL.entityId, entityId).max({ m: RL.position }).first();
      await trx(field.linkTable).insert({
        [RL.entityId]: entityId,
        [RL.targetDocumentId]: documentId,
        [RL.position]: Number(max?.m ?? 0) + 1,
      });
    }
  }

  private async insertComponents(
    scope: Scope,
    owner: Model,
    ownerId: number,
    fieldName: string,
    instances: ComponentInput[],
    at: { status: Status; documentId: string; locale: string },
  ): Promise<void> {
    const { trx, schema } = scope;
    for (const [i, instance] of instances.entries()) {
      const cm = schema.components.get(instance.component) as ComponentModel;
      await this.hashPasswords(cm, instance.values);
      const columns = await this.sealed(trx, cm, this.columnsOf(cm, this.withDefaults(cm, instance.values.scalars)));
      const componentId = insertedId(
        await trx(cm.table).insert(Object.keys(columns).length ? columns : { [S.id]: null }),
      );
      await this.writeChildren(scope, cm, componentId, instance.values, at, true);
      await trx(componentLinkTable(owner.table)).insert({
        [CL.entityId]: ownerId,
        [CL.field]: fieldName,
        [CL.componentType]: instance.component,
        [CL.componentId]: componentId,
        [CL.position]: i + 1,
      });
    }
  }

  private async deleteComponents(scope: Scope, owner: Model, ownerId: number, fieldName?: string): Promise<void> {
    const { trx, schema } = scope;
    const linkTable = componentLinkTable(owner.table);
    const query = trx(linkTable).where(CL.entityId, ownerId);
    if (fieldName) query.andWhere(CL.field, fieldName);
    const links: Row[] = await query.clone().select(CL.componentType, CL.componentId);
    await query.delete();
    for (const link of links) {
      const cm = schema.components.get(String(link[CL.componentType]));
      if (!cm) continue;
      const id = Number(link[CL.componentId]);
      await this.deleteChildren(scope, cm, id);
      await trx(cm.table).where(S.id, id).delete();
    }
  }

  /** Removes what hangs off a row: its owned relation links, media links and component instances. */
  private async deleteChildren(scope: Scope, model: Model, rowId: number): Promise<void> {
    for (const field of ownedRelations(model)) await scope.trx(field.linkTable).where(RL.entityId, rowId).delete();
    if (hasMediaFields(model) && (await this.fileLinksExist(scope.trx))) {
      await scope
        .trx(FILE_LINK_TABLE)
        .where({ [FL.entityTable]: model.table, [FL.entityId]: rowId })
        .delete();
    }
    if (hasComponentFields(model)) await this.deleteComponents(scope, model, rowId);
  }

  private async deleteRow(scope: Scope, type: ContentTypeModel, rowId: number): Promise<void> {
    await this.deleteChildren(scope, type, rowId);
    await scope.trx(type.table).where(S.id, rowId).delete();
  }

  /** Link rows of every owning relation whose target is this document. */
  private async deleteIncomingLinks(scope: Scope, uid: string, documentId: string): Promise<void> {
    const tables = new Set<string>();
    for (const model of [...scope.schema.contentTypes.values(), ...scope.schema.components.values()]) {
      for (const field of ownedRelations(model)) if (field.target === uid) tables.add(field.linkTable);
    }
    for (const table of tables) await scope.trx(table).where(RL.targetDocumentId, documentId).delete();
  }

  // ---------------------------------------------------------------- publishing (row copies)

  private async publishIn(
    scope: Scope,
    type: ContentTypeModel,
    documentId: string,
    locale: string,
    userId?: number,
  ): Promise<DocumentEntry> {
    const { trx } = scope;
    await this.lockDocument(trx, type, documentId);
    const draft = await this.requireRow(trx, type, documentId, locale, 'draft');
    await this.checkPublishable(scope, type, draft);
    const columns: Row = {};
    for (const field of type.scalars) columns[field.column] = draft[field.column];
    await this.checkUnique(scope, type, columns, { locale, status: 'published', documentId });
    const published = await this.findRow(trx, type, documentId, locale, 'published');
    const now = new Date();
    const publishedId = await this.copyVersion(
      scope,
      type,
      draft,
      published,
      {
        [S.publishedAt]: now,
        [S.updatedAt]: now,
        ...(userId !== undefined ? { [S.updatedBy]: userId } : {}),
      },
      'published',
    );
    scope.events.push({ action: 'publish', uid: type.uid, documentId, locale });
    return this.entryOf(type, await this.rowById(trx, type, publishedId));
  }

  /** Required attributes must be filled for a version to go live (drafts may be incomplete later). */
  private async checkPublishable(scope: Scope, type: ContentTypeModel, draft: Row): Promise<void> {
    const errors: BodyErrorItem[] = [];
    const rowId = Number(draft[S.id]);
    for (const field of type.fields.values()) {
      if (field.attribute.required !== true) continue;
      if (!(await this.hasValue(scope, type, field, draft, rowId)))
        errors.push({ path: [field.name], message: 'is required', name: 'ValidationError' });
    }
    if (errors.length)
      throw ValidationError.fromErrors(
        errors,
        errors.length === 1 ? `${String(errors[0].path[0])} is required to publish` : undefined,
      );
  }

  private async hasValue(
    scope: Scope,
    type: ContentTypeModel,
    field: Field,
    row: Row,
    rowId: number,
  ): Promise<boolean> {
    const { trx } = scope;
    switch (field.kind) {
      case 'scalar':
        return row[field.column] !== null && row[field.column] !== undefined && row[field.column] !== '';
      case 'relation':
        if (!field.owner) return true; // held by the other side's rows
        return Boolean(await trx(field.linkTable).where(RL.entityId, rowId).first(RL.id));
      case 'media':
        if (!(await this.fileLinksExist(trx))) return false;
        return Boolean(
          await trx(FILE_LINK_TABLE)
            .where({ [FL.entityTable]: type.table, [FL.entityId]: rowId, [FL.field]: field.name })
            .first(FL.fileId),
        );
      default:
        return Boolean(
          await trx(field.linkTable)
            .where({ [CL.entityId]: rowId, [CL.field]: field.name })
            .first(CL.id),
        );
    }
  }

  /**
   * Makes `to` (or a new row) a copy of `from` with `overrides`: scalar columns, owned relation
   * links, media links and a deep copy of component instances. Returns the target row id, which
   * stays the same when the target row already existed.
   */
  private async copyVersion(
    scope: Scope,
    type: ContentTypeModel,
    from: Row,
    to: Row | undefined,
    overrides: Row,
    status: Status,
  ): Promise<number> {
    const { trx } = scope;
    const columns: Row = {};
    for (const field of type.scalars) columns[field.column] = rewritable(from[field.column]);
    const common = {
      ...columns,
      [S.createdAt]: rewritable(from[S.createdAt]),
      [S.createdBy]: from[S.createdBy] ?? null,
      [S.updatedBy]: from[S.updatedBy] ?? null,
      ...overrides,
    };
    let toId: number;
    if (to) {
      toId = Number(to[S.id]);
      await this.deleteChildren(scope, type, toId);
      await trx(type.table).where(S.id, toId).update(common);
    } else {
      toId = insertedId(
        await trx(type.table).insert({
          ...common,
          [S.documentId]: from[S.documentId],
          [S.locale]: from[S.locale],
          [S.status]: status,
        }),
      );
    }
    await this.copyChildren(scope, type, Number(from[S.id]), toId);
    return toId;
  }

  private async copyChildren(scope: Scope, model: Model, fromId: number, toId: number): Promise<void> {
    const { trx, schema } = scope;
    for (const field of ownedRelations(model)) {
      const links: Row[] = await trx(field.linkTable)
        .where(RL.entityId, fromId)
        .orderBy([RL.position, RL.id])
        .select(RL.targetDocumentId, RL.position);
      if (links.length) {
        await trx(field.linkTable).insert(
          links.map((l) => ({
            [RL.entityId]: toId,
            [RL.targetDocumentId]: l[RL.targetDocumentId],
            [RL.position]: l[RL.position],
          })),
        );
      }
    }
    if (hasMediaFields(model) && (await this.fileLinksExist(trx))) {
      const files: Row[] = await trx(FILE_LINK_TABLE)
        .where({ [FL.entityTable]: model.table, [FL.entityId]: fromId })
        .select(FL.fileId, FL.field, FL.position);
      if (files.length) {
        await trx(FILE_LINK_TABLE).insert(
          files.map((f) => ({
            [FL.fileId]: f[FL.fileId],
            [FL.entityTable]: model.table,
            [FL.entityId]: toId,
            [FL.field]: f[FL.field],
            [FL.position]: f[FL.position],
          })),
        );
      }
    }
    if (!hasComponentFields(model)) return;
    const linkTable = componentLinkTable(model.table);
    const links = await trx<Row, Row[]>(linkTable).where(CL.entityId, fromId).orderBy([CL.field, CL.position]);
    for (const link of links) {
      const cm = schema.components.get(String(link[CL.componentType]));
      if (!cm) continue;
      const source = await selectRow(trx, cm)
        .where(S.id, link[CL.componentId] as number)
        .first();
      if (!source) continue;
      const columns: Row = {};
      for (const field of cm.scalars) columns[field.column] = rewritable(source[field.column]);
      const copyId = insertedId(await trx(cm.table).insert(Object.keys(columns).length ? columns : { [S.id]: null }));
      await this.copyChildren(scope, cm, Number(source[S.id]), copyId);
      await trx(linkTable).insert({
        [CL.entityId]: toId,
        [CL.field]: link[CL.field],
        [CL.componentType]: link[CL.componentType],
        [CL.componentId]: copyId,
        [CL.position]: link[CL.position],
      });
    }
  }
}
