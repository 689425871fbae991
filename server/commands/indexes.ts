// `folio indexes suggest --url <url>…` and `folio indexes apply <type> <attributes…>`.
// A CLI process has no traffic of its own, and the server's samples live in its memory (they are
// not persisted): `suggest` analyses the list URLs it is given — each is parsed as the Content API
// would, run once, and its page statement EXPLAINed with the URL's own values — and prints the plan
// in words and the index that would serve it. The dashboard (Settings › Performance) shows what the
// running server saw. `apply` adds an `options.indexes` entry through the schema apply.
import type { Command } from 'commander';
import { QueryEngine } from '../content/query/execute.js';
import { DEFAULT_LIMITS, parseContentQuery, parseQueryString } from '../content/query/parse.js';
import type { Folio } from '../folio.js';
import { planOf, suggestionFor } from '../performance/advisor.js';
import { applyIndex } from '../performance/apply-index.js';
import { shapeKey } from '../performance/shape.js';
import { action, CliError, print, withFolio } from './runtime.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** One URL's analysis, printed as it is done. */
async function suggestFor(folio: Folio, url: string): Promise<void> {
  const parsed = new URL(url, 'http://folio.invalid');
  const route = /^\/api\/([^/]+)\/?$/.exec(parsed.pathname);
  const schema = await folio.schema.current();
  const type = route ? schema.byRoute.get(route[1]) : undefined;
  if (!type || type.kind !== 'collectionType')
    throw new CliError(`${url}: not a list of a collection type (expected /api/<pluralName>?…)`);
  const defaultLocale = await folio.locales.defaultCode();
  const query = parseContentQuery(
    type,
    parseQueryString(parsed.search.slice(1)),
    {
      schema,
      limits: { ...DEFAULT_LIMITS, maxPageSize: folio.config.apiMaxPageSize },
      defaultLocale,
      canRead: () => true,
      forbidden: (uid) => new CliError(`cannot read ${uid}`),
    },
    { single: false },
  );
  const engine = new QueryEngine({ db: folio.db, dialect: folio.dialect, schema, defaultLocale });
  const started = performance.now();
  const found = await engine.find(query);
  const ms = performance.now() - started;
  const plan = await planOf({ query, engine, returned: found.data.length });
  const suggestion = suggestionFor(query, plan);
  print(url);
  print(`  shape: ${shapeKey(query)}`);
  print(`  ran in ${ms.toFixed(1)} ms, returned ${found.data.length} row(s)`);
  print(`  plan: ${plan.words}`);
  for (const line of plan.raw) print(`    ${line}`);
  print(
    suggestion
      ? `  suggested index: ${JSON.stringify({ attributes: suggestion.attributes })} on ${suggestion.type} — ` +
          `folio indexes apply ${suggestion.type} ${suggestion.attributes.join(' ')}`
      : '  suggested index: none',
  );
}

export function registerIndexCommands(program: Command): void {
  const indexes = program.command('indexes').description('the indexes lists need: suggestions and applying them');
  indexes
    .command('suggest')
    .description('EXPLAIN list URLs and suggest the index that would serve each (docs/performance.md)')
    .requiredOption(
      '--url <url>',
      "a list read, e.g. '/api/articles?sort=publishedDate:desc' (repeatable)",
      collect,
      [],
    )
    .action(
      action(async (options: { url: string[] }) => {
        await withFolio(async (folio) => {
          for (const url of options.url) await suggestFor(folio, url);
        });
      }),
    );
  indexes
    .command('apply')
    .description("add an index to a content type's options.indexes and apply the schema")
    .argument('<type>', 'the content type (singularName)')
    .argument('<attributes...>', 'its attributes in index order, `name` or `name:desc`')
    .action(
      action(async (type: string, attributes: string[]) => {
        const result = await withFolio(async (folio) => {
          const applied = await applyIndex(folio.schema, type, attributes);
          if (!applied.noop)
            await folio.audit.record({
              actor: { kind: 'system', label: 'cli' },
              action: 'schema.apply',
              subject: 'content-type-builder',
              entityId: applied.version,
              details: { index: { type, attributes }, steps: applied.applied.map((s) => s.description) },
            });
          return applied;
        });
        if (result.noop) print(`Nothing to change: ${type} already has this index`);
        else {
          print(`Applied ${result.applied.length} step(s); schema version ${result.version}`);
          for (const step of result.applied) print(`  ${step.description}`);
        }
      }),
    );
}
