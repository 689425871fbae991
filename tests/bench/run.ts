// `npm run bench`: seeds the standard dataset through Folio's own API, loads the public API with
// autocannon, and measures the ceilings of issue 8 in the same run, so every figure is read against
// a baseline taken on the same machine at the same time. Results: a table on stdout and JSON under
// tests/bench/results/. Options: --db mysql|sqlite, --duration S, --connections N, --articles N,
// --only E1,E4, --skip-cache-on, --reuse, --cpu-prof, --no-beside.
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
import { CEILING_COLUMNS, CEILING_TERM_COLUMNS } from './ceiling-server.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Folio runs as production runs it: `npm run serve` (package.json), the compiled server with its
 * node flags. Not `npm start`, which compiles TypeScript as it loads it: tsx's loader thread is a
 * second V8 heap, ~40 MB of RSS that a deployment does not carry.
 */
const SERVE_FLAGS = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { serve: string } }).scripts.serve
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));

/** Compiles the server into dist/ (the server half of `npm run build`). */
function buildServer(): void {
  log('compiling the server (tsc -p tsconfig.build.json)…');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the server did not compile');
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
    'mysql-url': { type: 'string', default: process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const ARTICLES = Number(args.articles);
const DB = args.db === 'sqlite' ? 'sqlite' : 'mysql';

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
  /** The server's CPU time (user + system) per request, from /proc: what the server itself spent (it still rises when the machine is busy). */
  cpuMs?: number;
  /** The read's ceilings, measured right after it (C, C1 for E4, C and C2 for E2; A for cached reads). */
  beside?: Figure[];
}

// ---------- the dataset and its schema -------------------------------------------------------

interface Dataset {
  categories: Array<{ name: string; slug: string }>;
  tags: Array<{ name: string; slug: string }>;
  articles: Array<Record<string, unknown> & { category: number; tags: number[]; slug: string }>;
}

async function loadDataset(): Promise<Dataset> {
  const file = path.resolve(ROOT, '..', 'shared', 'bench', 'dataset.mjs');
  const { makeDataset } = (await import(pathToFileURL(file).href)) as { makeDataset: (n: number) => Dataset };
  return makeDataset(ARTICLES);
}

const benchSchema = {
  contentTypes: {
    category: {
      kind: 'collectionType', info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string', required: true, unique: true }, slug: { type: 'uid', targetField: 'name', index: true } },
    },
    tag: {
      kind: 'collectionType', info: { singularName: 'tag', pluralName: 'tags', displayName: 'Tag' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string', required: true, unique: true }, slug: { type: 'uid', targetField: 'name', index: true } },
    },
    article: {
      kind: 'collectionType', info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      // E3 filters on featured (and a category) and sorts by views descending: read in index order.
      options: { draftAndPublish: true, indexes: [{ attributes: ['featured', 'views:desc'] }] },
      attributes: {
        title: { type: 'string', required: true },
        slug: { type: 'uid', targetField: 'title', unique: true },
        summary: { type: 'text' },
        body: { type: 'richtext' },
        // Descending: the lists sort by these descending (E1, E3), and `ORDER BY col DESC, id ASC`
        // reads in index order only from an index built that way.
        views: { type: 'integer', index: 'desc' },
        rating: { type: 'decimal' },
        featured: { type: 'boolean', index: true },
        publishedDate: { type: 'date', index: 'desc' },
        category: { type: 'relation', relation: 'manyToOne', target: 'category' },
        tags: { type: 'relation', relation: 'manyToMany', target: 'tag' },
      },
    },
  },
  components: {},
};

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

async function startFolio(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const profiling = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(HERE, 'results', 'profiles')}`] : [];
  const child = spawn(process.execPath, [...SERVE_FLAGS, ...profiling, path.join(ROOT, 'dist', 'server', 'index.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FOLIO_DEMO: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/_health`, child);
  return { url, child, stop: stopper(child) };
}

async function startCeiling(mode: string, extra: string[]): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'ceiling-server.ts'), mode, String(port), ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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
}

async function load(scenario: string, cache: Figure['cache'], options: LoadOptions): Promise<Figure> {
  const { nextBody } = options;
  const requests = nextBody ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: nextBody() }) }] : undefined;
  const common = { url: options.url, connections: CONNECTIONS, method: options.method ?? 'GET', headers: options.headers, body: options.body, requests };
  // Warm-up: JIT, pools and (when on) the cache, not measured.
  await autocannon({ ...common, duration: Math.min(3, DURATION) });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMB(options.pid))), 250);
  const cpuBefore = cpuSeconds(options.pid);
  const result = await autocannon({ ...common, duration: options.duration ?? DURATION });
  const cpuAfter = cpuSeconds(options.pid);
  clearInterval(sampler);
  const figure: Figure = {
    scenario, cache,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rssMB: options.pid ? peak : undefined,
    cpuMs: cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000 * 1000) / result.requests.total) / 1000 : undefined,
  };
  log(`${scenario.padEnd(4)} cache ${cache.padEnd(3)} ${String(figure.reqPerSec).padStart(6)} req/s  p50 ${figure.p50} ms  p99 ${figure.p99} ms  errors ${figure.errors}  non-2xx ${figure.non2xx}${figure.rssMB ? `  RSS ${figure.rssMB} MB` : ''}${figure.cpuMs !== undefined ? `  CPU ${figure.cpuMs} ms/req` : ''}`);
  return figure;
}

// ---------- seeding through the API ----------------------------------------------------------

async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
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

async function seed(base: string, token: string, dataset: Dataset): Promise<{ seconds: number; perSecond: number }> {
  const started = performance.now();
  const categoryIds: string[] = [];
  const tagIds: string[] = [];
  await pool(dataset.categories, 8, async (c, i) => void (categoryIds[i] = await post(`${base}/api/categories`, token, c)));
  await pool(dataset.tags, 8, async (t, i) => void (tagIds[i] = await post(`${base}/api/tags`, token, t)));
  let done = 0;
  await pool(dataset.articles, 16, async (a) => {
    await post(`${base}/api/articles`, token, {
      ...a,
      category: categoryIds[a.category],
      tags: a.tags.map((t) => tagIds[t]),
    });
    done += 1;
    if (done % 1000 === 0) log(`seeded ${done}/${dataset.articles.length} articles (${Math.round(done / ((performance.now() - started) / 1000))}/s)`);
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(dataset.articles.length / seconds) };
}

// ---------- main -----------------------------------------------------------------------------

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const result = await runCli(args, env);
  if (result.code !== 0) throw new Error(`folio ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

async function prepareDatabase(): Promise<string> {
  if (args.reuse && DB === 'mysql') return `${args['mysql-url'].replace(/\/+$/, '')}/folio_bench`;
  if (DB === 'sqlite') {
    const dir = path.join(os.tmpdir(), `folio-bench-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    return `sqlite:${path.join(dir, 'bench.db')}`;
  }
  const server = knexFactory({ client: 'mysql2', connection: { uri: args['mysql-url'] } as never, pool: { min: 0, max: 1 } });
  await server.raw('DROP DATABASE IF EXISTS folio_bench');
  await server.raw('CREATE DATABASE folio_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await server.destroy();
  return `${args['mysql-url'].replace(/\/+$/, '')}/folio_bench`;
}

/**
 * The ceiling tables: E1's published rows and columns, with exactly the indexes E1's and E2's
 * queries need; and for C2, E2's categories and tags as a hand-written app would keep them — integer
 * keys, one published row each, an article's tags in a table keyed by article and position.
 */
async function prepareCeilingTables(url: string): Promise<void> {
  const conn = await mysql.createConnection({ uri: url });
  for (const table of ['ceiling_articles', 'ceiling_categories', 'ceiling_tags', 'ceiling_article_categories', 'ceiling_article_tags']) {
    await conn.query(`DROP TABLE IF EXISTS ${table}`);
  }
  await conn.query(`CREATE TABLE ceiling_articles AS SELECT status, ${CEILING_COLUMNS} FROM articles`);
  await conn.query('ALTER TABLE ceiling_articles ADD PRIMARY KEY (id), ADD INDEX ceiling_list (status, published_date DESC, id), ADD INDEX ceiling_ids (status, id), ADD INDEX ceiling_doc (document_id, status)');
  for (const [table, source] of [['ceiling_categories', 'categories'], ['ceiling_tags', 'tags']]) {
    await conn.query(`CREATE TABLE ${table} AS SELECT ${CEILING_TERM_COLUMNS} FROM ${source} WHERE status = 'published'`);
    await conn.query(`ALTER TABLE ${table} ADD PRIMARY KEY (id)`);
  }
  // Folio's links name their targets by document id; here they hold the published target's id.
  const links = (link: string, targets: string, targetColumn: string) =>
    `SELECT l.entity_id AS article_id, t.id AS ${targetColumn}, l.position FROM ${link} l JOIN ${targets} t ON t.document_id = l.target_document_id`;
  await conn.query(`CREATE TABLE ceiling_article_categories AS ${links('articles_category_lnk', 'ceiling_categories', 'category_id')}`);
  await conn.query('ALTER TABLE ceiling_article_categories DROP COLUMN position, ADD PRIMARY KEY (article_id)');
  await conn.query(`CREATE TABLE ceiling_article_tags AS ${links('articles_tags_lnk', 'ceiling_tags', 'tag_id')}`);
  await conn.query('ALTER TABLE ceiling_article_tags ADD PRIMARY KEY (article_id, position)');
  await conn.end();
}

type Ceiling = 'A' | 'C' | 'C1' | 'C2';

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
async function startBesides(databaseUrl: string, e1Bytes: number, documentId: string): Promise<Partial<Record<Ceiling, Server>>> {
  const servers: Partial<Record<Ceiling, Server>> = { A: await startCeiling('bare', ['', String(e1Bytes)]) };
  if (DB === 'mysql') {
    servers.C = await startCeiling('list', [databaseUrl]);
    servers.C1 = await startCeiling('one', [databaseUrl, '0', documentId]);
    servers.C2 = await startCeiling('populated', [databaseUrl]);
  }
  return servers;
}

async function mysqlCeiling(url: string): Promise<Figure> {
  const sql = `SELECT ${CEILING_COLUMNS} FROM ceiling_articles WHERE status = 'published' ORDER BY published_date DESC, id ASC LIMIT 25`;
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
  const figure: Figure = { scenario: 'B', cache: '-', reqPerSec: Math.round(latencies.length / DURATION), p50: at(0.5), p99: at(0.99), errors: 0, non2xx: 0 };
  log(`B    mysql2 E1 SQL ${figure.reqPerSec} q/s  p50 ${figure.p50} ms  p99 ${figure.p99} ms`);
  return figure;
}

function printTable(figures: Figure[], ceilings: Record<string, Figure | undefined>): void {
  const ratio = (f: Figure, c?: Figure) => (c ? `${Math.round((f.reqPerSec / c.reqPerSec) * 100)}%` : '-');
  const lines = [
    '| scenario | cache | req/s | p50 ms | p99 ms | errors | non-2xx | RSS MB | CPU ms/req | vs A | vs C (C1 for E4) | ceiling beside it: req/s, p99 ms, CPU ms/req | vs it |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const c = f.scenario === 'E4' ? ceilings.C1 : ceilings.C;
    const beside = f.beside?.map((b) => `${b.scenario} ${b.reqPerSec}, ${b.p99}, ${b.cpuMs ?? '-'}`).join('; ') || '-';
    const besideRatio = f.beside?.map((b) => ratio(f, b)).join('; ') || '-';
    lines.push(`| ${f.scenario} | ${f.cache} | ${f.reqPerSec} | ${f.p50} | ${f.p99} | ${f.errors} | ${f.non2xx} | ${f.rssMB ?? '-'} | ${f.cpuMs ?? '-'} | ${ratio(f, ceilings.A)} | ${f.scenario.startsWith('E') ? ratio(f, c) : '-'} | ${beside} | ${besideRatio} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const dataset = await loadDataset();
  const databaseUrl = await prepareDatabase();
  const env = { DATABASE_URL: databaseUrl, FOLIO_DEMO: 'false', LOG_LEVEL: 'warn', FOLIO_SECRET: 'folio-bench-secret-0123456789abcdefghijklmnop', UPLOADS_DIR: path.join(os.tmpdir(), `folio-bench-uploads-${Date.now()}`) };
  log(`database ${DB}, ${ARTICLES} articles, ${CONNECTIONS} connections, ${DURATION} s per scenario`);

  const schemaFile = path.join(os.tmpdir(), `folio-bench-schema-${process.pid}.json`);
  writeFileSync(schemaFile, JSON.stringify(benchSchema));
  buildServer();
  await cli(['migrate'], env);
  await cli(['schema', 'apply', schemaFile], env);
  const token = await cli(['token', 'create', '--name', `bench-${Date.now()}`, '--type', 'full-access'], env);
  await cli(['permissions', 'grant', '--role', 'public', '--allow', 'article.find,article.findOne,category.find,tag.find,upload.create'], env);

  let folio = await startFolio({ ...env, CACHE: 'off' });
  let seeding: { seconds: number; perSecond: number } | undefined;
  if (!args.reuse) {
    log('seeding through the API…');
    seeding = await seed(folio.url, token, dataset);
    log(`seeded ${ARTICLES} articles in ${seeding.seconds} s (${seeding.perSecond}/s)`);
  }

  // E4 reads article-500 (the last article when fewer are seeded).
  const e4Slug = `article-${Math.min(500, ARTICLES)}`;
  const lookup = (await (await fetch(`${folio.url}/api/articles?filters[slug][$eq]=${e4Slug}&fields[0]=slug`)).json()) as { data: Array<{ documentId: string }> };
  const e4DocumentId = lookup.data[0]?.documentId;
  if (!e4DocumentId) throw new Error(`${e4Slug} not found after seeding`);

  const reads: Array<[string, string]> = [
    ['E1', '/api/articles?pagination[pageSize]=25&sort=publishedDate:desc'],
    ['E2', '/api/articles?pagination[pageSize]=25&populate[category]=true&populate[tags]=true'],
    ['E3', '/api/articles?filters[category][slug][$eq]=category-3&filters[featured][$eq]=true&sort=views:desc&pagination[pageSize]=25'],
    ['E4', `/api/articles/${e4DocumentId}`],
    ['E5', '/api/articles?filters[title][$containsi]=quokka&pagination[pageSize]=25'],
    ['E6', '/api/articles?pagination[page]=200&pagination[pageSize]=25'],
  ];
  const only = args.only ? new Set(args.only.split(',')) : undefined;
  const wanted = (s: string) => !only || only.has(s);
  const e1Body = await (await fetch(`${folio.url}${reads[0][1]}`)).text();

  // Each read is also measured beside its ceiling: the ceiling is loaded right after the read, so
  // both see the same minute of the machine. On a shared machine the ceilings measured at the end
  // moved by a third from one run to the next, and a ratio against them by as much.
  if (DB === 'mysql') await prepareCeilingTables(databaseUrl);
  const besides = args['no-beside'] ? undefined : await startBesides(databaseUrl, Buffer.byteLength(e1Body), e4DocumentId);

  const figures: Figure[] = [];
  const image = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 90, b: 160 } } }).jpeg().toBuffer();
  const boundary = 'folio-bench-boundary';
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="bench.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    image,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);

  for (const cache of args['skip-cache-on'] ? (['off'] as const) : (['off', 'on'] as const)) {
    if (cache === 'on') {
      await folio.stop();
      folio = await startFolio({ ...env, CACHE: 'on' });
    }
    for (const [name, url] of reads) {
      if (!wanted(name)) continue;
      const figure = await load(name, cache, { url: `${folio.url}${url}`, pid: folio.child.pid });
      if (besides) {
        figure.beside = [];
        for (const ceiling of ceilingsOf(name, cache)) {
          const server = besides[ceiling];
          if (server) figure.beside.push(await load(ceiling, '-', { url: server.url, pid: server.child.pid }));
        }
      }
      figures.push(figure);
    }
    if (wanted('W1')) {
      // Distinct titles, as editors and imports write: one title written 32 ways at once measures the
      // race for its next free slug (each create retries until it wins one), not write throughput.
      let written = 0;
      const nextBody = () => JSON.stringify({ data: { title: `Bench write ${cache} ${Date.now()} ${(written += 1)}`, summary: 'written by the bench', views: 1, featured: false, publishedDate: '2026-01-01' } });
      figures.push(await load('W1', cache, { url: `${folio.url}/api/articles`, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, nextBody, pid: folio.child.pid, duration: Math.min(DURATION, 10) }));
    }
    if (wanted('U1')) {
      figures.push(await load('U1', cache, { url: `${folio.url}/api/upload`, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` }, body: multipart, pid: folio.child.pid, duration: Math.min(DURATION, 10) }));
    }
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

  const all = [...figures, ...Object.values(ceilings).filter((f): f is Figure => Boolean(f))];
  printTable(all, ceilings);
  const out = path.join(HERE, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}-${DB}.json`);
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), db: DB, articles: ARTICLES, connections: CONNECTIONS, duration: DURATION, seeding, figures: all }, null, 2));
  log(`results written to ${path.relative(ROOT, out)}`);
}

// Exit explicitly: a pool or socket some library keeps open would otherwise hold the run open.
main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(1);
});
