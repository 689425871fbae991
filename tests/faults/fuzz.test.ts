// Issue 22, fuzz: property-based requests (fast-check) against an in-process Folio on a seeded blog,
// through real HTTP (supertest on the app).
//   1. The query language — random and adversarial filters, sort, populate, fields, pagination,
//      status and locale: deep nesting, huge arrays, prototype names, SQL metacharacters, unicode
//      edge cases (lone surrogates included), and raw query strings — is never answered 5xx, always
//      within the per-request timeout, and every refusal is the error envelope.
//   2. Write bodies — random JSON and near-valid entries — for create and update: never a 5xx, and a
//      refused (4xx) write leaves every table of the database as it was (checksum before and after).
//
// The seed is fixed (printed; FOLIO_FUZZ_SEED picks another) so that a failure reproduces;
// FOLIO_FUZZ_RUNS sets the number of runs per property (default 400 queries and 150 writes on
// SQLite, half of that on MySQL).
import { beforeAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import qs from 'qs';
import type supertest from 'supertest';
import { describeEachDatabase } from '../helpers/folio.js';
import { changedTables, tableChecksums, tableNames } from '../helpers/integrity.js';
import { OPERATORS as QUERY_OPERATORS } from '../../server/content/query/ast.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { seedBlog, type Seed } from '../fixtures/content-seed.js';

const SEED = Number(process.env.FOLIO_FUZZ_SEED ?? 20260022);
const RUNS = process.env.FOLIO_FUZZ_RUNS ? Number(process.env.FOLIO_FUZZ_RUNS) : undefined;
/** A request that takes longer than this is a hang. */
const REQUEST_TIMEOUT_MS = 10_000;

const runsFor = (dialect: string, base: number) => RUNS ?? (dialect === 'mysql' ? Math.ceil(base / 2) : base);

// ---- Vocabulary -------------------------------------------------------------------------------

const FIELD_NAMES = [
  'id',
  'documentId',
  'title',
  'slug',
  'summary',
  'body',
  'content',
  'views',
  'bigViews',
  'rating',
  'score',
  'featured',
  'publishedDate',
  'readingTime',
  'scheduledAt',
  'kind',
  'metadata',
  'editorNote',
  'cover',
  'gallery',
  'category',
  'tags',
  'author',
  'related',
  'seo',
  'blocks',
  'name',
  'metaTitle',
  'articles',
  'profile',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'locale',
  'url',
];
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
];
// The language's operators, the logical ones, and some it does not have (MongoDB's, a query DSL's).
const OPERATORS = [...QUERY_OPERATORS, '$and', '$or', '$not', '$where', '$regex', '$exists'];
const NASTY_STRINGS = [
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE articles; --",
  '%',
  '_',
  '\\',
  '%_\\%',
  '\u0000',
  '\uD800',
  '\uDFFF',
  'a\uD83D',
  '\uDE00b',
  '😀',
  'e\u0301',
  '\u202Eevil',
  '\uFEFF',
  'İ',
  'ß',
  ' ',
  '',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '-99999999999999999999999',
  '0x10',
  '2025-02-30',
  '2025-13-01T25:61:61Z',
  '24:00:00',
  'x'.repeat(5000),
  '[object Object]',
];

const names = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...OPERATORS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
);
const scalars = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('asc', 'desc', 'ASC', ':desc', 'title:desc', 'title:up', '*', 'true', 'false'),
);

/** A filter-like tree: values, objects keyed by names, arrays; deeper than the parser allows. */
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalars,
    fc.dictionary(names, tie('tree'), { maxKeys: 3 }),
    fc.array(tie('tree'), { maxLength: 3 }),
  ),
}));

const pagination = fc.record(
  {
    page: scalars,
    pageSize: scalars,
    start: scalars,
    limit: scalars,
    withCount: scalars,
  },
  { requiredKeys: [] },
);

const queryObject = fc.record(
  {
    filters: tree,
    sort: fc.oneof(
      tree,
      fc.array(
        fc.tuple(names, scalars).map(([n, d]) => `${n}:${d}`),
        { maxLength: 4 },
      ),
    ),
    populate: fc.oneof(fc.constant('*'), tree),
    fields: fc.oneof(tree, fc.array(names, { maxLength: 5 })),
    pagination,
    status: scalars,
    locale: scalars,
    _q: scalars,
    render: scalars,
    extra: fc.dictionary(names, tree, { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

/** Queries the parser accepts in shape, carrying hostile values into the SQL they compile to. */
const SCALAR_FIELDS = [
  'title',
  'summary',
  'views',
  'rating',
  'score',
  'featured',
  'publishedDate',
  'readingTime',
  'scheduledAt',
  'kind',
  'metadata',
  'bigViews',
  'id',
  'documentId',
  'createdAt',
  'locale',
];
const validishQuery = fc.record(
  {
    filters: fc.oneof(
      fc.dictionary(
        fc.constantFrom(...SCALAR_FIELDS),
        fc.dictionary(fc.constantFrom(...OPERATORS), scalars, { maxKeys: 2 }),
        {
          maxKeys: 2,
        },
      ),
      fc.record({
        $or: fc.array(fc.dictionary(fc.constantFrom(...SCALAR_FIELDS), scalars, { maxKeys: 1 }), { maxLength: 3 }),
      }),
      fc.record({
        tags: fc.record({ name: fc.dictionary(fc.constantFrom(...OPERATORS), scalars, { maxKeys: 1 }) }),
        seo: fc.record({ metaTitle: fc.dictionary(fc.constantFrom(...OPERATORS), scalars, { maxKeys: 1 }) }),
      }),
    ),
    sort: fc.array(
      fc
        .tuple(fc.constantFrom(...SCALAR_FIELDS, 'category.name', 'author.name'), fc.constantFrom('asc', 'desc'))
        .map(([f, d]) => `${f}:${d}`),
      { maxLength: 3 },
    ),
    populate: fc.constantFrom('*', 'tags', 'seo', 'blocks', 'category', ['tags', 'author'], {
      tags: { fields: ['name'] },
    }),
    pagination: fc.record({ page: fc.integer({ min: 0, max: 5 }), pageSize: fc.integer({ min: 0, max: 150 }) }),
    _q: scalars,
  },
  { requiredKeys: [] },
);

/** Hand-made hostile query strings: what a generator is unlikely to stumble on. */
const ADVERSARIAL_QUERIES = [
  `filters${'[$and][0]'.repeat(40)}[title][$eq]=x`,
  `filters${'[tags]'.repeat(30)}[name][$eq]=x`,
  `populate${'[populate][tags]'.repeat(25)}=*`,
  `filters[id][$in]=${Array.from({ length: 2500 }, (_, i) => i).join(',')}`,
  Array.from({ length: 1200 }, (_, i) => `filters[id][$in][${i}]=${i}`).join('&'),
  Array.from({ length: 300 }, (_, i) => `sort[${i}]=title`).join('&'),
  Array.from({ length: 2000 }, () => 'a=1').join('&'),
  'filters[__proto__][title][$eq]=x',
  'filters[constructor][prototype][title]=x',
  'sort=__proto__',
  'populate[__proto__]=*',
  'fields[0]=constructor',
  'filters[title][$eq][__proto__]=x',
  'filters[title][$in][__proto__][0]=x',
  'pagination[page]=-1&pagination[pageSize]=0',
  'pagination[page]=99999999999999999999&pagination[pageSize]=1e3',
  'pagination[start]=-5&pagination[limit]=-1',
  'filters[title]=%E0%A4%A',
  'filters[%ZZ]=1',
  'filters[title][$eq]=%00',
  'filters[title][$eq]=%ED%A0%80',
  'filters[title][$contains]=%25%5F%5C',
  'filters[title][$regex]=.*',
  'filters[$where]=1',
  'filters[views][$between]=5',
  'filters[views][$between][0]=1&filters[views][$between][1]=2&filters[views][$between][2]=3',
  'filters[views][$gt]=1e400',
  'filters[publishedDate][$gt]=not-a-date',
  'filters[seo][metaTitle][$eq]=x&filters[seo][seo][seo]=1',
  'filters[blocks][text][$eq]=x',
  'filters[cover][url][$eq]=x',
  'populate[blocks][on][shared.quote][fields][0]=text&populate[blocks][on][nope][fields]=x',
  'populate[tags][filters][name][$eq]=js&populate[tags][sort]=name:sideways',
  'fields=title,,,views',
  'sort=title:asc:desc',
  'sort[title]=asc',
  'status=published&status=draft',
  'locale[]=en&locale[]=fr',
  '&&&==&=&[]=[]',
  '[][][]=1',
  'filters[[[[title=1',
];

/** Every query-string shape: generated objects (qs, as clients write them) and raw strings. */
const queryStrings = fc.oneof(
  { weight: 5, arbitrary: queryObject.map((q) => qs.stringify(q)) },
  { weight: 4, arbitrary: validishQuery.map((q) => qs.stringify(q)) },
  { weight: 2, arbitrary: fc.constantFrom(...ADVERSARIAL_QUERIES) },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: 'binary', maxLength: 60 })
      .map((s) => encodeURI(s.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80'))),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 60 }) },
);

// ---- Write bodies -----------------------------------------------------------------------------

const jsonScalars = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -0),
  fc.boolean(),
  fc.constant(null),
);
const { jsonTree } = fc.letrec<{ jsonTree: unknown }>((tie) => ({
  jsonTree: fc.oneof(
    { depthSize: 'small' },
    jsonScalars,
    fc.dictionary(names, tie('jsonTree'), { maxKeys: 4 }),
    fc.array(tie('jsonTree'), { maxLength: 4 }),
  ),
}));

/** A valid article body with up to three fields replaced by anything at all. */
const nearValidEntry = (seed: () => Seed) =>
  fc
    .tuple(
      fc.record({
        title: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        views: fc.integer({ min: 0, max: 1_000_000 }),
        kind: fc.constantFrom('news', 'review', 'guide'),
        tags: fc.subarray(seed().tags.map((t) => t.documentId)),
        category: fc.constantFrom(...seed().categories.map((c) => c.documentId)),
        seo: fc.record({ metaTitle: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) }),
        blocks: fc.array(
          fc.record({ __component: fc.constant('shared.quote'), text: fc.string({ minLength: 1, maxLength: 20 }) }),
          { maxLength: 2 },
        ),
      }),
      fc.dictionary(
        fc.oneof(fc.constantFrom(...FIELD_NAMES, 'connect', 'set', 'disconnect'), fc.constantFrom(...PROTOTYPE_NAMES)),
        fc.oneof(
          jsonTree,
          fc.constantFrom('x'.repeat(201), '2025-02-30', '25:00:00', 'NEWS', 'nope', 2 ** 31, -1, 5.5),
          fc.array(fc.constantFrom(...seed().tags.map((t) => t.documentId), 'nope', '__proto__'), { maxLength: 4 }),
          fc.record({ connect: jsonTree, disconnect: jsonTree, set: jsonTree }, { requiredKeys: [] }),
          fc.array(
            fc.record(
              {
                __component: fc.constantFrom('shared.quote', 'shared.rich-text', 'shared.seo', 'nope', '__proto__'),
                text: jsonScalars,
                body: jsonScalars,
              },
              { requiredKeys: ['__component'] },
            ),
            { maxLength: 3 },
          ),
        ),
        { maxKeys: 3 },
      ),
    )
    .map(([valid, replaced]) => ({ ...valid, ...replaced }));

const writeBodies = (seed: () => Seed) =>
  fc.oneof(
    { weight: 3, arbitrary: nearValidEntry(seed).map((data) => ({ data })) },
    { weight: 2, arbitrary: jsonTree },
    { weight: 1, arbitrary: fc.dictionary(names, jsonTree, { maxKeys: 3 }).map((data) => ({ data })) },
  );

// ---- The properties ----------------------------------------------------------------------------

function expectAnswered(res: supertest.Response, what: string): void {
  // Node's HTTP parser refuses a head over 16 KB itself, before Folio sees the request.
  if (res.status === 431) return;
  if (res.status >= 500) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  if (res.status >= 400) {
    const body = res.body as { data?: unknown; error?: { status?: number; name?: string; message?: string } };
    if (body.data !== null || body.error?.status !== res.status || typeof body.error.message !== 'string')
      throw new Error(`${what} → ${res.status} without the error envelope: ${res.text.slice(0, 300)}`);
  }
}

console.log(`[fuzz] fast-check seed ${SEED} (FOLIO_FUZZ_SEED), runs ${RUNS ?? 'default'} (FOLIO_FUZZ_RUNS)`);

describeEachDatabase('fuzzed requests', (t) => {
  let seed: Seed;
  let token: string;
  let tables: string[];
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    seed = await seedBlog(t().db);
    token = (await t().folio.apiTokens.create({ name: 'fuzz', type: 'full-access' })).token;
    // Every table but the tokens': authenticating writes a token's last_used_at (once a minute at
    // most) whatever the request then does.
    tables = (await tableNames(t().db)).filter((table) => table !== 'folio_api_tokens');
  });

  const get = (path: string) =>
    t().http().get(path).set('Authorization', `Bearer ${token}`).timeout({ deadline: REQUEST_TIMEOUT_MS });

  it('answers every query without a 5xx, a hang, or a bare error', async () => {
    const article = seed.articles[0].documentId;
    const statuses = new Map<number, number>();
    const paths = ['/api/articles', `/api/articles/${article}`, '/api/categories', '/api/tags', '/api/global'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), queryStrings, async (path, query) => {
        const url = `${path}?${query}`;
        const res = await get(url);
        expectAnswered(res, `GET ${url.slice(0, 300)}`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: runsFor(t().dialect, 400) },
    );
    console.log(`[fuzz] ${t().dialect}: queries answered ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 300_000);

  it('answers every write body without a 5xx, and leaves the database unchanged when it refuses', async () => {
    const db = t().db;
    let before = await tableChecksums(db, tables);
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PUT'),
        fc.constantFrom('', '?status=draft', '?status=bogus', '?locale=fr', '?populate=*'),
        writeBodies(() => seed),
        async (method, query, body) => {
          const target = method === 'POST' ? '/api/articles' : `/api/articles/${seed.articles[1].documentId}`;
          const request =
            method === 'POST'
              ? t()
                  .http()
                  .post(target + query)
              : t()
                  .http()
                  .put(target + query);
          const res = await request
            .set('Authorization', `Bearer ${token}`)
            .timeout({ deadline: REQUEST_TIMEOUT_MS })
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          expectAnswered(res, `${method} ${target}${query} ${JSON.stringify(body).slice(0, 300)}`);
          const after = await tableChecksums(db, tables);
          if (res.status >= 400) {
            refused += 1;
            const changed = changedTables(before, after);
            if (changed.length > 0)
              throw new Error(
                `a refused write (${res.status}) changed ${changed.join(', ')}: ${JSON.stringify(body).slice(0, 300)}`,
              );
          } else accepted += 1;
          before = after;
        },
      ),
      { seed: SEED, numRuns: runsFor(t().dialect, 150) },
    );
    console.log(`[fuzz] ${t().dialect}: writes accepted ${accepted}, refused ${refused}`);
    expect(refused).toBeGreaterThan(0);
  }, 300_000);
});
