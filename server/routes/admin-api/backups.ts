// /admin-api/backups (Super Admins only; docs/backups.md, "From the dashboard"):
//   POST /export    { parts?, webhookSecrets?, passphrase? } → the archive, streamed as a download
//   POST /import    multipart: archive (the file), replace, confirm, passphrase, sourceSecret
//                   → { data: summary } once the import committed (or the refusal, nothing changed)
//   GET  /progress  → { data: the backup running on this instance, or null }
// The operations (server/backup/dashboard.ts) check the caller again and write the audit rows.
import { createReadStream } from 'node:fs';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { BackupActivity, SUPER_ADMIN_ONLY, exportForDashboard, importForDashboard } from '../../backup/dashboard.js';
import { MIN_PASSPHRASE } from '../../backup/crypto.js';
import type { ImportResult } from '../../backup/import.js';
import { PARTS } from '../../backup/parts.js';
import { ValidationError } from '../../errors.js';
import type { Folio } from '../../folio.js';
import { receiveMultipart, type Multipart } from '../../media/multipart.js';
import { defineRoutes } from '../define.js';
import { parseBody, parseWith } from '../params.js';

/** What the admin types to confirm a replacing import (the page asks for it; the API checks it). */
export const REPLACE_CONFIRMATION = 'REPLACE';

const passphrase = z
  .string()
  .min(MIN_PASSPHRASE, { message: `The passphrase needs at least ${MIN_PASSPHRASE} characters` })
  .max(1024);

const exportSchema = z
  .object({
    parts: z
      .array(z.enum(PARTS))
      .min(1, { message: 'Choose at least one part' })
      .default([...PARTS]),
    webhookSecrets: z.boolean().default(false),
    passphrase: passphrase.optional(),
  })
  .strict();

const flag = z.enum(['true', 'false']).default('false');
const importFields = z
  .object({
    replace: flag,
    confirm: z.string().max(64).optional(),
    passphrase: z.string().max(1024).optional(),
    sourceSecret: z.string().max(1024).optional(),
  })
  .strict();

/** The summary the page shows: what was imported, and what must be issued again. */
function summaryOf(result: ImportResult) {
  const { manifest } = result;
  return {
    parts: manifest.parts,
    rows: result.rows,
    files: result.files,
    source: { folioVersion: manifest.folioVersion, dialect: manifest.dialect, createdAt: manifest.createdAt },
    reissue: result.reissue,
    rekeyed: result.rekeyed,
    droppedRoleLinks: result.droppedRoleLinks,
  };
}

function archiveName(createdAt: string, encrypted: boolean): string {
  const stamp = createdAt.replace(/[:.]/g, '-');
  return `folio-backup-${stamp}${encrypted ? '.encrypted' : ''}.tar.gz`;
}

/** The one uploaded archive; any other file field is refused. */
function uploadedArchive(mp: Multipart) {
  const archives = mp.files.filter((f) => f.field === 'archive');
  const stray = mp.files.find((f) => f.field !== 'archive');
  if (stray) throw new ValidationError(`The archive goes in the "archive" field, not "${stray.field}"`);
  if (archives.length !== 1) throw new ValidationError('Upload one archive in the "archive" field');
  return archives[0];
}

async function importUpload(ctx: Context, folio: Folio, activity: BackupActivity): Promise<void> {
  if (!ctx.is('multipart'))
    throw new ValidationError('Expected a multipart/form-data body with the archive in an "archive" field');
  const mp = await receiveMultipart(ctx.req, { maxFileBytes: folio.config.backupUploadMaxBytes, maxFiles: 1 });
  try {
    const archive = uploadedArchive(mp);
    const fields = parseWith(importFields, mp.fields);
    const replace = fields.replace === 'true';
    if (replace && fields.confirm !== REPLACE_CONFIRMATION)
      throw ValidationError.fromErrors([
        {
          path: ['confirm'],
          message: `Type ${REPLACE_CONFIRMATION} to replace what this installation holds`,
          name: 'ValidationError',
        },
      ]);
    const result = await importForDashboard(folio, activity, {
      caller: ctx.state.caller!,
      ip: ctx.ip,
      input: {
        file: archive.path,
        name: archive.filename,
        replace,
        passphrase: fields.passphrase || undefined,
        sourceSecret: fields.sourceSecret || undefined,
      },
    });
    ctx.body = { data: summaryOf(result) };
  } finally {
    await mp.cleanup();
  }
}

export function adminBackupRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api/backups' });
  const activity = new BackupActivity();
  return defineRoutes(router, [
    {
      method: 'post',
      path: '/export',
      permission: SUPER_ADMIN_ONLY,
      handler: async (ctx) => {
        const input = parseBody(exportSchema, ctx);
        const written = await exportForDashboard(folio, activity, {
          caller: ctx.state.caller!,
          ip: ctx.ip,
          // In Folio's order of parts, whatever the order asked in (the manifest lists them so).
          input: {
            parts: new Set(PARTS.filter((p) => input.parts.includes(p))),
            webhookSecrets: input.webhookSecrets,
            passphrase: input.passphrase,
          },
        });
        const stream = createReadStream(written.file);
        // Removed once sent, or once the client went away mid-download.
        stream.once('close', () => void written.remove());
        ctx.set(
          'Content-Disposition',
          `attachment; filename="${archiveName(written.manifest.createdAt, input.passphrase !== undefined)}"`,
        );
        ctx.set('Cache-Control', 'no-store');
        // An encrypted archive is no gzip stream until decrypted.
        ctx.type = input.passphrase === undefined ? 'application/gzip' : 'application/octet-stream';
        ctx.length = written.bytes;
        ctx.body = stream;
      },
    },
    {
      method: 'post',
      path: '/import',
      permission: SUPER_ADMIN_ONLY,
      handler: (ctx) => importUpload(ctx, folio, activity),
    },
    {
      method: 'get',
      path: '/progress',
      permission: SUPER_ADMIN_ONLY,
      handler: (ctx) => {
        ctx.body = { data: activity.current() };
      },
    },
  ]);
}
