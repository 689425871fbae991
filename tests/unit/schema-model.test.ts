import { describe, expect, it } from '@jest/globals';
import { buildModel } from '../../server/schema/model.js';
import { fitIdentifier, snakeCase } from '../../server/schema/naming.js';
import { blogSchema } from '../fixtures/blog-schema.js';

describe('buildModel', () => {
  const model = buildModel(blogSchema);

  it('routes collection types by pluralName and single types by singularName', () => {
    expect(model.byRoute.get('articles')?.uid).toBe('article');
    expect(model.byRoute.get('global')?.uid).toBe('global');
  });

  it('applies Strapi defaults: draft & publish on, not localized', () => {
    const article = model.contentTypes.get('article')!;
    expect(article).toMatchObject({ draftAndPublish: true, localized: false, table: 'articles' });
    expect(model.contentTypes.get('page')).toMatchObject({ localized: true });
  });

  it('maps scalar attributes to snake_case columns', () => {
    const article = model.contentTypes.get('article')!;
    expect(article.scalars.find((f) => f.name === 'publishedDate')?.column).toBe('published_date');
    expect(article.scalars.map((f) => f.name)).not.toContain('category');
  });

  it('shares one link table between both sides of a relation', () => {
    const owning = model.contentTypes.get('article')!.fields.get('category');
    const inverse = model.contentTypes.get('category')!.fields.get('articles');
    expect(owning).toMatchObject({ kind: 'relation', owner: true, toMany: false, linkTable: 'articles_category_lnk' });
    expect(inverse).toMatchObject({
      kind: 'relation',
      owner: false,
      toMany: true,
      linkTable: 'articles_category_lnk',
      ownerType: 'article',
      ownerField: 'category',
    });
  });

  it('names component tables as Strapi does', () => {
    expect(model.components.get('shared.rich-text')?.table).toBe('components_shared_rich_text');
  });
});

describe('naming', () => {
  it('snake-cases camelCase and kebab-case names', () => {
    expect(snakeCase('publishedDate')).toBe('published_date');
    expect(snakeCase('blog-posts')).toBe('blog_posts');
  });

  it('keeps identifiers within 64 characters, distinct by hash', () => {
    const a = fitIdentifier(`${'x'.repeat(70)}_a`);
    const b = fitIdentifier(`${'x'.repeat(70)}_b`);
    expect(a).toHaveLength(64);
    expect(a).not.toBe(b);
  });
});
