// `folio schema export [file]` and
// `folio schema apply <file> [--dry-run] [--force] [--accept-suggested] [--rename …]`.
// The file is the JSON schema document of docs/schema.md; export then apply is a no-op.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { PlannedStep, Rename } from '../schema/plan.js';
import { parseRename } from '../schema/validate.js';
import { action, CliError, print, withFolio } from './runtime.js';

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
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
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
    .description('make the database match a schema file (the types and components it names)')
    .argument('<file>', 'schema JSON file')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--force', 'allow steps that destroy data')
    .option('--accept-suggested', 'also build the suggested default indexes of existing attributes')
    .option('--rename <type.old=new>', 'rename a field, keeping its data (repeatable)', collect, [] as string[])
    .action(
      action(async (file: string, options: ApplyFlags) => {
        const input = await readSchemaFile(file);
        const renames: Rename[] = options.rename.map(parseRename);
        const force = options.force === true;
        const result = await withFolio(async (folio) => {
          const applied = await folio.schema.apply(input, {
            dryRun: options.dryRun === true,
            force,
            renames,
            acceptSuggested: options.acceptSuggested === true,
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
