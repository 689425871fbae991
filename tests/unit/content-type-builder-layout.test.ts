// "Configure the view" in the Content-Type Builder (admin/src/content-type-builder/viewLayout.ts and
// model.ts): the dialog starts from the complete layout, its moves cross sections, what it saves is
// a layout the server accepts, and the builder's renames and removals keep every layout valid.
import { describe, expect, it } from '@jest/globals';
import {
  draftOf,
  putField,
  removeDefinition,
  removeField,
  setLayout,
  type Owner,
} from '../../admin/src/content-type-builder/model.js';
import {
  addSection,
  layoutOf,
  removeSection,
  setSectionTitle,
  setSize,
  stepColumn,
  stepField,
  toggleColumn,
  unchangedLayout,
  viewStateOf,
} from '../../admin/src/content-type-builder/viewLayout.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { saved } from '../helpers/builder.js';

const stored: SchemaDocument = {
  contentTypes: {
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      attributes: {
        title: { type: 'string' },
        body: { type: 'richtext' },
        category: { type: 'relation', relation: 'manyToOne', target: 'category', inversedBy: 'articles' },
      },
      layout: {
        edit: [
          {
            title: 'Main',
            fields: [
              { name: 'title', size: 'half' },
              { name: 'category', size: 'half' },
            ],
          },
          { fields: [{ name: 'body' }] },
        ],
        list: ['title', 'category'],
      },
    },
    category: {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      attributes: {
        name: { type: 'string' },
        articles: { type: 'relation', relation: 'oneToMany', target: 'article', mappedBy: 'category' },
      },
      layout: { edit: [{ fields: [{ name: 'articles' }, { name: 'name' }] }] },
    },
  },
  components: {},
};

const article: Owner = { kind: 'contentType', uid: 'article' };
const category: Owner = { kind: 'contentType', uid: 'category' };

describe('the builder keeps layouts valid', () => {
  it('renames a field in its type’s layout', () => {
    const next = putField(draftOf(stored), article, 'title', 'headline', { type: 'string' });
    const layout = saved(next).contentTypes.article.layout;
    expect(layout?.edit?.[0].fields[0]).toEqual({ name: 'headline', size: 'half' });
    expect(layout?.list).toEqual(['headline', 'category']);
  });

  it('removes a field from the layout, with the other side of its relation from the target’s', () => {
    const doc = saved(removeField(draftOf(stored), article, 'category'));
    expect(doc.contentTypes.article.layout).toEqual({
      edit: [{ title: 'Main', fields: [{ name: 'title', size: 'half' }] }, { fields: [{ name: 'body' }] }],
      list: ['title'],
    });
    expect(doc.contentTypes.category.layout).toEqual({ edit: [{ fields: [{ name: 'name' }] }] });
  });

  it('removes the fields of other types that pointed at a deleted type from their layouts', () => {
    const doc = saved(removeDefinition(draftOf(stored), category));
    expect(doc.contentTypes.article.layout?.list).toEqual(['title']);
    expect(doc.contentTypes.article.layout?.edit?.[0].fields).toEqual([{ name: 'title', size: 'half' }]);
  });

  it('drops a list column whose field became one a list cannot show', () => {
    const next = putField(draftOf(stored), article, 'title', 'title', { type: 'text' });
    expect(saved(next).contentTypes.article.layout?.list).toEqual(['category']);
  });
});

describe('the Configure the view dialog', () => {
  const def = stored.contentTypes.article;

  it('starts from the complete layout and saves it unchanged when nothing moved', () => {
    const state = viewStateOf(def, false);
    expect(state.sections.map((s) => [s.title, s.fields.map((f) => `${f.name}:${f.size}`)])).toEqual([
      ['Main', ['title:half', 'category:half']],
      ['', ['body:full']],
    ]);
    expect(unchangedLayout(def, false, layoutOf(state, false))).toBe(true);
  });

  it('moves a field past the end of its section into the next one, and back', () => {
    const down = stepField(viewStateOf(def, false), 'title', 1);
    expect(down.sections.map((s) => s.fields.map((f) => f.name))).toEqual([['category', 'title'], ['body']]);
    const further = stepField(down, 'title', 1);
    expect(further.sections.map((s) => s.fields.map((f) => f.name))).toEqual([['category'], ['title', 'body']]);
    const back = stepField(further, 'title', -1);
    expect(back.sections.map((s) => s.fields.map((f) => f.name))).toEqual([['category', 'title'], ['body']]);
    expect(stepField(back, 'body', 1)).toBe(back);
  });

  it('saves sections with their titles, leaves out empty ones and default widths, and the server accepts it', () => {
    let state = addSection(viewStateOf(def, false));
    state = stepField(state, 'body', 1);
    state = setSectionTitle(state, 2, '  Story ');
    state = setSize(state, 'category', 'full');
    state = toggleColumn(state, 'title', false);
    const layout = layoutOf(state, false);
    expect(layout).toEqual({
      edit: [
        { title: 'Main', fields: [{ name: 'title', size: 'half' }, { name: 'category' }] },
        { title: 'Story', fields: [{ name: 'body' }] },
      ],
      list: ['category'],
    });
    expect(saved(setLayout(draftOf(stored), article, layout)).contentTypes.article.layout).toEqual(layout);
  });

  it('gives a removed section’s fields to the section before it', () => {
    const state = removeSection(viewStateOf(def, false), 1);
    expect(state.sections.map((s) => s.fields.map((f) => f.name))).toEqual([['title', 'category', 'body']]);
  });

  it('orders the list columns', () => {
    const state = stepColumn(viewStateOf(def, false), 'category', -1);
    expect(state.list).toEqual(['category', 'title']);
  });

  it('saves a component’s fields as one section without title or list', () => {
    const seo = { info: { displayName: 'SEO' }, attributes: { metaTitle: { type: 'string' as const } } };
    expect(layoutOf(setSize(viewStateOf(seo, true), 'metaTitle', 'half'), true)).toEqual({
      edit: [{ fields: [{ name: 'metaTitle', size: 'half' }] }],
    });
  });
});
