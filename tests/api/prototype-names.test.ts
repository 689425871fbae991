// Names of Object.prototype's members (`constructor`, `toString`, `hasOwnProperty`, `valueOf`,
// `__proto__`) sent where a field, column or definition name goes: every list and every lookup of a
// user-supplied name answers 400 with the error envelope, never 500 (names are looked up as own keys
// or in Maps). One test per surface, both databases.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type supertest from 'supertest';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { TestCallers } from '../helpers/callers.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const PROTOTYPE_QUERIES = [
  'sort=constructor',
  'sort=toString:desc',
  'filters[hasOwnProperty][$eq]=1',
  'sort=category.valueOf',
];

describeEachDatabase('prototype names in user input', (t) => {
  let superAdmin: AdminSession;
  let callers: TestCallers;

  beforeAll(async () => {
    // A type whose required attribute is named like a prototype member (`valueOf` is a valid name).
    await applyTestSchema(t().folio, {
      ...blogSchema,
      contentTypes: {
        ...blogSchema.contentTypes,
        gauge: {
          kind: 'collectionType',
          info: { singularName: 'gauge', pluralName: 'gauges', displayName: 'Gauge' },
          options: { draftAndPublish: false },
          attributes: Object.fromEntries([['valueOf', { type: 'string' as const, required: true }]]),
        },
      },
    });
    superAdmin = await signedIn(t(), ['super-admin']);
    callers = await new TestCallers(t().folio).prepare('article.find,category.find,upload.find');
    await superAdmin.post('/admin-api/content/article', { title: 'Present' });
  });

  async function expect400(requests: Record<string, supertest.Test>): Promise<void> {
    const answers: Record<string, [number, string | undefined]> = {};
    for (const [name, request] of Object.entries(requests)) {
      const res = await request;
      answers[name] = [res.status, res.body?.error?.name];
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(requests).map((name) => [name, [400, 'ValidationError']])));
  }

  const asToken = (path: string) => callers.as(t().http().get(path), 'article.find,category.find,upload.find');

  it('answers 400 on the Content API lists (sort, filters, fields, populate)', async () => {
    await expect400(
      Object.fromEntries([
        ...PROTOTYPE_QUERIES.map((q) => [q, asToken(`/api/articles?${q}`)]),
        ['fields=constructor', asToken('/api/articles?fields[0]=constructor')],
        ['populate=toString', asToken('/api/articles?populate=toString')],
        ['filters[category][valueOf]', asToken('/api/articles?filters[category][valueOf][$eq]=1')],
      ]),
    );
  });

  it('answers 400 on the Content API media list', async () => {
    await expect400(
      Object.fromEntries(
        ['sort=constructor', 'sort=toString:desc', 'filters[hasOwnProperty][$eq]=1'].map((q) => [
          q,
          asToken(`/api/upload/files?${q}`),
        ]),
      ),
    );
  });

  it('answers 400 on the admin media lists', async () => {
    await expect400({
      'sort=constructor': superAdmin.get('/admin-api/upload/files?sort=constructor'),
      'sort=toString:desc': superAdmin.get('/admin-api/upload/files?sort=toString:desc'),
      'filters[hasOwnProperty]': superAdmin.get('/admin-api/upload/files?filters[hasOwnProperty]=1'),
      'folders filters[constructor]': superAdmin.get('/admin-api/upload/folders?filters[constructor]=1'),
    });
  });

  it('answers 400 on the content manager list', async () => {
    await expect400(
      Object.fromEntries(PROTOTYPE_QUERIES.map((q) => [q, superAdmin.get(`/admin-api/content/article?${q}`)])),
    );
  });

  it('answers 400 on the users and audit-log lists', async () => {
    await expect400({
      'users sort=constructor': superAdmin.get('/admin-api/users?sort=constructor'),
      'users sort=toString:desc': superAdmin.get('/admin-api/users?sort=toString:desc'),
      'audit sort=constructor': superAdmin.get('/admin-api/audit-log?sort=constructor'),
      'audit filters[hasOwnProperty]': superAdmin.get('/admin-api/audit-log?filters[hasOwnProperty]=1'),
    });
    expect((await superAdmin.get('/admin-api/users?sort=email:desc')).status).toBe(200);
    expect((await superAdmin.get('/admin-api/audit-log?sort=createdAt:desc')).status).toBe(200);
  });

  it('does not take a missing required attribute named like a prototype member as given', async () => {
    const res = await superAdmin.post('/admin-api/content/gauge', {});
    expect([res.status, res.body.error?.name]).toEqual([400, 'ValidationError']);
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path)).toEqual([['valueOf']]);
    expect(await t().db('gauges').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  describe('content-type builder', () => {
    const type = (attributes: Record<string, unknown>) => ({
      contentTypes: {
        probe: {
          kind: 'collectionType',
          info: { singularName: 'probe', pluralName: 'probes', displayName: 'Probe' },
          attributes,
        },
      },
    });

    it('answers 400 for definitions naming prototype members', async () => {
      await expect400({
        'component constructor': superAdmin.post(
          '/admin-api/content-type-builder/plan',
          type({ seo: { type: 'component', component: 'constructor' } }),
        ),
        'dynamic zone toString': superAdmin.post(
          '/admin-api/content-type-builder/plan',
          type({ zone: { type: 'dynamiczone', components: ['toString'] } }),
        ),
        'relation target valueOf': superAdmin.post(
          '/admin-api/content-type-builder/plan',
          type({ rel: { type: 'relation', relation: 'manyToOne', target: 'valueOf' } }),
        ),
        'relation inversedBy constructor': superAdmin.post(
          '/admin-api/content-type-builder/plan',
          type({ rel: { type: 'relation', relation: 'manyToOne', target: 'article', inversedBy: 'constructor' } }),
        ),
        'uid targetField hasOwnProperty': superAdmin.post(
          '/admin-api/content-type-builder/plan',
          type({ slug: { type: 'uid', targetField: 'hasOwnProperty' } }),
        ),
        'index on toString': superAdmin.post('/admin-api/content-type-builder/plan', {
          contentTypes: {
            probe: { ...type({}).contentTypes.probe, options: { indexes: [{ attributes: ['toString'] }] } },
          },
        }),
        'rename of constructor': superAdmin.post('/admin-api/content-type-builder/plan', {
          renames: [{ type: 'constructor', from: 'a', to: 'b' }],
        }),
        'type named __proto__': superAdmin.post(
          '/admin-api/content-type-builder/plan',
          JSON.parse(
            '{"contentTypes":{"__proto__":{"kind":"collectionType","info":{"singularName":"x","pluralName":"xs",' +
              '"displayName":"X"},"attributes":{}}}}',
          ),
        ),
      });
    });
  });
});
