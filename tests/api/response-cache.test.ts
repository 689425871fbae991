// The response cache of GET /api (server/cache/): a repeated read is served from memory with the same
// body and ETag; any write to a type the response was read from is visible on the very next read;
// callers with different rights never share an entry.
import { beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { cacheSchema } from '../fixtures/cache-schema.js';

describeEachDatabase('response cache', (t) => {
  let fullAccess: string;
  let readOnly: string;
  /** SELECTs that reached the articles table since the last reset. */
  let articleReads = 0;

  beforeAll(async () => {
    await applyTestSchema(t().folio, cacheSchema);
    fullAccess = (await t().folio.apiTokens.create({ name: 'writer', type: 'full-access' })).token;
    readOnly = (await t().folio.apiTokens.create({ name: 'reader', type: 'read-only' })).token;
    await t().folio.access.grantPublic(['article.find', 'article.findOne']);
    t().db.on('query', (q: { sql: string }) => {
      if (/^select/i.test(q.sql) && /`articles`|"articles"/.test(q.sql)) articleReads += 1;
    });
  });

  const get = (url: string, token?: string) => {
    const req = t().http().get(url);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };
  const titles = (body: { data: Array<{ title: string }> }) => body.data.map((a) => a.title).sort();

  it('serves a repeated read from memory: same body, same ETag, no SQL on the content table', async () => {
    await t().folio.documents.create('article', { data: { title: 'First', views: 1 } });
    const first = await get('/api/articles?sort=views:desc');
    expect(first.status).toBe(200);
    articleReads = 0;
    const second = await get('/api/articles?sort=views:desc');
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['cache-control']).toBe(first.headers['cache-control']);
    expect(articleReads).toBe(0);
    const revalidated = await get('/api/articles?sort=views:desc').set('If-None-Match', first.headers.etag);
    expect(revalidated.status).toBe(304);
  });

  it('shows a create, update, publish and delete through /api at once, totals included', async () => {
    const list = '/api/articles?sort=views:desc&pagination[withCount]=true';
    const before = await get(list);
    const created = await get(list).then(() =>
      t()
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${fullAccess}`)
        .send({ data: { title: 'Via API', views: 5 } }),
    );
    expect(created.status).toBe(201);
    const id = created.body.data.documentId as string;
    const afterCreate = await get(list);
    expect(titles(afterCreate.body)).toContain('Via API');
    expect(afterCreate.body.meta.pagination.total).toBe(before.body.meta.pagination.total + 1);
    expect(afterCreate.headers.etag).not.toBe(before.headers.etag);

    await get(`/api/articles/${id}`);
    const updated = await t()
      .http()
      .put(`/api/articles/${id}`)
      .set('Authorization', `Bearer ${fullAccess}`)
      .send({ data: { title: 'Via API, renamed' } });
    expect(updated.status).toBe(200);
    expect((await get(`/api/articles/${id}`)).body.data.title).toBe('Via API, renamed');
    expect(titles((await get(list)).body)).toContain('Via API, renamed');

    const deleted = await t().http().delete(`/api/articles/${id}`).set('Authorization', `Bearer ${fullAccess}`);
    expect(deleted.status).toBe(204);
    expect((await get(`/api/articles/${id}`)).status).toBe(404);
    const afterDelete = await get(list);
    expect(titles(afterDelete.body)).not.toContain('Via API, renamed');
    expect(afterDelete.body.meta.pagination.total).toBe(before.body.meta.pagination.total);
  });

  it(
    'shows writes made through the DocumentService ' + '(admin, CLI, jobs) at once: draft, publish, unpublish',
    async () => {
      const docs = t().folio.documents;
      const list = '/api/articles?fields[0]=title';
      await get(list);
      const draft = await docs.create('article', { data: { title: 'Drafted' }, status: 'draft' });
      expect(titles((await get(list)).body)).not.toContain('Drafted');
      await docs.publish('article', draft.documentId);
      expect(titles((await get(list)).body)).toContain('Drafted');
      await docs.update('article', draft.documentId, { data: { title: 'Drafted, edited' }, status: 'published' });
      expect(titles((await get(list)).body)).toContain('Drafted, edited');
      await docs.unpublish('article', draft.documentId);
      expect(titles((await get(list)).body)).not.toContain('Drafted, edited');
    },
  );

  it('drops a response when a type it populated or filtered on is written', async () => {
    const docs = t().folio.documents;
    const category = await docs.create('category', { data: { name: 'Old name' } });
    await docs.create('article', { data: { title: 'Categorised', category: category.documentId } });
    const populated = `/api/articles?filters[title][$eq]=Categorised&populate[category]=true`;
    const filtered = `/api/articles?filters[category][name][$eq]=New name`;
    expect((await get(populated, readOnly)).body.data[0].category.name).toBe('Old name');
    expect((await get(filtered, readOnly)).body.data).toHaveLength(0);
    await docs.update('category', category.documentId, { data: { name: 'New name' } });
    expect((await get(populated, readOnly)).body.data[0].category.name).toBe('New name');
    expect(titles((await get(filtered, readOnly)).body)).toEqual(['Categorised']);
  });

  it('drops a response that populated media when the file changes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'folio-cache-'));
    const file = path.join(dir, 'cover.png');
    writeFileSync(
      file,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
        .png()
        .toBuffer(),
    );
    const [uploaded] = await t().folio.media.upload(
      [{ path: file, filename: 'cover.png', size: 1 }],
      [{ alternativeText: 'before' }],
    );
    await t().folio.documents.create('article', { data: { title: 'With cover', cover: uploaded.id } });
    const url = '/api/articles?filters[title][$eq]=With cover&populate[cover]=true';
    expect((await get(url, readOnly)).body.data[0].cover.alternativeText).toBe('before');
    await t().folio.media.updateInfo(uploaded.id, { alternativeText: 'after' });
    expect((await get(url, readOnly)).body.data[0].cover.alternativeText).toBe('after');
  });

  it('never serves one caller’s response to a caller with other rights', async () => {
    // The read-only token may populate categories and read everything; the Public role may not.
    const url = '/api/articles?populate[category]=true';
    expect((await get(url, readOnly)).status).toBe(200);
    expect((await get(url)).status).toBe(403);
    // Drafts: the full-access token reads them, the read-only token may not.
    const draftUrl = '/api/articles?status=draft&fields[0]=title';
    const drafts = await get(draftUrl, fullAccess);
    expect(drafts.status).toBe(200);
    expect((await get(draftUrl, readOnly)).status).toBe(403);
    expect((await get(draftUrl)).status).toBe(403);
    // A permission change applies at once to what the Public role is served.
    await get('/api/articles?fields[0]=title');
    await t().folio.access.revokePublic(['article.find']);
    expect((await get('/api/articles?fields[0]=title')).status).toBe(403);
    await t().folio.access.grantPublic(['article.find', 'category.find']);
    expect((await get(url)).status).toBe(200);
    expect((await get(url)).text).toBe((await get(url, readOnly)).text);
  });
});

describeEachDatabase(
  'response cache off',
  (t) => {
    it('CACHE=off reads the database every time and still answers with an ETag', async () => {
      await applyTestSchema(t().folio, cacheSchema);
      await t().folio.access.grantPublic(['article.find']);
      expect(t().folio.cache.responses).toBeUndefined();
      let reads = 0;
      t().db.on('query', (q: { sql: string }) => {
        if (/^select/i.test(q.sql) && /articles/.test(q.sql)) reads += 1;
      });
      const first = await t().http().get('/api/articles');
      const second = await t().http().get('/api/articles');
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(reads).toBeGreaterThanOrEqual(2);
    });
  },
  { CACHE: 'off' },
);
