// Schema evolution on a populated database: renames keep data, data-losing steps are refused
// without force (changing nothing), lossless type changes keep values, and an apply that fails
// part-way leaves a schema that the next apply repairs.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { describeEachDatabase } from '../helpers/folio.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import type { ContentTypeDefinition, SchemaDocument } from '../../server/schema/types.js';
import type { Folio } from '../../server/folio.js';
import { SchemaRegistry } from '../../server/schema/registry.js';
import { silentLogger } from '../../server/logger.js';
import { introspect } from '../../server/schema/introspect.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function articleWith(change: (attributes: ContentTypeDefinition['attributes']) => void): ContentTypeDefinition {
  const article = clone(blogSchema.contentTypes.article);
  change(article.attributes);
  return article;
}

const now = new Date();
async function insertArticle(db: Knex, documentId: string, values: Record<string, unknown>): Promise<number> {
  await db('articles').insert({
    document_id: documentId,
    status: 'published',
    created_at: now,
    updated_at: now,
    ...values,
  });
  const row = (await db('articles').where({ document_id: documentId, status: 'published' }).first()) as { id: number };
  return row.id;
}

async function columns(db: Knex, table: string): Promise<string[]> {
  return Object.keys(await db(table).columnInfo()).sort();
}

/** A failed apply rejects with a Folio error; matched by name and message (errors cross realms). */
async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    return err as { name: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('expected the apply to fail');
}

describeEachDatabase('schema evolution', (t) => {
  let folio: Folio;
  let db: Knex;
  let articleId: number;

  beforeAll(async () => {
    folio = t().folio;
    db = t().db;
    await folio.schema.apply(blogSchema);
    articleId = await insertArticle(db, 'art1', {
      title: 'Hello',
      summary: 'A summary',
      views: 7,
      editor_note: 'note',
      slug: 'hello',
    });
    await db('articles_tags_lnk').insert({ entity_id: articleId, target_document_id: 'tag1', position: 1 });
  });

  it('renames a field with --rename and keeps its values and indexes', async () => {
    const article = articleWith((a) => {
      a.headline = a.title;
      delete a.title;
      a.slug = { type: 'uid', targetField: 'headline', unique: true };
    });
    const result = await folio.schema.apply(
      { contentTypes: { article } },
      { renames: [{ type: 'article', from: 'title', to: 'headline' }] },
    );
    expect(result.applied.map((s) => s.step.action)).toEqual(['renameColumn']);
    expect(await db('articles').where({ id: articleId }).first()).toMatchObject({ headline: 'Hello' });
    expect(await columns(db, 'articles')).not.toContain('title');
    const model = await folio.schema.current();
    expect(model.contentTypes.get('article')!.fields.has('headline')).toBe(true);
  });

  it('renames a relation with its link table, and the inverse side follows', async () => {
    const article = articleWith((a) => {
      a.headline = a.title;
      delete a.title;
      a.slug = { type: 'uid', targetField: 'headline', unique: true };
      a.labels = {
        ...(a.tags as object),
        type: 'relation',
        relation: 'manyToMany',
        target: 'tag',
        inversedBy: 'articles',
      };
      delete a.tags;
    });
    const tag = clone(blogSchema.contentTypes.tag);
    tag.attributes.articles = { type: 'relation', relation: 'manyToMany', target: 'article', mappedBy: 'labels' };
    await folio.schema.apply(
      { contentTypes: { article, tag } },
      { renames: [{ type: 'article', from: 'tags', to: 'labels' }] },
    );
    expect(await db.schema.hasTable('articles_tags_lnk')).toBe(false);
    expect(await db('articles_labels_lnk').select('entity_id', 'target_document_id')).toEqual([
      { entity_id: articleId, target_document_id: 'tag1' },
    ]);
    const model = await folio.schema.current();
    expect(model.contentTypes.get('tag')!.fields.get('articles')).toMatchObject({
      linkTable: 'articles_labels_lnk',
      ownerField: 'labels',
    });
  });

  it(
    'refuses to drop a column holding data without force, ' + 'naming it and its row count, and changes nothing',
    async () => {
      const document = await folio.schema.document();
      const version = await folio.schema.version();
      const article = clone(document.contentTypes.article);
      delete article.attributes.summary;
      delete article.attributes.editorNote;
      const err = await failure(folio.schema.apply({ contentTypes: { article } }));
      expect(err.name).toBe('ApplicationError');
      expect(err.message).toContain('drop column articles.summary (1 row(s) with a value)');
      expect(err.message).toContain('--force');
      expect(await columns(db, 'articles')).toEqual(expect.arrayContaining(['summary', 'editor_note']));
      expect(await folio.schema.version()).toBe(version);
      expect(await folio.schema.document()).toEqual(document);
    },
  );

  it('drops a column that holds no data without force', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    delete article.attributes.score;
    await folio.schema.apply({ contentTypes: { article } });
    expect(await columns(db, 'articles')).not.toContain('score');
  });

  it('drops a column holding data with force', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    delete article.attributes.editorNote;
    const result = await folio.schema.apply({ contentTypes: { article } }, { force: true });
    expect(result.applied.map((s) => s.description)).toEqual([
      'drop column articles.editor_note (1 row(s) with a value)',
    ]);
    expect(await columns(db, 'articles')).not.toContain('editor_note');
    expect(await db('articles').where({ id: articleId }).first()).toMatchObject({
      headline: 'Hello',
      summary: 'A summary',
    });
  });

  it('changes a type losslessly (integer → biginteger, string → text) and keeps the values', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    article.attributes.views = { type: 'biginteger' };
    article.attributes.headline = { type: 'text' };
    const plan = await folio.schema.plan({ contentTypes: { article } });
    expect(plan.refused).toEqual([]);
    await folio.schema.apply({ contentTypes: { article } });
    const row = (await db('articles').where({ id: articleId }).first()) as Record<string, unknown>;
    expect(String(row.views)).toBe('7');
    expect(row.headline).toBe('Hello');
    // SQLite rebuilds the table for an ALTER: the links that cascade from its rows must survive.
    expect(await db('articles_labels_lnk').select('entity_id')).toEqual([{ entity_id: articleId }]);
    // The index of views now goes (index: true is gone with the new definition).
    const again = await folio.schema.plan({ contentTypes: { article } });
    expect(again.steps).toEqual([]);
  });

  it('refuses a lossy type change without force', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    article.attributes.summary = { type: 'integer' };
    const err = await failure(folio.schema.apply({ contentTypes: { article } }));
    expect(err.message).toMatch(/articles\.summary from text to integer.*1 value\(s\) lost/);
    expect(await db('articles').where({ id: articleId }).first()).toMatchObject({ summary: 'A summary' });
  });

  it('adds an indexed field and a unique constraint', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    article.attributes.code = { type: 'string', unique: true, index: true };
    await folio.schema.apply({ contentTypes: { article } });
    const plan = await folio.schema.plan({ contentTypes: { article } });
    expect(plan.steps).toEqual([]);
    await db('articles').where({ id: articleId }).update({ code: 'A' });
    await expect(insertArticle(db, 'art2', { code: 'A' })).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });
  });

  it('creates and drops an index over several attributes (options.indexes)', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    article.options = { ...article.options, indexes: [{ attributes: ['featured', 'views:desc'] }] };
    const plan = await folio.schema.plan({ contentTypes: { article } });
    expect(plan.steps.map((s) => s.description)).toEqual([
      'create index articles_status_locale_featured_views_desc_id_idx on articles (status, locale, ' +
        'featured, views DESC, id)',
    ]);
    await folio.schema.apply({ contentTypes: { article } });
    expect(
      (await introspect(db, t().dialect))
        .get('articles')
        ?.indexes.has('articles_status_locale_featured_views_desc_id_idx'),
    ).toBe(true);
    expect((await folio.schema.plan({ contentTypes: { article } })).steps).toEqual([]);

    delete article.options.indexes;
    await folio.schema.apply({ contentTypes: { article } });
    expect(
      (await introspect(db, t().dialect))
        .get('articles')
        ?.indexes.has('articles_status_locale_featured_views_desc_id_idx'),
    ).toBe(false);
  });

  it('refuses a unique constraint over duplicated values before changing anything', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    await insertArticle(db, 'dup1', { summary: 'same' });
    await insertArticle(db, 'dup2', { summary: 'same' });
    article.attributes.editorial = { type: 'string' };
    article.attributes.headline = { type: 'string', unique: true };
    await db('articles').whereIn('document_id', ['dup1', 'dup2']).update({ headline: 'Twice' });
    const err = await failure(folio.schema.apply({ contentTypes: { article } }));
    expect(err).toMatchObject({
      name: 'ValidationError',
      message:
        'the data does not allow this schema: cannot make articles.headline unique: 1 value(s) occur more ' +
        'than once (per locale and status)',
    });
    expect(await db.schema.hasColumn('articles', 'editorial')).toBe(false);
    await db('articles').whereIn('document_id', ['dup1', 'dup2']).delete();
  });

  it('renames a component field in the _cmps links', async () => {
    const globalsId = (await db('globals').insert({
      document_id: 'g1',
      status: 'published',
      created_at: now,
      updated_at: now,
    }),
    (await db('globals').first()) as { id: number }).id;
    await db('components_shared_link').insert({ label: 'Home', url: '/' });
    const link = (await db('components_shared_link').first()) as { id: number };
    await db('globals_cmps').insert({
      entity_id: globalsId,
      field: 'links',
      component_type: 'shared.link',
      component_id: link.id,
      position: 1,
    });
    const global = clone(blogSchema.contentTypes.global);
    global.attributes.navLinks = global.attributes.links;
    delete global.attributes.links;
    await folio.schema.apply(
      { contentTypes: { global } },
      { renames: [{ type: 'global', from: 'links', to: 'navLinks' }] },
    );
    expect(await db('globals_cmps').select('field', 'component_id')).toEqual([
      { field: 'navLinks', component_id: link.id },
    ]);
  });

  it('renames a component attribute (--rename category.name.old=new)', async () => {
    await db('components_shared_seo').insert({ meta_title: 'SEO title' });
    const seo = clone(blogSchema.components['shared.seo']);
    seo.attributes.title = seo.attributes.metaTitle;
    delete seo.attributes.metaTitle;
    await folio.schema.apply(
      { components: { 'shared.seo': seo } },
      { renames: [{ type: 'shared.seo', from: 'metaTitle', to: 'title' }] },
    );
    expect(await db('components_shared_seo').select('title')).toEqual([{ title: 'SEO title' }]);
  });

  it('refuses to remove a component field holding components without force', async () => {
    const document = await folio.schema.document();
    const global = clone(document.contentTypes.global);
    delete global.attributes.navLinks;
    const err = await failure(folio.schema.apply({ contentTypes: { global } }));
    expect(err.message).toContain('delete the 1 component(s) of global.navLinks');
    await folio.schema.apply({ contentTypes: { global } }, { force: true });
    expect(await db('globals_cmps').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await db('components_shared_link').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('adds a content type with a relation, then removes it (null) once empty', async () => {
    const comment: ContentTypeDefinition = {
      kind: 'collectionType',
      info: { singularName: 'comment', pluralName: 'comments', displayName: 'Comment' },
      attributes: { body: { type: 'text' }, article: { type: 'relation', relation: 'manyToOne', target: 'article' } },
    };
    await folio.schema.apply({ contentTypes: { comment } });
    expect(await db.schema.hasTable('comments')).toBe(true);
    expect(await db.schema.hasTable('comments_article_lnk')).toBe(true);
    await db('comments').insert({ document_id: 'c1', status: 'draft', created_at: now, updated_at: now, body: 'hi' });
    const err = await failure(folio.schema.apply({ contentTypes: { comment: null } }));
    expect(err.message).toContain('drop table comments (1 row(s))');
    expect(await db.schema.hasTable('comments')).toBe(true);
    await folio.schema.apply({ contentTypes: { comment: null } }, { force: true });
    expect(await db.schema.hasTable('comments')).toBe(false);
    expect(await db.schema.hasTable('comments_article_lnk')).toBe(false);
    expect((await folio.schema.current()).contentTypes.has('comment')).toBe(false);
  });

  it('refuses to change a relation target while links exist', async () => {
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    await db('articles_author_lnk').insert({ entity_id: articleId, target_document_id: 'au1', position: 1 });
    article.attributes.author = { type: 'relation', relation: 'manyToOne', target: 'profile' };
    const err = await failure(folio.schema.apply({ contentTypes: { article } }));
    expect(err.message).toContain('remove the 1 link(s) of article.author');
    expect(await db('articles_author_lnk').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('applies an exported document as a no-op', async () => {
    const exported = JSON.parse(JSON.stringify(await folio.schema.document())) as SchemaDocument;
    const result = await folio.schema.apply(exported);
    expect(result).toMatchObject({ noop: true, applied: [] });
  });
});

describeEachDatabase('an apply that fails part-way', (t) => {
  const note: ContentTypeDefinition = {
    kind: 'collectionType',
    info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
    attributes: { text: { type: 'string' }, article: { type: 'relation', relation: 'manyToOne', target: 'article' } },
  };
  const article = articleWith((a) => {
    a.subtitle = { type: 'string' };
  });

  it('keeps the steps before the failure, records them, and stores only what was applied', async () => {
    const { folio, db } = t();
    await folio.schema.apply(blogSchema);
    // Another program's table holds the name the new type needs: its create step fails.
    await db.schema.createTable('notes', (tb) => {
      tb.increments('id');
      tb.string('foreign_data');
    });
    const err = await failure(folio.schema.apply({ contentTypes: { article, note } }));
    expect(err.name).toBe('ApplicationError');
    expect(err.message).toMatch(
      /stopped at step 2\/\d+ \(create table notes .*already exists and was not created by Folio/,
    );
    // Step 1 (a new column of articles) stays applied, and the stored document says so.
    expect(await db.schema.hasColumn('articles', 'subtitle')).toBe(true);
    const stored = await folio.schema.document();
    expect(stored.contentTypes.article.attributes.subtitle).toEqual({ type: 'string' });
    expect(stored.contentTypes.note).toBeUndefined();
    expect(await db('folio_schema_steps').orderBy('id').select('action', 'status')).toEqual([
      ...Array.from({ length: 19 }, () => ({ action: 'createTable', status: 'applied' })),
      { action: 'addColumn', status: 'applied' },
      { action: 'createTable', status: 'conflict' },
    ]);
    // The model in force still works: it is the blog plus the column that exists.
    expect((await folio.schema.current()).contentTypes.get('article')!.fields.has('subtitle')).toBe(true);
  });

  it('is repaired by the next apply once the cause is gone', async () => {
    const { folio, db } = t();
    await db.schema.dropTable('notes');
    const result = await folio.schema.apply({ contentTypes: { article, note } });
    expect(result.applied.map((s) => s.description)).toEqual([
      expect.stringMatching(/^create table notes /),
      expect.stringMatching(/^create table notes_article_lnk /),
    ]);
    expect(await db.schema.hasColumn('notes', 'text')).toBe(true);
    expect((await folio.schema.document()).contentTypes.note).toEqual(note);
    expect((await folio.schema.apply(await folio.schema.document())).noop).toBe(true);
  });
});

describeEachDatabase('the schema in force across processes', (t) => {
  it('is picked up by another registry at its next current() call', async () => {
    const { folio, db, dialect } = t();
    // as another instance would hold it
    const other = new SchemaRegistry(db, dialect, silentLogger(), () => folio.documents);
    expect((await other.current()).contentTypes.size).toBe(0);
    await folio.schema.apply(blogSchema);
    expect((await other.current()).contentTypes.has('article')).toBe(true);
  });

  it('serialises concurrent applies: the second finds nothing left to do', async () => {
    const { folio, db, dialect } = t();
    const other = new SchemaRegistry(db, dialect, silentLogger(), () => folio.documents);
    const extra = { contentTypes: { article: articleWith((a) => void (a.subtitle = { type: 'string' })) } };
    const results = await Promise.all([folio.schema.apply(extra), other.apply(extra)]);
    expect(results.map((r) => r.noop).sort()).toEqual([false, true]);
    expect(await db('folio_schema_steps').where({ action: 'addColumn' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});

describeEachDatabase('a realistic sequence of changes to a populated blog', (t) => {
  let articleId: number;

  beforeAll(async () => {
    const { folio, db } = t();
    await folio.schema.apply(blogSchema);
    articleId = await insertArticle(db, 'a1', { title: 'Kept', slug: 'kept', views: 3 });
    await db('articles_tags_lnk').insert([
      { entity_id: articleId, target_document_id: 't2', position: 2 },
      { entity_id: articleId, target_document_id: 't1', position: 1 },
    ]);
    await db('articles_cmps').insert({
      entity_id: articleId,
      field: 'seo',
      component_type: 'shared.seo',
      component_id: 1,
      position: 1,
    });
  });

  it('changes only the stored definition when no column is affected (required, private, displayName)', async () => {
    const { folio } = t();
    const version = await folio.schema.version();
    const article = articleWith((a) => {
      a.summary = { type: 'text', required: true, private: true };
    });
    article.info.displayName = 'Blog post';
    const result = await folio.schema.apply({ contentTypes: { article } });
    expect(result).toMatchObject({ noop: false, applied: [] });
    expect(await folio.schema.version()).toBe(version + 1);
    expect((await folio.schema.current()).contentTypes.get('article')!.displayName).toBe('Blog post');
  });

  it('renames the table, its link tables and indexes when the pluralName changes, keeping rows and links', async () => {
    const { folio, db } = t();
    const article = clone((await folio.schema.document()).contentTypes.article);
    article.info.pluralName = 'posts';
    const result = await folio.schema.apply({ contentTypes: { article } });
    expect(
      result.applied
        .filter((s) => s.step.action === 'renameTable')
        .map((s) => s.description)
        .sort(),
    ).toEqual([
      'rename table articles to posts',
      'rename table articles_author_lnk to posts_author_lnk',
      'rename table articles_category_lnk to posts_category_lnk',
      'rename table articles_cmps to posts_cmps',
      'rename table articles_related_lnk to posts_related_lnk',
      'rename table articles_tags_lnk to posts_tags_lnk',
    ]);
    expect(await db('posts').where({ id: articleId }).first()).toMatchObject({ title: 'Kept', views: 3 });
    expect(await db('posts_tags_lnk').count({ n: '*' })).toEqual([{ n: 2 }]);
    expect(await db('posts_cmps').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect((await folio.schema.plan({ contentTypes: { article } })).steps).toEqual([]);
    // The old names are free again: a new type may take the table articles (and its link tables).
    const legacy: ContentTypeDefinition = {
      kind: 'collectionType',
      info: { singularName: 'legacy', pluralName: 'legacies', displayName: 'Legacy' },
      collectionName: 'articles',
      attributes: { tags: { type: 'relation', relation: 'manyToMany', target: 'tag' } },
    };
    await folio.schema.apply({ contentTypes: { legacy } });
    await folio.schema.apply({ contentTypes: { legacy: null } });
    expect(await db.schema.hasTable('articles_tags_lnk')).toBe(false);
    const model = await folio.schema.current();
    expect(model.byRoute.get('posts')?.uid).toBe('article');
    expect(model.contentTypes.get('tag')!.fields.get('articles')).toMatchObject({ linkTable: 'posts_tags_lnk' });
  });

  it('narrows a to-many relation to to-one only with force, keeping the first link', async () => {
    const { folio, db } = t();
    const document = await folio.schema.document();
    const article = clone(document.contentTypes.article);
    const tag = clone(document.contentTypes.tag);
    article.attributes.tags = { type: 'relation', relation: 'manyToOne', target: 'tag', inversedBy: 'articles' };
    tag.attributes.articles = { type: 'relation', relation: 'oneToMany', target: 'article', mappedBy: 'tags' };
    const err = await failure(folio.schema.apply({ contentTypes: { article, tag } }));
    expect(err.message).toContain('keep only the first link of article.tags per entry (1 entry holds more than one)');
    await folio.schema.apply({ contentTypes: { article, tag } }, { force: true });
    expect(await db('posts_tags_lnk').select('target_document_id')).toEqual([{ target_document_id: 't1' }]);
  });

  it('keeps every row it was not told to drop', async () => {
    const { db } = t();
    expect(await db('posts').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await db('posts').where({ id: articleId }).first()).toMatchObject({
      document_id: 'a1',
      title: 'Kept',
      slug: 'kept',
      views: 3,
    });
  });
});

describeEachDatabase('media links in folio_file_links', (t) => {
  beforeAll(async () => {
    const { folio, db } = t();
    // Two files of the media library for the links below to point at (file_id 1 and 2).
    await db('folio_files').insert(
      [1, 2].map((id) => ({
        id,
        document_id: `file${id}`,
        name: `f${id}.png`,
        hash: `f${id}_hash`,
        ext: '.png',
        mime: 'image/png',
        size: 1,
        url: `/uploads/f${id}_hash.png`,
        provider: 'local',
      })),
    );
    await folio.schema.apply(blogSchema);
    const id = await insertArticle(db, 'm1', { title: 'With media' });
    await db('folio_file_links').insert([
      { file_id: 1, entity_table: 'articles', entity_id: id, field: 'cover', position: 1 },
      { file_id: 2, entity_table: 'articles', entity_id: id, field: 'gallery', position: 1 },
    ]);
  });

  it('follows a renamed media field', async () => {
    const { folio, db } = t();
    const article = articleWith((a) => {
      a.image = a.cover;
      delete a.cover;
    });
    await folio.schema.apply(
      { contentTypes: { article } },
      { renames: [{ type: 'article', from: 'cover', to: 'image' }] },
    );
    expect((await db('folio_file_links').orderBy('file_id').select('field')).map((r) => r.field)).toEqual([
      'image',
      'gallery',
    ]);
  });

  it('follows a renamed table', async () => {
    const { folio, db } = t();
    const article = clone((await folio.schema.document()).contentTypes.article);
    article.info.pluralName = 'stories';
    await folio.schema.apply({ contentTypes: { article } });
    expect((await db('folio_file_links').select('entity_table')).map((r) => r.entity_table)).toEqual([
      'stories',
      'stories',
    ]);
  });

  it('deletes the links of a removed media field only with force', async () => {
    const { folio, db } = t();
    const article = clone((await folio.schema.document()).contentTypes.article);
    delete article.attributes.gallery;
    const err = await failure(folio.schema.apply({ contentTypes: { article } }));
    expect(err.message).toContain('delete the 1 media link(s) of article.gallery');
    await folio.schema.apply({ contentTypes: { article } }, { force: true });
    expect((await db('folio_file_links').select('field')).map((r) => r.field)).toEqual(['image']);
  });
});
