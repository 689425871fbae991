// Indexes declared in the schema are the ones list reads need: `index: 'desc'` materialises
// (status, locale, column DESC, id), and the database reads a list sorted by that column descending
// (with the id tie-break) from it, without sorting the matching rows; deep pages read ids first, and
// deep pages in id order start at the id remembered for their offset.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { explainStatement } from '../../server/performance/plan.js';
import { cacheSchema } from '../fixtures/cache-schema.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { applyTestSchema, indexColumns } from '../helpers/schema.js';

/** The SQL statements a request runs, as knex sends them. */
async function statementsOf(t: TestFolio, url: string): Promise<Array<{ sql: string; bindings: Knex.Value[] }>> {
  const seen: Array<{ sql: string; bindings: Knex.Value[] }> = [];
  const listener = (q: { sql: string; bindings: Knex.Value[] }) => seen.push({ sql: q.sql, bindings: q.bindings });
  t.db.on('query', listener);
  try {
    expect((await t.http().get(url)).status).toBe(200);
  } finally {
    t.db.off('query', listener);
  }
  return seen.filter((s) => /^select/i.test(s.sql) && /articles/.test(s.sql));
}

describeEachDatabase('indexes and query plans', (t) => {
  beforeAll(async () => {
    await applyTestSchema(t().folio, cacheSchema);
    await t().folio.access.grantPublic(['article.find']);
    for (let i = 0; i < 300; i++)
      await t()
        .db('articles')
        .insert({
          document_id: `doc${String(i).padStart(21, '0')}`,
          locale: '',
          status: 'published',
          title: `Article ${i}`,
          views: i % 37,
          created_at: new Date(),
          updated_at: new Date(),
          published_at: new Date(),
        });
    if (t().dialect === 'mysql') await t().db.raw('ANALYZE TABLE articles');
    else await t().db.raw('ANALYZE');
  });

  it("index: 'desc' materialises (status, locale, column DESC, id ASC)", async () => {
    const columns = (await indexColumns(t(), 'articles')).filter(
      (c) => c.index === 'articles_status_locale_views_desc_id_idx',
    );
    expect(columns).toEqual([
      { index: 'articles_status_locale_views_desc_id_idx', column: 'status', descending: false },
      { index: 'articles_status_locale_views_desc_id_idx', column: 'locale', descending: false },
      { index: 'articles_status_locale_views_desc_id_idx', column: 'views', descending: true },
      { index: 'articles_status_locale_views_desc_id_idx', column: 'id', descending: false },
    ]);
  });

  it('a list sorted by that column descending is read from the index, without a sort', async () => {
    const [rows] = await statementsOf(t(), '/api/articles?sort=views:desc&pagination[pageSize]=25');
    expect(rows.sql).toMatch(/order by .*views.* desc, .*id.* asc/i);
    // The query advisor's plan reader (server/performance/plan.ts): EXPLAIN / EXPLAIN QUERY PLAN.
    const plan = await explainStatement(t().db, t().dialect, rows);
    expect(plan.indexes).toContain('articles_status_locale_views_desc_id_idx');
    expect(plan.sorts).toBe(false);
    expect(plan.raw.join('\n')).not.toMatch(/filesort|TEMP B-TREE FOR ORDER BY/);
  });

  it('a deep page reads the ids from the index first, then joins those rows only, in the same order', async () => {
    const statements = await statementsOf(
      t(),
      '/api/articles?sort=views:desc&pagination[start]=250&pagination[limit]=10&pagination[withCount]=false',
    );
    expect(statements).toHaveLength(1);
    // The offset is walked in a derived table of ids and sort keys; only its rows are read whole.
    expect(statements[0].sql).toMatch(
      new RegExp(
        /inner join \(select [`"]t0[`"]\.[`"]id[`"] as [`"]__page_id[`"], /.source +
          /[`"]t0[`"]\.[`"]views[`"] as [`"]__sort0[`"] from .* limit \? offset \?\) as [`"]p[`"]/.source,
        'i',
      ),
    );
    const deep = (await t().http().get('/api/articles?sort=views:desc&pagination[start]=250&pagination[limit]=10')).body
      .data as Array<{ id: number }>;
    const all = (
      await t()
        .http()
        .get('/api/articles?sort=views:desc&pagination[start]=0&pagination[limit]=100&pagination[withCount]=false')
    ).body.data as Array<{ id: number }>;
    expect(all).toHaveLength(100);
    const expected = await t()
      .db('articles')
      .where({ status: 'published' })
      .orderBy([
        { column: 'views', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .offset(250)
      .limit(10)
      .pluck('id');
    expect(deep.map((a) => a.id)).toEqual(expected.map(Number));
  });
});

describeEachDatabase('deep pages in id order', (t) => {
  const idsAt = async (offset: number, limit: number) =>
    (
      await t()
        .db('articles')
        .where({ status: 'published' })
        .orderBy('id', 'asc')
        .offset(offset)
        .limit(limit)
        .pluck('id')
    ).map(Number);
  const pageIds = async (url: string) =>
    ((await t().http().get(url)).body.data as Array<{ id: number }>).map((a) => a.id);

  beforeAll(async () => {
    await applyTestSchema(t().folio, cacheSchema);
    await t().folio.access.grantPublic(['article.find']);
    for (let i = 0; i < 300; i++)
      await t().folio.documents.create('article', { data: { title: `Article ${i}`, views: i % 37 } });
  });

  it('start at the id found at their offset once, then read an index range instead of walking the offset', async () => {
    const first = await statementsOf(
      t(),
      '/api/articles?pagination[start]=250&pagination[limit]=10&pagination[withCount]=false',
    );
    expect(first.map((s) => s.sql).join('\n')).toMatch(/ offset /i);
    // Another URL at the same offset (the response cache cannot answer it): the id is remembered.
    const again = await statementsOf(
      t(),
      '/api/articles?pagination[page]=26&pagination[pageSize]=10&pagination[withCount]=false',
    );
    expect(again).toHaveLength(1);
    expect(again[0].sql).not.toMatch(/ offset /i);
    expect(again[0].sql).toMatch(/[`"]t0[`"]\.[`"]id[`"] >= \?/i);
    // …as a range of the (status, locale, id) index from that id, not a walk from the index's start.
    if (t().dialect === 'mysql') {
      const [plan] = (await t().db.raw(`EXPLAIN ${again[0].sql}`, again[0].bindings)) as [
        Array<{ key: string | null; type: string }>,
      ];
      expect(plan[0]).toMatchObject({ key: 'articles_status_locale_id_idx', type: 'range' });
    } else {
      const plan = await t().db.raw<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${again[0].sql}`, again[0].bindings);
      expect(plan.map((p) => p.detail).join('\n')).toMatch(
        /USING INDEX articles_status_locale_id_idx \(status=\? AND locale=\? AND id>\?\)/,
      );
    }
    expect(await pageIds('/api/articles?pagination[page]=26&pagination[pageSize]=10')).toEqual(await idsAt(250, 10));
  });

  it('move at once when a write changes what comes before them', async () => {
    const url = '/api/articles?pagination[start]=220&pagination[limit]=5';
    const before = await pageIds(url);
    expect(before).toEqual(await idsAt(220, 5));
    const [firstDocument] = await t()
      .db('articles')
      .where({ status: 'published' })
      .orderBy('id', 'asc')
      .limit(1)
      .pluck('document_id');
    await t().folio.documents.delete('article', String(firstDocument));
    const after = await pageIds(url);
    expect(after).toEqual(await idsAt(220, 5));
    expect(after.slice(0, 4)).toEqual(before.slice(1)); // everything moved up by one
  });

  it('past the end are empty, with the right total', async () => {
    const res = await t().http().get('/api/articles?pagination[start]=5000&pagination[limit]=10');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta.pagination).toMatchObject({
      start: 5000,
      limit: 10,
      total: await t()
        .db('articles')
        .where({ status: 'published' })
        .count({ n: '*' })
        .then((r) => Number(r[0].n)),
    });
  });
});
