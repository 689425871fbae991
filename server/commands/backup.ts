// `folio export <file.tar.gz>` and `folio import <file.tar.gz>` (docs/backups.md): a whole
// installation, or some of its parts, into one archive and back, on either database.
import path from 'node:path';
import type { Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { exportArchive } from '../backup/export.js';
import { importArchive } from '../backup/import.js';
import { PARTS, selectParts } from '../backup/parts.js';
import { progressBar } from '../backup/progress.js';
import type { Named } from '../backup/rekey.js';
import { action, CliError, print, withFolio } from './runtime.js';
import { runStrapiImport, type StrapiImportFlags } from './strapi-import.js';

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

/** The source's FOLIO_SECRET: the flag, or this variable (which keeps it out of shell history). */
const SOURCE_SECRET_VARIABLE = 'FOLIO_SOURCE_SECRET';

const listed = (items: Named[]) => items.map((item) => `${item.name} (id ${item.id})`).join(', ');

type ImportFlags = { replace?: boolean; sourceSecret?: string; fromStrapi?: string } & Partial<StrapiImportFlags>;

async function importFolioArchive(file: string, opts: ImportFlags): Promise<void> {
  const result = await withFolio((folio) =>
    importArchive(folio, path.resolve(file), {
      replace: opts.replace === true,
      passphrase: passphrase(false),
      sourceSecret: opts.sourceSecret || process.env[SOURCE_SECRET_VARIABLE] || undefined,
      progress: progressBar(),
    }),
  );
  print(
    `Imported ${result.rows} row(s) and ${result.files} media file(s) from ${file} ` +
      `[${result.manifest.parts.join(', ')}], made by Folio ${result.manifest.folioVersion} on ` +
      `${result.manifest.dialect} at ${result.manifest.createdAt}`,
  );
  if (result.droppedRoleLinks.length > 0)
    print(
      'These accounts lost roles the archive does not have: ' +
        result.droppedRoleLinks.map((link) => `user ${link.userId} (${link.code})`).join(', '),
    );
  const { tokens, webhooks } = result.reissue;
  if (result.rekeyed.webhooks.length > 0)
    print(`Webhook secrets re-keyed from the source secret: ${listed(result.rekeyed.webhooks)}`);
  if (tokens.length > 0)
    print(`Made under another FOLIO_SECRET: these API tokens were revoked, issue them again: ${listed(tokens)}`);
  if (webhooks.length > 0)
    print(
      'Made under another FOLIO_SECRET: these webhooks were disabled and their secret removed, set a secret ' +
        `and enable them again (or import with --source-secret): ${listed(webhooks)}`,
    );
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
    .description(
      `restore a backup archive into this database (all or nothing; ${PASSPHRASE_VARIABLE} if encrypted), ` +
        'or import a Strapi 5 export with --from-strapi',
    )
    .argument('[file]', 'an archive written by folio export')
    .option('--replace', 'replace what the database already holds')
    .option(
      '--source-secret <secret>',
      `the FOLIO_SECRET the archive was made under, to re-key webhook secrets (or ${SOURCE_SECRET_VARIABLE})`,
    )
    .option('--from-strapi <archive>', 'import the archive `strapi export` wrote (.tar, .tar.gz, .tar.gz.enc)')
    .option('--key <key>', 'with --from-strapi: the key the archive was exported with (or FOLIO_STRAPI_KEY)')
    .option('--schema <mode>', "with --from-strapi: apply the archive's schema, or keep Folio's", 'apply')
    .action(
      action(async (file: string | undefined, opts: ImportFlags) => {
        if (opts.fromStrapi !== undefined) {
          if (file !== undefined)
            throw new CliError('give either a Folio archive or --from-strapi <archive>, not both');
          if (opts.sourceSecret !== undefined) throw new CliError('--source-secret is for Folio archives');
          await runStrapiImport(opts.fromStrapi, {
            replace: opts.replace,
            key: opts.key,
            schema: opts.schema ?? 'apply',
          });
          return;
        }
        if (file === undefined) throw new CliError('give the archive to import (or --from-strapi <archive>)');
        if (opts.key !== undefined)
          throw new CliError(
            `--key is for --from-strapi; a Folio archive's passphrase is read from ${PASSPHRASE_VARIABLE}`,
          );
        await importFolioArchive(file, opts);
      }),
    );
}
