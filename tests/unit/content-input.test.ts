import { describe, expect, it } from '@jest/globals';
import { MAX_IDS_PER_FIELD, MAX_IDS_PER_WRITE, parseInput, UID_SLUG } from '../../server/content/input.js';
import { slugify } from '../../server/slug.js';
import { ValidationError } from '../../server/errors.js';
import { buildModel } from '../../server/schema/model.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const schema = buildModel(blogSchema);
const article = schema.contentTypes.get('article')!;

function errorsOf(data: unknown, requireAll = true): { path: (string | number)[]; message: string }[] {
  try {
    parseInput(schema, article, data, { requireAll });
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details.errors as { path: (string | number)[]; message: string; name: string }[];
  }
  throw new Error('expected a ValidationError');
}

describe('parseInput', () => {
  it('accepts every scalar type and normalises values for the database', () => {
    const parsed = parseInput(
      schema,
      article,
      {
        title: 'Hello',
        summary: 'x',
        views: 3,
        bigViews: '9007199254740993',
        rating: '4.5',
        score: 1.25,
        featured: true,
        publishedDate: '2026-02-28',
        readingTime: '12:30',
        scheduledAt: '2026-01-01T10:00:00+02:00',
        kind: 'news',
        metadata: { a: [1] },
        content: [{ type: 'paragraph', children: [{ type: 'text', text: 'hi' }] }],
        editorNote: 'private is writable',
      },
      { requireAll: true },
    );
    expect(parsed.scalars.get('bigViews')).toBe('9007199254740993');
    expect(parsed.scalars.get('rating')).toBe(4.5);
    expect(parsed.scalars.get('readingTime')).toBe('12:30:00.000');
    expect(parsed.scalars.get('scheduledAt')).toEqual(new Date('2026-01-01T08:00:00Z'));
    expect(parsed.scalars.get('metadata')).toBe('{"a":[1]}');
    expect(parsed.scalars.get('editorNote')).toBe('private is writable');
  });

  it('collects every failing path in one error', () => {
    const errors = errorsOf({
      views: -1,
      rating: 6,
      featured: 'yes',
      publishedDate: '2026-02-30',
      kind: 'rumour',
      slug: 'no spaces',
      title: 'x'.repeat(201),
      scheduledAt: '2026-01-01',
      bigViews: 1.5,
      content: 'text',
    });
    const paths = errors.map((e) => e.path.join('.')).sort();
    expect(paths).toEqual(
      [
        'bigViews',
        'content',
        'featured',
        'kind',
        'publishedDate',
        'rating',
        'scheduledAt',
        'slug',
        'title',
        'views',
      ].sort(),
    );
  });

  it('requires required attributes on create, not on a partial update', () => {
    expect(errorsOf({ summary: 's' }).map((e) => e.path)).toEqual([['title']]);
    expect(parseInput(schema, article, { summary: 's' }, { requireAll: false }).scalars.get('summary')).toBe('s');
    expect(errorsOf({ title: null }, false)).toEqual([
      expect.objectContaining({ path: ['title'], message: 'is required' }),
    ]);
  });

  it('refuses unknown keys and system fields, naming them', () => {
    const errors = errorsOf({ title: 't', nope: 1, id: 3, documentId: 'x', publishedAt: null, locale: 'fr' });
    expect(errors.map((e) => e.path[0]).sort()).toEqual(['documentId', 'id', 'locale', 'nope', 'publishedAt']);
  });

  it('reads relations as set, connect/disconnect/set and positions', () => {
    const parsed = parseInput(
      schema,
      article,
      {
        title: 't',
        category: 'cat1',
        tags: { connect: ['t1', { documentId: 't2', position: { before: 't1' } }], disconnect: ['t3'] },
        related: ['a1', 'a2'],
      },
      { requireAll: true },
    );
    expect(parsed.relations.get('category')).toEqual({ set: [{ documentId: 'cat1' }] });
    expect(parsed.relations.get('tags')).toEqual({
      connect: [{ documentId: 't1' }, { documentId: 't2', position: { before: 't1' } }],
      disconnect: ['t3'],
    });
    expect(parsed.relations.get('related')).toEqual({ set: [{ documentId: 'a1' }, { documentId: 'a2' }] });
  });

  it('refuses several targets on a to-one relation and malformed positions', () => {
    const errors = errorsOf({
      title: 't',
      category: ['a', 'b'],
      tags: { connect: [{ documentId: 'x', position: { middle: true } }] },
    });
    expect(errors.map((e) => e.path)).toEqual([['category'], ['tags', 'connect', 0, 'position']]);
  });

  it('validates components and dynamic zones, with paths into them', () => {
    const errors = errorsOf({
      title: 't',
      seo: { metaTitle: 'x'.repeat(61) },
      blocks: [
        { __component: 'shared.quote' },
        { __component: 'shared.unknown' },
        { __component: 'shared.rich-text', body: 'b' },
      ],
    });
    expect(errors.map((e) => e.path)).toEqual([
      ['seo', 'metaTitle'],
      ['blocks', 0, 'text'],
      ['blocks', 1, '__component'],
    ]);
    const ok = parseInput(
      schema,
      article,
      { title: 't', blocks: [{ __component: 'shared.quote', text: 'q' }] },
      { requireAll: true },
    );
    expect(ok.components.get('blocks')?.[0]).toMatchObject({ component: 'shared.quote' });
  });

  it('takes media as file ids', () => {
    const parsed = parseInput(schema, article, { title: 't', cover: 4, gallery: [1, 2] }, { requireAll: true });
    expect(parsed.media.get('cover')).toEqual([4]);
    expect(parsed.media.get('gallery')).toEqual([1, 2]);
    expect(errorsOf({ title: 't', cover: [1, 2], gallery: ['x'] }).map((e) => e.path)).toEqual([
      ['cover'],
      ['gallery', 0],
    ]);
  });
});

describe('slugify', () => {
  it('makes uid-safe slugs', () => {
    expect(slugify('Héllo, World!  2026', UID_SLUG)).toBe('hello-world-2026');
    expect(slugify('v1.2~beta', UID_SLUG)).toBe('v1.2~beta');
  });

  it('refuses more ids in one field than a write takes, before reading them', () => {
    const many = Array.from({ length: MAX_IDS_PER_FIELD + 1 }, () => 'not a documentId!');
    expect(errorsOf({ title: 't', tags: { set: many } })).toEqual([
      expect.objectContaining({ path: ['tags'], message: expect.stringContaining(`at most ${MAX_IDS_PER_FIELD}`) }),
    ]);
    expect(errorsOf({ title: 't', gallery: many.map((_, i) => i + 1) }).map((e) => e.path)).toEqual([['gallery']]);
  });

  it('refuses more ids in all than a write takes, components included', () => {
    const global = schema.contentTypes.get('global')!;
    const links = Array.from({ length: MAX_IDS_PER_WRITE + 1 }, (_, i) => ({ label: 'l', url: 'u', page: `page${i}` }));
    expect(() => parseInput(schema, global, { siteName: 's', links }, { requireAll: false })).toThrow(
      `at most ${MAX_IDS_PER_WRITE} relation and file ids in all`,
    );
  });
});
