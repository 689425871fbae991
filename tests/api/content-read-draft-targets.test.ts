// To-one relations whose target has draft & publish, on the Content API's published side: the target
// is joined to its published version only, so a draft edited after publishing is never shown and
// never doubles the row that points at it (a join on the document id alone matches both versions).
import { beforeAll, expect, it } from '@jest/globals';
import { TestCallers } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import type { SchemaFile } from '../../server/schema/types.js';

const schema: SchemaFile = {
  contentTypes: {
    story: {
      kind: 'collectionType',
      info: { singularName: 'story', pluralName: 'stories', displayName: 'Story' },
      options: { draftAndPublish: true },
      attributes: { title: { type: 'string', required: true } },
    },
    feature: {
      kind: 'collectionType',
      info: { singularName: 'feature', pluralName: 'features', displayName: 'Feature' },
      options: { draftAndPublish: false },
      attributes: {
        label: { type: 'string', required: true },
        story: { type: 'relation', relation: 'manyToOne', target: 'story' },
      },
    },
  },
  components: {},
};

const READER = 'feature.find,feature.findOne,story.find,story.findOne';
const PUBLISHED = 'Published title';
const DRAFT = 'Draft edited after publishing';

describeEachDatabase('Content API reads: a to-one relation to a draft & publish type', (t) => {
  let callers: TestCallers;
  let feature: string;
  let story: string;

  beforeAll(async () => {
    await applyTestSchema(t().folio, schema);
    const { documents } = t().folio;
    story = (await documents.create('story', { data: { title: PUBLISHED } })).documentId;
    await documents.update('story', story, { data: { title: DRAFT }, status: 'draft' });
    feature = (await documents.create('feature', { data: { label: 'Front page', story } })).documentId;
    callers = await new TestCallers(t().folio).prepare(READER);
  });

  const get = (path: string) => callers.as(t().http().get(path), READER);

  it('has a published version and a diverging draft of the target (the premise of this suite)', async () => {
    const rows = (await t().db('stories').where({ document_id: story }).orderBy('status')) as Array<{
      status: string;
      title: string;
    }>;
    expect(rows.map((r) => [r.status, r.title])).toEqual([
      ['draft', DRAFT],
      ['published', PUBLISHED],
    ]);
  });

  it('lists the pointing entry once, with the target populated from its published version', async () => {
    const res = await get('/api/features?populate=story');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ documentId: feature, story: { documentId: story, title: PUBLISHED } });
    expect(res.body.meta.pagination.total).toBe(1);
  });

  it('lists the pointing entry once when only some fields of the target are populated', async () => {
    const res = await get('/api/features?populate[story][fields][0]=title');
    expect(res.body.data).toEqual([
      expect.objectContaining({ documentId: feature, story: expect.objectContaining({ title: PUBLISHED }) }),
    ]);
  });

  it('reads one pointing entry with the target populated from its published version', async () => {
    const res = await get(`/api/features/${feature}?populate=story`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ documentId: feature, story: { documentId: story, title: PUBLISHED } });
  });

  it('never shows the draft title anywhere in the answers', async () => {
    for (const path of [
      '/api/features?populate=*',
      `/api/features/${feature}?populate=*`,
      '/api/stories',
      `/api/stories/${story}`,
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(JSON.stringify(res.body)).not.toContain(DRAFT);
    }
  });

  it('filters through the relation on the published title only', async () => {
    const published = await get(`/api/features?filters[story][title][$eq]=${encodeURIComponent(PUBLISHED)}`);
    expect(published.body.data.map((d: { documentId: string }) => d.documentId)).toEqual([feature]);
    const draft = await get(`/api/features?filters[story][title][$eq]=${encodeURIComponent(DRAFT)}`);
    expect(draft.body.data).toEqual([]);
  });

  it("sorts by the target's title without duplicating the pointing entry", async () => {
    const res = await get('/api/features?sort=story.title:asc&populate=story');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({ documentId: feature, story: expect.objectContaining({ title: PUBLISHED }) }),
    ]);
  });
});
