// The content-type builder's Admin API: the schema in force is read as `schema export` prints it; a
// proposed change is planned without touching the database; applying it materialises tables,
// refuses to lose data unless forced (changing nothing), keeps data through renames, answers schema
// errors with their paths, and is closed to roles without the content-type-builder permission.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import type { ContentTypeDefinition } from '../../server/schema/types.js';

const BASE = '/admin-api/content-type-builder';

const category: ContentTypeDefinition = {
  kind: 'collectionType',
  info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
  options: { draftAndPublish: false },
  attributes: { name: { type: 'string', required: true } },
};

/** The article the builder creates; `change` edits its attributes for the later steps. */
function article(
  change: (attributes: ContentTypeDefinition['attributes']) => void = () => undefined,
): ContentTypeDefinition {
  const attributes: ContentTypeDefinition['attributes'] = {
    title: { type: 'string', required: true, maxLength: 120 },
    summary: { type: 'text' },
    cover: { type: 'media', multiple: false, allowedTypes: ['images'] },
    category: { type: 'relation', relation: 'manyToOne', target: 'category', inversedBy: 'articles' },
    seo: { type: 'component', component: 'shared.seo', repeatable: false },
  };
  change(attributes);
  return {
    kind: 'collectionType',
    info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
    options: { draftAndPublish: true },
    attributes,
  };
}

/** The category as the article's inverse side needs it. */
const categoryWithArticles: ContentTypeDefinition = {
  ...category,
  attributes: {
    ...category.attributes,
    articles: { type: 'relation', relation: 'oneToMany', target: 'article', mappedBy: 'category' },
  },
};

const seo = { info: { displayName: 'SEO' }, attributes: { metaTitle: { type: 'string' as const } } };

async function columns(db: Knex, table: string): Promise<string[]> {
  return Object.keys(await db(table).columnInfo()).sort();
}

const now = new Date();

describeEachDatabase('Admin API: content-type builder', (t) => {
  let admin: AdminSession;
  let editor: AdminSession;

  beforeAll(async () => {
    await t().folio.schema.apply({ contentTypes: { category } });
    admin = await signedIn(t(), ['super-admin']);
    editor = await signedIn(t(), ['editor']);
  });

  describe('reading the schema', () => {
    it('answers every content type and component in force, exactly as `schema export` prints them', async () => {
      const res = await admin.get(`${BASE}/schema`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(await t().folio.schema.document());
      expect(res.body.data.contentTypes.category.info.pluralName).toBe('categories');
      expect(res.body.data.components).toEqual({});
      expect(res.body.meta.version).toBe(await t().folio.schema.version());
    });
  });

  describe('planning', () => {
    it('plans a new type with a relation, a media field and a component, changing nothing', async () => {
      const version = await t().folio.schema.version();
      const res = await admin.post(`${BASE}/plan`, {
        contentTypes: { article: article(), category: categoryWithArticles },
        components: { 'shared.seo': seo },
      });
      expect(res.status).toBe(200);
      const descriptions: string[] = res.body.data.steps.map((s: { description: string }) => s.description);
      expect(descriptions).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^create table articles \(/),
          expect.stringMatching(/^create table components_shared_seos? \(/),
        ]),
      );
      expect(
        res.body.data.steps.find(
          (s: { action: string; table: string }) => s.action === 'createTable' && s.table === 'articles',
        ),
      ).toMatchObject({ destructive: false, rowsAtStake: 0, column: null });
      expect(res.body.data.changes).toEqual([
        { kind: 'contentType', uid: 'article', change: 'create' },
        { kind: 'contentType', uid: 'category', change: 'update' },
        { kind: 'component', uid: 'shared.seo', change: 'create' },
      ]);
      expect(res.body.data).toMatchObject({ noop: false, destructive: [], blocked: [] });

      expect(await t().db.schema.hasTable('articles')).toBe(false);
      expect(await t().folio.schema.version()).toBe(version);
    });

    it('plans nothing for the schema in force', async () => {
      const res = await admin.post(`${BASE}/plan`, { contentTypes: { category } });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ steps: [], noop: true, changes: [] });
    });
  });

  describe('applying', () => {
    it('creates the tables, serves the new type on the Content API and records who did it', async () => {
      const res = await admin.post(`${BASE}/apply`, {
        contentTypes: { article: article(), category: categoryWithArticles },
        components: { 'shared.seo': seo },
      });
      expect(res.status).toBe(200);
      expect(res.body.data.applied.length).toBeGreaterThan(0);
      expect(res.body.data.schema.contentTypes.article.attributes.title).toEqual({
        type: 'string',
        required: true,
        maxLength: 120,
      });
      expect(res.body.meta.version).toBe(await t().folio.schema.version());

      expect(await columns(t().db, 'articles')).toEqual(expect.arrayContaining(['document_id', 'title', 'summary']));
      expect(await t().db.schema.hasTable('articles_category_lnk')).toBe(true);
      expect(await t().db.schema.hasTable('articles_cmps')).toBe(true);
      // The Public role may not read it yet, but the route exists.
      expect((await t().http().get('/api/articles')).status).toBe(403);

      const audit = await admin.get('/admin-api/audit-log?filters[action]=schema.apply');
      expect(audit.status).toBe(200);
      expect(audit.body.data[0]).toMatchObject({ actor: { id: admin.userId }, subject: 'content-type-builder' });
      expect(audit.body.data[0].details.changes).toContainEqual({
        kind: 'contentType',
        uid: 'article',
        change: 'create',
      });
    });

    it(
      'refuses a change that loses data without force, naming ' +
        'the column and rows, and leaves the database as it was',
      async () => {
        await t()
          .db('articles')
          .insert([
            {
              document_id: 'a1',
              status: 'published',
              created_at: now,
              updated_at: now,
              title: 'One',
              summary: 'First summary',
            },
            {
              document_id: 'a2',
              status: 'published',
              created_at: now,
              updated_at: now,
              title: 'Two',
              summary: 'Second summary',
            },
          ]);
        const withoutSummary = { contentTypes: { article: article((a) => delete a.summary) } };
        const before = await t().folio.schema.version();

        const plan = await admin.post(`${BASE}/plan`, withoutSummary);
        expect(plan.status).toBe(200);
        expect(plan.body.data.destructive).toEqual([
          expect.objectContaining({
            action: 'dropColumn',
            table: 'articles',
            column: 'summary',
            rowsAtStake: 2,
            destructive: true,
          }),
        ]);

        const refused = await admin.post(`${BASE}/apply`, withoutSummary);
        expect(refused.status).toBe(409);
        expect(refused.body.error.name).toBe('ConflictError');
        expect(refused.body.error.message).toContain('drop column articles.summary (2 row(s) with a value)');
        expect(refused.body.error.details.refused).toEqual([
          expect.objectContaining({ table: 'articles', column: 'summary', rowsAtStake: 2 }),
        ]);
        expect(await columns(t().db, 'articles')).toContain('summary');
        expect(await t().folio.schema.version()).toBe(before);
        expect((await admin.get(`${BASE}/schema`)).body.data.contentTypes.article.attributes.summary).toEqual({
          type: 'text',
        });

        const forced = await admin.post(`${BASE}/apply`, { ...withoutSummary, force: true });
        expect(forced.status).toBe(200);
        expect(await columns(t().db, 'articles')).not.toContain('summary');
        expect(await t().db('articles').count({ n: '*' })).toEqual([{ n: 2 }]);
      },
    );

    it('renames a field, keeping its values', async () => {
      const renamed = article((a) => {
        delete a.summary;
        a.headline = a.title;
        delete a.title;
      });
      const res = await admin.post(`${BASE}/apply`, {
        contentTypes: { article: renamed },
        renames: [{ type: 'article', from: 'title', to: 'headline' }],
      });
      expect(res.status).toBe(200);
      expect(res.body.data.applied.map((s: { description: string }) => s.description)).toContain(
        'rename column articles.title to headline',
      );
      expect(res.body.data.destructive).toEqual([]);
      const rows = (await t().db('articles').select('document_id', 'headline').orderBy('document_id')) as {
        document_id: string;
        headline: string;
      }[];
      expect(rows).toEqual([
        { document_id: 'a1', headline: 'One' },
        { document_id: 'a2', headline: 'Two' },
      ]);
      expect(await columns(t().db, 'articles')).not.toContain('title');
    });

    it('with replace, removes what the whole schema sent leaves out', async () => {
      await t().folio.schema.apply({
        components: { 'shared.unused': { info: { displayName: 'Unused' }, attributes: { note: { type: 'string' } } } },
      });
      const full = (await admin.get(`${BASE}/schema`)).body.data;
      delete full.components['shared.unused'];
      const plan = await admin.post(`${BASE}/plan`, { ...full, replace: true });
      expect(plan.status).toBe(200);
      expect(plan.body.data.changes).toEqual([{ kind: 'component', uid: 'shared.unused', change: 'delete' }]);
      // Without replace, the same body leaves the component alone.
      expect((await admin.post(`${BASE}/plan`, full)).body.data.noop).toBe(true);
      const res = await admin.post(`${BASE}/apply`, { ...full, replace: true });
      expect(res.status).toBe(200);
      expect(await t().db.schema.hasTable('components_shared_unused')).toBe(false);
      expect(Object.keys(res.body.data.schema.components)).toEqual(['shared.seo']);
    });

    it('refuses to apply a plan made against a schema that has changed since', async () => {
      const change = {
        contentTypes: {
          note: {
            kind: 'collectionType',
            info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
            attributes: { text: { type: 'text' } },
          },
        },
      };
      const plan = await admin.post(`${BASE}/plan`, change);
      expect(plan.status).toBe(200);
      const version: number = plan.body.meta.version;
      await t().folio.schema.apply({
        contentTypes: {
          memo: {
            kind: 'singleType',
            info: { singularName: 'memo', pluralName: 'memos', displayName: 'Memo' },
            attributes: {},
          },
        },
      });

      const stale = await admin.post(`${BASE}/apply`, { ...change, version });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toContain('The schema changed since this plan was made');
      expect(await t().db.schema.hasTable('notes')).toBe(false);

      const fresh = await admin.post(`${BASE}/apply`, { ...change, version: stale.body.error.details.version });
      expect(fresh.status).toBe(200);
      expect(await t().db.schema.hasTable('notes')).toBe(true);
      await t().folio.schema.apply({ contentTypes: { note: null, memo: null } });
    });

    it('removes a type named null', async () => {
      await t().folio.schema.apply({
        contentTypes: {
          draft: {
            kind: 'singleType',
            info: { singularName: 'draft', pluralName: 'drafts', displayName: 'Draft' },
            attributes: { note: { type: 'string' } },
          },
        },
      });
      expect(await t().db.schema.hasTable('drafts')).toBe(true);
      const res = await admin.post(`${BASE}/apply`, { contentTypes: { draft: null } });
      expect(res.status).toBe(200);
      expect(res.body.data.changes).toEqual([{ kind: 'contentType', uid: 'draft', change: 'delete' }]);
      expect(await t().db.schema.hasTable('drafts')).toBe(false);
    });
  });

  describe('invalid input', () => {
    it('answers 400 with the path of every schema error, changing nothing', async () => {
      const version = await t().folio.schema.version();
      const bad = article((a) => {
        a.views = { type: 'integer', min: 10, max: 1 };
        a.writer = { type: 'relation', relation: 'manyToOne', target: 'person' };
      });
      for (const route of ['plan', 'apply']) {
        const res = await admin.post(`${BASE}/${route}`, { contentTypes: { article: bad }, force: true });
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('ValidationError');
        const paths = res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'));
        expect(paths).toEqual(
          expect.arrayContaining([
            'contentTypes.article.attributes.views.min',
            'contentTypes.article.attributes.writer.target',
          ]),
        );
      }
      expect(await t().folio.schema.version()).toBe(version);
    });

    it('answers 400 for a malformed body, an unknown key or a rename of a missing field', async () => {
      const shape = await admin.post(`${BASE}/plan`, {
        contentTypes: { article: { kind: 'fancyType', info: {}, attributes: {} } },
      });
      expect(shape.status).toBe(400);
      expect(shape.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(
        'contentTypes.article.kind',
      );

      const unknown = await admin.post(`${BASE}/plan`, { contentTypes: {}, dryRun: true });
      expect(unknown.status).toBe(400);
      const force = await admin.post(`${BASE}/apply`, { force: 'yes' });
      expect(force.status).toBe(400);
      expect(force.body.error.details.errors[0].path).toEqual(['force']);

      const rename = await admin.post(`${BASE}/plan`, {
        contentTypes: { article: article() },
        renames: [{ type: 'article', from: 'nothing', to: 'title' }],
      });
      expect(rename.status).toBe(400);
      expect(rename.body.error.details.errors[0].path).toEqual(['renames', 0]);
      expect(rename.body.error.message).toContain('rename of article.nothing to title: article has no field nothing');

      const notJson = await admin.agent
        .post(`${BASE}/apply`)
        .set('X-CSRF-Token', admin.csrf)
        .set('Content-Type', 'application/json')
        .send('{"contentTypes":');
      expect(notJson.status).toBe(400);
    });
  });

  describe('malformed schemas', () => {
    const type = (attributes: unknown, extra: Record<string, unknown> = {}) => ({
      kind: 'collectionType',
      info: { singularName: 'thing', pluralName: 'things', displayName: 'Thing' },
      attributes,
      ...extra,
    });
    const bodies: Array<[string, unknown]> = [
      ['a body that is a list', [1, 2]],
      ['contentTypes that is a string', { contentTypes: 'article' }],
      ['a type that is a number', { contentTypes: { thing: 42 } }],
      ['attributes that are a list', { contentTypes: { thing: type([{ type: 'string' }]) } }],
      ['an attribute that is a string', { contentTypes: { thing: type({ title: 'string' }) } }],
      ['an attribute without a type', { contentTypes: { thing: type({ title: {} }) } }],
      [
        'maxLength as text',
        { contentTypes: { thing: type({ title: { type: 'string', unique: true, maxLength: 'long' } }) } },
      ],
      ['a regex that does not compile', { contentTypes: { thing: type({ title: { type: 'string', regex: '([' } }) } }],
      [
        'enum values that are not strings',
        { contentTypes: { thing: type({ tier: { type: 'enumeration', enum: [1, null] } }) } },
      ],
      [
        'a relation without a target',
        { contentTypes: { thing: type({ owner: { type: 'relation', relation: 'manyToOne' } }) } },
      ],
      [
        'a relation to itself through a missing inverse',
        {
          contentTypes: {
            thing: type({
              parent: { type: 'relation', relation: 'manyToOne', target: 'thing', inversedBy: 'children' },
            }),
          },
        },
      ],
      [
        'a morph relation',
        { contentTypes: { thing: type({ owner: { type: 'relation', relation: 'morphToOne', target: 'category' } }) } },
      ],
      [
        'a component that does not exist',
        { contentTypes: { thing: type({ seo: { type: 'component', component: 'shared.none' } }) } },
      ],
      [
        'a dynamic zone listing nothing',
        { contentTypes: { thing: type({ blocks: { type: 'dynamiczone', components: 'x' } }) } },
      ],
      [
        'an attribute named like a system column',
        { contentTypes: { thing: type({ documentId: { type: 'string' } }) } },
      ],
      ['a table name Folio owns', { contentTypes: { thing: type({}, { collectionName: 'folio_admin_users' }) } }],
      [
        'a reserved route name',
        {
          contentTypes: {
            upload: {
              kind: 'collectionType',
              info: { singularName: 'upload', pluralName: 'uploads', displayName: 'U' },
              attributes: {},
            },
          },
        },
      ],
      ['a key that is not the singularName', { contentTypes: { other: type({}) } }],
      ['a component uid without a category', { components: { seo: { info: { displayName: 'SEO' }, attributes: {} } } }],
      [
        'components that contain each other',
        {
          components: {
            'a.one': { info: { displayName: 'One' }, attributes: { two: { type: 'component', component: 'a.two' } } },
            'a.two': { info: { displayName: 'Two' }, attributes: { one: { type: 'component', component: 'a.one' } } },
          },
        },
      ],
      ['renames that are strings', { contentTypes: {}, renames: ['article.title=headline'] }],
      ['a rename to a bad name', { contentTypes: {}, renames: [{ type: 'article', from: 'title', to: 'bad name' }] }],
    ];
    for (const [what, body] of bodies) {
      it(`answers 400, never 500, to ${what}`, async () => {
        for (const route of ['plan', 'apply']) {
          const res = await admin.agent
            .post(`${BASE}/${route}`)
            .set('X-CSRF-Token', admin.csrf)
            .send(body as object);
          expect([route, res.status, res.body.error?.name]).toEqual([route, 400, 'ValidationError']);
        }
      });
    }
  });

  describe('permissions', () => {
    it('answers 403 to an Editor, who has no content-type-builder permission, changing nothing', async () => {
      const version = await t().folio.schema.version();
      expect((await editor.get(`${BASE}/schema`)).status).toBe(403);
      expect((await editor.post(`${BASE}/plan`, { contentTypes: { category } })).status).toBe(403);
      const res = await editor.post(`${BASE}/apply`, { contentTypes: { category: null }, force: true });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('ForbiddenError');
      expect(await t().db.schema.hasTable('categories')).toBe(true);
      expect(await t().folio.schema.version()).toBe(version);
    });

    it('lets a custom role that may read the builder plan, but not apply', async () => {
      const role = await t().folio.access.createRole({ name: 'Schema reviewer' });
      await t().folio.access.setPermissions(role.id, [{ action: 'read', subject: 'content-type-builder' }]);
      const reviewer = await signedIn(t(), [role.id]);
      expect((await reviewer.get(`${BASE}/schema`)).status).toBe(200);
      const plan = await reviewer.post(`${BASE}/plan`, { contentTypes: { category: categoryWithArticles } });
      expect([plan.status, plan.body.data?.noop]).toEqual([200, true]);
      expect((await reviewer.post(`${BASE}/apply`, { contentTypes: { category: categoryWithArticles } })).status).toBe(
        403,
      );
    });

    it('answers 401 without a session', async () => {
      expect((await t().http().get(`${BASE}/schema`)).status).toBe(401);
    });
  });
});
