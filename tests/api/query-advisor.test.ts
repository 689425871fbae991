// The query advisor (docs/performance.md): a list shape read without an index for its sort is
// recorded with its timings, its plan says the database sorts the matching rows, the suggestion is
// the index that serves it (equality filters first, then the sort with its direction), and applying
// it through the Admin API builds that index and changes the plan. Only Super Admins (or roles with
// the settings and builder rights) reach it; QUERY_ADVISOR=off records nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ShapeReport } from '../../server/performance/advisor.js';
import type { SchemaFile } from '../../server/schema/types.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase, startTestFolio, testEnv, type TestFolio } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { applySchema, indexShape } from '../helpers/schema.js';

const schema: SchemaFile = {
  contentTypes: {
    topic: {
      kind: 'collectionType',
      info: { singularName: 'topic', pluralName: 'topics', displayName: 'Topic' },
      options: { draftAndPublish: false },
      attributes: { slug: { type: 'string' } },
    },
    post: {
      kind: 'collectionType',
      info: { singularName: 'post', pluralName: 'posts', displayName: 'Post' },
      options: { draftAndPublish: false },
      attributes: {
        title: { type: 'string' },
        views: { type: 'integer' },
        featured: { type: 'boolean' },
      },
    },
    // The bench's E3 shape: a list filtered through a relation (read ids first), with its index.
    story: {
      kind: 'collectionType',
      info: { singularName: 'story', pluralName: 'stories', displayName: 'Story' },
      options: { draftAndPublish: false, indexes: [{ attributes: ['featured', 'views:desc'] }] },
      attributes: {
        views: { type: 'integer' },
        featured: { type: 'boolean' },
        topic: { type: 'relation', relation: 'manyToOne', target: 'topic' },
      },
    },
  },
};

const LIST = '/api/posts?filters[featured][$eq]=true&sort=views:desc&pagination[pageSize]=10';
const KEY = 'post|published|featured$eq|views:desc|';
const IN_TOPIC = '/api/stories?filters[topic][slug][$eq]=topic-1&filters[featured][$eq]=true&sort=views:desc';
const IN_TOPIC_KEY = 'story|published|and(topic.(slug$eq),featured$eq)|views:desc|';

async function seed(t: TestFolio): Promise<void> {
  await applySchema(t.folio, schema);
  await t.folio.access.grantPublic(['post.find', 'story.find', 'topic.find']);
  const rows = Array.from({ length: 400 }, (_, i) => ({
    document_id: `doc${String(i).padStart(21, '0')}`,
    locale: '',
    status: 'published',
    title: `Post ${i}`,
    views: (i * 7919) % 1000,
    featured: i % 4 === 0,
    created_at: new Date(),
    updated_at: new Date(),
    published_at: new Date(),
  }));
  for (let i = 0; i < rows.length; i += 100) await t.db('posts').insert(rows.slice(i, i + 100));
  const topics = [0, 1, 2, 3].map((i) => ({
    document_id: `topic${i}`.padEnd(24, '0'),
    locale: '',
    status: 'published',
    slug: `topic-${i}`,
    created_at: new Date(),
    updated_at: new Date(),
    published_at: new Date(),
  }));
  await t.db('topics').insert(topics);
  await t.db.batchInsert(
    'stories',
    rows.map(({ title: _title, ...story }) => story),
    100,
  );
  const ids = (await t.db('stories').select('id').orderBy('id')) as Array<{ id: number }>;
  await t.db.batchInsert(
    'stories_topic_lnk',
    ids.map(({ id }) => ({ entity_id: id, target_document_id: topics[id % 4].document_id, position: 1 })),
    100,
  );
  if (t.dialect === 'mysql') await t.db.raw('ANALYZE TABLE posts, stories, stories_topic_lnk');
  else await t.db.raw('ANALYZE');
}

/** The shape once its plan has been read (after the response, so it may take a moment). */
async function shapeWithPlan(admin: AdminSession, key: string): Promise<ShapeReport> {
  for (let i = 0; i < 100; i++) {
    const res = await admin.get('/admin-api/performance/shapes');
    expect(res.status).toBe(200);
    const shape = (res.body.data as ShapeReport[]).find((s) => s.key === key);
    if (shape?.plan) return shape;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no plan was read for ${key}`);
}

describeEachDatabase(
  'query advisor',
  (t) => {
    let admin: AdminSession;

    beforeAll(async () => {
      await seed(t());
      admin = await signedIn(t(), ['super-admin']);
    });

    it('records a list shape with its traffic and timings, never its values', async () => {
      for (const featured of ['true', 'false'])
        expect(
          (
            await t()
              .http()
              .get(LIST.replace('=true', `=${featured}`))
          ).status,
        ).toBe(200);
      const shape = await shapeWithPlan(admin, KEY);
      expect(shape).toMatchObject({ type: 'post', count: 2 });
      expect(shape.p50).toEqual(expect.any(Number));
      expect(shape.p99).toBeGreaterThanOrEqual(shape.p50 ?? 0);
      expect(JSON.stringify(shape.key)).not.toMatch(/true|false/);
    });

    it("records the Admin API's list reads under their own shape", async () => {
      const res = await admin.get('/admin-api/content/post?sort=views:asc');
      expect(res.status).toBe(200);
      const shape = await shapeWithPlan(admin, 'post|published||views:asc|');
      expect(shape).toMatchObject({ count: 1, suggestion: { type: 'post', attributes: ['views'] } });
    });

    it('reads the plan of the unindexed sort: the database sorts the matching rows', async () => {
      const { plan } = await shapeWithPlan(admin, KEY);
      expect(plan?.sorts).toBe(true);
      expect(plan?.raw.join('\n')).toMatch(t().dialect === 'mysql' ? /filesort/ : /USE TEMP B-TREE FOR ORDER BY/);
      expect(plan?.examined).toBeGreaterThan(plan?.returned ?? 0);
      expect(plan?.words).toMatch(/sorts the matching rows/);
    });

    it('suggests the equality filter first, then the sort column with its direction', async () => {
      expect((await shapeWithPlan(admin, KEY)).suggestion).toEqual({
        type: 'post',
        attributes: ['featured', 'views:desc'],
      });
    });

    it('refuses the advisor to an admin without the settings and schema rights', async () => {
      const editor = await signedIn(t(), ['editor']);
      expect((await editor.get('/admin-api/performance/shapes')).status).toBe(403);
      const post = await editor.post('/admin-api/performance/indexes', { type: 'post', attributes: ['views:desc'] });
      expect(post.status).toBe(403);
      expect(await indexShape(t(), 'posts', 'posts_status_locale_views_desc_id_idx')).toEqual([]);
    });

    it('applies the suggestion through the schema: the index is built and the plan uses it', async () => {
      const res = await admin.post('/admin-api/performance/indexes', {
        type: 'post',
        attributes: ['featured', 'views:desc'],
      });
      expect(res.status).toBe(200);
      expect(res.body.data.noop).toBe(false);
      const index = 'posts_status_locale_featured_views_desc_id_idx';
      expect(await indexShape(t(), 'posts', index)).toEqual(['status', 'locale', 'featured', 'views DESC', 'id']);
      expect((await t().folio.schema.document()).contentTypes.post.options?.indexes).toEqual([
        { attributes: ['featured', 'views:desc'] },
      ]);
      const shape = (res.body.data.shapes as ShapeReport[]).find((s) => s.key === KEY);
      expect(shape?.before).toMatchObject({ count: 2, attributes: ['featured', 'views:desc'] });
      expect(shape?.count).toBe(0);
      expect(shape?.plan?.sorts).toBe(false);
      expect(shape?.plan?.indexes).toContain(index);
      expect(shape?.suggestion).toBeNull();
    });

    it("reads a list filtered through a relation in its index's order: the page's own order is no sort", async () => {
      expect((await t().http().get(IN_TOPIC)).status).toBe(200);
      const { plan, suggestion } = await shapeWithPlan(admin, IN_TOPIC_KEY);
      expect(plan?.indexes).toContain('stories_status_locale_featured_views_desc_id_idx');
      expect(plan?.sorts).toBe(false);
      expect(plan?.words).toMatch(/reads the rows in order \(no sort\)/);
      expect(suggestion).toBeNull();
    });

    it('refuses an index on an attribute the type does not have, changing nothing', async () => {
      const res = await admin.post('/admin-api/performance/indexes', { type: 'post', attributes: ['nope'] });
      expect(res.status).toBe(400);
      expect((await t().folio.schema.document()).contentTypes.post.options?.indexes).toHaveLength(1);
    });
  },
  { QUERY_ADVISOR_SLOW_MS: '0' },
);

describe('query advisor turned off', () => {
  let t: TestFolio;
  beforeAll(async () => {
    t = await startTestFolio('sqlite', { QUERY_ADVISOR: 'off', QUERY_ADVISOR_SLOW_MS: '0' });
    await seed(t);
  });
  afterAll(() => t.close());

  it('records nothing with QUERY_ADVISOR=off', async () => {
    expect((await t.http().get(LIST)).status).toBe(200);
    const admin = await signedIn(t, ['super-admin']);
    const res = await admin.get('/admin-api/performance/shapes');
    expect(res.body).toEqual({ data: [], meta: { enabled: false, slowMs: 0 } });
  });
});

describe('folio indexes', () => {
  let t: TestFolio;
  beforeAll(async () => {
    t = await startTestFolio('sqlite');
    await seed(t);
  });
  afterAll(() => t.close());

  it('suggests the index a list URL needs from its plan, and applies it through the schema', async () => {
    const env = testEnv(t.database.url);
    const suggest = await runCli(['indexes', 'suggest', '--url', LIST], env);
    expect(suggest).toMatchObject({ code: 0, stderr: '' });
    expect(suggest.stdout).toContain(`shape: ${KEY}`);
    expect(suggest.stdout).toMatch(/plan: .*sorts the matching rows/);
    expect(suggest.stdout).toContain('folio indexes apply post featured views:desc');
    const apply = await runCli(['indexes', 'apply', 'post', 'featured', 'views:desc'], env);
    expect(apply).toMatchObject({ code: 0, stderr: '' });
    expect(apply.stdout).toMatch(/^Applied 1 step\(s\); schema version 2\n/);
    expect(await indexShape(t, 'posts', 'posts_status_locale_featured_views_desc_id_idx')).toEqual([
      'status',
      'locale',
      'featured',
      'views DESC',
      'id',
    ]);
  });
});
