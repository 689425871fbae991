// The document engine on both databases, with the blog fixture's tables materialised.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { DocumentService, type DocumentEvent } from '../../server/content/documents.js';
import { ValidationError } from '../../server/errors.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

/** What a read of `status` resolves a to-many/to-one link list to: the targets having that version. */
async function resolved(
  db: Knex,
  linkTable: string,
  targetTable: string,
  entityId: number,
  status: string,
): Promise<string[]> {
  const rows = await db(`${linkTable} as l`)
    .join(`${targetTable} as t`, 't.document_id', 'l.target_document_id')
    .where('l.entity_id', entityId)
    .andWhere('t.status', status)
    .orderBy('l.position')
    .select('t.document_id as d');
  return rows.map((r: { d: string }) => r.d);
}

async function rowsOf(db: Knex, table: string, documentId: string): Promise<Array<Record<string, unknown>>> {
  return db(table).where('document_id', documentId).orderBy('id');
}

async function validationErrorOf(promise: Promise<unknown>): Promise<ValidationError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describeEachDatabase('DocumentService', (t) => {
  let docs: DocumentService;
  const events: DocumentEvent[] = [];

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    docs = t().folio.documents;
    docs.afterCommit.push((event) => {
      events.push(event);
    });
  });

  it(
    'creates a type without draft & publish as one published ' + 'row, publishedAt = createdAt, with a generated uid',
    async () => {
      const entry = await docs.create('category', { data: { name: 'Tech News' }, userId: 7 });
      expect(entry.documentId).toMatch(/^[a-z0-9]{24}$/);
      expect(entry).toMatchObject({
        status: 'published',
        locale: '',
        createdBy: 7,
        updatedBy: 7,
        values: { name: 'Tech News', slug: 'tech-news' },
      });
      expect(entry.publishedAt).toBe(entry.createdAt);
      expect(await rowsOf(t().db, 'categories', entry.documentId)).toHaveLength(1);
      expect(events.at(-1)).toEqual({ action: 'create', uid: 'category', documentId: entry.documentId, locale: '' });
    },
  );

  it('makes generated uids unique with -1, -2 …', async () => {
    await docs.create('tag', { data: { name: 'Same' } });
    const b = await docs.create('tag', { data: { name: 'Same!' } });
    const c = await docs.create('tag', { data: { name: 'same?' } });
    expect([b.values.slug, c.values.slug]).toEqual(['same-1', 'same-2']);
  });

  it('refuses a unique value taken by another document, naming the field', async () => {
    const err = await validationErrorOf(docs.create('category', { data: { name: 'Tech News' } }));
    expect(err.details.errors).toEqual([
      { path: ['name'], message: 'This attribute must be unique', name: 'ValidationError' },
    ]);
  });

  it('round-trips every scalar type through create and publish', async () => {
    const data = {
      title: 'All types',
      summary: 'S',
      body: '# md',
      content: [{ type: 'paragraph', children: [{ type: 'text', text: 'hi' }] }],
      views: 12,
      bigViews: '9007199254740993',
      rating: 4.5,
      score: 0.25,
      featured: true,
      publishedDate: '2026-03-01',
      readingTime: '00:07:30',
      scheduledAt: '2026-05-01T10:30:00.000Z',
      kind: 'guide',
      metadata: { a: [1, { b: null }] },
    };
    const entry = await docs.create('article', { data });
    const { readingTime, ...rest } = data;
    expect(entry.values).toMatchObject(rest);
    expect(String(entry.values.readingTime)).toMatch(/^00:07:30/);
    const draft = await docs.findOne('article', entry.documentId, { status: 'draft' });
    expect(draft?.values).toEqual(entry.values);
  });

  it('keeps a draft only when asked, and publishing adds a published row with the same values', async () => {
    const draft = await docs.create('article', { data: { title: 'Draft one', views: 3 }, status: 'draft' });
    expect(draft).toMatchObject({
      status: 'draft',
      publishedAt: null,
      values: { title: 'Draft one', slug: 'draft-one', views: 3, featured: false },
    });
    expect(await docs.findOne('article', draft.documentId)).toBeNull();
    const published = await docs.publish('article', draft.documentId);
    expect(published).toMatchObject({
      status: 'published',
      values: { title: 'Draft one', slug: 'draft-one', views: 3 },
    });
    expect(published.publishedAt).not.toBeNull();
    const rows = await rowsOf(t().db, 'articles', draft.documentId);
    expect(rows.map((r) => r.status)).toEqual(['draft', 'published']);
  });

  it('publishes at once on create by default, and keeps the published row id stable on republish', async () => {
    const first = await docs.create('article', { data: { title: 'Live' } });
    expect(first.status).toBe('published');
    const again = await docs.update('article', first.documentId, { data: { title: 'Live again' } });
    expect(again.id).toBe(first.id);
    expect(again.values.title).toBe('Live again');
  });

  it('editing a published document changes its draft only', async () => {
    const live = await docs.create('article', { data: { title: 'Stable', summary: 'before' } });
    const before = await t().db('articles').where({ id: live.id }).first();
    const draft = await docs.update('article', live.documentId, { data: { summary: 'after' }, status: 'draft' });
    expect(draft).toMatchObject({ status: 'draft', values: { summary: 'after' } });
    expect(await t().db('articles').where({ id: live.id }).first()).toEqual(before);
    expect((await docs.findOne('article', live.documentId))?.values.summary).toBe('before');
  });

  it(
    "holds uniqueness per (locale, status): a document's " + "own versions never collide, another document's do",
    async () => {
      const a = await docs.create('article', { data: { title: 'Uniq', slug: 'uniq' } });
      expect(await rowsOf(t().db, 'articles', a.documentId)).toHaveLength(2); // draft + published share 'uniq'
      const err = await validationErrorOf(
        docs.create('article', { data: { title: 'Other', slug: 'uniq' }, status: 'draft' }),
      );
      expect(err.details.errors).toEqual([expect.objectContaining({ path: ['slug'] })]);
    },
  );

  it(
    'lets exactly one of several concurrent writes of the ' + 'same unique value win; the others get a 400 naming it',
    async () => {
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map((n) => docs.create('article', { data: { title: `Race ${n}`, slug: 'race' } })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
        expect(r.reason).toBeInstanceOf(ValidationError);
        expect((r.reason as ValidationError).details.errors).toEqual([expect.objectContaining({ path: ['slug'] })]);
      }
      expect(await t().db('articles').where({ slug: 'race' }).count({ n: '*' }).first()).toEqual({ n: 2 });
    },
  );

  it('gives concurrent creates of the same title distinct generated uids', async () => {
    const entries = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => docs.create('article', { data: { title: 'Same title' } })),
    );
    expect(entries.map((e) => e.values.slug).sort()).toEqual([
      'same-title',
      'same-title-1',
      'same-title-2',
      'same-title-3',
      'same-title-4',
      'same-title-5',
    ]);
  });

  it('rolls back a write that fails half-way (draft inserted, publish refused)', async () => {
    const a = await docs.create('article', { data: { title: 'Owner', slug: 'taken-live' } });
    await docs.update('article', a.documentId, { data: { slug: 'moved-in-draft' }, status: 'draft' });
    const count = async () => Number((await t().db('articles').count({ n: '*' }).first())?.n);
    const before = await count();
    // The draft slug is free, the published one is not: the draft row is written, then publishing fails.
    const err = await validationErrorOf(docs.create('article', { data: { title: 'Intruder', slug: 'taken-live' } }));
    expect(err.details.errors).toEqual([expect.objectContaining({ path: ['slug'] })]);
    expect(await count()).toBe(before);
    expect(await t().db('articles').where({ title: 'Intruder' }).first()).toBeUndefined();
  });

  it('runs afterCommit hooks for committed writes only', async () => {
    const before = events.length;
    await validationErrorOf(
      docs.create('article', { data: { title: 'No event', tags: ['missingtag00000000000000'] } }),
    );
    expect(events.length).toBe(before);
    const a = await docs.create('article', { data: { title: 'Evented' } });
    expect(events.slice(before)).toEqual([
      { action: 'create', uid: 'article', documentId: a.documentId, locale: '' },
      { action: 'publish', uid: 'article', documentId: a.documentId, locale: '' },
    ]);
  });

  it('refuses unknown related documentIds and changes nothing', async () => {
    const cat = await docs.create('category', { data: { name: 'Known' } });
    const linksBefore = await t().db('articles_category_lnk').count({ n: '*' }).first();
    const err = await validationErrorOf(
      docs.create('article', { data: { title: 'Ref', category: cat.documentId, tags: ['nosuchtag000000000000000'] } }),
    );
    expect(err.details.errors).toEqual([
      { path: ['tags'], message: 'No tag with documentId "nosuchtag000000000000000"', name: 'ValidationError' },
    ]);
    expect(await t().db('articles_category_lnk').count({ n: '*' }).first()).toEqual(linksBefore);
    expect(await t().db('articles').where({ title: 'Ref' }).first()).toBeUndefined();
  });

  it('resolves a relation to a draft target once both are published (ANCHORS 7)', async () => {
    const target = await docs.create('article', { data: { title: 'Target' }, status: 'draft' });
    const source = await docs.create('article', {
      data: { title: 'Source', related: [target.documentId] },
      status: 'draft',
    });
    const published = await docs.publish('article', source.documentId);
    expect(await resolved(t().db, 'articles_related_lnk', 'articles', published.id, 'published')).toEqual([]);
    await docs.publish('article', target.documentId);
    expect(await resolved(t().db, 'articles_related_lnk', 'articles', published.id, 'published')).toEqual([
      target.documentId,
    ]);
    // The draft still resolves it too.
    expect(await resolved(t().db, 'articles_related_lnk', 'articles', source.id, 'draft')).toEqual([target.documentId]);
  });

  it('connects, disconnects and positions to-many links', async () => {
    const [x, y, z] = await Promise.all(
      ['X', 'Y', 'Z'].map((name) => docs.create('tag', { data: { name: `pos ${name}` } })),
    );
    const a = await docs.create('article', {
      data: { title: 'Tagged', tags: [x.documentId, y.documentId] },
      status: 'draft',
    });
    await docs.update('article', a.documentId, {
      data: {
        tags: {
          connect: [{ documentId: z.documentId, position: { before: y.documentId } }],
          disconnect: [x.documentId],
        },
      },
      status: 'draft',
    });
    expect(await resolved(t().db, 'articles_tags_lnk', 'tags', a.id, 'published')).toEqual([
      z.documentId,
      y.documentId,
    ]);
    await docs.update('article', a.documentId, {
      data: { tags: { connect: [{ documentId: x.documentId, position: { start: true } }] } },
      status: 'draft',
    });
    expect(await resolved(t().db, 'articles_tags_lnk', 'tags', a.id, 'published')).toEqual([
      x.documentId,
      z.documentId,
      y.documentId,
    ]);
  });

  it(
    'creates an entry with its links without reading or deleting ' +
      'links of the new rows, and records its events in one insert',
    async () => {
      const tag = await docs.create('tag', { data: { name: 'fresh links' } });
      const statements: Array<{ sql: string; bindings: unknown[] }> = [];
      const listener = (q: { sql: string; bindings: unknown[] }) => statements.push(q);
      t().db.on('query', listener);
      let created;
      try {
        created = await docs.create('article', { data: { title: 'Fresh links', tags: [tag.documentId] } });
      } finally {
        t().db.off('query', listener);
      }
      const linkStatements = statements.map((q) => q.sql).filter((sql) => sql.includes('articles_tags_lnk'));
      // The draft's links are inserted, then read once to be copied to the published version.
      expect(linkStatements.filter((sql) => /^delete/i.test(sql))).toEqual([]);
      expect(linkStatements.filter((sql) => /^insert/i.test(sql))).toHaveLength(2);
      expect(linkStatements.filter((sql) => /^select/i.test(sql))).toHaveLength(1);
      expect(await resolved(t().db, 'articles_tags_lnk', 'tags', created.id, 'published')).toEqual([tag.documentId]);
      const outboxInserts = statements.filter((q) => /^insert into [`"]folio_outbox/i.test(q.sql));
      expect(outboxInserts).toHaveLength(1);
      expect(
        outboxInserts[0].bindings.filter((value) => typeof value === 'string' && value.startsWith('entry.')),
      ).toEqual(['entry.create', 'entry.publish']);
    },
  );

  it('unpublish removes the published version and its links; discardDraft restores the draft from it', async () => {
    const cat = await docs.create('category', { data: { name: 'Discard cat' } });
    const a = await docs.create('article', { data: { title: 'Keep me', category: cat.documentId } });
    await docs.update('article', a.documentId, { data: { title: 'Changed', category: null }, status: 'draft' });
    const draft = await docs.discardDraft('article', a.documentId);
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, values: { title: 'Keep me' } });
    expect(await resolved(t().db, 'articles_category_lnk', 'categories', draft.id, 'published')).toEqual([
      cat.documentId,
    ]);

    await docs.unpublish('article', a.documentId);
    expect((await rowsOf(t().db, 'articles', a.documentId)).map((r) => r.status)).toEqual(['draft']);
    expect(await t().db('articles_category_lnk').where({ entity_id: a.id }).first()).toBeUndefined();
    expect(await docs.findOne('article', a.documentId, { status: 'draft' })).toMatchObject({
      values: { title: 'Keep me' },
    });
  });

  it('writes through the inverse side onto the owner rows (draft and published of a D&P owner)', async () => {
    const a = await docs.create('article', { data: { title: 'Inverse' } });
    const cat = await docs.create('category', { data: { name: 'Inverse cat', articles: [a.documentId] } });
    const owners = await rowsOf(t().db, 'articles', a.documentId);
    for (const row of owners) {
      expect(await t().db('articles_category_lnk').where({ entity_id: row.id }).pluck('target_document_id')).toEqual([
        cat.documentId,
      ]);
    }
    await docs.update('category', cat.documentId, { data: { articles: { disconnect: [a.documentId] } } });
    expect(
      await t()
        .db('articles_category_lnk')
        .whereIn(
          'entity_id',
          owners.map((r) => r.id as number),
        )
        .first(),
    ).toBeUndefined();
  });

  it('round-trips components and dynamic zones through publish as separate copies', async () => {
    const a = await docs.create('article', {
      data: {
        title: 'With parts',
        seo: { metaTitle: 'SEO title' },
        blocks: [
          { __component: 'shared.quote', text: 'Q1', author: 'Ann' },
          { __component: 'shared.rich-text', body: '**b**' },
        ],
      },
    });
    const parts = async (rowId: number) => {
      const links = await t().db('articles_cmps').where({ entity_id: rowId }).orderBy(['field', 'position']);
      const out: unknown[] = [];
      for (const l of links) {
        const row = await t()
          .db(
            l.component_type === 'shared.seo'
              ? 'components_shared_seo'
              : l.component_type === 'shared.quote'
                ? 'components_shared_quote'
                : 'components_shared_rich_text',
          )
          .where({ id: l.component_id })
          .first();
        out.push({ field: l.field, type: l.component_type, id: row.id, values: { ...row, id: undefined } });
      }
      return out as Array<{ field: string; type: string; id: number; values: Record<string, unknown> }>;
    };
    const [draftRow] = (await rowsOf(t().db, 'articles', a.documentId)).filter((r) => r.status === 'draft');
    const draftParts = await parts(Number(draftRow.id));
    const liveParts = await parts(a.id);
    expect(liveParts.map((p) => [p.field, p.type, p.values])).toEqual(
      draftParts.map((p) => [p.field, p.type, p.values]),
    );
    expect(liveParts.map((p) => p.type)).toEqual(['shared.quote', 'shared.rich-text', 'shared.seo']);
    expect(liveParts.map((p) => p.id).filter((id) => draftParts.some((d) => d.id === id))).toEqual([]);

    await docs.update('article', a.documentId, { data: { seo: { metaTitle: 'Draft SEO' } }, status: 'draft' });
    expect((await parts(a.id)).find((p) => p.type === 'shared.seo')?.values.meta_title).toBe('SEO title');
    expect((await parts(Number(draftRow.id))).find((p) => p.type === 'shared.seo')?.values.meta_title).toBe(
      'Draft SEO',
    );
  });

  it('copies links held by nested component instances on publish (global.links[].page)', async () => {
    const page = await docs.create('page', { data: { title: 'About' } });
    const g = await docs.create('global', {
      data: { siteName: 'Site', links: [{ label: 'About', url: '/about', page: page.documentId }] },
    });
    const link = await t().db('globals_cmps').where({ entity_id: g.id, field: 'links' }).first();
    expect(
      await t()
        .db('components_shared_link_page_lnk')
        .where({ entity_id: link.component_id })
        .pluck('target_document_id'),
    ).toEqual([page.documentId]);
  });

  it('deletes a document with its versions, component rows and the links pointing at it', async () => {
    const tag = await docs.create('tag', { data: { name: 'Doomed' } });
    const a = await docs.create('article', {
      data: { title: 'Doomed article', tags: [tag.documentId], seo: { metaTitle: 'x' } },
    });
    const seoIds = await t()
      .db('articles_cmps')
      .whereIn(
        'entity_id',
        (await rowsOf(t().db, 'articles', a.documentId)).map((r) => r.id as number),
      )
      .pluck('component_id');
    expect(await docs.delete('tag', tag.documentId)).toBe(1);
    expect(await t().db('articles_tags_lnk').where({ target_document_id: tag.documentId }).first()).toBeUndefined();
    expect(await docs.delete('article', a.documentId)).toBe(2);
    expect(await rowsOf(t().db, 'articles', a.documentId)).toEqual([]);
    expect(await t().db('components_shared_seo').whereIn('id', seoIds).first()).toBeUndefined();
    await expect(docs.delete('article', a.documentId)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps one version per locale on localized types, the default locale in one constant', async () => {
    const en = await docs.create('page', { data: { title: 'Hello' } });
    expect(en.locale).toBe('en');
    const fr = await docs.update('page', en.documentId, { data: { title: 'Bonjour' }, locale: 'fr' });
    expect(fr).toMatchObject({
      documentId: en.documentId,
      locale: 'fr',
      values: { title: 'Bonjour', slug: 'bonjour' },
    });
    expect(await docs.delete('page', en.documentId, { locale: 'fr' })).toBe(2);
    expect((await rowsOf(t().db, 'pages', en.documentId)).map((r) => r.locale)).toEqual(['en', 'en']);
  });

  it('hashes password attributes and requires required relations', async () => {
    await applyTestSchema(t().folio, {
      contentTypes: {
        member: {
          kind: 'collectionType',
          info: { singularName: 'member', pluralName: 'members', displayName: 'Member' },
          attributes: {
            name: { type: 'string' },
            secret: { type: 'password' },
            team: { type: 'relation', relation: 'manyToOne', target: 'category', required: true },
          },
        },
      },
      components: {},
    });
    const err = await validationErrorOf(docs.create('member', { data: { name: 'Ann', secret: 'hunter2' } }));
    expect(err.details.errors).toEqual([{ path: ['team'], message: 'is required', name: 'ValidationError' }]);
    const team = await docs.create('category', { data: { name: 'Members team' } });
    const m = await docs.create('member', { data: { name: 'Ann', secret: 'hunter2', team: team.documentId } });
    expect(String(m.values.secret)).toMatch(/^\$argon2/);
    expect(await t().db('members').where({ document_id: m.documentId }).pluck('secret')).not.toContain('hunter2');
  });

  it('refuses to publish a draft that misses a required attribute', async () => {
    const a = await docs.create('article', { data: { title: 'Needs SEO', seo: { metaTitle: 'ok' } }, status: 'draft' });
    await t().db('articles').where({ id: a.id }).update({ title: null }); // e.g. a draft saved by an older schema
    const err = await validationErrorOf(docs.publish('article', a.documentId));
    expect(err.details.errors).toEqual([{ path: ['title'], message: 'is required', name: 'ValidationError' }]);
  });
});
