// `folio import --from-strapi <archive>` (docs/migrating-from-strapi.md): the archive `strapi export`
// wrote, brought in all or nothing, then a summary of what was imported and what was skipped, and why.
import path from 'node:path';
import { progressBar } from '../backup/progress.js';
import { importStrapiArchive } from '../strapi/import.js';
import { CliError, print, withFolio } from './runtime.js';

/** The key may come from the environment rather than the command line (arguments show in `ps`). */
const KEY_VARIABLE = 'FOLIO_STRAPI_KEY';

export interface StrapiImportFlags {
  replace?: boolean;
  key?: string;
  schema: string;
}

export async function runStrapiImport(archive: string, flags: StrapiImportFlags): Promise<void> {
  if (flags.schema !== 'apply' && flags.schema !== 'keep')
    throw new CliError(`--schema takes apply or keep, not ${JSON.stringify(flags.schema)}`);
  const key = flags.key ?? (process.env[KEY_VARIABLE] || undefined);
  const result = await withFolio((folio) =>
    importStrapiArchive(folio, path.resolve(archive), {
      replace: flags.replace === true,
      key,
      schema: flags.schema as 'apply' | 'keep',
      progress: progressBar(),
    }),
  );
  print(
    `Imported from ${archive} (Strapi ${result.strapiVersion}` +
      `${result.schemaApplied ? ', its schema applied' : ", Folio's schema kept"}):`,
  );
  if (result.unsupportedKeys.length > 0) {
    // As `schema apply` lists them: on stderr, so nobody believes they have an effect.
    process.stderr.write(
      `${result.unsupportedKeys.length} schema key(s) Folio does not support (kept, without effect):\n`,
    );
    for (const key of result.unsupportedKeys) process.stderr.write(`  ${key}\n`);
  }
  for (const [what, count] of Object.entries(result.imported)) print(`  ${String(count).padStart(6)} ${what}`);
  if (result.skipped.length > 0) {
    print('Skipped:');
    for (const s of result.skipped) print(`  ${String(s.count).padStart(6)} ${s.what}: ${s.why}`);
  }
}
