// Two Folio instances on one MySQL database with REDIS_URL, as behind a load balancer: a write on
// one drops the cached responses of the other (through Redis pub/sub), so neither serves stale data.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { createApp } from '../../server/app.js';
import type { Invalidation } from '../../server/cache/index.js';
import { loadConfig } from '../../server/config.js';
import { openFolio, type Folio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { connectTestDatabase } from '../helpers/databases.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';
import { startTestFolio, testEnv, type TestFolio } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { cacheSchema } from '../fixtures/cache-schema.js';
import { redisAvailable, TEST_REDIS_URL } from '../helpers/redis.js';

const available = await redisAvailable('the two-instance cache test');

(available && MYSQL_AVAILABLE ? describe : describe.skip)('response cache across two instances [mysql + redis]', () => {
  let a: TestFolio;
  let b: Folio;
  let bDb: ReturnType<typeof connectTestDatabase>;
  let httpB: () => ReturnType<typeof supertest>;

  beforeAll(async () => {
    a = await startTestFolio('mysql', { REDIS_URL: TEST_REDIS_URL });
    await applyTestSchema(a.folio, cacheSchema);
    await a.folio.access.grantPublic(['article.find', 'article.findOne']);
    bDb = connectTestDatabase(a.database);
    b = await openFolio(loadConfig(testEnv(a.database.url, { REDIS_URL: TEST_REDIS_URL })), {
      logger: silentLogger(),
      db: bDb,
    });
    await Promise.all([a.folio.cache.ready(), b.cache.ready()]);
    const callback = createApp(b).callback();
    httpB = () => supertest(callback);
  });

  afterAll(async () => {
    await b?.close();
    await bDb?.destroy();
    await a?.close();
  });

  /** Resolves when instance B has applied an invalidation for `tag` (whichever instance sent it). */
  const invalidatedOnB = (tag: string) =>
    new Promise<void>((resolve) => {
      const off = b.cache.onInvalidate((i: Invalidation) => {
        if ('all' in i || i.tags.includes(tag)) {
          off();
          resolve();
        }
      });
    });

  it('a write on instance A is visible in the next read on instance B', async () => {
    const created = await a.folio.documents.create('article', { data: { title: 'Before', views: 1 } });
    const url = '/api/articles?fields[0]=title&pagination[withCount]=true';
    const first = await httpB().get(url);
    expect(first.body.data.map((x: { title: string }) => x.title)).toEqual(['Before']);
    expect(b.cache.responses?.size).toBeGreaterThan(0);

    let told = invalidatedOnB('article');
    await a.folio.documents.update('article', created.documentId, { data: { title: 'After' }, status: 'published' });
    await told;
    const second = await httpB().get(url);
    expect(second.body.data.map((x: { title: string }) => x.title)).toEqual(['After']);
    expect(second.headers.etag).not.toBe(first.headers.etag);

    told = invalidatedOnB('article');
    await a
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${(await a.folio.apiTokens.create({ name: 'w', type: 'full-access' })).token}`)
      .send({ data: { title: 'Second' } });
    await told;
    const third = await httpB().get(url);
    expect(third.body.meta.pagination.total).toBe(2);
  });

  it('a schema applied on instance A is served by the next read on instance B', async () => {
    const url = '/api/articles?fields[0]=subtitle';
    expect((await httpB().get(url)).status).toBe(400); // B has just checked the schema version
    const told = invalidatedOnB('article');
    const types = { ...cacheSchema.contentTypes };
    const article = types.article as NonNullable<typeof types.article>;
    types.article = { ...article, attributes: { ...article.attributes, subtitle: { type: 'string' } } };
    await a.folio.schema.apply({ ...cacheSchema, contentTypes: types });
    await told;
    expect((await httpB().get(url)).status).toBe(200);
  });
});
