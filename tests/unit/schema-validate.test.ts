import { describe, expect, it } from '@jest/globals';
import { assertValidDocument, parseRename, parseSchemaFile, validateRenames } from '../../server/schema/validate.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { strapiProjectSchema } from '../fixtures/strapi-project.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The ValidationError's message for a document, or '' when it is valid. */
function errorOf(doc: unknown): string {
  try {
    assertValidDocument(parseSchemaFile(doc) as SchemaDocument);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

function blogWith(change: (doc: SchemaDocument) => void): SchemaDocument {
  const doc = clone(blogSchema);
  change(doc);
  return doc;
}

describe('schema validation', () => {
  it('accepts the blog fixture and a Strapi project', () => {
    expect(errorOf(blogSchema)).toBe('');
    expect(errorOf(strapiProjectSchema())).toBe('');
  });

  it('names the path of an unknown attribute type', () => {
    expect(errorOf(blogWith((d) => void (d.contentTypes.article.attributes.title = { type: 'strng' } as never)))).toBe(
      'invalid schema: contentTypes.article.attributes.title.type: unknown attribute type "strng"',
    );
  });

  it('refuses custom fields and morph relations explicitly', () => {
    expect(
      errorOf(
        blogWith(
          (d) =>
            void (d.contentTypes.article.attributes.color = {
              type: 'customField',
              customField: 'plugin::color-picker.color',
            } as never),
        ),
      ),
    ).toContain('contentTypes.article.attributes.color: custom fields are not supported');
    expect(
      errorOf(
        blogWith(
          (d) =>
            void (d.contentTypes.article.attributes.owner = { type: 'relation', relation: 'morphToMany' } as never),
        ),
      ),
    ).toContain('contentTypes.article.attributes.owner.relation: morph relations (morphToMany) are not supported');
  });

  it('refuses relation targets that are not content types of the schema', () => {
    expect(
      errorOf(
        blogWith(
          (d) =>
            void (d.contentTypes.article.attributes.author = {
              type: 'relation',
              relation: 'manyToOne',
              target: 'api::writer.writer',
            }),
        ),
      ),
    ).toContain('contentTypes.article.attributes.author.target: target "api::writer.writer" is not a content type');
  });

  it('accepts to-one, one-way relations to the members, the owner among them', () => {
    const toMembers = (relation: 'manyToOne' | 'oneToMany', owner?: string) =>
      blogWith((d) => {
        d.contentTypes.article.attributes.writer = {
          type: 'relation',
          relation,
          target: 'plugin::users-permissions.user',
        };
        if (owner) d.contentTypes.article.options = { ...d.contentTypes.article.options, owner };
      });
    expect(() =>
      assertValidDocument(parseSchemaFile(toMembers('manyToOne', 'writer')) as SchemaDocument),
    ).not.toThrow();
    expect(() => assertValidDocument(parseSchemaFile(toMembers('manyToOne')) as SchemaDocument)).not.toThrow();
    expect(errorOf(toMembers('oneToMany', 'writer'))).toContain(
      'contentTypes.article.attributes.writer.relation: a relation to the members must be oneToOne or manyToOne',
    );
    expect(errorOf(blogWith((d) => void (d.contentTypes.article.options = { owner: 'title' })))).toContain(
      'contentTypes.article.options.owner: owner must name a relation to folio::member of this type',
    );
  });

  it('accepts api::x.x targets', () => {
    expect(
      errorOf(
        blogWith(
          (d) =>
            void (d.contentTypes.article.attributes.author = {
              type: 'relation',
              relation: 'manyToOne',
              target: 'api::author.author',
            }),
        ),
      ),
    ).toBe('');
  });

  it('refuses inversedBy/mappedBy that do not answer each other', () => {
    expect(
      errorOf(
        blogWith(
          (d) =>
            void (d.contentTypes.category.attributes.articles = {
              type: 'relation',
              relation: 'oneToMany',
              target: 'article',
              mappedBy: 'tags',
            }),
        ),
      ),
    ).toContain(
      'contentTypes.category.attributes.articles.mappedBy: article.tags must be a relation to category ' +
        'with inversedBy: "articles"',
    );
    expect(
      errorOf(
        blogWith(
          (d) =>
            void (d.contentTypes.category.attributes.articles = {
              type: 'relation',
              relation: 'manyToMany',
              target: 'article',
              mappedBy: 'category',
            }),
        ),
      ),
    ).toContain('manyToMany is answered by manyToMany on article.category, not manyToOne');
    expect(
      errorOf(
        blogWith(
          (d) =>
            void (d.contentTypes.article.attributes.category = {
              type: 'relation',
              relation: 'manyToOne',
              target: 'category',
              inversedBy: 'posts',
            }),
        ),
      ),
    ).toContain(
      'contentTypes.article.attributes.category.inversedBy: inversedBy "posts" is not an attribute of category',
    );
  });

  it('refuses reserved route names and reserved attribute names', () => {
    expect(
      errorOf(
        blogWith((d) => {
          d.contentTypes.user = {
            kind: 'collectionType',
            info: { singularName: 'user', pluralName: 'users', displayName: 'User' },
            attributes: {},
          };
        }),
      ),
    ).toContain('contentTypes.user.info: "users" is a reserved route name');
    expect(
      errorOf(blogWith((d) => void (d.contentTypes.article.attributes.documentId = { type: 'string' }))),
    ).toContain('contentTypes.article.attributes.documentId: attribute name "documentId" is reserved');
  });

  it('refuses colliding names: two types with one pluralName, two tables with one name', () => {
    expect(
      errorOf(
        blogWith((d) => {
          d.contentTypes.post = {
            kind: 'collectionType',
            info: { singularName: 'post', pluralName: 'articles', displayName: 'Post' },
            attributes: {},
          };
        }),
      ),
    ).toContain('"articles" is already a name of content type article');
    expect(
      errorOf(
        blogWith((d) => {
          d.contentTypes.post = {
            kind: 'collectionType',
            collectionName: 'articles',
            info: { singularName: 'post', pluralName: 'posts', displayName: 'Post' },
            attributes: {},
          };
        }),
      ),
    ).toContain('article and post would both use the table articles');
    expect(
      errorOf(
        blogWith((d) => {
          d.contentTypes.article.attributes.fooBar = { type: 'string' };
          d.contentTypes.article.attributes.foo_bar = { type: 'string' };
        }),
      ),
    ).toContain('attributes "fooBar" and "foo_bar" would share the column foo_bar');
  });

  it('refuses bad enumerations, regexes and limits', () => {
    expect(
      errorOf(blogWith((d) => void (d.contentTypes.article.attributes.kind = { type: 'enumeration', enum: [] }))),
    ).toContain('contentTypes.article.attributes.kind.enum: enum must be a non-empty list of non-empty strings');
    expect(
      errorOf(
        blogWith(
          (d) => void (d.contentTypes.article.attributes.kind = { type: 'enumeration', enum: ['a'], default: 'b' }),
        ),
      ),
    ).toContain('default "b" is not one of the enum values');
    expect(
      errorOf(blogWith((d) => void (d.contentTypes.article.attributes.title = { type: 'string', regex: '([a-z' }))),
    ).toContain('contentTypes.article.attributes.title.regex: regex is not a valid regular expression');
    expect(
      errorOf(blogWith((d) => void (d.contentTypes.article.attributes.views = { type: 'integer', min: 10, max: 1 }))),
    ).toContain('contentTypes.article.attributes.views.min: min (10) is greater than max (1)');
    expect(
      errorOf(blogWith((d) => void (d.contentTypes.article.attributes.title = { type: 'string', maxLength: -1 }))),
    ).toContain('maxLength must be a non-negative integer');
  });

  it('refuses undefined components, dynamic zones in components and component cycles', () => {
    expect(
      errorOf(
        blogWith((d) => void (d.contentTypes.article.attributes.seo = { type: 'component', component: 'shared.nope' })),
      ),
    ).toContain('contentTypes.article.attributes.seo.component: component "shared.nope" is not defined');
    expect(
      errorOf(
        blogWith((d) => {
          d.components['shared.quote'].attributes.more = { type: 'component', component: 'shared.link' };
          d.components['shared.link'].attributes.back = { type: 'component', component: 'shared.quote' };
        }),
      ),
    ).toMatch(/components contain each other: shared\.(link|quote) → shared\.(quote|link) → shared\.(link|quote)/);
  });

  it('refuses unique or index where the database cannot enforce it', () => {
    expect(
      errorOf(blogWith((d) => void (d.contentTypes.article.attributes.summary = { type: 'text', unique: true }))),
    ).toContain('contentTypes.article.attributes.summary: unique is not supported on a text attribute');
  });

  it('refuses an index over several attributes that names what cannot be indexed', () => {
    const withIndexes = (...indexes: unknown[]) =>
      blogWith(
        (d) => void (d.contentTypes.article.options = { ...d.contentTypes.article.options, indexes: indexes as never }),
      );
    expect(errorOf(withIndexes({ attributes: ['featured', 'views:desc'] }))).toBe('');
    const path = 'contentTypes.article.options.indexes.0.attributes';
    expect(errorOf(withIndexes({ attributes: ['featured', 'nope'] }))).toContain(
      `${path}: "nope" is not an attribute of this type`,
    );
    expect(errorOf(withIndexes({ attributes: ['views:sideways'] }))).toContain(
      `${path}: "views:sideways" is not an attribute of this type`,
    );
    expect(errorOf(withIndexes({ attributes: ['summary'] }))).toContain(
      `${path}: an index on summary is not supported on a text attribute`,
    );
    expect(errorOf(withIndexes({ attributes: ['category'] }))).toContain(
      `${path}: an index on category is only supported on scalar attributes, not on relation`,
    );
    expect(errorOf(withIndexes({ attributes: ['views', 'views:desc'] }))).toContain(`${path}: views is named twice`);
    expect(errorOf(withIndexes({ attributes: [] }))).toContain(`${path}: attributes must list 1 to 5 attribute names`);
    expect(errorOf(withIndexes({ attributes: ['views'] }, { attributes: ['views:asc'] }))).toContain(
      'contentTypes.article.options.indexes.1.attributes: the same index is listed twice',
    );
  });

  it('reports every error at once', () => {
    const message = errorOf(
      blogWith((d) => {
        d.contentTypes.article.attributes.a = { type: 'nope' } as never;
        d.contentTypes.article.attributes.b = { type: 'nada' } as never;
      }),
    );
    expect(message).toMatch(/^invalid schema \(2 errors\): .*attributes\.a\.type.*; .*attributes\.b\.type/);
  });

  it('refuses unknown top-level keys of a schema file', () => {
    expect(() => parseSchemaFile({ contentTypes: {}, extra: 1 })).toThrow(/extra/);
  });
});

describe('--rename', () => {
  it('parses type.old=new, components included', () => {
    expect(parseRename('article.title=headline')).toEqual({ type: 'article', from: 'title', to: 'headline' });
    expect(parseRename('shared.seo.metaTitle=title')).toEqual({ type: 'shared.seo', from: 'metaTitle', to: 'title' });
    expect(() => parseRename('article.title')).toThrow(/type\.oldName=newName/);
  });

  it('must name a field the schema in force has and the file replaces', () => {
    const file = { contentTypes: { article: clone(blogSchema.contentTypes.article) } };
    expect(() => validateRenames(blogSchema, file, [{ type: 'article', from: 'title', to: 'headline' }])).toThrow(
      '--rename article.title=headline: the file still defines article.title; --rename ' +
        'article.title=headline: the file does not define article.headline',
    );
    expect(() => validateRenames(blogSchema, file, [{ type: 'nope', from: 'a', to: 'b' }])).toThrow(
      /nope is not a content type or component/,
    );
  });
});
