// `folio schema export [file]` and
// `folio schema apply <file|dir> [--dry-run] [--force] [--accept-suggested] [--rename …]`.
// The file is the JSON schema document of docs/schema.md; export then apply is a no-op. A folder is
// read as a Strapi 5 project (strapi-project.ts), whose definitions Folio takes as they are.
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { PlannedStep, Rename } from '../schema/plan.js';
import { unsupportedKeys } from '../schema/strapi-keys.js';
import { isStrapiDefinition, readStrapiProject, StrapiProjectError } from '../schema/strapi-project.js';
import { parseRename } from '../schema/validate.js';
import { action, CliError, print, withFolio } from './runtime.js';
import { progressLines } from './keys.js';

interface ApplyFlags {
  dryRun?: boolean;
  force?: boolean;
  acceptSuggested?: boolean;
  rename: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readSchemaFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (isStrapiDefinition(value)) {
    throw new CliError(
      `${file} is one Strapi definition, not a schema file: give the Strapi project's folder (or its src/) instead`,
    );
  }
  return value;
}

/** A schema file, or the schema of the Strapi project in a folder (its reading reported on stdout). */
async function readSchemaInput(input: string): Promise<unknown> {
  if (!(await stat(input).catch(() => null))?.isDirectory()) return readSchemaFile(input);
  try {
    const project = await readStrapiProject(input);
    print(
      `Read ${Object.keys(project.file.contentTypes).length} content type(s) and ` +
        `${Object.keys(project.file.components).length} component(s) from the Strapi project in ${project.src}`,
    );
    for (const file of project.skipped) warn(`not read (a plugin's content type, Folio has no such plugin): ${file}`);
    return project.file;
  } catch (err) {
    if (err instanceof StrapiProjectError) throw new CliError(err.message);
    throw err;
  }
}

/** Keys Folio keeps but does not act on, one per line on stderr, so nobody believes they work. */
function reportUnsupported(input: unknown): void {
  if (typeof input !== 'object' || input === null) return;
  const keys = unsupportedKeys(input);
  if (keys.length === 0) return;
  warn(`${keys.length} key(s) Folio does not support (kept in the stored definitions, without effect):`);
  for (const key of keys) warn(`  ${key}`);
}

function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

function stepLine(step: PlannedStep, index: number, force: boolean): string {
  const mark =
    step.lossy && step.rowsAtStake > 0 ? (force ? '  [loses data: forced]' : '  [loses data: needs --force]') : '';
  return `${String(index + 1).padStart(3)}. ${step.description}${mark}`;
}

/** The suggested steps (default indexes an existing type lacks) and how to accept them. */
function printSuggested(steps: PlannedStep[]): void {
  if (steps.length === 0) return;
  print(`Suggested (not applied): ${steps.length} default index(es) for existing attributes`);
  steps.forEach((step, i) => print(stepLine(step, i, false)));
  print('apply with --accept-suggested to build them (or set "index": false on the attribute to opt out)');
}

export function registerSchema(program: Command): void {
  const schema = program
    .command('schema')
    .description('content types: export the schema in force, or apply a schema file');

  schema
    .command('export')
    .description('print the schema in force as JSON (or write it to a file)')
    .argument('[file]', 'where to write it (stdout when absent)')
    .action(
      action(async (file: string | undefined) => {
        const document = await withFolio((folio) => folio.schema.document());
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (file) {
          await writeFile(file, text);
          print(
            `Exported ${Object.keys(document.contentTypes).length} content type(s) and ` +
              `${Object.keys(document.components).length} component(s) to ${file}`,
          );
        } else {
          process.stdout.write(text);
        }
      }),
    );

  schema
    .command('apply')
    .description('make the database match a schema file or a Strapi project (the types and components it names)')
    .argument('<file>', "schema JSON file, or a Strapi 5 project's folder (or its src/)")
    .option('--dry-run', 'print the plan and change nothing')
    .option('--force', 'allow steps that destroy data')
    .option('--accept-suggested', 'also build the suggested default indexes of existing attributes')
    .option('--rename <type.old=new>', 'rename a field, keeping its data (repeatable)', collect, [] as string[])
    .action(
      action(async (file: string, options: ApplyFlags) => {
        const input = await readSchemaInput(file);
        reportUnsupported(input);
        const renames: Rename[] = options.rename.map(parseRename);
        const force = options.force === true;
        const result = await withFolio(async (folio) => {
          const applied = await folio.schema.apply(input, {
            dryRun: options.dryRun === true,
            force,
            renames,
            acceptSuggested: options.acceptSuggested === true,
            onProgress: progressLines('rewriting'),
          });
          if (!applied.dryRun && !applied.noop) {
            await folio.audit.record({
              actor: { kind: 'system', label: 'cli' },
              action: 'schema.apply',
              subject: 'content-type-builder',
              entityId: applied.version,
              details: { file, force, steps: applied.applied.map((s) => s.description) },
            });
          }
          return applied;
        });
        const { plan } = result;
        if (result.noop) {
          print('Nothing to change: the schema in force already matches the file');
          printSuggested(plan.suggested);
          return;
        }
        if (result.dryRun) {
          print(
            `Plan: ${plan.steps.length} step(s)` +
              `${plan.documentChanged ? ', and the stored definitions are updated' : ''} (dry run: nothing ` +
              `changed)`,
          );
          plan.steps.forEach((step, i) => print(stepLine(step, i, force)));
          if (plan.refused.length > 0)
            print(`${plan.refused.length} step(s) would lose data: apply with --force to accept`);
          for (const reason of plan.blocked) print(`blocked: ${reason}`);
          printSuggested(plan.suggested);
          return;
        }
        print(`Applied ${result.applied.length} step(s); schema version ${result.version}`);
        result.applied.forEach((step, i) => print(stepLine(step, i, force)));
        printSuggested(plan.suggested);
      }),
    );
}
