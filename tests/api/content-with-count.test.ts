// `pagination[withCount]=false` (Strapi's): a Content API list runs no count statement and its
// meta.pagination has no total or pageCount — the cost of a list then does not grow with the table.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

/** The SQL statements a request runs on the `essays` table, as knex sends them, and the answer. */
async function statementsOf(t: TestFolio, url: string): Promise<{ sql: string[]; body: Record<string, unknown> }> {
  const seen: string[] = [];
  const listener = (q: { sql: string; bindings: Knex.Value[] }) => seen.push(q.sql);
  t.db.on('query', listener);
  try {
    const res = await t.http().get(url);
    expect(res.status).toBe(200);
    return { sql: seen.filter((s) => /essays/.test(s)), body: res.body as Record<string, unknown> };
  } finally {
    t.db.off('query', listener);
  }
}

const isCount = (sql: string) => /count\(/i.test(sql);

describeEachDatabase('lists with withCount=false', (t) => {
  beforeAll(async () => {
    await applyTestSchema(t().folio, {
      contentTypes: {
        essay: {
          kind: 'collectionType',
          info: { singularName: 'essay', pluralName: 'essays', displayName: 'Essay' },
          options: { draftAndPublish: false },
          attributes: { title: { type: 'string' }, words: { type: 'integer' } },
        },
      },
    });
    await t().folio.access.grantPublic(['essay.find']);
    for (let i = 0; i < 7; i++)
      await t()
        .db('essays')
        .insert({
          document_id: `essay${String(i).padStart(19, '0')}`,
          locale: '',
          status: 'published',
          title: `Essay ${i}`,
          words: 100 * i,
          created_at: new Date(),
          updated_at: new Date(),
          published_at: new Date(),
        });
  });

  it('counts by default (the control: the count statement is recognised)', async () => {
    const { sql, body } = await statementsOf(t(), '/api/essays?filters[words][$gte]=100&pagination[pageSize]=2');
    expect(sql.filter(isCount)).toHaveLength(1);
    expect(body.meta).toEqual({ pagination: { page: 1, pageSize: 2, pageCount: 3, total: 6 } });
  });

  it('runs no count statement for a paged list, and answers page and pageSize only', async () => {
    const { sql, body } = await statementsOf(
      t(),
      '/api/essays?filters[words][$gte]=200&pagination[pageSize]=2&pagination[withCount]=false',
    );
    expect(sql.length).toBeGreaterThan(0); // the page itself was read
    expect(sql.filter(isCount)).toEqual([]);
    expect(body.meta).toEqual({ pagination: { page: 1, pageSize: 2 } });
    expect(body.data).toHaveLength(2);
  });

  it('runs no count statement for an offset list, and answers start and limit only', async () => {
    const { sql, body } = await statementsOf(
      t(),
      '/api/essays?filters[words][$gte]=300&pagination[start]=1&pagination[limit]=2&pagination[withCount]=false',
    );
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.filter(isCount)).toEqual([]);
    expect(body.meta).toEqual({ pagination: { start: 1, limit: 2 } });
    expect(body.data).toHaveLength(2);
  });
});
