// POST/PUT/DELETE /api/... over HTTP on both databases. The authentication middleware is written
// elsewhere; here a small test middleware puts a Caller on ctx.state, as that middleware will.
import { beforeAll, expect, it } from '@jest/globals';
import Koa from 'koa';
import supertest from 'supertest';
import { DocumentService } from '../../server/content/documents.js';
import { silentLogger } from '../../server/logger.js';
import { jsonBody } from '../../server/middleware/body.js';
import { errorEnvelope } from '../../server/middleware/errors.js';
import { notFound } from '../../server/middleware/not-found.js';
import { requestContext } from '../../server/middleware/request-context.js';
import { contentApiWriteRoutes } from '../../server/routes/content-api-writes.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { callerHolding } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

/**
 * Test caller from headers: `x-test-allow: article.create,article.update`, `x-test-deny-fields: article.views`
 * (admin id 5 when `x-test-admin`). Its ability holds the same grants: the operations ask it for
 * field allowlists and row conditions.
 */
function testCaller(): Koa.Middleware {
  return async (ctx, next) => {
    const allowed = String(ctx.get('x-test-allow') || '')
      .split(',')
      .filter(Boolean)
      .map((g) => g.split('.'));
    const deniedFields = String(ctx.get('x-test-deny-fields') || '')
      .split(',')
      .filter(Boolean)
      .map((g) => g.split('.'));
    const rules = [
      ...allowed.map(([subject, action]) => ({ action, subject })),
      ...deniedFields.map(([subject, field]) => ({
        action: ['create', 'update'],
        subject,
        fields: [field],
        inverted: true,
      })),
    ];
    const admin = Boolean(ctx.get('x-test-admin'));
    ctx.state.caller = callerHolding(rules, admin ? 'admin' : 'api-token', admin ? 5 : 1);
    await next();
  };
}

const ALL = ['article', 'category', 'tag', 'page', 'global']
  .flatMap((s) => ['create', 'update', 'delete'].map((a) => `${s}.${a}`))
  .join(',');

describeEachDatabase('Content API writes', (t) => {
  let http: () => ReturnType<typeof supertest>;
  let docs: DocumentService;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    docs = t().folio.documents;
    const app = new Koa();
    app.silent = true;
    app.use(requestContext(silentLogger()));
    app.use(errorEnvelope());
    app.use(notFound());
    app.use(jsonBody());
    app.use(testCaller());
    app.use(contentApiWriteRoutes({ documents: docs, audit: t().folio.audit, schema: t().folio.schema }).routes());
    const callback = app.callback();
    http = () => supertest(callback);
  });

  it('POST creates and publishes at once: 201 with the flat entry, private fields never returned', async () => {
    const res = await http()
      .post('/api/articles')
      .set('x-test-allow', ALL)
      .send({ data: { title: 'Hello HTTP', editorNote: 'secret', rating: '4.25' } });
    expect(res.status).toBe(201);
    expect(res.body.meta).toEqual({});
    expect(res.body.data).toMatchObject({
      title: 'Hello HTTP',
      slug: 'hello-http',
      rating: 4.25,
      featured: false,
      views: 0,
    });
    expect(Object.keys(res.body.data)).toEqual(
      expect.arrayContaining(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt']),
    );
    expect(res.body.data.publishedAt).not.toBeNull();
    expect(res.body.data).not.toHaveProperty('editorNote');
    expect(res.body.data).not.toHaveProperty('locale');
    expect(await t().db('articles').where({ document_id: res.body.data.documentId }).pluck('editor_note')).toEqual([
      'secret',
      'secret',
    ]);
  });

  it('?status=draft keeps a draft; PUT with {"data":{}} publishes it as it is', async () => {
    const created = await http()
      .post('/api/articles?status=draft')
      .set('x-test-allow', ALL)
      .send({ data: { title: 'Drafty' } });
    expect(created.status).toBe(201);
    expect(created.body.data.publishedAt).toBeNull();
    const put = await http()
      .put(`/api/articles/${created.body.data.documentId}`)
      .set('x-test-allow', ALL)
      .send({ data: {} });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ title: 'Drafty', documentId: created.body.data.documentId });
    expect(put.body.data.publishedAt).not.toBeNull();
  });

  it('PUT updates partially and records the admin caller as updatedBy', async () => {
    const created = await http()
      .post('/api/articles')
      .set('x-test-allow', ALL)
      .send({ data: { title: 'Partial', summary: 'one' } });
    const put = await http()
      .put(`/api/articles/${created.body.data.documentId}`)
      .set('x-test-allow', ALL)
      .set('x-test-admin', '1')
      .send({ data: { summary: 'two' } });
    expect(put.body.data).toMatchObject({ title: 'Partial', summary: 'two' });
    const rows = await t().db('articles').where({ document_id: created.body.data.documentId }).pluck('updated_by_id');
    expect(rows.map(Number)).toEqual([5, 5]);
  });

  it('answers a body without data with 400', async () => {
    const res = await http().post('/api/articles').set('x-test-allow', ALL).send({ title: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: 'Missing "data" payload in the request body',
        details: {},
      },
    });
  });

  it('lists every failing path, system fields and unknown keys included', async () => {
    const res = await http()
      .post('/api/articles')
      .set('x-test-allow', ALL)
      .send({ data: { id: 1, nope: true, views: -2, kind: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    const paths = (res.body.error.details.errors as Array<{ path: string[]; name: string }>)
      .map((e) => e.path.join('.'))
      .sort();
    expect(paths).toEqual(['id', 'kind', 'nope', 'title', 'views']);
  });

  it('answers 403 ForbiddenError without the permission, and writes nothing', async () => {
    const before = await t().db('articles').count({ n: '*' }).first();
    const res = await http()
      .post('/api/articles')
      .set('x-test-allow', 'article.update')
      .send({ data: { title: 'No' } });
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('ForbiddenError');
    expect(await t().db('articles').count({ n: '*' }).first()).toEqual(before);
  });

  it('refuses a field the caller may not write with 403, writing nothing', async () => {
    const res = await http()
      .post('/api/articles')
      .set('x-test-allow', ALL)
      .set('x-test-deny-fields', 'article.views')
      .send({ data: { title: 'Field-denied', views: 3 } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ name: 'ForbiddenError', details: { fields: ['views'] } });
    expect(await t().db('articles').where({ title: 'Field-denied' }).first()).toBeUndefined();
    const ok = await http()
      .post('/api/articles')
      .set('x-test-allow', ALL)
      .set('x-test-deny-fields', 'article.views')
      .send({ data: { title: 'Field-ok' } });
    expect(ok.status).toBe(201);
  });

  it('DELETE answers 204 with an empty body, then 404', async () => {
    const created = await http()
      .post('/api/tags')
      .set('x-test-allow', ALL)
      .send({ data: { name: 'Gone soon' } });
    const del = await http().delete(`/api/tags/${created.body.data.documentId}`).set('x-test-allow', ALL);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const again = await http().delete(`/api/tags/${created.body.data.documentId}`).set('x-test-allow', ALL);
    expect(again.status).toBe(404);
    expect(again.body.error.name).toBe('NotFoundError');
  });

  it('PUT of an unknown documentId is 404; an unknown type is 404', async () => {
    expect((await http().put('/api/articles/doesnotexist').set('x-test-allow', ALL).send({ data: {} })).status).toBe(
      404,
    );
    expect((await http().post('/api/nothings').set('x-test-allow', ALL).send({ data: {} })).status).toBe(404);
  });

  it('PUT ?locale=fr creates that locale of a localized type; entries carry their locale', async () => {
    const en = await http()
      .post('/api/pages')
      .set('x-test-allow', ALL)
      .send({ data: { title: 'Home' } });
    expect(en.body.data.locale).toBe('en');
    const fr = await http()
      .put(`/api/pages/${en.body.data.documentId}?locale=fr`)
      .set('x-test-allow', ALL)
      .send({ data: { title: 'Accueil' } });
    expect(fr.status).toBe(200);
    expect(fr.body.data).toMatchObject({
      documentId: en.body.data.documentId,
      locale: 'fr',
      title: 'Accueil',
      slug: 'accueil',
    });
  });

  it('single types: PUT creates then updates the one entry, DELETE removes it', async () => {
    const first = await http()
      .put('/api/global')
      .set('x-test-allow', ALL)
      .send({ data: { siteName: 'Folio', links: [{ label: 'Home', url: '/' }] } });
    expect(first.status).toBe(200);
    const second = await http()
      .put('/api/global')
      .set('x-test-allow', ALL)
      .send({ data: { siteName: 'Folio 2' } });
    expect(second.body.data).toMatchObject({ documentId: first.body.data.documentId, siteName: 'Folio 2' });
    expect(await t().db('globals').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect((await http().delete('/api/global').set('x-test-allow', ALL)).status).toBe(204);
    expect((await http().delete('/api/global').set('x-test-allow', ALL)).status).toBe(404);
  });

  it('refuses an unknown query parameter and a bad status with 400', async () => {
    const res = await http()
      .post('/api/articles?foo=1')
      .set('x-test-allow', ALL)
      .send({ data: { title: 'q' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ source: 'query', param: 'foo' });
    expect(
      (
        await http()
          .post('/api/articles?status=live')
          .set('x-test-allow', ALL)
          .send({ data: { title: 'q' } })
      ).status,
    ).toBe(400);
  });
});
