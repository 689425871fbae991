// `folio export <file.tar.gz>` and `folio import <file.tar.gz>` (docs/backups.md): a whole
// installation, or some of its parts, into one archive and back, on either database.
import path from 'node:path';
import type { Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { exportArchive } from '../backup/export.js';
import { importArchive } from '../backup/import.js';
import { PARTS, selectParts } from '../backup/parts.js';
import { progressBar } from '../backup/progress.js';
import { action, CliError, print, withFolio } from './runtime.js';

interface ExportFlags {
  only: string[];
  exclude: string[];
  keepWebhookSecrets?: boolean;
  encrypt?: boolean;
  decrypt?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Read from the environment, never from an argument (arguments show in `ps` and shell history). */
const PASSPHRASE_VARIABLE = 'FOLIO_BACKUP_PASSPHRASE';

function passphrase(required: boolean): string | undefined {
  const value = process.env[PASSPHRASE_VARIABLE];
  if (required && !value)
    throw new CliError(`--encrypt takes the passphrase from ${PASSPHRASE_VARIABLE}, which is not set`);
  return value || undefined;
}

export function registerBackupCommands(program: Command): void {
  program
    .command('export')
    .description('write a backup archive: schema, content, media files, users and settings')
    .argument('<file>', 'the archive to create (.tar.gz); an existing file is not overwritten')
    .option('--only <parts>', `only these parts (${PARTS.join(', ')}), comma-separated or repeated`, collect, [])
    .option('--exclude <parts>', 'every part but these', collect, [])
    .option('--keep-webhook-secrets', 'keep webhook signing secrets (encrypted with this FOLIO_SECRET)')
    .option('--encrypt', `encrypt the archive with the passphrase in ${PASSPHRASE_VARIABLE}`)
    .option('--decrypt', 'write encrypted attributes in the clear, without their data keys (docs/encryption.md)')
    .action(
      action(async (file: string, opts: ExportFlags) => {
        const parts = selectParts(opts.only, opts.exclude);
        const secret = opts.encrypt === true ? passphrase(true) : undefined;
        const manifest = await withFolio((folio) =>
          exportArchive(folio, path.resolve(file), {
            parts,
            webhookSecrets: opts.keepWebhookSecrets === true,
            passphrase: secret,
            decrypt: opts.decrypt === true,
            progress: progressBar(),
          }),
        );
        const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
        print(
          `Exported ${rows} row(s) of ${Object.keys(manifest.tables).length} table(s) and ${manifest.media.files} ` +
            `media file(s) (${prettyBytes(manifest.media.bytes)}) to ${file} [${manifest.parts.join(', ')}]`,
        );
        if (manifest.decrypted)
          print(
            'warning: encrypted attributes are in the clear in this archive (--decrypt): keep it as safe as the keys',
          );
        if (manifest.media.missing.length > 0)
          print(`warning: ${manifest.media.missing.length} media file(s) missing from storage are not in the archive`);
      }),
    );

  program
    .command('import')
    .description(`restore a backup archive into this database (all or nothing; ${PASSPHRASE_VARIABLE} if encrypted)`)
    .argument('<file>', 'an archive written by folio export')
    .option('--replace', 'replace what the database already holds')
    .action(
      action(async (file: string, opts: { replace?: boolean }) => {
        const result = await withFolio((folio) =>
          importArchive(folio, path.resolve(file), {
            replace: opts.replace === true,
            passphrase: passphrase(false),
            progress: progressBar(),
          }),
        );
        print(
          `Imported ${result.rows} row(s) and ${result.files} media file(s) from ${file} ` +
            `[${result.manifest.parts.join(', ')}], made by Folio ${result.manifest.folioVersion} on ` +
            `${result.manifest.dialect} at ${result.manifest.createdAt}`,
        );
        const { tokens, webhooks } = result.reissue;
        if (tokens.length > 0)
          print(`Made under another FOLIO_SECRET: re-issue these API tokens: ${tokens.join(', ')}`);
        if (webhooks.length > 0)
          print(`Made under another FOLIO_SECRET: set these webhook secrets again: ${webhooks.join(', ')}`);
      }),
    );
}
