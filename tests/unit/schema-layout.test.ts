// A type's view layout (docs/schema.md, "Layout"): what the validator accepts, the complete form
// an editor is shown (nothing placed is lost, a new field follows the placed ones), the default list
// columns, and the edits that keep a layout valid when a field is renamed or removed.
import { describe, expect, it } from '@jest/globals';
import { editSections, listColumns, pruneLayout, renameInLayout } from '../../server/schema/layout.js';
import { assertValidDocument, parseSchemaFile } from '../../server/schema/validate.js';
import type { ContentTypeDefinition, SchemaDocument } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The ValidationError's message for the blog schema after `change`, or '' when it is valid. */
function errorWith(change: (doc: SchemaDocument) => void): string {
  const doc = clone(blogSchema);
  change(doc);
  try {
    assertValidDocument(parseSchemaFile(doc) as SchemaDocument);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

const article = (layout: unknown) => (d: SchemaDocument) =>
  void (d.contentTypes.article.layout = layout as ContentTypeDefinition['layout']);

const page: ContentTypeDefinition = {
  kind: 'collectionType',
  info: { singularName: 'page', pluralName: 'pages', displayName: 'Page' },
  attributes: {
    title: { type: 'string' },
    slug: { type: 'uid' },
    body: { type: 'richtext' },
    secret: { type: 'string', private: true },
    parent: { type: 'relation', relation: 'manyToOne', target: 'page' },
  },
};

describe('schema validation: layout', () => {
  it('accepts sections of fields with widths, and list columns', () => {
    expect(
      errorWith(
        article({
          edit: [
            {
              title: 'Main',
              fields: [
                { name: 'title', size: 'half' },
                { name: 'slug', size: 'half' },
              ],
            },
            { fields: [{ name: 'body' }] },
          ],
          list: ['title', 'publishedDate', 'cover', 'category'],
        }),
      ),
    ).toBe('');
  });

  it('names a field that is not an attribute of the type, an inherited name included', () => {
    expect(errorWith(article({ edit: [{ fields: [{ name: 'headline' }] }] }))).toBe(
      'invalid schema: contentTypes.article.layout.edit.0.fields.0.name: "headline" is not an attribute of this type',
    );
    expect(errorWith(article({ list: ['constructor'] }))).toBe(
      'invalid schema: contentTypes.article.layout.list.0: "constructor" is not an attribute of this type',
    );
  });

  it('refuses a field placed twice, even in two sections', () => {
    expect(
      errorWith(article({ edit: [{ fields: [{ name: 'title' }] }, { title: 'Again', fields: [{ name: 'title' }] }] })),
    ).toBe('invalid schema: contentTypes.article.layout.edit.1.fields.0.name: title is placed twice');
  });

  it('refuses list columns a list cannot show: long text, to-many relations, private fields', () => {
    const message = errorWith(article({ list: ['body', 'tags', 'editorNote', 'title', 'title'] }));
    expect(message).toContain('layout.list.0: body cannot be a list column');
    expect(message).toContain('layout.list.1: tags cannot be a list column');
    expect(message).toContain('layout.list.2: editorNote cannot be a list column');
    expect(message).toContain('layout.list.4: title is listed twice');
  });

  it('refuses an unknown width, an unknown key, an empty section and a blank title', () => {
    expect(errorWith(article({ edit: [{ fields: [{ name: 'title', size: 'third' }] }] }))).toContain(
      'contentTypes.article.layout.edit.0.fields.0.size',
    );
    expect(errorWith(article({ columns: ['title'] }))).toContain('contentTypes.article.layout');
    expect(errorWith(article({ edit: [{ title: 'Empty', fields: [] }] }))).toContain(
      'contentTypes.article.layout.edit.0.fields: a section needs at least one field',
    );
    expect(errorWith(article({ edit: [{ title: '  ', fields: [{ name: 'title' }] }] }))).toContain(
      'contentTypes.article.layout.edit.0.title: a section title cannot be blank',
    );
  });

  it('gives a component one section of its own fields, without title or list', () => {
    const seo = (layout: unknown) => (d: SchemaDocument) => void (d.components['shared.seo'].layout = layout as never);
    expect(errorWith(seo({ edit: [{ fields: [{ name: 'metaTitle', size: 'half' }] }] }))).toBe('');
    expect(errorWith(seo({ edit: [{ fields: [{ name: 'title' }] }] }))).toContain(
      'components.shared.seo.layout.edit.0.fields.0.name: "title" is not an attribute of this type',
    );
    expect(errorWith(seo({ list: ['metaTitle'] }))).toContain('components.shared.seo.layout');
    expect(errorWith(seo({ edit: [{ title: 'SEO', fields: [{ name: 'metaTitle' }] }] }))).toContain(
      'components.shared.seo.layout.edit.0',
    );
  });
});

describe('the layout an editor sees', () => {
  it('is every attribute in schema order, full width, when the type has no layout', () => {
    expect(editSections(page)).toEqual([
      {
        fields: ['title', 'slug', 'body', 'secret', 'parent'].map((name) => ({ name, size: 'full' })),
      },
    ]);
  });

  it('places the attributes left out after the placed ones, in a section of their own after a titled one', () => {
    const laid = { ...page, layout: { edit: [{ title: 'Text', fields: [{ name: 'body' }, { name: 'title' }] }] } };
    expect(editSections(laid)).toEqual([
      {
        title: 'Text',
        fields: [
          { name: 'body', size: 'full' },
          { name: 'title', size: 'full' },
        ],
      },
      { fields: ['slug', 'secret', 'parent'].map((name) => ({ name, size: 'full' })) },
    ]);
  });

  it('adds the attributes left out to a last section without title', () => {
    const laid = { ...page, layout: { edit: [{ fields: [{ name: 'slug', size: 'half' as const }] }] } };
    expect(editSections(laid)[0].fields.map((f) => `${f.name}:${f.size}`)).toEqual([
      'slug:half',
      'title:full',
      'body:full',
      'secret:full',
      'parent:full',
    ]);
  });

  it('shows only the fields the editor may see, and drops a section left empty', () => {
    const laid = {
      ...page,
      layout: { edit: [{ title: 'Hidden', fields: [{ name: 'secret' }] }, { fields: [{ name: 'body' }] }] },
    };
    expect(editSections(laid, (name) => name !== 'secret')).toEqual([
      { fields: ['body', 'title', 'slug', 'parent'].map((name) => ({ name, size: 'full' })) },
    ]);
  });

  it('lists the layout’s columns, or by default a single media, the main field, the rest, at most five', () => {
    expect(listColumns({ ...page, layout: { list: ['parent', 'title'] } }, 'title')).toEqual(['parent', 'title']);
    expect(listColumns({ ...page, layout: { list: ['parent', 'title'] } }, 'title', (n) => n !== 'parent')).toEqual([
      'title',
    ]);
    expect(listColumns(page, 'slug')).toEqual(['slug', 'title', 'parent']);
    expect(listColumns(blogSchema.contentTypes.article, 'title')).toEqual([
      'cover',
      'title',
      'slug',
      'views',
      'bigViews',
    ]);
  });
});

describe('keeping a layout valid', () => {
  const layout = {
    edit: [
      { title: 'Main', fields: [{ name: 'title', size: 'half' as const }, { name: 'slug' }] },
      { fields: [{ name: 'body' }] },
    ],
    list: ['title', 'slug'],
  };

  it('renames a field where it is placed and listed', () => {
    expect(renameInLayout(layout, 'title', 'heading')).toEqual({
      edit: [{ title: 'Main', fields: [{ name: 'heading', size: 'half' }, { name: 'slug' }] }, layout.edit[1]],
      list: ['heading', 'slug'],
    });
  });

  it('removes a deleted field, and the section it leaves empty', () => {
    expect(renameInLayout(layout, 'body', null)).toEqual({ edit: [layout.edit[0]], list: ['title', 'slug'] });
  });

  it('prunes attributes that are gone and columns a list can no longer show', () => {
    const attributes: ContentTypeDefinition['attributes'] = { title: { type: 'text' }, body: { type: 'richtext' } };
    expect(pruneLayout({ attributes, layout })).toEqual({
      edit: [{ title: 'Main', fields: [{ name: 'title', size: 'half' }] }, layout.edit[1]],
      list: [],
    });
  });
});
