// What the query advisor's sampling costs a list read (docs/performance.md: under 2% of throughput).
// `npx tsx tests/bench/advisor-overhead.ts [--articles N] [--rounds N] [--reads N]`
//
// In process, on SQLite, with the benchmark's schema and N published articles: the Content API's
// list operation (findDocuments: parse, compile, run, populate, serialize — no HTTP, so the share
// measured is an upper bound of what a real request pays) is run in alternating rounds with the
// advisor on and off, and the sampling call alone is timed on the same queries. Both figures are
// printed; the response cache is off, so every read reaches the engine.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { loadConfig } from '../../server/config.js';
import { findDocuments } from '../../server/content/operations/find-documents.js';
import { DEFAULT_LIMITS, parseContentQuery, parseQueryString } from '../../server/content/query/parse.js';
import { QueryEngine } from '../../server/content/query/execute.js';
import { openFolio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { QueryAdvisor } from '../../server/performance/advisor.js';
import { benchSchema } from './schema.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '8' },
    reads: { type: 'string', default: '400' },
  },
});
const ARTICLES = Number(values.articles);
const ROUNDS = Number(values.rounds);
const READS = Number(values.reads);

// E1, E3 and E2-like shapes: newest first, a filtered sort, a populated page.
const URLS = [
  'sort=publishedDate:desc&pagination[pageSize]=25',
  'filters[featured][$eq]=true&sort=views:desc&pagination[pageSize]=10',
  'populate[category]=true&populate[tags]=true&sort=views:desc&pagination[pageSize]=10',
];

const dir = mkdtempSync(path.join(os.tmpdir(), 'folio-advisor-bench-'));
const config = loadConfig({
  DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`,
  FOLIO_DEMO: 'false',
  FOLIO_SECRET: 'folio-bench-secret-0123456789abcdefghijklmnop',
  UPLOADS_DIR: dir,
  CACHE: 'off',
  LOG_LEVEL: 'silent',
});
const folio = await openFolio(config, { logger: silentLogger() });
await folio.schema.apply(benchSchema);
const now = new Date();
for (let i = 0; i < ARTICLES; i += 500) {
  const rows = Array.from({ length: Math.min(500, ARTICLES - i) }, (_, j) => ({
    document_id: `a${String(i + j).padStart(23, '0')}`,
    locale: '',
    status: 'published',
    title: `Article ${i + j}`,
    slug: `article-${i + j}`,
    summary: 'A summary of the article, as a list shows it.',
    views: ((i + j) * 7919) % 100_000,
    featured: (i + j) % 5 === 0,
    published_date: new Date(now.getTime() - (i + j) * 3_600_000).toISOString().slice(0, 10),
    created_at: now,
    updated_at: now,
    published_at: now,
  }));
  await folio.db('articles').insert(rows);
}
await folio.db.raw('ANALYZE');

const schema = await folio.schema.current();
const type = schema.contentTypes.get('article')!;
const on = new QueryAdvisor({ enabled: true, slowMs: Number.MAX_SAFE_INTEGER, logger: silentLogger() });
const off = new QueryAdvisor({ enabled: false, slowMs: 0, logger: silentLogger() });

async function round(advisor: QueryAdvisor): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < READS; i++) {
    await findDocuments(
      { ...folio, advisor },
      {
        caller: SYSTEM_CALLER,
        schema,
        type,
        querystring: URLS[i % URLS.length],
        limits: DEFAULT_LIMITS,
        defaultLocale: 'en',
      },
    );
  }
  return READS / ((performance.now() - started) / 1000);
}

// Warm-up (compiled statements, JIT), then alternating rounds so that drift hits both alike.
await round(on);
await round(off);
const rates = { on: [] as number[], off: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  rates.off.push(await round(off));
  rates.on.push(await round(on));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The sampling call alone: the shape key, the Map lookup and the reservoir write.
const engine = new QueryEngine({ db: folio.db, dialect: folio.dialect, schema, defaultLocale: 'en' });
const queries = URLS.map((u) =>
  parseContentQuery(type, parseQueryString(u), {
    schema,
    limits: DEFAULT_LIMITS,
    defaultLocale: 'en',
    canRead: () => true,
    forbidden: () => new Error('forbidden'),
  }),
);
const CALLS = 200_000;
const started = performance.now();
for (let i = 0; i < CALLS; i++) on.observer!.listed(queries[i % queries.length], engine, 1, 10);
const perCallUs = ((performance.now() - started) * 1000) / CALLS;

const rateOn = median(rates.on);
const rateOff = median(rates.off);
const perReadUs = 1e6 / rateOff;
console.log(
  JSON.stringify(
    {
      articles: ARTICLES,
      readsPerRound: READS,
      rounds: ROUNDS,
      listReadsPerSecond: { advisorOff: Math.round(rateOff), advisorOn: Math.round(rateOn) },
      throughputChangePercent: Math.round(((rateOn - rateOff) / rateOff) * 1000) / 10,
      samplingMicrosecondsPerRead: Math.round(perCallUs * 100) / 100,
      samplingShareOfAReadPercent: Math.round((perCallUs / perReadUs) * 10000) / 100,
    },
    null,
    2,
  ),
);
await folio.close();
