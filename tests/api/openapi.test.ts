// GET /api/openapi.json and /api/docs (docs/content-api.md, "OpenAPI"): an OpenAPI 3.1 document of the live
// content types, listing only what the caller may use; private fields never appear.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { seedBlog } from '../fixtures/content-seed.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import type { OpenApiDocument } from '../../server/content/openapi.js';

type Schema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

async function validate(doc: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  const validator = new Validator();
  const result = await validator.validate(doc as Record<string, unknown>);
  return { valid: result.valid && validator.version === '3.1', errors: result.errors };
}

/** Every `properties` key anywhere in the document, with where it was found. */
function propertyNames(node: unknown, at = '', out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item, i) => propertyNames(item, `${at}/${i}`, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && value && typeof value === 'object')
        for (const name of Object.keys(value)) out.push(`${at}/properties/${name}`);
      propertyNames(value, `${at}/${key}`, out);
    }
  }
  return out;
}

describeEachDatabase('OpenAPI document', (t) => {
  let fullToken: string;
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    await seedBlog(t().db);
    fullToken = (await t().folio.apiTokens.create({ name: 'openapi-full', type: 'full-access' })).token;
  });

  const getDoc = async (token?: string): Promise<OpenApiDocument> => {
    const req = t().http().get('/api/openapi.json');
    const res = await (token ? req.set('Authorization', `Bearer ${token}`) : req);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return res.body as OpenApiDocument;
  };

  describe('for a full-access token', () => {
    let doc: OpenApiDocument;
    beforeAll(async () => {
      doc = await getDoc(fullToken);
    });

    it('is a valid OpenAPI 3.1 document', async () => {
      expect(doc.openapi).toBe('3.1.0');
      expect(await validate(doc)).toEqual({ valid: true, errors: undefined });
    });

    it('has every operation of collection types, single types and the upload plugin', () => {
      const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
      );
      expect(ops).toEqual(
        expect.arrayContaining([
          'GET /api/articles',
          'POST /api/articles',
          'GET /api/articles/{documentId}',
          'PUT /api/articles/{documentId}',
          'DELETE /api/articles/{documentId}',
          'GET /api/global',
          'PUT /api/global',
          'DELETE /api/global',
          'POST /api/upload',
          'GET /api/upload/files',
          'GET /api/upload/files/{id}',
          'DELETE /api/upload/files/{id}',
        ]),
      );
      expect(ops).not.toContain('POST /api/global');
      expect(Object.keys(doc.paths)).not.toContain('/api/global/{documentId}');
    });

    it(
      'describes the query parameters of a list: deepObject ' +
        'filters, sort, pagination, fields, populate, status, _q, render',
      () => {
        const params = doc.paths['/api/articles'].get!.parameters!;
        const byName = Object.fromEntries(params.map((p) => [p.name, p]));
        expect(Object.keys(byName).sort()).toEqual([
          '_q',
          'fields',
          'filters',
          'pagination',
          'populate',
          'render',
          'sort',
          'status',
        ]);
        expect(byName.filters.style).toBe('deepObject');
        expect(Object.keys((byName.pagination.schema as Schema).properties!)).toEqual([
          'page',
          'pageSize',
          'start',
          'limit',
          'withCount',
        ]);
        expect(byName.status.schema).toEqual({ type: 'string', enum: ['published', 'draft'] });
        expect(byName.render.schema).toEqual({ type: 'string', enum: ['html'] });
        // locale only on localized types
        expect(doc.paths['/api/pages'].get!.parameters!.map((p) => p.name)).toContain('locale');
      },
    );

    it('types scalars as JSON schema: formats, enums, maxLength, bigintegers as strings', () => {
      const article = doc.components.schemas.Article as Schema;
      const props = article.properties as Record<string, Schema>;
      expect(props.title).toEqual({ type: ['string', 'null'], maxLength: 200 });
      expect(props.kind).toEqual({ type: ['string', 'null'], enum: ['news', 'review', 'guide', null] });
      expect(props.publishedDate).toEqual({ type: ['string', 'null'], format: 'date' });
      expect(props.scheduledAt).toMatchObject({ format: 'date-time' });
      expect(props.bigViews).toMatchObject({ type: ['string', 'null'] });
      expect(props.views).toMatchObject({ type: ['integer', 'null'], minimum: 0 });
      expect(article.required).toEqual(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt']);
      expect((doc.components.schemas.Page as Schema).required).toContain('locale');
    });

    it('has write bodies with { data } and relation inputs as documentId, list or connect/disconnect/set', () => {
      const create = doc.components.schemas['ArticleInput.create'] as Schema;
      const data = (create.properties as Record<string, Schema>).data;
      expect(data.required).toEqual(['title']);
      expect((data.properties as Record<string, unknown>).tags).toEqual({
        $ref: '#/components/schemas/RelationInputToMany',
      });
      expect((data.properties as Record<string, unknown>).category).toEqual({
        $ref: '#/components/schemas/RelationInputToOne',
      });
      const ops = (doc.components.schemas.RelationInputToMany as { anyOf: Schema[] }).anyOf.find(
        (s) => s.type === 'object',
      )!;
      expect(Object.keys(ops.properties!)).toEqual(['connect', 'disconnect', 'set']);
      expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it('never shows a private field, in reads, writes or parameters', () => {
      const names = propertyNames(doc.components.schemas);
      expect(names.filter((n) => n.endsWith('/properties/editorNote') || n.endsWith('/properties/email'))).toEqual([]);
      expect(JSON.stringify(doc)).not.toContain('editorNote');
      const fields = doc.paths['/api/authors'].get!.parameters!.find((p) => p.name === 'fields')!;
      expect(((fields.schema as Schema).items as Schema).enum).toEqual([
        'documentId',
        'name',
        'createdAt',
        'updatedAt',
        'publishedAt',
      ]);
    });

    it('describes what the API really answers: a populated list validates against its schema', async () => {
      const res = await t()
        .http()
        .get('/api/articles?populate=*&pagination[pageSize]=100')
        .set('Authorization', `Bearer ${fullToken}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeGreaterThan(0);
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      ajv.addSchema({ $id: 'folio-openapi', components: doc.components });
      const check = ajv.getSchema('folio-openapi#/components/schemas/ArticleListResponse')!;
      expect([check(res.body), check.errors ?? null]).toEqual([true, null]);
      // populated relations and components are part of what was checked
      expect(res.body.data.some((a: { category?: unknown }) => a.category && typeof a.category === 'object')).toBe(
        true,
      );
      const one = await t().http().get('/api/global?populate=*').set('Authorization', `Bearer ${fullToken}`);
      expect(one.status).toBe(200);
      expect(one.body.data.links.length).toBeGreaterThan(0);
      const single = ajv.getSchema('folio-openapi#/components/schemas/GlobalResponse')!;
      expect([single(one.body), single.errors ?? null]).toEqual([true, null]);
    });

    it('answers with a strong ETag, 304 on If-None-Match, varying by Authorization', async () => {
      const first = await t().http().get('/api/openapi.json').set('Authorization', `Bearer ${fullToken}`);
      expect(first.headers.etag).toMatch(/^"[^"]+"$/);
      expect(first.headers.vary).toMatch(/Authorization/);
      const again = await t()
        .http()
        .get('/api/openapi.json')
        .set('Authorization', `Bearer ${fullToken}`)
        .set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
      const publicDoc = await t().http().get('/api/openapi.json');
      expect(publicDoc.headers.etag).not.toBe(first.headers.etag);
    });
  });

  it('the Public role with nothing granted sees no operation, and a valid document', async () => {
    const doc = await getDoc();
    expect(doc.paths).toEqual({});
    expect(Object.keys(doc.components.schemas)).not.toContain('Article');
    expect((await validate(doc)).valid).toBe(true);
  });

  it('the Public role granted only article.find sees only GET /api/articles, and no other type', async () => {
    await t().folio.access.grantPublic(['article.find']);
    try {
      const doc = await getDoc();
      expect(Object.keys(doc.paths)).toEqual(['/api/articles']);
      expect(Object.keys(doc.paths['/api/articles'])).toEqual(['get']);
      const schemas = Object.keys(doc.components.schemas);
      expect(schemas).toEqual(expect.arrayContaining(['Article', 'ArticleListResponse', 'Error']));
      for (const other of ['Category', 'Tag', 'Author', 'Global', 'Page', 'ArticleInput.create'])
        expect(schemas).not.toContain(other);
      // Relations to types the caller may not read are left out (populating them would be 403).
      const props = (doc.components.schemas.Article as Schema).properties!;
      expect(props).not.toHaveProperty('category');
      expect(props).not.toHaveProperty('author');
      expect(props).toHaveProperty('related');
      expect((await validate(doc)).valid).toBe(true);
    } finally {
      await t().folio.access.revokePublic(['article.find']);
    }
  });

  it('a custom token that may only create articles gets the write operation and its body', async () => {
    const { token } = await t().folio.apiTokens.create({
      name: 'openapi-writer',
      type: 'custom',
      allow: ['article.create'],
    });
    const doc = await getDoc(token);
    expect(Object.keys(doc.paths)).toEqual(['/api/articles']);
    expect(Object.keys(doc.paths['/api/articles'])).toEqual(['post']);
    expect(doc.paths['/api/articles'].post!.requestBody!.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ArticleInput.create',
    });
    expect((await validate(doc)).valid).toBe(true);
  });

  it('a schema change shows at the next request', async () => {
    const before = await getDoc(fullToken);
    expect(before.paths).not.toHaveProperty('/api/events');
    const article = blogSchema.contentTypes.article;
    await applyTestSchema(t().folio, {
      contentTypes: {
        article: { ...article, attributes: { ...article.attributes, subtitle: { type: 'string', maxLength: 80 } } },
        event: {
          kind: 'collectionType',
          info: { singularName: 'event', pluralName: 'events', displayName: 'Event' },
          attributes: { startsAt: { type: 'datetime', required: true }, secret: { type: 'string', private: true } },
        },
      },
    });
    const after = await getDoc(fullToken);
    expect((after.components.schemas.Article as Schema).properties!.subtitle).toEqual({
      type: ['string', 'null'],
      maxLength: 80,
    });
    expect(Object.keys(after.paths)).toEqual(expect.arrayContaining(['/api/events', '/api/events/{documentId}']));
    expect((after.components.schemas.Event as Schema).properties).not.toHaveProperty('secret');
    expect((await validate(after)).valid).toBe(true);
  });

  it('/api/docs renders the document as HTML for the caller, without scripts', async () => {
    await t().folio.access.grantPublic(['article.find', 'article.findOne']);
    try {
      const res = await t().http().get('/api/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers.etag).toMatch(/^"[^"]+"$/);
      expect(res.text).toContain('<code>/api/articles</code>');
      expect(res.text).toContain('<code>/api/articles/{documentId}</code>');
      expect(res.text).not.toContain('/api/categories');
      expect(res.text).not.toMatch(/<script/i);
      const full = await t().http().get('/api/docs').set('Authorization', `Bearer ${fullToken}`);
      expect(full.text).toContain('<code>/api/categories</code>');
      expect(full.text).toContain('DELETE');
    } finally {
      await t().folio.access.revokePublic(['article.find', 'article.findOne']);
    }
  });
});
