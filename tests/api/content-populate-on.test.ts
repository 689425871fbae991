// Dynamic-zone fragments (`populate[<zone>][on][<component>]…`, docs/content-api.md "Populate") on
// Strapi's blog template, on both databases: only the component types listed come back, each read as
// its fragment says, whether the query is written by hand or by qs as @strapi/client sends it.
import { beforeAll, expect, it } from '@jest/globals';
import qs from 'qs';
import { strapiProjectSchema } from '../fixtures/strapi-project.js';
import { TestCallers } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const READER = 'article.find,article.findOne,author.find,about.find,global.find';

interface Block {
  __component: string;
  id: number;
  [key: string]: unknown;
}

describeEachDatabase('Content API: dynamic-zone `on` fragments', (t) => {
  let callers: TestCallers;
  let fileIds: number[];
  /** The article's blocks as stored, in zone order (populate[blocks]=* reads them back). */
  let stored: Block[];

  const get = (path: string, query: string) => callers.as(t().http().get(`${path}?${query}`), READER);

  beforeAll(async () => {
    const { folio, db } = t();
    await applyTestSchema(folio, strapiProjectSchema());
    fileIds = [];
    for (const n of [1, 2, 3]) {
      const [id] = await db('folio_files').insert({
        document_id: `blockfile${n}00000000000000`,
        name: `b${n}.png`,
        hash: `b${n}`,
        ext: '.png',
        mime: 'image/png',
        size: 1,
        url: `/uploads/b${n}.png`,
        provider: 'local',
      });
      fileIds.push(Number(id));
    }
    const blocks = [
      { __component: 'shared.rich-text', body: 'Intro' },
      { __component: 'shared.quote', title: 'First', body: 'One said' },
      { __component: 'shared.media', file: fileIds[0] },
      { __component: 'shared.slider', files: [fileIds[1], fileIds[2]] },
      { __component: 'shared.quote', title: 'Second', body: 'Two said' },
    ];
    await folio.documents.create('article', { data: { title: 'Blocks', blocks } });
    await folio.documents.create('about', { data: { title: 'About', blocks } });
    await folio.documents.create('global', { data: { siteName: 'Blog', siteDescription: 'A blog' } });
    callers = await new TestCallers(folio).prepare(READER);
    const all = await get('/api/articles', 'populate[blocks]=*');
    expect(all.status).toBe(200);
    stored = all.body.data[0].blocks;
  });

  it('reads every block of the zone without `on`', () => {
    expect(stored.map((b) => b.__component)).toEqual([
      'shared.rich-text',
      'shared.quote',
      'shared.media',
      'shared.slider',
      'shared.quote',
    ]);
  });

  it('returns only the component types `on` lists, in zone order, each as its fragment says', async () => {
    const res = await get(
      '/api/articles',
      'populate[blocks][on][shared.quote][fields][0]=title&populate[blocks][on][shared.media][populate]=*',
    );
    expect(res.status).toBe(200);
    const [first, media, second] = [stored[1], stored[2], stored[4]];
    expect(res.body.data[0].blocks).toEqual([
      { __component: 'shared.quote', id: first.id, title: 'First' },
      {
        __component: 'shared.media',
        id: media.id,
        file: expect.objectContaining({ id: fileIds[0], url: '/uploads/b1.png' }),
      },
      { __component: 'shared.quote', id: second.id, title: 'Second' },
    ]);
  });

  it('reads a fragment given as true with its scalar fields and nothing populated', async () => {
    const res = await get('/api/articles', 'populate[blocks][on][shared.media]=true');
    expect(res.status).toBe(200);
    expect(res.body.data[0].blocks).toEqual([{ __component: 'shared.media', id: stored[2].id }]);
  });

  it('answers the query @strapi/client builds from `on` objects the same way, keys encoded or not', async () => {
    const populate = {
      blocks: { on: { 'shared.quote': { fields: ['title'] }, 'shared.media': { populate: '*' } } },
    };
    const byHand = await get(
      '/api/articles',
      'populate[blocks][on][shared.quote][fields][0]=title&populate[blocks][on][shared.media][populate]=*',
    );
    for (const encodeValuesOnly of [true, false]) {
      const byClient = await get('/api/articles', qs.stringify({ populate }, { encodeValuesOnly }));
      expect(byClient.status).toBe(200);
      expect(byClient.body.data).toEqual(byHand.body.data);
    }
  });

  it('filters the zone of a single type too', async () => {
    const res = await get('/api/about', 'populate[blocks][on][shared.slider][populate][files][fields][0]=url');
    expect(res.status).toBe(200);
    expect(res.body.data.blocks).toEqual([
      {
        __component: 'shared.slider',
        id: expect.any(Number),
        files: [
          { id: fileIds[1], documentId: expect.any(String), url: '/uploads/b2.png' },
          { id: fileIds[2], documentId: expect.any(String), url: '/uploads/b3.png' },
        ],
      },
    ]);
  });

  it.each([
    ['a component the schema does not have', 'populate[blocks][on][shared.nope]=*', 'blocks.on.shared.nope'],
    ['a component that is not in the zone', 'populate[blocks][on][shared.seo]=*', 'blocks.on.shared.seo'],
    ['a key other than fields and populate', 'populate[blocks][on][shared.quote][sort]=title', 'sort'],
    [
      '`on` beside a populate of the zone',
      'populate[blocks][on][shared.quote]=*&populate[blocks][populate]=*',
      'populate',
    ],
    ['`on` on a relation', 'populate[author][on][shared.quote]=*', 'on'],
    ['`on` on a media field', 'populate[cover][on][shared.quote]=*', 'on'],
  ])('answers 400 to %s', async (_what, query, key) => {
    const res = await get('/api/articles', query);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeNull();
    expect(res.body.error).toMatchObject({
      status: 400,
      name: 'ValidationError',
      details: { source: 'query', param: 'populate' },
    });
    expect(`${res.body.error.details.key} ${res.body.error.details.path}`).toContain(key);
  });

  it('answers 400 to `on` on a component field', async () => {
    const res = await get('/api/global', 'populate[defaultSeo][on][shared.seo]=*');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', details: { key: 'on', param: 'populate' } });
  });
});
