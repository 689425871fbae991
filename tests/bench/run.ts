// `npm run bench`: seeds the standard dataset through Folio's own API, loads the public API with
// autocannon, and measures the ceilings of issue 8 in the same run, so every figure is read against
// a baseline taken on the same machine at the same time. Results: a table on stdout and JSON under
// tests/bench/results/. Options: --db mysql|sqlite, --duration S, --connections N, --articles N,
// --only E1,E4, --skip-cache-on, --reuse, --cpu-prof, --no-beside, --baseline <git ref> [--runs N]
// (the working tree against a ref built beside it, run by run: see README.md). A1, the dashboard's
// cold load in Chromium (admin-load.ts), runs last; `--only A1` runs it alone, without seeding.
// `--history` measures what content history costs (history.ts): bytes per revision, W1 on and off.
// `--schema untuned` measures the types without index options before the default indexes, after
// them and after the query advisor's (untuned.ts); `--articles 10000,100000` the reads at each size
// in turn, seeded on between them (growth.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import knexFactory from 'knex';
import mysql from 'mysql2/promise';
import sharp from 'sharp';
import { freePort, ROOT, runCli } from '../helpers/process.js';
import { adminLoadTable, measureAdminLoad, type AdminLoadFigure } from './admin-load.js';
import { historyTable, revisionStorage, storageTable, type SideFigures } from './history.js';
import { checkOutBaseline, comparisonTable, sameDatabaseShape, type Comparison, type RunFigures } from './baseline.js';
import { CEILING_COLUMNS, CEILING_TERM_COLUMNS } from './ceiling-server.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { addIndex, distinctSuggestions, shapes, signIn, type ShapeReport } from './advisor-client.js';
import { GROWTH_READS, growthTable, parseSizes, withoutCount, WITHOUT_COUNT } from './growth.js';
import { benchSchema, untunedSchema } from './schema.js';
import {
  databasesOf,
  phaseTable,
  seedingTable,
  UNTUNED_PHASES,
  untunedCeilings,
  usedLater,
  type Phase,
  type UntunedDatabase,
} from './untuned.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Cold loads of the dashboard per path and server in A1. */
const ADMIN_LOADS = 5;

/**
 * Folio runs as production runs it: `npm run serve` (package.json), the compiled server with its
 * node flags. Not `npm start`, which compiles TypeScript as it loads it: tsx's loader thread is a
 * second V8 heap, ~40 MB of RSS that a deployment does not carry.
 */
function serveFlagsOf(root: string): string[] {
  return (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { serve: string } }
  ).scripts.serve
    .split(/\s+/)
    .filter((word) => word.startsWith('--'));
}

/** Compiles a tree's server into its dist/ (the server half of `npm run build`). */
function buildServer(root = ROOT): void {
  log(`compiling the server in ${root} (tsc -p tsconfig.build.json)…`);
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`the server in ${root} did not compile`);
}

/** Builds a tree's dashboard into its admin/dist (A1 loads it). */
function buildAdmin(root = ROOT): void {
  log(`building the dashboard in ${root}…`);
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-admin.mjs'), '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`the dashboard in ${root} did not build`);
}

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'mysql' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '32' },
    articles: { type: 'string', default: '10000' },
    only: { type: 'string' },
    'skip-cache-on': { type: 'boolean', default: false },
    // Reuse the database of an earlier run (already seeded): no drop, no seeding; the schema is
    // applied again (so index changes are materialised). For quick iterations while profiling.
    reuse: { type: 'boolean', default: false },
    // Folio's server runs under V8's sampling profiler; one .cpuprofile per server start lands in
    // tests/bench/results/profiles/ (open it in Chrome DevTools or speedscope).
    'cpu-prof': { type: 'boolean', default: false },
    // Skip measuring each read's ceiling right after it (see "beside" in main()): a shorter run.
    'no-beside': { type: 'boolean', default: false },
    // Compare the working tree with this git ref, built beside it in a temporary worktree: the two
    // servers alternate run by run (--runs each), and a before/after table is printed.
    baseline: { type: 'string' },
    runs: { type: 'string', default: '3' },
    // Content history's cost: bytes per revision of the seeded dataset, W1 with history on and off.
    history: { type: 'boolean', default: false },
    'mysql-url': { type: 'string', default: process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306' },
    // `untuned`: the bench's types with no `index` options, in three phases (untuned.ts).
    schema: { type: 'string', default: 'tuned' },
  },
});
if (args.schema !== 'tuned' && args.schema !== 'untuned') throw new Error('--schema must be tuned or untuned');
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
/** `--articles 10000,100000`: the reads measured at each size in turn, the table grown between (growth.ts). */
const SIZES = parseSizes(args.articles);
const ARTICLES = SIZES[SIZES.length - 1];
const DB = args.db === 'sqlite' ? 'sqlite' : 'mysql';
const RUNS = Number(args.runs);

/** Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const CLOCK_TICKS = 100;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface Figure {
  scenario: string;
  cache: 'off' | 'on' | '-';
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  rssMB?: number;
  /**
   * The server's CPU time (user + system) per request, from /proc: what the server itself spent (it still rises when
   * the machine is busy).
   */
  cpuMs?: number;
  /** The read's ceilings, measured right after it (C, C1 for E4, C and C2 for E2; A for cached reads). */
  beside?: Figure[];
  /** The machine's 1-minute load average when the load ended: figures from a busy machine say so. */
  loadAverage?: number;
}

// ---------- the dataset and its schema -------------------------------------------------------

interface Dataset {
  categories: Array<{ name: string; slug: string }>;
  tags: Array<{ name: string; slug: string }>;
  articles: Array<Record<string, unknown> & { category: number; tags: number[]; slug: string }>;
}

async function loadDataset(): Promise<Dataset> {
  const { makeDataset } = (await import(pathToFileURL(path.join(HERE, 'dataset.mjs')).href)) as {
    makeDataset: (n: number) => Dataset;
  };
  return makeDataset(ARTICLES);
}

// ---------- processes ------------------------------------------------------------------------

interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} not ready`);
}

/** Servers this run started and has not stopped: killed if the run ends early (an error), not left serving. */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));
// Ctrl-C or a kill: leave through 'exit', so its handlers stop the servers and remove a baseline worktree.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
}

async function startFolio(env: Record<string, string>, root = ROOT): Promise<Server> {
  const port = await freePort();
  const profiling = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(HERE, 'results', 'profiles')}`] : [];
  const child = spawn(
    process.execPath,
    [...serveFlagsOf(root), ...profiling, path.join(root, 'dist', 'server', 'index.js')],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FOLIO_DEMO: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/_health`, child);
  return { url, child, stop: stopper(child) };
}

async function startCeiling(mode: string, extra: string[]): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'ceiling-server.ts'), mode, String(port), ...extra],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return { url, child, stop: stopper(child) };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // The fields after the command name (which may hold spaces) start at state: utime and stime are 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

function rssMB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

// ---------- load -----------------------------------------------------------------------------

interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A body per request instead of `body` (writes of distinct documents). */
  nextBody?: () => string;
  pid?: number;
  duration?: number;
  /** Load unmeasured first (JIT, pools, the cache); off for a server already warmed by an earlier run. */
  warmup?: boolean;
  /** Called with each answer's status and body (W1 collects what it created, to remove it). */
  onResponse?: (status: number, body: string) => void;
}

async function load(scenario: string, cache: Figure['cache'], options: LoadOptions): Promise<Figure> {
  const { nextBody, onResponse } = options;
  const requests = nextBody
    ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: nextBody() }), onResponse }]
    : undefined;
  const common = {
    url: options.url,
    connections: CONNECTIONS,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests,
  };
  // Warm-up: JIT, pools and (when on) the cache, not measured.
  if (options.warmup !== false) await autocannon({ ...common, duration: Math.min(3, DURATION) });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMB(options.pid))), 250);
  const cpuBefore = cpuSeconds(options.pid);
  const result = await autocannon({ ...common, duration: options.duration ?? DURATION });
  const cpuAfter = cpuSeconds(options.pid);
  clearInterval(sampler);
  const figure: Figure = {
    scenario,
    cache,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
    rssMB: options.pid ? peak : undefined,
    cpuMs:
      cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0
        ? Math.round(((cpuAfter - cpuBefore) * 1000 * 1000) / result.requests.total) / 1000
        : undefined,
  };
  log(
    `${scenario.padEnd(4)} cache ${cache.padEnd(3)} ${String(figure.reqPerSec).padStart(6)} req/s  p50 ` +
      `${figure.p50} ms  p99 ${figure.p99} ms  errors ${figure.errors}  non-2xx ${figure.non2xx}` +
      `${figure.rssMB ? `  RSS ${figure.rssMB} MB` : ''}` +
      `${figure.cpuMs !== undefined ? `  CPU ${figure.cpuMs} ms/req` : ''}  load ${figure.loadAverage}`,
  );
  return figure;
}

// ---------- seeding through the API ----------------------------------------------------------

async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

async function post(url: string, token: string, data: Record<string, unknown>): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ data }),
  });
  const body = (await res.json()) as { data?: { documentId: string }; error?: { message: string } };
  if (res.status !== 201 || !body.data) throw new Error(`POST ${url}: ${res.status} ${body.error?.message ?? ''}`);
  return body.data.documentId;
}

/** The categories' and tags' document ids, by their index in the dataset. */
interface Terms {
  categoryIds: string[];
  tagIds: string[];
}

interface Seeding {
  seconds: number;
  perSecond: number;
  loadAverage: number;
}

async function seedTerms(base: string, token: string, dataset: Dataset): Promise<Terms> {
  const terms: Terms = { categoryIds: [], tagIds: [] };
  await pool(
    dataset.categories,
    8,
    async (c, i) => void (terms.categoryIds[i] = await post(`${base}/api/categories`, token, c)),
  );
  await pool(dataset.tags, 8, async (t, i) => void (terms.tagIds[i] = await post(`${base}/api/tags`, token, t)));
  return terms;
}

/** Creates `articles` through the API, 16 at a time, logging the progress every 1,000. */
async function seedArticles(base: string, token: string, articles: Dataset['articles'], terms: Terms): Promise<void> {
  const started = performance.now();
  let done = 0;
  await pool(articles, 16, async (a) => {
    await post(`${base}/api/articles`, token, {
      ...a,
      category: terms.categoryIds[a.category],
      tags: a.tags.map((t) => terms.tagIds[t]),
    });
    done += 1;
    if (done % 1000 === 0)
      log(
        `seeded ${done}/${articles.length} articles (` +
          `${Math.round(done / ((performance.now() - started) / 1000))}/s, load ${os.loadavg()[0].toFixed(1)})`,
      );
  });
}

/** Runs `work` (a seeding) and answers its time, its rate for `count` articles and the load average after it. */
async function timedSeeding(count: number, work: () => Promise<unknown>): Promise<Seeding> {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round(count / seconds),
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
  };
}

function seed(base: string, token: string, dataset: Dataset): Promise<Seeding> {
  return timedSeeding(dataset.articles.length, async () =>
    seedArticles(base, token, dataset.articles, await seedTerms(base, token, dataset)),
  );
}

// ---------- main -----------------------------------------------------------------------------

async function cli(args: string[], env: Record<string, string>, root = ROOT): Promise<string> {
  const result = await runCli(args, env, undefined, root);
  if (result.code !== 0) throw new Error(`folio ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

async function prepareDatabase(name = 'folio_bench'): Promise<string> {
  if (args.reuse && DB === 'mysql') return `${args['mysql-url'].replace(/\/+$/, '')}/${name}`;
  if (DB === 'sqlite') {
    const dir = path.join(os.tmpdir(), `${name.replaceAll('_', '-')}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    return `sqlite:${path.join(dir, 'bench.db')}`;
  }
  const server = knexFactory({
    client: 'mysql2',
    connection: { uri: args['mysql-url'] } as never,
    pool: { min: 0, max: 1 },
  });
  await server.raw(`DROP DATABASE IF EXISTS ${name}`);
  await server.raw(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await server.destroy();
  return `${args['mysql-url'].replace(/\/+$/, '')}/${name}`;
}

/**
 * The ceiling tables: E1's published rows and columns, with exactly the indexes E1's and E2's
 * queries need; and for C2, E2's categories and tags as a hand-written app would keep them — integer
 * keys, one published row each, an article's tags in a table keyed by article and position.
 */
async function prepareCeilingTables(url: string): Promise<void> {
  const conn = await mysql.createConnection({ uri: url });
  for (const table of [
    'ceiling_articles',
    'ceiling_categories',
    'ceiling_tags',
    'ceiling_article_categories',
    'ceiling_article_tags',
  ]) {
    await conn.query(`DROP TABLE IF EXISTS ${table}`);
  }
  await conn.query(`CREATE TABLE ceiling_articles AS SELECT status, ${CEILING_COLUMNS} FROM articles`);
  await conn.query(
    'ALTER TABLE ceiling_articles ADD PRIMARY KEY (id), ADD INDEX ceiling_list (status, published_date ' +
      'DESC, id), ADD INDEX ceiling_ids (status, id), ADD INDEX ceiling_doc (document_id, status)',
  );
  // C0: the same rows without the index E1's sort needs (what a table has before the default indexes).
  await conn.query('DROP TABLE IF EXISTS ceiling_articles_noindex');
  await conn.query('CREATE TABLE ceiling_articles_noindex AS SELECT * FROM ceiling_articles');
  await conn.query('ALTER TABLE ceiling_articles_noindex ADD PRIMARY KEY (id), ADD INDEX ceiling_ids (status, id)');
  for (const [table, source] of [
    ['ceiling_categories', 'categories'],
    ['ceiling_tags', 'tags'],
  ]) {
    await conn.query(
      `CREATE TABLE ${table} AS SELECT ${CEILING_TERM_COLUMNS} FROM ${source} WHERE status = 'published'`,
    );
    await conn.query(`ALTER TABLE ${table} ADD PRIMARY KEY (id)`);
  }
  // Folio's links name their targets by document id; here they hold the published target's id.
  const links = (link: string, targets: string, targetColumn: string) =>
    `SELECT l.entity_id AS article_id, t.id AS ${targetColumn}, l.position FROM ${link} l JOIN ` +
    `${targets} t ON t.document_id = l.target_document_id`;
  await conn.query(
    `CREATE TABLE ceiling_article_categories AS ${links('articles_category_lnk', 'ceiling_categories', 'category_id')}`,
  );
  await conn.query('ALTER TABLE ceiling_article_categories DROP COLUMN position, ADD PRIMARY KEY (article_id)');
  await conn.query(`CREATE TABLE ceiling_article_tags AS ${links('articles_tags_lnk', 'ceiling_tags', 'tag_id')}`);
  await conn.query('ALTER TABLE ceiling_article_tags ADD PRIMARY KEY (article_id, position)');
  await conn.end();
}

type Ceiling = 'A' | 'C' | 'C0' | 'C1' | 'C2';

/**
 * The ceilings a read is compared with: C (C1 for one entry) uncached, A when served from the
 * cache. E2 is also compared with C2, the minimal server that reads the same relations.
 */
function ceilingsOf(scenario: string, cache: Figure['cache']): Ceiling[] {
  if (cache === 'on') return ['A'];
  if (scenario === 'E4') return ['C1'];
  return scenario === 'E2' ? ['C', 'C2'] : ['C'];
}

/** The ceiling servers, started once and kept running (idle) beside Folio; C, C1 and C2 on MySQL only. */
async function startBesides(
  databaseUrl: string,
  e1Bytes: number,
  documentId: string,
): Promise<Partial<Record<Ceiling, Server>>> {
  const servers: Partial<Record<Ceiling, Server>> = { A: await startCeiling('bare', ['', String(e1Bytes)]) };
  if (DB === 'mysql') {
    servers.C = await startCeiling('list', [databaseUrl]);
    if (args.schema === 'untuned') servers.C0 = await startCeiling('list-noindex', [databaseUrl]);
    servers.C1 = await startCeiling('one', [databaseUrl, '0', documentId]);
    servers.C2 = await startCeiling('populated', [databaseUrl]);
  }
  return servers;
}

async function mysqlCeiling(url: string): Promise<Figure> {
  const sql =
    `SELECT ${CEILING_COLUMNS} FROM ceiling_articles WHERE status = 'published' ORDER BY published_date ` +
    `DESC, id ASC LIMIT 25`;
  const conn = mysql.createPool({ uri: url, connectionLimit: CONNECTIONS });
  const latencies: number[] = [];
  const until = performance.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await conn.query(sql);
        latencies.push(performance.now() - t);
      }
    }),
  );
  await conn.end();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] * 10) / 10;
  const figure: Figure = {
    scenario: 'B',
    cache: '-',
    reqPerSec: Math.round(latencies.length / DURATION),
    p50: at(0.5),
    p99: at(0.99),
    errors: 0,
    non2xx: 0,
  };
  log(`B    mysql2 E1 SQL ${figure.reqPerSec} q/s  p50 ${figure.p50} ms  p99 ${figure.p99} ms`);
  return figure;
}

function printTable(figures: Figure[], ceilings: Record<string, Figure | undefined>): void {
  const ratio = (f: Figure, c?: Figure) => (c ? `${Math.round((f.reqPerSec / c.reqPerSec) * 100)}%` : '-');
  const lines = [
    '| scenario | cache | req/s | p50 ms | p99 ms | errors | non-2xx | RSS MB | CPU ms/req | vs A | vs ' +
      'C (C1 for E4) | ceiling beside it: req/s, p99 ms, CPU ms/req | vs it |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const c = f.scenario === 'E4' ? ceilings.C1 : ceilings.C;
    const beside = f.beside?.map((b) => `${b.scenario} ${b.reqPerSec}, ${b.p99}, ${b.cpuMs ?? '-'}`).join('; ') || '-';
    const besideRatio = f.beside?.map((b) => ratio(f, b)).join('; ') || '-';
    lines.push(
      `| ${f.scenario} | ${f.cache} | ${f.reqPerSec} | ${f.p50} | ${f.p99} | ${f.errors} | ${f.non2xx} | ` +
        `${f.rssMB ?? '-'} | ${f.cpuMs ?? '-'} | ${ratio(f, ceilings.A)} | ` +
        `${f.scenario.startsWith('E') ? ratio(f, c) : '-'} | ${beside} | ${besideRatio} |`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

/** What every server of a run is started with; DATABASE_URL and CACHE are added per server. */
function benchEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    FOLIO_DEMO: 'false',
    LOG_LEVEL: 'warn',
    FOLIO_SECRET: 'folio-bench-secret-0123456789abcdefghijklmnop',
    UPLOADS_DIR: path.join(os.tmpdir(), `folio-bench-uploads-${process.pid}`),
  };
}

interface Content {
  /** A Folio server on the database, started with CACHE=off. */
  folio: Server;
  token: string;
  e4DocumentId: string;
  seeding?: Seeding;
}

/** Migrates the database, applies the bench schema and seeds it (not with --reuse), all through one tree's code. */
async function setUpContent(
  env: Record<string, string>,
  dataset: Dataset,
  root = ROOT,
  schema: SchemaDocument = benchSchema,
): Promise<Content> {
  const schemaFile = path.join(os.tmpdir(), `folio-bench-schema-${process.pid}.json`);
  writeFileSync(schemaFile, JSON.stringify(schema));
  await cli(['migrate'], env, root);
  await cli(['schema', 'apply', schemaFile], env, root);
  const token = await cli(['token', 'create', '--name', `bench-${Date.now()}`, '--type', 'full-access'], env, root);
  await cli(
    [
      'permissions',
      'grant',
      '--role',
      'public',
      '--allow',
      'article.find,article.findOne,category.find,tag.find,upload.create',
    ],
    env,
    root,
  );

  const folio = await startFolio({ ...env, CACHE: 'off' }, root);
  let seeding: Content['seeding'];
  if (!args.reuse) {
    log('seeding through the API…');
    seeding = await seed(folio.url, token, dataset);
    log(`seeded ${dataset.articles.length} articles in ${seeding.seconds} s (${seeding.perSecond}/s)`);
  }
  return { folio, token, e4DocumentId: await e4DocumentIdOf(folio.url, dataset.articles.length), seeding };
}

/** E4 reads article-500 (the last article when fewer are seeded). */
async function e4DocumentIdOf(base: string, articles: number): Promise<string> {
  const e4Slug = `article-${Math.min(500, articles)}`;
  const lookup = (await (await fetch(`${base}/api/articles?filters[slug][$eq]=${e4Slug}&fields[0]=slug`)).json()) as {
    data: Array<{ documentId: string }>;
  };
  const documentId = lookup.data[0]?.documentId;
  if (!documentId) throw new Error(`${e4Slug} not found after seeding`);
  return documentId;
}

function readPaths(e4DocumentId: string): Array<[string, string]> {
  return [
    ['E1', '/api/articles?pagination[pageSize]=25&sort=publishedDate:desc'],
    ['E2', '/api/articles?pagination[pageSize]=25&populate[category]=true&populate[tags]=true'],
    [
      'E3',
      '/api/articles?filters[category][slug][$eq]=category-3&filters[featured][$eq]=true&sort=views:desc&' +
        'pagination[pageSize]=25',
    ],
    ['E4', `/api/articles/${e4DocumentId}`],
    ['E5', '/api/articles?filters[title][$containsi]=quokka&pagination[pageSize]=25'],
    ['E6', '/api/articles?pagination[page]=200&pagination[pageSize]=25'],
  ];
}

const only = args.only ? new Set(args.only.split(',')) : undefined;
const wanted = (s: string) => !only || only.has(s);
/** `--only A1`: the dashboard's load alone, on installations with no content. */
const adminOnly = only !== undefined && [...only].every((name) => name === 'A1');
const cacheModes = args['skip-cache-on'] ? (['off'] as const) : (['off', 'on'] as const);

interface Scenario {
  name: string;
  /** A read of the public API (compared with its ceilings), not a write. */
  read: boolean;
  /** The load against one server; `writer` keeps the titles of two servers' writes apart. */
  options(base: string, cache: Figure['cache'], writer: string): LoadOptions;
}

const UPLOAD_BOUNDARY = 'folio-bench-boundary';

async function uploadBody(): Promise<Buffer> {
  const image = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .jpeg()
    .toBuffer();
  return Buffer.concat([
    Buffer.from(
      `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="bench.jpg"\r\n` +
        `Content-Type: image/jpeg\r\n\r\n`,
    ),
    image,
    Buffer.from(`\r\n--${UPLOAD_BOUNDARY}--\r\n`),
  ]);
}

/** E1–E6, W1 and U1, in the order they run; those left out by --only are not listed. */
async function scenarios(e4DocumentId: string, token: string): Promise<Scenario[]> {
  const multipart = await uploadBody();
  const list: Scenario[] = readPaths(e4DocumentId).map(([name, url]) => ({
    name,
    read: true,
    options: (base) => ({ url: `${base}${url}` }),
  }));
  list.push({
    name: 'W1',
    read: false,
    options(base, cache, writer) {
      // Distinct titles, as editors and imports write: one title written 32 ways at once measures the
      // race for its next free slug (each create retries until it wins one), not write throughput.
      let written = 0;
      const nextBody = () =>
        JSON.stringify({
          data: {
            title: `Bench write ${writer} ${cache} ${Date.now()} ${(written += 1)}`,
            summary: 'written by the bench',
            views: 1,
            featured: false,
            publishedDate: '2026-01-01',
          },
        });
      return {
        url: `${base}/api/articles`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        nextBody,
        duration: Math.min(DURATION, 10),
      };
    },
  });
  list.push({
    name: 'U1',
    read: false,
    options: (base) => ({
      url: `${base}/api/upload`,
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${UPLOAD_BOUNDARY}`, authorization: `Bearer ${token}` },
      body: multipart,
      duration: Math.min(DURATION, 10),
    }),
  });
  return list.filter((scenario) => wanted(scenario.name));
}

function writeResults(suffix: string, results: Record<string, unknown>): void {
  const out = path.join(HERE, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}-${DB}${suffix}.json`);
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        db: DB,
        articles: ARTICLES,
        connections: CONNECTIONS,
        duration: DURATION,
        ...results,
      },
      null,
      2,
    ),
  );
  log(`results written to ${path.relative(ROOT, out)}`);
}

/** /admin shows the sign-in form only once an administrator exists (first-run registration before). */
const BENCH_ADMIN_PASSWORD = 'bench-password-1';

/** Answers the new administrator's email (the password is BENCH_ADMIN_PASSWORD). */
async function createBenchAdmin(env: Record<string, string>, root = ROOT): Promise<string> {
  const email = `bench-${Date.now()}@folio.test`;
  await cli(['admin', 'create', '--email', email, '--password', BENCH_ADMIN_PASSWORD], env, root);
  return email;
}

/**
 * A1 on its own installation per tree (migrated, one administrator, no content: the signed-out
 * dashboard reads none), the baseline first when there is one. The trees run one after the other:
 * what is timed is the browser's work on each tree's build, which the server's load does not share.
 */
async function adminLoadRuns(ref: string | undefined): Promise<Array<{ tree: string; figures: AdminLoadFigure[] }>> {
  const trees = [{ tree: 'current', root: ROOT }];
  if (ref) trees.unshift({ tree: `baseline ${ref}`, root: checkOutBaseline(ROOT, ref, log).root });
  const results: Array<{ tree: string; figures: AdminLoadFigure[] }> = [];
  for (const [index, { tree, root }] of trees.entries()) {
    buildServer(root);
    buildAdmin(root);
    const env = benchEnv(await prepareDatabase(`folio_bench_a1_${index}`));
    await cli(['migrate'], env, root);
    await createBenchAdmin(env, root);
    const server = await startFolio({ ...env, CACHE: 'off' }, root);
    try {
      log(`A1: ${ADMIN_LOADS * RUNS} cold loads per path on ${tree}…`);
      const figures = await measureAdminLoad(server.url, ADMIN_LOADS * RUNS);
      process.stdout.write(adminLoadTable(figures, tree));
      results.push({ tree, figures });
    } finally {
      await server.stop();
    }
  }
  return results;
}

async function main(): Promise<void> {
  if (adminOnly) {
    writeResults('-a1', { a1: await adminLoadRuns(args.baseline) });
    return;
  }
  const dataset = await loadDataset();
  const databaseUrl = await prepareDatabase();
  const env = benchEnv(databaseUrl);
  log(`database ${DB}, ${ARTICLES} articles, ${CONNECTIONS} connections, ${DURATION} s per scenario`);

  buildServer();
  const content = await setUpContent(env, dataset);
  let folio = content.folio;
  const { e4DocumentId, token, seeding } = content;
  const e1Body = await (await fetch(`${folio.url}${readPaths(e4DocumentId)[0][1]}`)).text();

  // Each read is also measured beside its ceiling: the ceiling is loaded right after the read, so
  // both see the same minute of the machine. On a shared machine the ceilings measured at the end
  // moved by a third from one run to the next, and a ratio against them by as much.
  if (DB === 'mysql') await prepareCeilingTables(databaseUrl);
  const besides = args['no-beside']
    ? undefined
    : await startBesides(databaseUrl, Buffer.byteLength(e1Body), e4DocumentId);

  const figures: Figure[] = [];
  const all = await scenarios(e4DocumentId, token);
  for (const cache of cacheModes) {
    if (cache === 'on') {
      await folio.stop();
      folio = await startFolio({ ...env, CACHE: 'on' });
    }
    for (const scenario of all) {
      const figure = await load(scenario.name, cache, {
        ...scenario.options(folio.url, cache, 'current'),
        pid: folio.child.pid,
      });
      if (besides && scenario.read) {
        figure.beside = [];
        for (const ceiling of ceilingsOf(scenario.name, cache)) {
          const server = besides[ceiling];
          if (server) figure.beside.push(await load(ceiling, '-', { url: server.url, pid: server.child.pid }));
        }
      }
      figures.push(figure);
    }
  }
  let admin: AdminLoadFigure[] | undefined;
  if (wanted('A1')) {
    buildAdmin();
    await createBenchAdmin(env);
    log(`A1: ${ADMIN_LOADS} cold loads per path…`);
    admin = await measureAdminLoad(folio.url, ADMIN_LOADS);
  }
  await folio.stop();
  await Promise.all(Object.values(besides ?? {}).map((server) => server?.stop()));

  const ceilings: Record<string, Figure | undefined> = {};
  const bare = await startCeiling('bare', ['', String(Buffer.byteLength(e1Body))]);
  ceilings.A = await load('A', '-', { url: bare.url });
  await bare.stop();
  if (DB === 'mysql') {
    ceilings.B = await mysqlCeiling(databaseUrl);
    const list = await startCeiling('list', [databaseUrl]);
    ceilings.C = await load('C', '-', { url: list.url, pid: list.child.pid });
    await list.stop();
    const one = await startCeiling('one', [databaseUrl, '0', e4DocumentId]);
    ceilings.C1 = await load('C1', '-', { url: one.url, pid: one.child.pid });
    await one.stop();
    const populated = await startCeiling('populated', [databaseUrl]);
    ceilings.C2 = await load('C2', '-', { url: populated.url, pid: populated.child.pid });
    await populated.stop();
  } else {
    log('ceilings B, C, C1 and C2 are measured on MySQL only (run without --db sqlite)');
  }

  const measured = [...figures, ...Object.values(ceilings).filter((f): f is Figure => Boolean(f))];
  printTable(measured, ceilings);
  if (admin) process.stdout.write(adminLoadTable(admin));
  writeResults('', { seeding, figures: measured, a1: admin });
}

// ---------- --baseline: before and after, run by run ----------------------------------------

type Side = 'baseline' | 'current';

/**
 * The working tree against a git ref built beside it. Both servers run at once (idle but for the
 * one under load) and take turns per run, the order flipped every run (baseline, current; current,
 * baseline; …) so that a machine growing busier or quieter weighs on both alike. No ceilings: the
 * question is before against after, on the same minutes of the same machine.
 */
async function compareWithBaseline(ref: string): Promise<void> {
  const dataset = await loadDataset();
  const baseline = checkOutBaseline(ROOT, ref, log);
  // Two processes writing one SQLite file wait for each other's lock (W1 answered 503s that way),
  // which no deployment does: on SQLite each tree always gets its own file.
  const shared = DB === 'mysql' && sameDatabaseShape(ROOT, baseline.commit);
  log(
    shared
      ? 'migrations, server/db and server/schema are the same in both trees: one database, seeded once, serves both'
      : 'each tree gets its own database, migrated, applied and seeded by its own code',
  );
  log(
    `database ${DB}, ${ARTICLES} articles, ${CONNECTIONS} connections, ${DURATION} s per scenario, ` +
      `${RUNS} run${RUNS === 1 ? '' : 's'} each`,
  );
  buildServer(baseline.root);
  buildServer();

  const envs: Record<Side, Record<string, string>> = { current: benchEnv(await prepareDatabase()), baseline: {} };
  const current = await setUpContent(envs.current, dataset);
  let before: Pick<Content, 'token' | 'e4DocumentId'> & { seeding?: Content['seeding'] } = current;
  envs.baseline = shared ? envs.current : benchEnv(await prepareDatabase('folio_bench_baseline'));
  if (!shared) {
    log('setting up the baseline database…');
    const own = await setUpContent(envs.baseline, dataset, baseline.root);
    await own.folio.stop();
    before = own;
  }
  await current.folio.stop();

  const lists: Record<Side, Scenario[]> = {
    current: await scenarios(current.e4DocumentId, current.token),
    baseline: await scenarios(before.e4DocumentId, before.token),
  };
  const roots: Record<Side, string> = { current: ROOT, baseline: baseline.root };
  const rows: Comparison[] = [];
  for (const cache of cacheModes) {
    const servers: Record<Side, Server> = {
      baseline: await startFolio({ ...envs.baseline, CACHE: cache }, roots.baseline),
      current: await startFolio({ ...envs.current, CACHE: cache }, roots.current),
    };
    for (const [index, { name }] of lists.current.entries()) {
      const runs: Record<Side, RunFigures> = {
        baseline: { reqPerSec: [], p99: [], failures: 0 },
        current: { reqPerSec: [], p99: [], failures: 0 },
      };
      for (let run = 0; run < RUNS; run++) {
        const order: Side[] = run % 2 === 0 ? ['baseline', 'current'] : ['current', 'baseline'];
        for (const side of order) {
          log(`${name} cache ${cache}: run ${run + 1}/${RUNS}, ${side}`);
          const server = servers[side];
          // Warmed once per server and scenario: later runs find it warm (the cache too, when on).
          const figure = await load(name, cache, {
            ...lists[side][index].options(server.url, cache, side),
            pid: server.child.pid,
            warmup: run === 0,
          });
          runs[side].reqPerSec.push(figure.reqPerSec);
          runs[side].p99.push(figure.p99);
          runs[side].failures += figure.errors + figure.non2xx;
        }
      }
      rows.push({ scenario: name, cache, ...runs });
    }
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }

  process.stdout.write(comparisonTable(rows, RUNS));
  const a1 = wanted('A1') ? await adminLoadRuns(ref) : undefined;
  writeResults('-baseline', {
    a1,
    baseline: { ref, commit: baseline.commit, seeding: before.seeding },
    current: { seeding: current.seeding },
    sharedDatabase: shared,
    runs: RUNS,
    rows,
  });
}

// ---------- --history: what content history costs ------------------------------------------

/**
 * Seeds with history on (each write records its revision), measures the revisions stored, then W1
 * with history on and off (REVISIONS=off), one server at a time on the same database, the order
 * flipped every run as --baseline does. One server at a time: two processes on one SQLite file
 * would wait for each other's lock.
 */
async function historyCost(): Promise<void> {
  const dataset = await loadDataset();
  // Its own database: a --history run beside an ordinary one does not drop the other's.
  const databaseUrl = await prepareDatabase('folio_bench_history');
  const env = benchEnv(databaseUrl);
  log(`database ${DB}, ${ARTICLES} articles, ${CONNECTIONS} connections, ${RUNS} W1 runs per side`);
  buildServer();
  const content = await setUpContent(env, dataset);
  await content.folio.stop();
  const storage = await revisionStorage(databaseUrl);
  process.stdout.write(storageTable(storage));

  const w1 = (await scenarios(content.e4DocumentId, content.token)).find((s) => s.name === 'W1');
  if (!w1) throw new Error('--history measures W1: leave it in --only');
  const sides = { on: 'on', off: 'off' } as const;
  const runs: Record<keyof typeof sides, SideFigures> = {
    on: { reqPerSec: [], p99: [], cpuMs: [], failures: 0 },
    off: { reqPerSec: [], p99: [], cpuMs: [], failures: 0 },
  };
  for (let run = 0; run < RUNS; run++) {
    const order: Array<keyof typeof sides> = run % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
    for (const side of order) {
      log(`W1 history ${side}: run ${run + 1}/${RUNS}`);
      const server = await startFolio({ ...env, CACHE: 'off', REVISIONS: sides[side] });
      try {
        const figure = await load('W1', 'off', {
          ...w1.options(server.url, 'off', `${side}${run}`),
          pid: server.child.pid,
        });
        runs[side].reqPerSec.push(figure.reqPerSec);
        runs[side].p99.push(figure.p99);
        if (figure.cpuMs !== undefined) runs[side].cpuMs.push(figure.cpuMs);
        runs[side].failures += figure.errors + figure.non2xx;
      } finally {
        await server.stop();
      }
    }
  }
  process.stdout.write(historyTable(runs.on, runs.off, RUNS));
  writeResults('-history', { seeding: content.seeding, storage, w1: runs, runs: RUNS });
}

// ---------- --schema untuned: before the defaults, after them, after the advisor -----------

/** One database of an untuned run, migrated, applied and seeded. */
interface Installation {
  env: Record<string, string>;
  url: string;
  token: string;
  e4DocumentId: string;
  adminEmail: string;
}

interface PhaseResult {
  phase: Phase;
  figures: Figure[];
  /** Phase (c): what the advisor reported after (b)'s traffic, and the steps each "Add index" ran. */
  advice?: { shapes: ShapeReport[]; applied: Array<{ type: string; attributes: string[]; steps: string[] }> };
  /** Phase (c): the advisor's report after it, each shape's timings before the indexes beside them. */
  after?: ShapeReport[];
}

/** W1's load, collecting the document ids it created (warm-up included) into `created`. */
function collecting(options: LoadOptions, created: string[]): LoadOptions {
  return {
    ...options,
    onResponse(status, body) {
      if (status === 201) created.push((JSON.parse(body) as { data: { documentId: string } }).data.documentId);
    },
  };
}

/** Deletes documents through the API (what W1 wrote, so that the next phase reads the seeded dataset). */
async function removeDocuments(base: string, token: string, documentIds: string[]): Promise<void> {
  log(`removing the ${documentIds.length} articles W1 wrote…`);
  await pool(documentIds, 16, async (documentId) => {
    const res = await fetch(`${base}/api/articles/${documentId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`DELETE /api/articles/${documentId}: ${res.status}`);
  });
}

/** Every index the advisor suggests for the traffic the server answered, added through the Admin API. */
async function applyAdvice(base: string, install: Installation): Promise<NonNullable<PhaseResult['advice']>> {
  const session = await signIn(base, install.adminEmail, BENCH_ADMIN_PASSWORD);
  const reports = await shapes(session);
  for (const shape of reports)
    log(`advisor: ${shape.key} p99 ${shape.p99} ms — ${shape.plan?.words ?? 'plan not read'}`);
  const applied = [];
  for (const suggestion of distinctSuggestions(reports)) {
    const steps = await addIndex(session, suggestion);
    log(`advisor: added ${suggestion.type} (${suggestion.attributes.join(', ')}): ${steps.join('; ') || 'no step'}`);
    applied.push({ ...suggestion, steps });
  }
  if (applied.length === 0) log('advisor: no index suggested');
  return { shapes: reports, applied };
}

/** One database per schema of the phases, each migrated, applied and seeded in turn (the seeding timed). */
async function installUntuned(
  dataset: Dataset,
): Promise<{ installs: Map<UntunedDatabase, Installation>; seedings: Array<Seeding & { database: UntunedDatabase }> }> {
  const installs = new Map<UntunedDatabase, Installation>();
  const seedings: Array<Seeding & { database: UntunedDatabase }> = [];
  for (const database of databasesOf(UNTUNED_PHASES)) {
    const url = await prepareDatabase(`folio_bench_${database}`);
    const env = benchEnv(url);
    log(`database ${database}: the untuned schema ${database === 'defaults' ? 'with' : 'without'} the default indexes`);
    const content = await setUpContent(env, dataset, ROOT, untunedSchema(database === 'defaults'));
    await content.folio.stop();
    if (content.seeding) seedings.push({ database, ...content.seeding });
    const adminEmail = await createBenchAdmin(env);
    installs.set(database, { env, url, token: content.token, e4DocumentId: content.e4DocumentId, adminEmail });
  }
  return { installs, seedings };
}

/** A phase's reads, each beside its ceilings, then W1 (its rows removed when a later phase reads this database). */
async function measurePhase(
  server: Server,
  install: Installation,
  besides: Partial<Record<Ceiling, Server>> | undefined,
  removeWrites: boolean,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const list = (await scenarios(install.e4DocumentId, install.token)).filter((s) => s.name !== 'U1');
  for (const scenario of list) {
    const created: string[] = [];
    const options = { ...scenario.options(server.url, 'off', 'current'), pid: server.child.pid };
    const figure = await load(scenario.name, 'off', scenario.read ? options : collecting(options, created));
    if (besides && scenario.read) {
      figure.beside = [];
      for (const ceiling of untunedCeilings(scenario.name)) {
        const ceilingServer = besides[ceiling];
        if (ceilingServer)
          figure.beside.push(await load(ceiling, '-', { url: ceilingServer.url, pid: ceilingServer.child.pid }));
      }
    }
    if (removeWrites && created.length > 0) await removeDocuments(server.url, install.token, created);
    figures.push(figure);
  }
  return figures;
}

/**
 * `--schema untuned`: the bench's types without `index` options, E1–E6 and W1 in three phases
 * (untuned.ts) — before the default indexes, after them, and after every index the query advisor
 * suggested for the second phase's traffic, applied through its Admin API — each read beside its
 * ceilings. Cache off throughout: the question is what the database is asked to do.
 */
async function untunedRun(): Promise<void> {
  const dataset = await loadDataset();
  buildServer();
  log(`database ${DB}, ${ARTICLES} articles, ${CONNECTIONS} connections, ${DURATION} s per scenario, untuned schema`);
  const { installs, seedings } = await installUntuned(dataset);
  const first = installs.get(UNTUNED_PHASES[0].database) as Installation;
  let besides: Partial<Record<Ceiling, Server>> | undefined;
  if (DB === 'mysql' && !args['no-beside']) {
    await prepareCeilingTables(first.url);
    // A, which the ceiling servers include, answers a body of E1's size; no read here is compared with it.
    besides = await startBesides(first.url, 0, first.e4DocumentId);
  } else log('no ceilings beside the reads (--no-beside, or SQLite: C, C0, C1 and C2 are MySQL only)');

  const servers = new Map<UntunedDatabase, Server>();
  const results: PhaseResult[] = [];
  for (const [index, phase] of UNTUNED_PHASES.entries()) {
    const install = installs.get(phase.database) as Installation;
    const server = servers.get(phase.database) ?? (await startFolio({ ...install.env, CACHE: 'off' }));
    servers.set(phase.database, server);
    const advice = phase.advise ? await applyAdvice(server.url, install) : undefined;
    log(`phase ${phase.name}: ${phase.label}`);
    const figures = await measurePhase(server, install, besides, usedLater(UNTUNED_PHASES, index));
    const after = phase.advise
      ? await shapes(await signIn(server.url, install.adminEmail, BENCH_ADMIN_PASSWORD))
      : undefined;
    results.push({ phase, figures, advice, after });
    if (!usedLater(UNTUNED_PHASES, index)) {
      await server.stop();
      servers.delete(phase.database);
    }
  }
  await Promise.all(Object.values(besides ?? {}).map((server) => server?.stop()));

  process.stdout.write(seedingTable(seedings));
  process.stdout.write(phaseTable(results));
  for (const { phase, advice } of results)
    for (const a of advice?.applied ?? [])
      process.stdout.write(`phase ${phase.name}: the advisor's index ${a.type} (${a.attributes.join(', ')})\n`);
  writeResults('-untuned', { schema: 'untuned', seedings, phases: results });
}

// ---------- --articles 10000,100000: how the reads' cost grows with the table --------------

/** The categories' and tags' document ids in the dataset's order, read back from the API. */
async function termsOf(base: string, dataset: Dataset): Promise<Terms> {
  const ids = async (plural: string, slugs: string[]) => {
    const res = await fetch(`${base}/api/${plural}?fields[0]=slug&pagination[pageSize]=100`);
    const body = (await res.json()) as { data: Array<{ documentId: string; slug: string }> };
    const bySlug = new Map(body.data.map((term) => [term.slug, term.documentId]));
    return slugs.map((slug) => bySlug.get(slug) ?? '');
  };
  return {
    categoryIds: await ids(
      'categories',
      dataset.categories.map((c) => c.slug),
    ),
    tagIds: await ids(
      'tags',
      dataset.tags.map((t) => t.slug),
    ),
  };
}

/** GROWTH_READS as they are, then the lists a site reads without a total with `withCount=false`. */
function growthReads(e4DocumentId: string): Array<[string, string]> {
  const reads = readPaths(e4DocumentId).filter(([name]) => GROWTH_READS.includes(name));
  const uncounted = reads
    .filter(([name]) => WITHOUT_COUNT.includes(name))
    .map(([name, url]): [string, string] => [`${name} withCount=false`, withoutCount(url)]);
  return [...reads, ...uncounted];
}

/**
 * `--articles 10000,100000`: seeds to each size in turn through the API (the first size's articles
 * stay: the dataset is the same sequence at every size) and measures the reads at each, cache off.
 */
async function growthRun(): Promise<void> {
  const dataset = await loadDataset();
  buildServer();
  log(`database ${DB}, ${SIZES.join(' then ')} articles, ${CONNECTIONS} connections, ${DURATION} s per scenario`);
  const env = benchEnv(await prepareDatabase());
  const content = await setUpContent(env, { ...dataset, articles: dataset.articles.slice(0, SIZES[0]) });
  const { folio, token, e4DocumentId } = content;
  const seedings = [{ articles: SIZES[0], ...content.seeding }];
  const bySize: Figure[][] = [];
  for (const [index, size] of SIZES.entries()) {
    if (index > 0) {
      const more = dataset.articles.slice(SIZES[index - 1], size);
      log(`seeding ${more.length} articles more, to ${size}…`);
      const terms = await termsOf(folio.url, dataset);
      const seeding = await timedSeeding(more.length, () => seedArticles(folio.url, token, more, terms));
      log(`seeded ${more.length} articles more in ${seeding.seconds} s (${seeding.perSecond}/s)`);
      seedings.push({ articles: size, ...seeding });
    }
    const figures: Figure[] = [];
    for (const [name, url] of growthReads(e4DocumentId))
      figures.push(await load(name, 'off', { url: `${folio.url}${url}`, pid: folio.child.pid }));
    bySize.push(figures);
  }
  await folio.stop();
  process.stdout.write(growthTable(SIZES, bySize));
  writeResults('-growth', { sizes: SIZES, seedings, figures: bySize });
}

// Exit explicitly: a pool or socket some library keeps open would otherwise hold the run open.
function chosenRun(): Promise<void> {
  if (args.history) return historyCost();
  if (args.baseline && !adminOnly) return compareWithBaseline(args.baseline);
  if (args.schema === 'untuned') return untunedRun();
  return SIZES.length > 1 ? growthRun() : main();
}
chosenRun().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
