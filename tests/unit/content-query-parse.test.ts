import { describe, expect, it } from '@jest/globals';
import { FolioError, ForbiddenError } from '../../server/errors.js';
import { buildModel } from '../../server/schema/model.js';
import {
  DEFAULT_LIMITS,
  parseContentQuery,
  parseQueryString,
  type ParseContext,
} from '../../server/content/query/parse.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const schema = buildModel(blogSchema);
const article = schema.contentTypes.get('article')!;
const page = schema.contentTypes.get('page')!;

function ctx(readable: string[] = ['article', 'category', 'tag', 'author', 'profile', 'page']): ParseContext {
  return {
    schema,
    limits: DEFAULT_LIMITS,
    defaultLocale: 'en',
    canRead: (uid) => readable.includes(uid),
    forbidden: (uid) => new ForbiddenError(`no ${uid}`),
  };
}

function parse(qs: string, readable?: string[]) {
  return parseContentQuery(article, parseQueryString(qs), ctx(readable));
}

function errorOf(qs: string): FolioError {
  try {
    parse(qs);
  } catch (err) {
    return err as FolioError;
  }
  throw new Error(`expected ${qs} to be refused`);
}

describe('query parsing: defaults', () => {
  it('reads published entries of page 1, 25 per page, with a count', () => {
    const q = parse('');
    expect(q.status).toBe('published');
    expect(q.pagination).toEqual({ style: 'page', page: 1, pageSize: 25, withCount: true });
    expect(q.filter).toBeNull();
    expect(q.sort).toEqual([]);
  });

  it('returns every non-private scalar and no relation by default', () => {
    const names = parse('').selection.fields.map((f) => f.name);
    expect(names).toContain('title');
    expect(names).not.toContain('editorNote');
    expect(names).not.toContain('category');
    expect(parse('').selection.populate.size).toBe(0);
  });

  it('uses the default locale for a localized type and none for the others', () => {
    expect(parseContentQuery(page, {}, ctx()).locale).toBe('en');
    expect(parseContentQuery(page, parseQueryString('locale=fr'), ctx()).locale).toBe('fr');
    expect(parse('locale=fr').locale).toBe('');
  });
});

describe('query parsing: filters', () => {
  it('types values by their attribute', () => {
    const q = parse('filters[views][$gt]=10&filters[featured]=true');
    expect(q.filter).toEqual({
      kind: 'and',
      items: [
        { kind: 'compare', column: { name: 'views', column: 'views', type: 'integer' }, op: '$gt', value: 10 },
        { kind: 'compare', column: { name: 'featured', column: 'featured', type: 'boolean' }, op: '$eq', value: true },
      ],
    });
  });

  it('turns an array given to a scalar operator into an OR', () => {
    const q = parse('filters[title][$eq][0]=a&filters[title][$eq][1]=b');
    expect(q.filter).toMatchObject({ kind: 'or', items: [{ value: 'a' }, { value: 'b' }] });
  });

  it('reads filters through relations as relation conditions', () => {
    const q = parse('filters[category][slug][$eq]=news');
    expect(q.filter).toMatchObject({
      kind: 'relation',
      field: { name: 'category' },
      exists: true,
      filter: { kind: 'compare', value: 'news' },
    });
  });

  it.each([
    ['filters[nope][$eq]=1', 'nope'],
    ['filters[title][$like]=a', '$like'],
    ['filters[views][$eq]=ten', '$eq'],
    ['filters[featured][$eq]=maybe', '$eq'],
    ['filters[publishedDate][$eq]=2024-13-01', '$eq'],
    ['filters[editorNote][$eq]=x', 'editorNote'],
    ['filters[views][$contains]=1', '$contains'],
    ['filters[category][nope][$eq]=1', 'nope'],
  ])('refuses %s with a ValidationError naming %s', (query, key) => {
    const err = errorOf(query);
    expect(err.status).toBe(400);
    expect(err.name).toBe('ValidationError');
    expect(err.details).toMatchObject({ key, source: 'query', param: 'filters' });
  });

  it('refuses more than 100 values in $in', () => {
    const many = Array.from({ length: 101 }, (_, i) => `filters[views][$in][${i}]=${i}`).join('&');
    expect(errorOf(many).details).toMatchObject({ key: '$in', param: 'filters' });
    const enough = Array.from({ length: 100 }, (_, i) => `filters[views][$in][${i}]=${i}`).join('&');
    expect(() => parse(enough)).not.toThrow();
  });

  it('refuses filters nested deeper than 5 levels', () => {
    const deep = 'filters[$and][0][$and][0][$and][0][$and][0][$and][0][title][$eq]=x';
    expect(errorOf(deep).details).toMatchObject({ param: 'filters' });
    expect(() => parse('filters[$and][0][$and][0][$and][0][title][$eq]=x')).not.toThrow();
  });
});

describe('query parsing: sort, pagination, fields, populate', () => {
  it('accepts every sort form', () => {
    const forms = ['sort=title,views:desc', 'sort[0]=title&sort[1]=views:desc', 'sort[0]=title:asc&sort[1]=views:DESC'];
    for (const form of forms) {
      expect(parse(form).sort.map((s) => [s.column.name, s.direction])).toEqual([
        ['title', 'asc'],
        ['views', 'desc'],
      ]);
    }
    expect(parse('sort=category.name:desc').sort[0]).toMatchObject({
      via: [{ name: 'category' }],
      column: { name: 'name' },
      direction: 'desc',
    });
  });

  it.each(['sort=nope', 'sort=title:up', 'sort=tags.name', 'sort=editorNote', 'sort=metadata'])(
    'refuses %s',
    (query) => {
      expect(errorOf(query).details).toMatchObject({ param: 'sort', source: 'query' });
    },
  );

  it('caps pageSize and limit at the maximum instead of refusing', () => {
    expect(parse('pagination[pageSize]=1000').pagination).toMatchObject({ pageSize: 100 });
    expect(parse('pagination[limit]=-1').pagination).toMatchObject({ style: 'offset', start: 0, limit: 100 });
  });

  it('refuses mixed pagination styles with a PaginationError', () => {
    const err = errorOf('pagination[page]=1&pagination[limit]=5');
    expect(err.status).toBe(400);
    expect(err.name).toBe('PaginationError');
  });

  it('keeps only the fields asked for', () => {
    const q = parse('fields=title,slug');
    expect(q.selection.fields.map((f) => f.name)).toEqual(['title', 'slug']);
    expect(q.selection.system.size).toBe(0);
  });

  it('populates relations in list and object form, with nested options', () => {
    const q = parse(
      'populate[category][fields][0]=name&populate[tags][sort]=name:desc&populate[author][populate][0]=profile',
    );
    expect([...q.selection.populate.keys()]).toEqual(['category', 'tags', 'author']);
    const author = q.selection.populate.get('author');
    expect(author?.kind === 'relation' && [...author.selection.populate.keys()]).toEqual(['profile']);
  });

  it('populates a dynamic zone per component with `on`, selecting only the components listed', () => {
    const q = parse('populate[blocks][on][shared.quote][fields][0]=text');
    const blocks = q.selection.populate.get('blocks');
    expect(blocks?.kind).toBe('component');
    if (blocks?.kind === 'component') {
      expect([...blocks.components.keys()]).toEqual(['shared.quote']);
      expect(blocks.components.get('shared.quote')?.fields.map((f) => f.name)).toEqual(['text']);
    }
  });

  it('selects every component of a dynamic zone without `on`', () => {
    const blocks = parse('populate[blocks][populate]=*').selection.populate.get('blocks');
    expect(blocks?.kind === 'component' && [...blocks.components.keys()]).toEqual(['shared.quote', 'shared.rich-text']);
  });

  it('refuses a relation the caller may not read with 403, and leaves it out of populate=*', () => {
    expect(() => parse('populate=category', ['article'])).toThrow(ForbiddenError);
    expect([...parse('populate=*', ['article', 'tag']).selection.populate.keys()]).toEqual([
      'cover',
      'gallery',
      'tags',
      'related',
      'seo',
      'blocks',
    ]);
  });

  it('refuses populate nested deeper than 5 levels', () => {
    const deep =
      'populate[related][populate][related][populate][related][populate][related]' +
      '[populate][related][populate][related]=true';
    expect(errorOf(deep).details).toMatchObject({ param: 'populate' });
  });

  it('refuses unknown top-level parameters', () => {
    expect(errorOf('publicationState=live').details).toEqual({
      key: 'publicationState',
      path: 'publicationState',
      source: 'query',
      param: 'publicationState',
    });
  });
});

describe('query parsing: field permissions (ParseContext.canReadField)', () => {
  // Reads every type, but neither an author's name nor an article's views.
  const hidden = new Set(['author.name', 'article.views']);
  const restricted: ParseContext = { ...ctx(), canReadField: (uid, field) => !hidden.has(`${uid}.${field}`) };
  const refused = (qs: string, type = article) => {
    try {
      parseContentQuery(type, parseQueryString(qs), restricted);
    } catch (err) {
      return [(err as FolioError).status, (err as FolioError).details.key];
    }
    return 'accepted';
  };

  it('refuses a hidden field in every segment of filters, sort, fields and populate (400)', () => {
    expect(refused('filters[views][$gt]=1')).toEqual([400, 'views']);
    expect(refused('filters[author][name][$startsWith]=Ada')).toEqual([400, 'name']);
    expect(refused('filters[$or][0][author][name][$eq]=Ada')).toEqual([400, 'name']);
    expect(refused('filters[articles][views][$gt]=100', schema.contentTypes.get('category'))).toEqual([400, 'views']);
    expect(refused('sort=author.name:asc')).toEqual([400, 'author.name']);
    expect(refused('fields[0]=views')).toEqual([400, 'views']);
    expect(refused('populate[author][fields][0]=name')).toEqual([400, 'name']);
    expect(refused('populate[author][sort]=name')).toEqual([400, 'name']);
    expect(refused('populate[related][filters][views][$eq]=1')).toEqual([400, 'views']);
  });

  it('leaves hidden fields out of default selections and searches, at any depth', () => {
    const q = parseContentQuery(article, parseQueryString('populate[author]=true&_q=ada'), restricted);
    expect(q.selection.fields.map((f) => f.name)).not.toContain('views');
    const author = q.selection.populate.get('author');
    expect(author?.kind === 'relation' && author.selection.fields.map((f) => f.name)).toEqual([]);
    const authorSearch = parseContentQuery(schema.contentTypes.get('author')!, parseQueryString('_q=ada'), restricted);
    // Nothing the caller may read to search in: nothing matches.
    expect(authorSearch.filter).toEqual({
      kind: 'compare',
      column: expect.objectContaining({ name: 'id' }),
      op: '$null',
      value: true,
    });
  });

  it('accepts what the caller may read', () => {
    expect(refused('filters[author][id][$eq]=1&sort=category.name:asc&populate[category][fields][0]=name')).toBe(
      'accepted',
    );
  });
});

describe('query parsing: prototype names', () => {
  it.each([
    'sort=constructor',
    'sort=toString:desc',
    'filters[hasOwnProperty][$eq]=1',
    'sort=category.valueOf',
    'filters[category][constructor][$eq]=1',
    'fields[0]=valueOf',
    'populate=toString',
  ])('refuses %s with a 400, never a lookup on Object.prototype', (qs) => {
    expect(errorOf(qs).status).toBe(400);
  });
});
