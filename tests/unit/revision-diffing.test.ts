// The field-by-field diff of two revisions (server/content/revisions/diffing.ts): pure functions
// over two revisions' data and the blog model — what each kind of field answers when it changed,
// and that unchanged fields are left out.
import { describe, expect, it } from '@jest/globals';
import { blocksText, diffData, textDiff, type FieldDiff } from '../../server/content/revisions/diffing.js';
import { buildModel } from '../../server/schema/model.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const schema = buildModel(blogSchema);
const article = schema.contentTypes.get('article')!;
const byField = (diffs: FieldDiff[]) => new Map(diffs.map((d) => [d.field, d]));

describe('textDiff', () => {
  it('marks the words inserted and deleted, and its parts rebuild both texts', () => {
    const before = 'The quick brown fox jumps';
    const after = 'The quick red fox leaps high';
    const parts = textDiff(before, after);
    expect(
      parts
        .filter((p) => !p.added)
        .map((p) => p.value)
        .join(''),
    ).toBe(before);
    expect(
      parts
        .filter((p) => !p.removed)
        .map((p) => p.value)
        .join(''),
    ).toBe(after);
    expect(parts.filter((p) => p.removed).map((p) => p.value.trim())).toEqual(['brown', 'jumps']);
    expect(parts.filter((p) => p.added).map((p) => p.value.trim())).toEqual(['red', 'leaps high']);
  });

  it('keeps each text’s own spacing: words added at the end, lines joined', () => {
    for (const [before, after] of [
      ['Moon landing', 'Moon landing in July 1969'],
      ['One\n\ntwo  three', 'One\ntwo three four'],
    ]) {
      const parts = textDiff(before, after);
      expect(
        parts
          .filter((p) => !p.added)
          .map((p) => p.value)
          .join(''),
      ).toBe(before);
      expect(
        parts
          .filter((p) => !p.removed)
          .map((p) => p.value)
          .join(''),
      ).toBe(after);
    }
    expect(textDiff('Moon landing', 'Moon landing in July 1969')).toEqual([
      { value: 'Moon landing' },
      { value: ' in July 1969', added: true },
    ]);
  });

  it('is one inserted or deleted part when a side is empty', () => {
    expect(textDiff('', 'New')).toEqual([{ value: 'New', added: true }]);
    expect(textDiff('Old', '')).toEqual([{ value: 'Old', removed: true }]);
  });
});

describe('blocksText', () => {
  it('reads a blocks document as lines: headings, paragraphs with links, lists, quotes', () => {
    const blocks = [
      { type: 'heading', level: 2, children: [{ type: 'text', text: 'Title' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'See ', bold: true },
          { type: 'link', url: '/x', children: [{ type: 'text', text: 'this' }] },
        ],
      },
      {
        type: 'list',
        format: 'ordered',
        children: [
          { type: 'list-item', children: [{ type: 'text', text: 'one' }] },
          { type: 'list-item', children: [{ type: 'text', text: 'two' }] },
        ],
      },
      { type: 'quote', children: [{ type: 'text', text: 'Said' }] },
    ];
    expect(blocksText(blocks)).toBe('## Title\nSee this\n1. one\n2. two\n> Said');
  });
});

describe('diffData', () => {
  it('leaves unchanged fields out, and takes absent, null and empty lists alike', () => {
    const same = { title: 'Same', tags: ['a'], views: 3 };
    expect(diffData(schema, article, same, { ...same })).toEqual([]);
    expect(diffData(schema, article, { title: 'T', tags: [] }, { title: 'T', summary: null })).toEqual([]);
  });

  it('diffs text fields word by word, with the two values', () => {
    const [diff] = diffData(schema, article, { title: 'Hello world' }, { title: 'Hello there' });
    expect(diff).toMatchObject({ field: 'title', kind: 'text', change: 'changed', before: 'Hello world' });
    expect(diff.kind === 'text' && diff.text).toEqual([
      { value: 'Hello ' },
      { value: 'world', removed: true },
      { value: 'there', added: true },
    ]);
  });

  it('says added and removed when one side has no value', () => {
    const diffs = byField(diffData(schema, article, { summary: 'Was here' }, { views: 5 }));
    expect(diffs.get('summary')).toMatchObject({ change: 'removed', kind: 'text', after: null });
    expect(diffs.get('views')).toMatchObject({ change: 'added', kind: 'value', before: null, after: 5 });
  });

  it('diffs blocks by their text', () => {
    const para = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];
    const [diff] = diffData(schema, article, { content: para('Old line') }, { content: para('New line') });
    expect(diff).toMatchObject({ kind: 'blocks', before: 'Old line', after: 'New line' });
  });

  it('puts relations and media side by side, flagging what only one side has', () => {
    const diffs = byField(
      diffData(
        schema,
        article,
        { category: 'c1', tags: ['t1', 't2'], cover: 1, gallery: [1, 2] },
        { category: 'c2', tags: ['t2', 't3'], cover: 3, gallery: [2] },
      ),
    );
    expect(diffs.get('category')).toEqual({
      field: 'category',
      change: 'changed',
      kind: 'relation',
      target: 'category',
      before: [{ documentId: 'c1', removed: true }],
      after: [{ documentId: 'c2', added: true }],
    });
    expect(diffs.get('tags')).toMatchObject({
      before: [{ documentId: 't1', removed: true }, { documentId: 't2' }],
      after: [{ documentId: 't2' }, { documentId: 't3', added: true }],
    });
    expect(diffs.get('cover')).toMatchObject({
      kind: 'media',
      before: [{ id: 1, removed: true }],
      after: [{ id: 3, added: true }],
    });
    expect(diffs.get('gallery')).toMatchObject({ before: [{ id: 1, removed: true }, { id: 2 }], after: [{ id: 2 }] });
  });

  it('compares a single component field by field', () => {
    const [diff] = diffData(
      schema,
      article,
      { seo: { metaTitle: 'A', metaDescription: 'Same' } },
      { seo: { metaTitle: 'B', metaDescription: 'Same' } },
    );
    expect(diff).toMatchObject({ field: 'seo', kind: 'component', component: 'shared.seo', change: 'changed' });
    expect(diff.kind === 'component' && diff.fields.map((f) => [f.field, f.kind])).toEqual([['metaTitle', 'text']]);
  });

  it('lists the items a dynamic zone gained and lost, an edited item as removed then added', () => {
    const quote = (text: string) => ({ __component: 'shared.quote', text });
    const rich = { __component: 'shared.rich-text', body: 'Body' };
    const [diff] = diffData(
      schema,
      article,
      { blocks: [quote('Kept'), quote('Edited'), rich] },
      { blocks: [quote('Kept'), quote('Edited!'), rich, quote('New')] },
    );
    expect(diff.kind === 'dynamiczone' && diff.items).toEqual([
      { change: 'removed', index: 1, component: 'shared.quote', value: { text: 'Edited' } },
      { change: 'added', index: 1, component: 'shared.quote', value: { text: 'Edited!' } },
      { change: 'added', index: 3, component: 'shared.quote', value: { text: 'New' } },
    ]);
  });

  it('lists the items of a repeatable component added and removed', () => {
    const global = schema.contentTypes.get('global')!;
    const link = (label: string) => ({ label, url: '/' });
    const [diff] = diffData(schema, global, { links: [link('Home'), link('Blog')] }, { links: [link('Home')] });
    expect(diff).toMatchObject({
      field: 'links',
      kind: 'components',
      component: 'shared.link',
      items: [{ change: 'removed', index: 1, value: { label: 'Blog', url: '/' } }],
    });
  });

  it('flags attributes the schema no longer has, and zone items of components it no longer takes', () => {
    const diffs = byField(
      diffData(
        schema,
        article,
        { legacy: 'Old field', blocks: [{ __component: 'shared.gone', x: 1 }] },
        { blocks: [] },
      ),
    );
    expect(diffs.get('legacy')).toEqual({
      field: 'legacy',
      change: 'removed',
      kind: 'removedAttribute',
      removedFromSchema: true,
      before: 'Old field',
      after: null,
    });
    expect(diffs.get('blocks')).toMatchObject({
      change: 'removed',
      items: [{ change: 'removed', component: 'shared.gone', removedFromSchema: true }],
    });
  });
});
