// DATABASE_READ_URLS: public reads go to the replica pool, writes, drafts and reads of a type just
// written go to the primary. No replica runs here: the "replica" is a second URL to the same database,
// and each pool's statements are counted through knex's query events.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openFolio, type Folio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { cacheSchema } from '../fixtures/cache-schema.js';
import { connectTestDatabase } from '../helpers/databases.js';
import { describeEachDatabase, testEnv } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

/** Counts the statements touching `table` that a pool runs, by kind. */
function counter(db: Knex, table: string) {
  const seen = { select: 0, write: 0 };
  db.on('query', (q: { sql: string }) => {
    if (!q.sql.includes(table)) return;
    if (/^select/i.test(q.sql)) seen.select += 1;
    else if (/^(insert|update|delete)/i.test(q.sql)) seen.write += 1;
  });
  return {
    take() {
      const out = { ...seen };
      seen.select = 0;
      seen.write = 0;
      return out;
    },
  };
}

describeEachDatabase('read replicas', (t) => {
  let folio: Folio;
  let primaryDb: Knex;
  let http: () => ReturnType<typeof supertest>;
  let token: string;
  let primary: ReturnType<typeof counter>;
  let replica: ReturnType<typeof counter>;

  beforeAll(async () => {
    await applyTestSchema(t().folio, cacheSchema);
    await t().folio.access.grantPublic(['article.find', 'category.find']);
    primaryDb = connectTestDatabase(t().database);
    // The response cache is off so that every request reaches a pool.
    folio = await openFolio(
      loadConfig(
        testEnv(t().database.url, { DATABASE_READ_URLS: t().database.url, DATABASE_POOL_MAX: '7', CACHE: 'off' }),
      ),
      { logger: silentLogger(), db: primaryDb },
    );
    expect(folio.reads.replicas).toHaveLength(1);
    token = (await folio.apiTokens.create({ name: 'writer', type: 'full-access' })).token;
    const callback = createApp(folio).callback();
    http = () => supertest(callback);
    // Written through the other instance (no Redis between them): not "just written" for this one.
    await t().folio.documents.create('article', { data: { title: 'Seeded' } });
    await t().folio.documents.create('category', { data: { name: 'Seeded' } });
    primary = counter(primaryDb, 'articles');
    replica = counter(folio.reads.replicas[0], 'articles');
  });

  afterAll(async () => {
    await folio.close();
    await primaryDb.destroy();
  });

  it('a replica pool holds DATABASE_POOL_MAX connections on MySQL (SQLite keeps its one)', () => {
    const pool = (folio.reads.replicas[0].client as { pool: { max: number } }).pool;
    expect(pool.max).toBe(t().dialect === 'mysql' ? 7 : 1);
  });

  it('writes go to the primary, and a type just written is read back from the primary', async () => {
    const created = await http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { title: 'Written' } });
    expect(created.status).toBe(201);
    expect(primary.take().write).toBeGreaterThan(0);
    expect(replica.take().write).toBe(0);
    const read = await http().get('/api/articles');
    expect(read.body.data.map((a: { title: string }) => a.title)).toContain('Written');
    expect(primary.take().select).toBeGreaterThan(0);
    expect(replica.take().select).toBe(0);
  });

  it('public reads of a type not written lately go to the replica', async () => {
    const categoriesOnPrimary = counter(primaryDb, 'categories');
    const categoriesOnReplica = counter(folio.reads.replicas[0], 'categories');
    categoriesOnPrimary.take();
    expect((await http().get('/api/categories')).status).toBe(200);
    expect(categoriesOnReplica.take().select).toBeGreaterThan(0);
    expect(categoriesOnPrimary.take().select).toBe(0);
  });

  it('draft reads always go to the primary', async () => {
    primary.take();
    replica.take();
    expect((await http().get('/api/articles?status=draft').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    expect(primary.take().select).toBeGreaterThan(0);
    expect(replica.take().select).toBe(0);
  });
});
