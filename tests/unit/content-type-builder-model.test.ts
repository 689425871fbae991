// The Content-Type Builder's working copy (admin/src/content-type-builder/model.ts): every edit the
// page makes keeps the document valid for the server's own validator, relations keep both sides
// in step, renames are recorded (never guessed), and Save sends only what changed.
import { describe, expect, it } from '@jest/globals';
import {
  changeSet,
  draftOf,
  dirtyUids,
  kebab,
  pluralize,
  putComponent,
  putContentType,
  putField,
  removeDefinition,
  removeField,
  renamedFrom,
  type Owner,
} from '../../admin/src/content-type-builder/model.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { saved } from '../helpers/builder.js';

const stored: SchemaDocument = {
  contentTypes: {
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      attributes: {
        title: { type: 'string', required: true },
        category: { type: 'relation', relation: 'manyToOne', target: 'category', inversedBy: 'articles' },
        body: { type: 'richtext' },
      },
    },
    category: {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      attributes: {
        name: { type: 'string' },
        articles: { type: 'relation', relation: 'oneToMany', target: 'article', mappedBy: 'category' },
      },
    },
  },
  components: { 'shared.seo': { info: { displayName: 'SEO' }, attributes: { metaTitle: { type: 'string' } } } },
};

const article: Owner = { kind: 'contentType', uid: 'article' };
const category: Owner = { kind: 'contentType', uid: 'category' };

describe('the builder working copy', () => {
  it('derives API names from a display name', () => {
    expect(kebab('Blog Post')).toBe('blog-post');
    expect(kebab('Événement spécial!')).toBe('evenement-special');
    expect(pluralize('category')).toBe('categories');
    expect(pluralize('box')).toBe('boxes');
    expect(pluralize('article')).toBe('articles');
  });

  it('sends nothing for an untouched schema', () => {
    const draft = draftOf(stored);
    expect(changeSet(draft)).toEqual({ contentTypes: {}, components: {}, renames: [] });
    expect(dirtyUids(draft).size).toBe(0);
  });

  it('adds a relation with its other side, which the server accepts', () => {
    const draft = putContentType(draftOf(stored), 'tag', {
      kind: 'collectionType',
      info: { singularName: 'tag', pluralName: 'tags', displayName: 'Tag' },
      attributes: { label: { type: 'string' } },
    });
    const next = putField(
      draft,
      article,
      null,
      'tags',
      { type: 'relation', relation: 'manyToMany', target: 'tag' },
      { name: 'articles' },
    );
    const doc = saved(next);
    expect(doc.contentTypes.article.attributes.tags).toEqual({
      type: 'relation',
      relation: 'manyToMany',
      target: 'tag',
      inversedBy: 'articles',
    });
    expect(doc.contentTypes.tag.attributes.articles).toEqual({
      type: 'relation',
      relation: 'manyToMany',
      target: 'article',
      mappedBy: 'tags',
    });
    expect(Object.keys(changeSet(next).contentTypes).sort()).toEqual(['article', 'tag']);
  });

  it('adds a one-way relation when the other side has no name', () => {
    const next = putField(
      draftOf(stored),
      article,
      null,
      'related',
      { type: 'relation', relation: 'oneToOne', target: 'article' },
      { name: '' },
    );
    expect(saved(next).contentTypes.article.attributes.related).toEqual({
      type: 'relation',
      relation: 'oneToOne',
      target: 'article',
    });
  });

  it('renames a field as a rename, in place, and records it for Save', () => {
    const next = putField(draftOf(stored), article, 'title', 'headline', { type: 'string', required: true });
    expect(Object.keys(next.doc.contentTypes.article.attributes)).toEqual(['headline', 'category', 'body']);
    expect(renamedFrom(next, 'article', 'headline')).toBe('title');
    expect(changeSet(next).renames).toEqual([{ type: 'article', from: 'title', to: 'headline' }]);
    saved(next);
    // Renaming it back is no rename at all.
    const back = putField(next, article, 'headline', 'title', { type: 'string', required: true });
    expect(changeSet(back)).toEqual({ contentTypes: {}, components: {}, renames: [] });
  });

  it('renames the other side of a relation from either side, keeping both in step', () => {
    // From the owning side: the inverse on Category is renamed (a rename the server keeps data through).
    const fromOwner = putField(
      draftOf(stored),
      article,
      'category',
      'category',
      { type: 'relation', relation: 'manyToOne', target: 'category' },
      { name: 'posts' },
    );
    let doc = saved(fromOwner);
    expect(doc.contentTypes.article.attributes.category).toMatchObject({ inversedBy: 'posts' });
    expect(doc.contentTypes.category.attributes.posts).toEqual({
      type: 'relation',
      relation: 'oneToMany',
      target: 'article',
      mappedBy: 'category',
    });
    expect(Object.keys(doc.contentTypes.category.attributes)).toEqual(['name', 'posts']);
    expect(changeSet(fromOwner).renames).toEqual([{ type: 'category', from: 'articles', to: 'posts' }]);

    // From the mappedBy side: it stays the mappedBy side; the owner's inversedBy follows.
    const fromInverse = putField(
      draftOf(stored),
      category,
      'articles',
      'posts',
      { type: 'relation', relation: 'oneToMany', target: 'article' },
      { name: 'category' },
    );
    doc = saved(fromInverse);
    expect(doc.contentTypes.category.attributes.posts).toEqual({
      type: 'relation',
      relation: 'oneToMany',
      target: 'article',
      mappedBy: 'category',
    });
    expect(doc.contentTypes.article.attributes.category).toEqual({
      type: 'relation',
      relation: 'manyToOne',
      target: 'category',
      inversedBy: 'posts',
    });
    expect(Object.keys(doc.contentTypes.article.attributes)).toEqual(['title', 'category', 'body']);
    expect(changeSet(fromInverse).renames).toEqual([{ type: 'category', from: 'articles', to: 'posts' }]);
  });

  it('changes a relation kind on both sides', () => {
    const next = putField(
      draftOf(stored),
      article,
      'category',
      'category',
      { type: 'relation', relation: 'manyToMany', target: 'category' },
      { name: 'articles' },
    );
    const doc = saved(next);
    expect(doc.contentTypes.category.attributes.articles).toMatchObject({
      relation: 'manyToMany',
      mappedBy: 'category',
    });
  });

  it('removes both sides of a relation with either', () => {
    for (const [owner, field] of [
      [article, 'category'],
      [category, 'articles'],
    ] as const) {
      const doc = saved(removeField(draftOf(stored), owner, field));
      expect(doc.contentTypes.article.attributes.category).toBeUndefined();
      expect(doc.contentTypes.category.attributes.articles).toBeUndefined();
    }
  });

  it('deletes a type with the relations that point at it, sending null for it', () => {
    const next = removeDefinition(draftOf(stored), category);
    expect(changeSet(next).contentTypes.category).toBeNull();
    const doc = saved(next);
    expect(doc.contentTypes.category).toBeUndefined();
    expect(Object.keys(doc.contentTypes.article.attributes)).toEqual(['title', 'body']);
  });

  it('deletes a component with its uses: component fields go, dynamic zones keep their other components', () => {
    let draft = putComponent(draftOf(stored), 'blocks.quote', {
      info: { displayName: 'Quote' },
      attributes: { text: { type: 'text' } },
    });
    draft = putField(draft, article, null, 'seo', { type: 'component', component: 'shared.seo', repeatable: false });
    draft = putField(draft, article, null, 'sections', {
      type: 'dynamiczone',
      components: ['shared.seo', 'blocks.quote'],
    });
    saved(draft);
    const doc = saved(removeDefinition(draft, { kind: 'component', uid: 'shared.seo' }));
    expect(doc.components['shared.seo']).toBeUndefined();
    expect(doc.contentTypes.article.attributes.seo).toBeUndefined();
    expect(doc.contentTypes.article.attributes.sections).toEqual({ type: 'dynamiczone', components: ['blocks.quote'] });
  });

  it('forgets a renamed field that is then removed (no rename is sent for it)', () => {
    let draft = putField(draftOf(stored), article, 'body', 'content', { type: 'richtext' });
    draft = removeField(draft, article, 'content');
    expect(changeSet(draft).renames).toEqual([]);
    expect(saved(draft).contentTypes.article.attributes.body).toBeUndefined();
  });
});
