// `folio import`: verify the archive whole, then make the database hold exactly what it holds.
// Pass 1 reads every entry and checks it against the manifest (nothing is changed before that).
// The archive's schema is then put in force through the schema registry (DDL: MySQL cannot take it
// back, so it comes before the data and is what any failure leaves). Pass 2 replaces the rows of the
// archive's parts in ONE transaction, re-checking each entry's checksum as it loads, and restores
// the media files; a failure rolls the rows back and removes the files it added.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { DialectName } from '../db/connection.js';
import { ApplicationError } from '../errors.js';
import type { Folio } from '../folio.js';
import { isSafeKey, type StorageProvider } from '../media/storage.js';
import type { MediaFormat } from '../media/shape.js';
import { migrations } from '../../migrations/index.js';
import { FILE_LINK_TABLE } from '../schema/naming.js';
import type { SchemaDocument, SchemaFile } from '../schema/types.js';
import {
  Digest,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST_ENTRY,
  SCHEMA_ENTRY,
  readAll,
  readArchive,
  type Manifest,
} from './archive.js';
import { keysOfFile } from './export.js';
import { isSealed } from './crypto.js';
import { DEPENDENT_STATE, PARTS, contentTables, tablesOf, type Part } from './parts.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import { NOTHING_TO_REKEY, assertSourceSecret, madeUnderAnotherSecret, rekeyIn, type SecretsOutcome } from './rekey.js';
import { sealImported } from './encrypted.js';
import { datetimeColumns, decodeRow, type Row } from './values.js';
import { restoreRoleLinksIn, roleLinksIn, type RoleLink } from './role-links.js';

export interface ImportOptions {
  /** Replace what the database holds; without it, a database holding data is refused. */
  replace?: boolean;
  /** For an encrypted archive. */
  passphrase?: string;
  /**
   * The FOLIO_SECRET the archive was made under, when it is not this installation's: webhook
   * secrets are then re-keyed instead of removed (rekey.ts).
   */
  sourceSecret?: string;
  progress?: Progress;
}

export interface ImportResult extends SecretsOutcome {
  manifest: Manifest;
  rows: number;
  files: number;
  /**
   * With `settings` but not `users`: the accounts' links to roles the archive does not have (by
   * code), dropped with those roles (role-links.ts).
   */
  droppedRoleLinks: RoleLink[];
}

const hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Pass 1: every entry read and checked; answers the manifest and the schema document. */
export async function verifyArchive(
  file: string,
  passphrase?: string,
): Promise<{ manifest: Manifest; document: SchemaDocument }> {
  const seen = new Map<string, { sha256: string; bytes: number }>();
  let manifestText: Buffer | undefined;
  let schemaText: Buffer | undefined;
  try {
    for await (const entry of readArchive(file, passphrase)) {
      if (manifestText) throw new Error(`an entry (${entry.name}) follows the manifest`);
      if (entry.name === MANIFEST_ENTRY) {
        manifestText = await readAll(entry.body);
        continue;
      }
      const hash = createHash('sha256');
      let bytes = 0;
      const keep = entry.name === SCHEMA_ENTRY ? ([] as Buffer[]) : undefined;
      for await (const chunk of entry.body) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
        keep?.push(chunk as Buffer);
      }
      if (keep) schemaText = Buffer.concat(keep);
      seen.set(entry.name, { sha256: hash.digest('hex'), bytes });
    }
  } catch (err) {
    if (err instanceof ApplicationError) throw err;
    if (await isSealed(file))
      throw new ApplicationError(`${file} cannot be decrypted: wrong passphrase, or the archive is damaged`);
    throw new ApplicationError(`${file} is not a readable Folio archive: ${(err as Error).message}`);
  }
  if (!manifestText || !schemaText) throw new ApplicationError(`${file} is not a Folio archive: it has no manifest`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText.toString('utf8')) as Manifest;
  } catch {
    throw new ApplicationError(`${file}: its manifest is not valid JSON`);
  }
  if (manifest.format !== FORMAT || typeof manifest.entries !== 'object' || manifest.entries === null)
    throw new ApplicationError(`${file} is not a Folio archive`);
  const damaged = [
    ...Object.entries(manifest.entries)
      .filter(([name, expected]) => {
        const actual = seen.get(name);
        return !actual || actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes;
      })
      .map(([name]) => name),
    ...[...seen.keys()].filter((name) => !Object.hasOwn(manifest.entries, name)),
  ];
  if (damaged.length > 0) {
    throw new ApplicationError(
      `${file} does not match its manifest (altered or damaged): ${damaged.slice(0, 5).join(', ')}` +
        `${damaged.length > 5 ? ` and ${damaged.length - 5} more` : ''}; nothing was imported`,
    );
  }
  assertReadable(manifest);
  if (!Array.isArray(manifest.parts) || !manifest.parts.every((p) => (PARTS as readonly string[]).includes(p)))
    throw new ApplicationError(`${file}: its manifest names unknown parts`);
  return { manifest, document: JSON.parse(schemaText.toString('utf8')) as SchemaDocument };
}

/**
 * Migrations that change what an archive holds (a table renamed or its rows rewritten): an archive
 * made before one would import wrong — rows in a table that no longer exists, or without the rows the
 * migration adds — so it is refused until it has gone through that migration (docs/backups.md,
 * "Archives from another version"). Migrations that only add tables or columns are not listed.
 */
export const ARCHIVE_CHANGING_MIGRATIONS: readonly string[] = [
  // The built-in Editor and Author roles gain their releases permissions.
  '20261207_0000_release_permissions',
  // The Public role's permissions move to folio_member_permissions; member roles appear.
  '20261207_0200_members',
];

/**
 * An archive from a newer Folio may hold what this one cannot store, and one from before a migration
 * that changes archived data would import wrong: both refused, naming the versions and the way out.
 */
function assertReadable(manifest: Manifest): void {
  const made = migrations.findIndex(([name]) => name === manifest.migration);
  if (manifest.formatVersion > FORMAT_VERSION || made < 0) {
    throw new ApplicationError(
      `The archive was made by a newer Folio (${manifest.folioVersion}, migration ${manifest.migration}); ` +
        'upgrade this installation before importing it',
    );
  }
  const missed = migrations
    .slice(made + 1)
    .map(([name]) => name)
    .filter((name) => ARCHIVE_CHANGING_MIGRATIONS.includes(name));
  if (missed.length > 0) {
    throw new ApplicationError(
      `The archive was made by an older Folio (${manifest.folioVersion}, migration ${manifest.migration}), ` +
        `before ${missed.join(', ')} changed what archives hold; import it into the Folio that made it, ` +
        'upgrade that installation (folio migrate) and export again',
    );
  }
}

/** The tables of the selected parts that hold something a person made (defaults do not count). */
export async function tablesHoldingData(folio: Folio, parts: ReadonlySet<Part>): Promise<string[]> {
  const checks: Array<[string, Knex.QueryBuilder]> = [];
  if (parts.has('content')) {
    for (const table of contentTables(await folio.schema.document())) checks.push([table.name, folio.db(table.name)]);
  }
  if (parts.has('media')) for (const t of ['folio_files', 'folio_folders']) checks.push([t, folio.db(t)]);
  if (parts.has('users')) checks.push(['folio_admin_users', folio.db('folio_admin_users')]);
  if (parts.has('settings')) {
    for (const t of ['folio_webhooks', 'folio_api_tokens']) checks.push([t, folio.db(t)]);
    checks.push(['folio_roles (custom roles)', folio.db('folio_roles').where('is_builtin', false)]);
  }
  const holding: string[] = [];
  for (const [name, query] of checks) if (await query.first(folio.db.raw('1 as one'))) holding.push(name);
  return holding;
}

/** The archive's schema in force; types and components it does not have are removed. */
async function applySchema(folio: Folio, document: SchemaDocument, force: boolean): Promise<void> {
  const current = await folio.schema.document();
  const file: SchemaFile = { contentTypes: { ...document.contentTypes }, components: { ...document.components } };
  for (const name of Object.keys(current.contentTypes))
    if (!Object.hasOwn(document.contentTypes, name)) file.contentTypes![name] = null;
  for (const name of Object.keys(current.components))
    if (!Object.hasOwn(document.components, name)) file.components![name] = null;
  await folio.schema.apply(file, { force });
}

/** Plain values of encrypted attributes sealed per read, after the rows are in. */
const IMPORT_SEAL_ROWS = 500;

/** Rows per INSERT: well under both databases' limit on bound values. */
const chunkSize = (columns: number) => Math.max(1, Math.min(500, Math.floor(20000 / Math.max(1, columns))));

/**
 * File rows point at the target's storage: the URL and provider are the target's (an archive from
 * an S3 installation restores into local uploads, and the other way round).
 */
function rehome(row: Row, storage: StorageProvider): Row {
  const url = storage.url(`${String(row.hash)}${String(row.ext)}`);
  const formats = (typeof row.formats === 'string' ? JSON.parse(row.formats) : row.formats) as Record<
    string,
    MediaFormat
  > | null;
  const moved = Object.values(formats ?? {}).some((f) => f.url !== storage.url(`${f.hash}${f.ext}`));
  if (url === row.url && storage.name === row.provider && !moved) return row;
  const rehomed = Object.fromEntries(
    Object.entries(formats ?? {}).map(([name, f]) => [name, { ...f, url: storage.url(`${f.hash}${f.ext}`) }]),
  );
  return { ...row, url, provider: storage.name, formats: formats ? JSON.stringify(rehomed) : null };
}

class Loader {
  rows = 0;
  files = 0;
  /** Keys this import created in storage: removed again when the import fails. */
  readonly created: string[] = [];
  private readonly datetimes = new Map<string, Set<string>>();
  /** Each restored key's type, from its file row (S3 serves objects with it). */
  private readonly mimes = new Map<string, string>();

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly dialect: DialectName,
    private readonly storage: StorageProvider,
    private readonly progress: Progress,
  ) {}

  async page(table: string, text: string): Promise<void> {
    let datetimes = this.datetimes.get(table);
    if (!datetimes) {
      datetimes = await datetimeColumns(() => this.trx(table));
      this.datetimes.set(table, datetimes);
    }
    const rows = text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => decodeRow(JSON.parse(line) as Row, datetimes))
      .map((row) => (table === 'folio_files' ? this.fileRow(row) : row));
    if (rows.length === 0) return;
    const size = chunkSize(Object.keys(rows[0]).length);
    // A folder may sit under one created after it (moved there): MySQL checks each row at once,
    // so folders load unchecked there (SQLite defers every check to the end of the transaction).
    const unchecked = table === 'folio_folders' && this.dialect === 'mysql';
    if (unchecked) await this.trx.raw('SET FOREIGN_KEY_CHECKS = 0');
    try {
      for (let i = 0; i < rows.length; i += size) await this.trx(table).insert(rows.slice(i, i + size));
    } finally {
      if (unchecked) await this.trx.raw('SET FOREIGN_KEY_CHECKS = 1');
    }
    this.rows += rows.length;
    this.progress.advance(rows.length);
  }

  private fileRow(row: Row): Row {
    for (const key of keysOfFile(row as never)) this.mimes.set(key, String(row.mime));
    return rehome(row, this.storage);
  }

  async file(key: string, body: Readable, expected: string): Promise<void> {
    if (!isSafeKey(key)) throw new Error(`the archive names an unsafe media key ${JSON.stringify(key)}`);
    const existed = await this.storage.exists(key);
    const digest = new Digest();
    const put = this.storage.put(key, body.pipe(digest), this.mimes.get(key) ?? 'application/octet-stream');
    if (!existed) this.created.push(key);
    await put;
    if (digest.hex() !== expected) throw new Error(`media file ${key} changed while it was imported`);
    this.files += 1;
  }
}

export async function clearTables(trx: Knex.Transaction, tables: string[]): Promise<void> {
  // A folder's parent is RESTRICT: unhooked first, or deleting a parent before its child is refused.
  if (tables.includes('folio_folders')) await trx('folio_folders').update({ parent_id: null });
  for (const table of tables) await trx(table).del();
}

/** SQLite checks foreign keys at commit once deferred; asked first, so a violation rolls back cleanly. */
export async function assertForeignKeys(trx: Knex.Transaction, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  const violations = await trx.raw<Array<{ table: string; parent: string }>>('PRAGMA foreign_key_check');
  if (violations.length > 0) {
    const { table, parent } = violations[0];
    throw new Error(`${violations.length} row(s) point at rows that are not there (first: ${table} → ${parent})`);
  }
}

export async function importArchive(folio: Folio, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const progress = options.progress ?? NO_PROGRESS;
  const { manifest, document } = await verifyArchive(file, options.passphrase);
  const parts = new Set(manifest.parts);
  const anotherSecret = madeUnderAnotherSecret(manifest, parts, folio.config.secret);
  if (anotherSecret) assertSourceSecret(manifest, options.sourceSecret);
  if (!options.replace) {
    const holding = await tablesHoldingData(folio, parts);
    if (holding.length > 0)
      throw new ApplicationError(
        `The database already holds data (${holding.join(', ')}); import into an empty database, or pass --replace ` +
          'to replace it with the archive',
      );
  }
  if (parts.has('content')) await applySchema(folio, document, options.replace === true);

  const tables = tablesOf(parts, document).map((t) => t.name);
  const cleared = [...tables].reverse();
  if ((parts.has('content') || parts.has('media')) && !cleared.includes(FILE_LINK_TABLE))
    cleared.unshift(FILE_LINK_TABLE);
  for (const part of parts) cleared.push(...DEPENDENT_STATE[part]);

  const pageTable = new Map<string, string>();
  for (const [table, entry] of Object.entries(manifest.tables)) {
    if (!tables.includes(table))
      throw new ApplicationError(`The archive holds a table its parts do not name: ${table}`);
    for (const name of entry.entries) pageTable.set(name, table);
  }
  const total = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0) + manifest.media.files;
  progress.start('import', total);
  let loader: Loader | undefined;
  try {
    const result = await folio.db.transaction(async (trx) => {
      if (folio.dialect === 'sqlite') await trx.raw('PRAGMA defer_foreign_keys = ON');
      loader = new Loader(trx, folio.dialect, folio.media.storage, progress);
      const keepsAccounts = parts.has('settings') && !parts.has('users');
      const roleLinks = keepsAccounts ? await roleLinksIn(trx) : [];
      await clearTables(trx, cleared);
      for await (const entry of readArchive(file, options.passphrase)) {
        if (entry.name === MANIFEST_ENTRY || entry.name === SCHEMA_ENTRY) continue;
        const expected = manifest.entries[entry.name]?.sha256;
        const table = pageTable.get(entry.name);
        if (table !== undefined) {
          const data = await readAll(entry.body);
          if (hex(data) !== expected) throw new Error(`${entry.name} changed while it was imported`);
          try {
            await loader.page(table, data.toString('utf8'));
          } catch (err) {
            throw new Error(`${table}: ${(err as Error).message}`, { cause: err });
          }
        } else if (entry.name.startsWith('media/') && expected !== undefined) {
          await loader.file(entry.name.slice('media/'.length), entry.body, expected);
          progress.advance(1);
        } else {
          throw new Error(`unexpected entry ${entry.name}`);
        }
      }
      const droppedRoleLinks = keepsAccounts ? await restoreRoleLinksIn(trx, roleLinks) : [];
      await assertForeignKeys(trx, folio.dialect);
      // The data keys must open here, and values an archive carries in the clear are sealed again.
      if (parts.has('content')) await sealImported(trx, folio.cipher, document, IMPORT_SEAL_ROWS);
      const secrets = anotherSecret
        ? await rekeyIn(trx, { target: folio.config.secret, source: options.sourceSecret })
        : NOTHING_TO_REKEY;
      return { rows: loader.rows, files: loader.files, droppedRoleLinks, ...secrets };
    });
    await announce(folio);
    logSecrets(folio, file, result);
    if (result.droppedRoleLinks.length > 0)
      folio.logger.warn(
        { archive: file, links: result.droppedRoleLinks },
        'import: accounts lost roles the archive does not have',
      );
    return { manifest, ...result };
  } catch (err) {
    for (const key of loader?.created ?? []) await folio.media.storage.delete(key).catch(() => {});
    // A data key made in the rolled-back transaction must not seal the next write: read them again.
    await folio.cipher.load().catch(() => {});
    if (err instanceof ApplicationError) throw err;
    throw new ApplicationError(`The import failed and was rolled back: ${(err as Error).message}`);
  } finally {
    progress.stop();
  }
}

/**
 * Every cache of this instance, and of every instance sharing Redis, forgets what it held: abilities
 * and resolved tokens (the access version), responses, counts, the locales and the schema model.
 * Rows changed under them without a document event, so nothing narrower would be right.
 */
async function announce(folio: Folio): Promise<void> {
  await folio.access.invalidate();
  folio.cache.settingsChanged();
  folio.schema.forget();
}

/** The structured record of what must be re-issued (and what was re-keyed), by id and name. */
function logSecrets(folio: Folio, file: string, outcome: SecretsOutcome): void {
  const { reissue, rekeyed } = outcome;
  if (rekeyed.webhooks.length > 0)
    folio.logger.info({ archive: file, webhooks: rekeyed.webhooks }, 'import: webhook secrets re-keyed');
  if (reissue.tokens.length > 0 || reissue.webhooks.length > 0)
    folio.logger.warn(
      { archive: file, tokens: reissue.tokens, webhooks: reissue.webhooks },
      'import: made under another FOLIO_SECRET; these API tokens were revoked and these webhooks disabled ' +
        'without their secret: issue them again',
    );
}
