// Conformance of the Content API's read side (docs/content-api.md, "Query language") on both databases, against a
// seeded blog whose expected answers each test computes from the seed itself.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type supertest from 'supertest';
import { blogSchema } from '../fixtures/blog-schema.js';
import { seedBlog, type ArticleDoc, type ArticleVersion, type Seed } from '../fixtures/content-seed.js';
import { TestCallers } from '../helpers/callers.js';
import { describeEachDatabase, withAccessFreshness } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { SCHEMA_TABLE } from '../../server/schema/registry.js';

const READER =
  'article.find,article.findOne,category.find,tag.find,author.find,profile.find,page.find,page.findOne,global.find';
const EDITOR = `${READER},article.findDrafts`;
/** Every caller the tests below use, each a real custom API token. */
const CALLERS = [
  READER,
  EDITOR,
  'article.find',
  'article.findOne',
  'article.find,tag.find',
  'article.find,category.find',
  'note.find',
];

interface Env {
  seed: Seed;
  http: () => ReturnType<typeof supertest>;
  callers: TestCallers;
}

function setup(t: () => import('../helpers/folio.js').TestFolio): () => Env {
  let env: Env | undefined;
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    const seed = await seedBlog(t().db);
    env = { seed, http: t().http, callers: await new TestCallers(t().folio).prepare(...CALLERS) };
  });
  return () => env as Env;
}

function get(e: Env, query: string, caller = READER, path = '/api/articles') {
  return e.callers.as(e.http().get(`${path}${query ? `?${query}` : ''}`), caller);
}

type Visible = { doc: ArticleDoc; v: ArticleVersion };
function visible(seed: Seed, status: 'published' | 'draft' = 'published'): Visible[] {
  return seed.articles
    .map((doc) => ({ doc, v: status === 'published' ? doc.published : doc.draft }))
    .filter((x): x is Visible => x.v !== null)
    .sort((a, b) => a.v.id - b.v.id);
}

const ids = (list: Visible[]) => list.map((x) => x.doc.documentId);
const bodyIds = (res: { body: { data: Array<{ documentId: string }> } }) => res.body.data.map((d) => d.documentId);
const lower = (s: string | null) => (s === null ? null : s.toLowerCase());
const tagSlugs = (seed: Seed, v: ArticleVersion) =>
  v.tagDocs.map((d) => seed.tags.find((t) => t.documentId === d)?.slug);
const categoryOf = (seed: Seed, v: ArticleVersion) =>
  seed.categories.find((c) => c.documentId === v.categoryDoc) ?? null;

describeEachDatabase('Content API reads: filters', (t) => {
  const e = setup(t);

  const cases: Array<[string, (v: ArticleVersion, seed: Seed) => boolean]> = [
    ['filters[title][$eq]=hello world', (v) => v.title === 'hello world'],
    ['filters[title]=Hello World', (v) => v.title === 'Hello World'],
    ['filters[title][$eqi]=hello WORLD', (v) => lower(v.title) === 'hello world'],
    ['filters[title][$ne]=Hello World', (v) => v.title !== 'Hello World'],
    ['filters[title][$nei]=hello world', (v) => lower(v.title) !== 'hello world'],
    [
      'filters[title][$in][0]=hello world&filters[title][$in][1]=Plain title',
      (v) => ['hello world', 'Plain title'].includes(v.title),
    ],
    ['filters[title][$notIn][0]=hello world', (v) => v.title !== 'hello world'],
    ['filters[views][$lt]=30', (v) => v.views < 30],
    ['filters[views][$lte]=30', (v) => v.views <= 30],
    ['filters[views][$gt]=50', (v) => v.views > 50],
    ['filters[views][$gte]=50', (v) => v.views >= 50],
    [
      'filters[views][$in][0]=10&filters[views][$in][1]=20&filters[views][$in][2]=30',
      (v) => [10, 20, 30].includes(v.views),
    ],
    [
      'filters[views][$notIn][0]=10&filters[views][$notIn][1]=20&filters[views][$notIn][2]=30',
      (v) => ![10, 20, 30].includes(v.views),
    ],
    ['filters[title][$contains]=World', (v) => v.title.includes('World')],
    ['filters[title][$contains]=%', (v) => v.title.includes('%')],
    ['filters[title][$contains]=e_', (v) => v.title.includes('e_')],
    ['filters[title][$notContains]=World', (v) => !v.title.includes('World')],
    ['filters[title][$containsi]=hello', (v) => v.title.toLowerCase().includes('hello')],
    ['filters[title][$notContainsi]=HELLO', (v) => !v.title.toLowerCase().includes('hello')],
    ['filters[title][$containsi]=ÜNÏCODE', (v) => v.title.toLowerCase().includes('ünïcode')],
    ['filters[title][$eqi]=üNÏCODE NAMES', (v) => v.title.toLowerCase() === 'ünïcode names'],
    ['filters[title][$startsWith]=hello', (v) => v.title.startsWith('hello')],
    ['filters[title][$startsWithi]=HELLO', (v) => v.title.toLowerCase().startsWith('hello')],
    ['filters[title][$endsWith]=_', (v) => v.title.endsWith('_')],
    ['filters[title][$endsWithi]=TIPS', (v) => v.title.toLowerCase().endsWith('tips')],
    ['filters[summary][$null]=true', (v) => v.summary === null],
    ['filters[summary][$notNull]=true', (v) => v.summary !== null],
    ['filters[views][$between][0]=10&filters[views][$between][1]=40', (v) => v.views >= 10 && v.views <= 40],
    ['filters[publishedDate][$gt]=2025-06-01', (v) => v.publishedDate !== null && v.publishedDate > '2025-06-01'],
    [
      'filters[scheduledAt][$lt]=2025-06-01T00:00:00Z',
      (v) => v.scheduledAt !== null && v.scheduledAt < new Date('2025-06-01T00:00:00Z'),
    ],
    ['filters[featured][$eq]=true', (v) => v.featured],
    ['filters[featured]=false', (v) => !v.featured],
    ['filters[rating][$gte]=2.5', (v) => v.rating !== null && v.rating >= 2.5],
    ['filters[kind][$eq]=news', (v) => v.kind === 'news'],
    ['filters[slug]=article-3', (v) => v.slug === 'article-3'],
    ['filters[views][$eq][0]=5&filters[views][$eq][1]=10', (v) => v.views === 5 || v.views === 10],
    [
      'filters[$or][0][title][$eq]=Zebra crossing&filters[$or][1][views][$gt]=80',
      (v) => v.title === 'Zebra crossing' || v.views > 80,
    ],
    ['filters[$and][0][views][$gt]=20&filters[$and][1][featured]=true', (v) => v.views > 20 && v.featured],
    ['filters[$not][views][$gt]=50', (v) => !(v.views > 50)],
    ['filters[views][$not][$lt]=50', (v) => !(v.views < 50)],
    ['filters[category][name][$eq]=Beta', (v, s) => categoryOf(s, v)?.name === 'Beta'],
    ['filters[category][$null]=true', (v) => v.categoryDoc === null],
    ['filters[tags][slug][$eq]=sql', (v, s) => tagSlugs(s, v).includes('sql')],
    ['filters[$not][tags][slug][$eq]=sql', (v, s) => !tagSlugs(s, v).includes('sql')],
    [
      'filters[tags][slug][$in][0]=sql&filters[tags][slug][$in][1]=ux&filters[views][$gte]=20',
      (v, s) => tagSlugs(s, v).some((x) => x === 'sql' || x === 'ux') && v.views >= 20,
    ],
    [
      'filters[author][profile][bio][$eq]=Bio 1',
      (v, s) => s.authors.find((a) => a.documentId === v.authorDoc)?.profileDoc === s.profiles[1].documentId,
    ],
    [
      'filters[seo][metaTitle][$startsWith]=SEO hello',
      (v) => v.seo !== null && v.seo.metaTitle.startsWith('SEO hello'),
    ],
    ['filters[$not][seo][metaTitle][$contains]=e', (v) => !(v.seo !== null && v.seo.metaTitle.includes('e'))],
    ['_q=GUIDE', (v) => [v.title, v.slug, v.summary].some((x) => x?.toLowerCase().includes('guide'))],
  ];

  it.each(cases)('%s', async (query, predicate) => {
    const res = await get(e(), `${query}&pagination[pageSize]=100`);
    expect(res.status).toBe(200);
    const all = visible(e().seed);
    const expected = ids(all.filter((x) => predicate(x.v, e().seed)));
    // Each case must tell entries apart on this seed, or it proves nothing.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(bodyIds(res)).toEqual(expected);
    expect(res.body.meta.pagination.total).toBe(expected.length);
  });

  it('compares text exactly: trailing spaces count', async () => {
    const res = await get(e(), 'filters[title][$eq]=Hello World%20');
    expect(res.body.data).toEqual([]);
  });

  it('filters by id and documentId', async () => {
    const list = visible(e().seed);
    const res = await get(e(), `filters[id][$in][0]=${list[2].v.id}&filters[id][$in][1]=${list[4].v.id}`);
    expect(bodyIds(res)).toEqual([list[2].doc.documentId, list[4].doc.documentId]);
    const one = await get(e(), `filters[documentId][$eq]=${list[3].doc.documentId}`);
    expect(bodyIds(one)).toEqual([list[3].doc.documentId]);
  });

  it('filters drafts on their own values with status=draft', async () => {
    const res = await get(e(), 'status=draft&filters[title][$endsWith]=(draft)&pagination[pageSize]=100', EDITOR);
    expect(bodyIds(res)).toEqual(ids(visible(e().seed, 'draft')));
  });
});

describeEachDatabase('Content API reads: sort, pagination, fields, values', (t) => {
  const e = setup(t);

  const cmp = (a: unknown, b: unknown): number => {
    // SQL order: NULL first ascending.
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return (a as number) < (b as number) ? -1 : 1;
  };
  const sorted = (keys: Array<[(x: Visible) => unknown, 'asc' | 'desc']>) => {
    const list = visible(e().seed);
    return list.sort((a, b) => {
      for (const [key, dir] of keys) {
        const c = cmp(key(a), key(b));
        if (c !== 0) return dir === 'asc' ? c : -c;
      }
      return a.v.id - b.v.id;
    });
  };

  it('orders by id ascending by default', async () => {
    const res = await get(e(), 'pagination[pageSize]=100');
    expect(bodyIds(res)).toEqual(ids(visible(e().seed)));
  });

  it.each([
    ['sort=views:desc', [[(x: Visible) => x.v.views, 'desc']]],
    [
      'sort[0]=featured:desc&sort[1]=views:asc',
      [
        [(x: Visible) => x.v.featured, 'desc'],
        [(x: Visible) => x.v.views, 'asc'],
      ],
    ],
    [
      'sort=publishedDate,views:desc',
      [
        [(x: Visible) => x.v.publishedDate, 'asc'],
        [(x: Visible) => x.v.views, 'desc'],
      ],
    ],
    [
      'sort=category.name:desc',
      [
        [
          (x: Visible) =>
            x.v.categoryDoc === null ? null : e().seed.categories.find((c) => c.documentId === x.v.categoryDoc)?.name,
          'desc',
        ],
      ],
    ],
    ['sort=rating', [[(x: Visible) => x.v.rating, 'asc']]],
    [
      'sort=author.profile.bio:desc,views',
      [
        [
          (x: Visible) => {
            const author = e().seed.authors.find((a) => a.documentId === x.v.authorDoc);
            return e().seed.profiles.find((p) => p.documentId === author?.profileDoc)?.bio ?? null;
          },
          'desc',
        ],
        [(x: Visible) => x.v.views, 'asc'],
      ],
    ],
  ] as Array<[string, Array<[(x: Visible) => unknown, 'asc' | 'desc']>]>)('%s', async (query, keys) => {
    const res = await get(e(), `${query}&pagination[pageSize]=100`);
    expect(res.status).toBe(200);
    expect(bodyIds(res)).toEqual(ids(sorted(keys)));
    // A filter through a relation reads the page's ids and sort keys first: the same order.
    const everyEntry = 'filters[$or][0][category][id][$notNull]=true&filters[$or][1][id][$notNull]=true';
    const filtered = await get(e(), `${everyEntry}&${query}&pagination[pageSize]=100`);
    expect(bodyIds(filtered)).toEqual(ids(sorted(keys)));
  });

  it('pages with page/pageSize and tells the page count', async () => {
    const all = visible(e().seed);
    const res = await get(e(), 'pagination[page]=2&pagination[pageSize]=7');
    expect(bodyIds(res)).toEqual(ids(all.slice(7, 14)));
    expect(res.body.meta).toEqual({
      pagination: { page: 2, pageSize: 7, pageCount: Math.ceil(all.length / 7), total: all.length },
    });
  });

  it('pages with start/limit', async () => {
    const all = visible(e().seed);
    const res = await get(e(), 'pagination[start]=5&pagination[limit]=3');
    expect(bodyIds(res)).toEqual(ids(all.slice(5, 8)));
    expect(res.body.meta).toEqual({ pagination: { start: 5, limit: 3, total: all.length } });
  });

  it('omits the total with withCount=false', async () => {
    const res = await get(e(), 'pagination[withCount]=false');
    expect(res.body.meta).toEqual({ pagination: { page: 1, pageSize: 25 } });
    const offset = await get(e(), 'pagination[start]=0&pagination[limit]=-1&pagination[withCount]=false');
    expect(offset.body.meta).toEqual({ pagination: { start: 0, limit: 100 } });
    expect(offset.body.data).toHaveLength(visible(e().seed).length);
  });

  it('caps pageSize at the maximum', async () => {
    const res = await get(e(), 'pagination[pageSize]=1000');
    expect(res.body.meta.pagination.pageSize).toBe(100);
  });

  it('answers an empty page past the end', async () => {
    const res = await get(e(), 'pagination[page]=50&pagination[pageSize]=10');
    expect(res.body.data).toEqual([]);
    expect(res.body.meta.pagination.total).toBe(visible(e().seed).length);
  });

  it('keeps only the asked fields, with id and documentId', async () => {
    const res = await get(e(), 'fields=title,views&pagination[pageSize]=1');
    const first = visible(e().seed)[0];
    expect(res.body.data).toEqual([
      { id: first.v.id, documentId: first.doc.documentId, title: first.v.title, views: first.v.views },
    ]);
  });

  it('serialises every attribute type as docs/content-api.md says and never sends private fields', async () => {
    const res = await get(e(), 'pagination[pageSize]=100');
    for (const { doc, v } of visible(e().seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      expect(entry).toEqual({
        id: v.id,
        documentId: doc.documentId,
        title: v.title,
        slug: v.slug,
        summary: v.summary,
        body: null,
        content: null,
        views: v.views,
        bigViews: v.bigViews,
        rating: v.rating,
        score: v.score,
        featured: v.featured,
        publishedDate: v.publishedDate,
        readingTime: v.readingTime === null ? null : `${v.readingTime}.000`,
        scheduledAt: v.scheduledAt === null ? null : v.scheduledAt.toISOString(),
        kind: v.kind,
        metadata: v.metadata,
        createdAt: v.createdAt.toISOString(),
        updatedAt: v.updatedAt.toISOString(),
        publishedAt: v.publishedAt?.toISOString() ?? null,
      });
      expect(Object.keys(entry)).not.toContain('editorNote');
    }
  });

  it('reads a localized type in the default locale, or the one asked', async () => {
    const en = await get(e(), '', READER, '/api/pages');
    expect(en.body.data.map((d: { title: string }) => d.title)).toEqual(
      e()
        .seed.pages.filter((p) => p.locale === 'en')
        .map((p) => p.title),
    );
    expect(en.body.data[0].locale).toBe('en');
    const fr = await get(e(), 'locale=fr', READER, '/api/pages');
    expect(fr.body.data.map((d: { title: string }) => d.title)).toEqual(
      e()
        .seed.pages.filter((p) => p.locale === 'fr')
        .map((p) => p.title),
    );
  });
});

describeEachDatabase('Content API reads: populate', (t) => {
  const e = setup(t);

  it('populates a to-one relation as an object or null', async () => {
    const res = await get(e(), 'populate=category&pagination[pageSize]=100');
    for (const { doc, v } of visible(e().seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      const cat = categoryOf(e().seed, v);
      if (cat === null) expect(entry.category).toBeNull();
      else
        expect(entry.category).toMatchObject({
          id: cat.id,
          documentId: cat.documentId,
          name: cat.name,
          slug: cat.slug,
        });
      expect(entry.tags).toBeUndefined();
    }
  });

  it('populates a to-one relation once per entry, from its first link, even where a race left two', async () => {
    const seed = e().seed;
    const { doc, v } = visible(seed).find((x) => x.v.categoryDoc !== null)!;
    const row = await t()
      .db('articles')
      .where({ document_id: doc.documentId, status: 'published' })
      .first<{ id: number }>('id');
    const other = seed.categories.find((c) => c.documentId !== v.categoryDoc)!;
    await t()
      .db('articles_category_lnk')
      .insert({ entity_id: row.id, target_document_id: other.documentId, position: 1 });
    try {
      const res = await get(e(), `populate=category&filters[documentId][$eq]=${doc.documentId}`);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].category.documentId).toBe(v.categoryDoc);
    } finally {
      await t().db('articles_category_lnk').where({ entity_id: row.id, position: 1 }).delete();
    }
  });

  it('populates a to-many relation in connection order with the fields asked', async () => {
    const res = await get(e(), 'populate[tags][fields][0]=name&pagination[pageSize]=100');
    for (const { doc, v } of visible(e().seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      const expected = v.tagDocs
        .map((d) => e().seed.tags.find((tag) => tag.documentId === d)!)
        .map((tag) => ({ id: tag.id, documentId: tag.documentId, name: tag.name }));
      expect(entry.tags).toEqual(expected);
    }
  });

  it('filters and sorts inside populate', async () => {
    const res = await get(
      e(),
      'populate[tags][filters][slug][$ne]=sql&populate[tags][sort]=name:desc&populate[tags][fields]=name&' +
        'pagination[pageSize]=100',
    );
    for (const { doc, v } of visible(e().seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      const names = v.tagDocs
        .map((d) => e().seed.tags.find((tag) => tag.documentId === d)!.name)
        .filter((n) => n !== 'sql')
        .sort()
        .reverse();
      expect(entry.tags.map((x: { name: string }) => x.name)).toEqual(names);
    }
  });

  it('counts related entries with populate[x][count]', async () => {
    const res = await get(e(), 'populate[tags][count]=true&pagination[pageSize]=100');
    for (const { doc, v } of visible(e().seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      expect(entry.tags).toEqual({ count: v.tagDocs.length });
    }
  });

  it('resolves related documents to the version of the request status', async () => {
    const seed = e().seed;
    const byDoc = new Map(seed.articles.map((a) => [a.documentId, a]));
    for (const status of ['published', 'draft'] as const) {
      const res = await get(e(), `status=${status}&populate[related][fields]=title&pagination[pageSize]=100`, EDITOR);
      for (const { doc, v } of visible(seed, status)) {
        const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
        const expected = v.relatedDocs
          .map((d) => byDoc.get(d)!)
          .map((a) => (status === 'published' ? a.published : a.draft))
          .filter((x): x is ArticleVersion => x !== null)
          .map((x) => x.title);
        expect(entry.related.map((r: { title: string }) => r.title)).toEqual(expected);
      }
    }
  });

  it('populates nested levels, the inverse side of a relation included', async () => {
    const seed = e().seed;
    const res = await get(
      e(),
      'populate[category][populate][articles][fields]=title&populate[author][populate]=profile&' +
        'pagination[pageSize]=100',
    );
    for (const { doc, v } of visible(seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      const author = seed.authors.find((a) => a.documentId === v.authorDoc)!;
      const profile = seed.profiles.find((p) => p.documentId === author.profileDoc) ?? null;
      expect(entry.author.profile === null ? null : entry.author.profile.bio).toBe(profile?.bio ?? null);
      expect(entry.author).not.toHaveProperty('email'); // private, also when populated
      if (v.categoryDoc) {
        const titles = visible(seed)
          .filter((x) => x.v.categoryDoc === v.categoryDoc)
          .map((x) => x.v.title);
        expect(entry.category.articles.map((a: { title: string }) => a.title)).toEqual(titles);
      }
    }
  });

  it('populates components and dynamic zones', async () => {
    const res = await get(e(), 'populate[seo]=true&populate[blocks]=*&pagination[pageSize]=100');
    for (const { doc, v } of visible(e().seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      expect(entry.seo).toEqual(v.seo);
      expect(entry.blocks).toEqual(v.blocks);
    }
  });

  it('populates only the dynamic-zone components `on` lists, each with its own fields', async () => {
    const res = await get(e(), 'populate[blocks][on][shared.quote][fields][0]=text&pagination[pageSize]=100');
    for (const { doc, v } of visible(e().seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      expect(entry.blocks).toEqual(
        v.blocks
          .filter((b) => b.__component === 'shared.quote')
          .map((b) => ({ __component: b.__component, id: b.id, text: b.text })),
      );
    }
  });

  it('populates media in the media library shape, single and multiple, in link order', async () => {
    const seed = e().seed;
    const res = await get(
      e(),
      'populate[cover]=true&populate[gallery][fields][0]=url&populate[seo][populate][0]=shareImage&' +
        'pagination[pageSize]=100',
    );
    expect(res.status).toBe(200);
    for (const { doc, v } of visible(seed)) {
      const entry = res.body.data.find((d: { documentId: string }) => d.documentId === doc.documentId);
      const m = seed.media.get(v.id)!;
      if (m.cover === null) expect(entry.cover).toBeNull();
      else {
        expect(entry.cover).toMatchObject({
          id: m.cover.id,
          documentId: m.cover.documentId,
          name: m.cover.name,
          url: m.cover.url,
          width: m.cover.width,
          height: m.cover.height,
          size: m.cover.size,
          mime: m.cover.mime,
          folderPath: m.cover.folderPath,
          formats: m.cover.formats,
        });
      }
      expect(entry.gallery).toEqual(m.gallery.map((f) => ({ id: f.id, documentId: f.documentId, url: f.url })));
      if (v.seo) expect(entry.seo.shareImage?.id ?? null).toBe(m.shareImage?.id ?? null);
    }
  });

  it('reads a single type with its repeatable component', async () => {
    const g = e().seed.global;
    const res = await get(e(), 'populate=links', READER, '/api/global');
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({});
    expect(res.body.data).toMatchObject({ id: g.id, documentId: g.documentId, siteName: g.siteName, links: g.links });
  });

  it('reads one document by documentId, 404 when it is not visible', async () => {
    const seed = e().seed;
    const pub = visible(seed)[3];
    const res = await get(e(), '', READER, `/api/articles/${pub.doc.documentId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: expect.objectContaining({ id: pub.v.id, documentId: pub.doc.documentId, title: pub.v.title }),
      meta: {},
    });
    const draftOnly = seed.articles.find((a) => a.published === null)!;
    const missing = await get(e(), '', READER, `/api/articles/${draftOnly.documentId}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
    const asDraft = await get(e(), 'status=draft', EDITOR, `/api/articles/${draftOnly.documentId}`);
    expect(asDraft.body.data.title).toBe(draftOnly.draft.title);
    expect((await get(e(), '', READER, '/api/articles/nope')).status).toBe(404);
  });

  it('runs the same number of statements for 1 and 100 entries', async () => {
    const db = t().db;
    const count = async (pageSize: number) => {
      let n = 0;
      // The schema version is confirmed at most once a second, whatever the page size: on a slow
      // machine the second request may fall after that second. It is not a read of the page.
      const listener = (q: { sql: string }) => {
        if (!q.sql.includes(SCHEMA_TABLE)) n += 1;
      };
      t().folio.cache.counts.clear(); // the total is counted each time, not answered from the count cache
      db.on('query', listener);
      try {
        const res = await get(
          e(),
          `pagination[pageSize]=${pageSize}&populate[category]=true&populate[tags]=true&` +
            `populate[author][populate][0]=profile&populate[seo]=true&populate[cover]=true`,
        );
        expect(res.status).toBe(200);
      } finally {
        db.removeListener('query', listener);
      }
      return n;
    };
    // The token's first use records its last-used time and resolves it: neither is counted. The
    // resolved token is kept for the access freshness, made long here so a slow machine cannot
    // outlast it between the requests.
    const [one, hundred] = await withAccessFreshness(t().folio, 60_000, async () => {
      await get(e(), '');
      return [await count(1), await count(100)];
    });
    // rows (with the category: a to-one relation with nothing nested is joined), count, tags,
    // author, author.profile, seo (one per component type asked), media of the level (one for all
    // its media fields)
    expect(hundred).toBe(one);
    expect(hundred).toBe(7);
  });
});

describeEachDatabase('Content API reads: permissions, caching, bad queries', (t) => {
  const e = setup(t);

  it('answers 403 to a caller without find, and to drafts without findDrafts', async () => {
    expect((await get(e(), '', '')).status).toBe(403);
    expect((await get(e(), '', 'article.findOne')).status).toBe(403);
    const drafts = await get(e(), 'status=draft', READER);
    expect(drafts.status).toBe(403);
    expect(drafts.body.error.name).toBe('ForbiddenError');
    expect((await get(e(), '', 'article.find', `/api/articles/${e().seed.articles[0].documentId}`)).status).toBe(403);
  });

  it('refuses to populate a relation whose type the caller may not read', async () => {
    const res = await get(e(), 'populate=category', 'article.find');
    expect(res.status).toBe(403);
    const star = await get(e(), 'populate=*&pagination[pageSize]=1', 'article.find,tag.find');
    expect(star.status).toBe(200);
    expect(Object.keys(star.body.data[0])).toContain('tags');
    expect(Object.keys(star.body.data[0])).not.toContain('category');
  });

  it('is mounted by createApp, where a request without a caller is refused', async () => {
    expect((await t().http().get('/api/articles')).status).toBe(403);
    expect((await t().http().get('/api/nothings')).status).toBe(404);
  });

  it('refuses to filter or sort through a relation whose type the caller may not read', async () => {
    const filter = await get(e(), 'filters[category][name][$eq]=Beta', 'article.find');
    expect(filter.status).toBe(400);
    expect(filter.body.error.details).toMatchObject({ key: 'category', param: 'filters' });
    expect((await get(e(), 'sort=category.name', 'article.find')).status).toBe(400);
    expect((await get(e(), 'filters[category][name][$eq]=Beta', 'article.find,category.find')).status).toBe(200);
  });

  it('leaves unknown routes to the rest of the app', async () => {
    const res = await get(e(), '', READER, '/api/nothings');
    expect(res.status).toBe(404);
  });

  it('sends a strong ETag and answers 304 to If-None-Match', async () => {
    const first = await get(e(), 'sort=views');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.vary).toMatch(/Authorization/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await get(e(), 'sort=views').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBeFalsy();
    const other = await get(e(), 'sort=views:desc');
    expect(other.headers.etag).not.toBe(first.headers.etag);
    const drafts = await get(e(), 'status=draft', EDITOR);
    expect(drafts.headers['cache-control']).toBe('private, no-cache');
  });

  it('serves a type applied while running, with its configured Cache-Control', async () => {
    await applyTestSchema(t().folio, {
      contentTypes: {
        note: {
          kind: 'collectionType',
          info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
          options: { draftAndPublish: false, cacheControl: 'public, max-age=60' },
          attributes: { text: { type: 'string' } },
        },
      },
    });
    const res = await get(e(), '', 'note.find', '/api/notes');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { pagination: { page: 1, pageSize: 25, pageCount: 0, total: 0 } } });
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  const malformed = [
    'filters=abc',
    'filters[$or]=x',
    'filters[title][$eq][$eq]=x',
    'filters[nope]=1',
    'filters[title][$regex]=a',
    'filters[views][$gt]=many',
    'filters[views][$between][0]=1',
    'filters[id][$eq]=1.5',
    'filters[scheduledAt][$gt]=yesterday',
    'filters[metadata][$eq]=x',
    'filters[title][$null]=perhaps',
    'filters[editorNote][$eq]=secret 1',
    `filters${'[a]'.repeat(30)}=1`,
    'filters[tags][$foo]=1',
    'filters[category][name][$in][x][y]=1',
    'sort=',
    'sort=title:sideways',
    'sort[0][title]=sideways',
    'sort=tags.name',
    'sort=editorNote:desc',
    'sort[0][0][0]=x',
    'pagination=5',
    'pagination[page]=abc',
    'pagination[page]=0',
    'pagination[pageSize]=-5',
    'pagination[withCount]=maybe',
    'pagination[page]=1&pagination[start]=0',
    'pagination[offset]=3',
    'fields[0][a]=b',
    'fields=nope',
    'fields=category',
    'fields=editorNote',
    'populate[title]=true',
    'populate[category][nope]=1',
    'populate[blocks][on][shared.nope]=*',
    'populate=unknown',
    'populate[category][populate][nope]=true',
    'populate[category][filters][zzz]=1',
    'populate[tags][sort]=zzz',
    'status=live',
    'status[]=draft',
    'locale[x]=y',
    'locale=../../etc',
    '_q[a]=b',
    '%E0%A4%A=1',
    'publicationState=live',
    'a[b]=1&a=2',
  ];

  it.each(malformed)('answers 400 to %s', async (query) => {
    const res = await get(e(), query);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeNull();
    expect(['ValidationError', 'PaginationError']).toContain(res.body.error.name);
    if (res.body.error.name === 'ValidationError') {
      expect(res.body.error.details).toEqual({
        key: expect.any(String),
        path: expect.any(String),
        source: 'query',
        param: expect.any(String),
      });
    }
  });

  it('never answers 500 to odd but harmless queries', async () => {
    for (const query of [
      'filters[__proto__][x]=1',
      'filters[title][$in]=',
      'filters[$or][0]=',
      'populate=',
      'fields=',
      '_q=%25_%25',
      'sort=id:desc,id',
      'pagination[page]=9007199254740991&pagination[pageSize]=100',
      'pagination[start]=9007199254740991',
      'filters[publishedDate][$eq]=0000-01-01',
      'filters[scheduledAt][$lt]=2025-02-30T00:00:00Z',
      `filters[title][$eq]=${'x'.repeat(5000)}`,
      'filters[views][$in][150]=1',
      'populate[tags][populate][articles][populate][tags][populate][articles]=true',
    ]) {
      const res = await get(e(), query);
      if (res.status >= 500) throw new Error(`${query} answered ${res.status}`);
    }
  });
});

describe('Content API CORS', () => {
  describeEachDatabase(
    'with CORS_ORIGINS',
    (t) => {
      const e = setup(t);
      it('allows the configured origins on /api only', async () => {
        const ok = await get(e(), '').set('Origin', 'https://site.example');
        expect(ok.headers['access-control-allow-origin']).toBe('https://site.example');
        const no = await get(e(), '').set('Origin', 'https://evil.example');
        expect(no.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await e()
          .http()
          .options('/api/articles')
          .set('Origin', 'https://site.example')
          .set('Access-Control-Request-Method', 'GET');
        expect(preflight.status).toBe(204);
      });
    },
    { CORS_ORIGINS: 'https://site.example' },
  );
});
