// Backups from the dashboard (Settings › Backups): the CLI's export and import, run inside the
// server for a Super Admin. The check is made here, in the operation (the route declares the same
// permission, so a refusal comes before an upload is read), with the audit row of each run.
//
// One backup runs at a time on an instance: an import replaces tables an export would be reading,
// and two imports would race for the same rows. Its progress is kept in memory, for the page to
// poll (GET /admin-api/backups/progress): the page's own instance answers it. Behind a load
// balancer without sticky sessions a poll may reach another instance, which answers "nothing
// running"; the import's own answer still carries its summary.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { refusal, type Caller } from '../access/caller.js';
import { createDatabase, parseDatabaseUrl } from '../db/connection.js';
import type { Permission } from '../routes/define.js';
import { ApplicationError, ConflictError, FolioError } from '../errors.js';
import type { Folio } from '../folio.js';
import type { Manifest } from './archive.js';
import { exportArchive } from './export.js';
import { importArchive, type ImportResult } from './import.js';
import type { Part } from './parts.js';
import type { Progress } from './progress.js';

/**
 * Only a Super Admin holds `manage` on `all` (access/ability.ts: no stored permission row may say
 * it), and the Admin API takes no API token: the one way to say "Super Admin only" without a
 * subject that a `*` grant would reach.
 */
export const SUPER_ADMIN_ONLY: Permission = {
  action: 'manage',
  subject: 'all',
  message: 'Backups are for Super Admins only',
};

export interface BackupRun {
  kind: 'export' | 'import';
  /** checking: the import reads and checks the whole archive; then the rows and files are written. */
  phase: 'checking' | 'export' | 'import';
  done: number;
  total: number;
  startedAt: string;
  by: number | null;
}

/** The backup running on this instance, if any, and its progress. */
export class BackupActivity {
  private run: BackupRun | null = null;

  current(): BackupRun | null {
    return this.run === null ? null : { ...this.run };
  }

  /** Runs `work` as the one backup of this instance (409 while another runs). */
  async exclusive<T>(kind: BackupRun['kind'], by: Caller, work: (progress: Progress) => Promise<T>): Promise<T> {
    if (this.run !== null)
      throw new ConflictError(`A backup ${this.run.kind} is already running; wait for it to finish`);
    const run: BackupRun = {
      kind,
      phase: kind === 'import' ? 'checking' : 'export',
      done: 0,
      total: 0,
      startedAt: new Date().toISOString(),
      by: by.id ?? null,
    };
    this.run = run;
    const progress: Progress = {
      start(label, total) {
        run.phase = label === 'export' ? 'export' : 'import';
        run.total = total;
        run.done = 0;
      },
      advance(by) {
        run.done += by;
      },
      stop() {},
    };
    try {
      return await work(progress);
    } finally {
      this.run = null;
    }
  }
}

/**
 * On SQLite the server has one connection, its writer: a backup holding it for minutes would stall
 * every other request, reads and the progress poll included, until they time out. A backup run in
 * the server on SQLite gets a connection of its own to the same file: the server keeps reading
 * beside it (WAL), and its writes during an import wait for the import's lock (busy_timeout) or
 * fail with 503 — they would be replaced anyway. MySQL's pool already has connections to spare.
 */
async function onOwnConnection<T>(folio: Folio, work: (folio: Folio) => Promise<T>): Promise<T> {
  const url = folio.config.databaseUrl;
  if (folio.dialect !== 'sqlite' || parseDatabaseUrl(url).filename === ':memory:') return work(folio);
  const db = createDatabase(url);
  try {
    return await work({ ...folio, db });
  } finally {
    await db.destroy();
  }
}

export interface BackupRequest {
  caller: Caller;
  ip?: string;
}

function assertSuperAdmin(caller: Caller): void {
  if (!caller.can(SUPER_ADMIN_ONLY.action, SUPER_ADMIN_ONLY.subject)) throw refusal(caller, SUPER_ADMIN_ONLY.message!);
}

export interface DashboardExportInput {
  parts: ReadonlySet<Part>;
  webhookSecrets: boolean;
  passphrase?: string;
}

export interface WrittenArchive {
  file: string;
  bytes: number;
  manifest: Manifest;
  /** Removes the archive and its temporary directory (once sent, or on failure). */
  remove(): Promise<void>;
}

/** Writes an archive into a temporary directory, to be streamed to the caller and removed. */
export async function exportForDashboard(
  folio: Folio,
  activity: BackupActivity,
  request: BackupRequest & { input: DashboardExportInput },
): Promise<WrittenArchive> {
  assertSuperAdmin(request.caller);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'folio-export-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'backup.tar.gz');
    const { parts, webhookSecrets, passphrase } = request.input;
    const manifest = await activity.exclusive('export', request.caller, (progress) =>
      onOwnConnection(folio, (own) => exportArchive(own, file, { parts, webhookSecrets, passphrase, progress })),
    );
    await folio.audit.record({
      actor: request.caller,
      ip: request.ip,
      action: 'backups.export',
      subject: 'backups',
      details: { parts: manifest.parts, encrypted: passphrase !== undefined, webhookSecrets },
    });
    return { file, bytes: (await stat(file)).size, manifest, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

export interface DashboardImportInput {
  /** The uploaded archive (a temporary file the caller removes). */
  file: string;
  /** The name the uploader gave it: refusals name it, never the temporary path. */
  name: string;
  replace: boolean;
  passphrase?: string;
  sourceSecret?: string;
}

/** A refusal about the temporary file, told about the file the admin uploaded. */
function named(err: unknown, file: string, name: string): unknown {
  if (!(err instanceof FolioError) || !err.message.includes(file)) return err;
  return new ApplicationError(err.message.split(file).join(name));
}

/** Imports an uploaded archive, all or nothing, as `folio import` does. */
export async function importForDashboard(
  folio: Folio,
  activity: BackupActivity,
  request: BackupRequest & { input: DashboardImportInput },
): Promise<ImportResult> {
  assertSuperAdmin(request.caller);
  const { file, name, replace, passphrase, sourceSecret } = request.input;
  let result: ImportResult;
  try {
    result = await activity.exclusive('import', request.caller, (progress) =>
      onOwnConnection(folio, (own) => importArchive(own, file, { replace, passphrase, sourceSecret, progress })),
    );
  } catch (err) {
    throw named(err, file, name);
  }
  // After the import: a `users` import replaced the accounts, so the actor is recorded by its
  // label too (the audit log itself is never in an archive and keeps its rows).
  await folio.audit.record({
    actor: request.caller,
    ip: request.ip,
    action: 'backups.import',
    subject: 'backups',
    details: {
      archive: name,
      parts: result.manifest.parts,
      replace,
      rows: result.rows,
      files: result.files,
      reissue: result.reissue,
      rekeyed: result.rekeyed,
    },
  });
  return result;
}
