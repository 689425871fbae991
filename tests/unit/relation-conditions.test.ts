// restrictRelations (content/operations/relation-conditions.ts): where a role's read conditions go
// inside the relation paths of an editor's query, and that a caller without conditions keeps its
// query exactly as parsed (the same nodes: the same SQL, the same statement templates).
import { describe, expect, it } from '@jest/globals';
import { restrictRelations } from '../../server/content/operations/relation-conditions.js';
import type { ContentQuery, Filter } from '../../server/content/query/ast.js';
import { DEFAULT_LIMITS, parseContentQuery, parseQueryString } from '../../server/content/query/parse.js';
import { buildModel } from '../../server/schema/model.js';
import { ForbiddenError } from '../../server/errors.js';
import { callerHolding } from '../helpers/callers.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const schema = buildModel(blogSchema);
const article = schema.contentTypes.get('article')!;

function parse(query: string): ContentQuery {
  return parseContentQuery(article, parseQueryString(query), {
    schema,
    limits: DEFAULT_LIMITS,
    defaultLocale: 'en',
    canRead: () => true,
    forbidden: (uid) => new ForbiddenError(uid),
  });
}

const editor = callerHolding([{ action: ['read', 'update'], subject: 'all' }]);
/** Reads every article, and the categories it created; may write articles' category field. */
const author = callerHolding([
  { action: 'read', subject: 'article' },
  { action: 'update', subject: 'article', fields: ['title', 'category'] },
  { action: 'read', subject: 'category', conditions: { createdBy: 1 } },
]);

/** The filter ANDed into the first relation node of `filter` (null: none there). */
function relationFilter(filter: Filter | null): Filter | null {
  if (!filter) throw new Error('no filter');
  if (filter.kind === 'relation') return filter.filter;
  if (filter.kind === 'and' || filter.kind === 'or') return relationFilter(filter.items[0]);
  if (filter.kind === 'not') return relationFilter(filter.item);
  throw new Error(`no relation in ${filter.kind}`);
}

describe('restrictRelations', () => {
  it('leaves the query of a caller without conditions as it was parsed', () => {
    const query = parse('filters[category][slug][$eq]=x&filters[tags][name]=y&sort=category.slug:asc');
    const { filter, sort } = query;
    restrictRelations(query, editor, schema);
    expect(query.filter).toBe(filter);
    expect(query.sort[0]).toBe(sort[0]);
    expect(query.sort[0].where).toBeUndefined();
  });

  it('ANDs the target’s read conditions into a relation filter on more than the label', () => {
    const query = parse('filters[category][slug][$eq]=x');
    restrictRelations(query, author, schema);
    expect(JSON.stringify(relationFilter(query.filter))).toContain('created_by_id');
  });

  it('keeps a filter on the label of a field the caller may write as it was (the link right)', () => {
    const query = parse('filters[category][name][$eq]=x&filters[category][documentId][$in][0]=d');
    const { filter } = query;
    restrictRelations(query, author, schema);
    expect(query.filter).toBe(filter);
  });

  it('holds the label of a field the caller may only read to the conditions', () => {
    const reader = callerHolding([
      { action: 'read', subject: 'article' },
      { action: 'read', subject: 'category', conditions: { createdBy: 1 } },
    ]);
    const query = parse('filters[category][name][$eq]=x');
    restrictRelations(query, reader, schema);
    expect(JSON.stringify(relationFilter(query.filter))).toContain('created_by_id');
  });

  it('gives each step of a sort through relations its target’s conditions, the label excepted', () => {
    const bySlug = parse('sort=category.slug:asc');
    restrictRelations(bySlug, author, schema);
    expect(bySlug.sort[0].where).toHaveLength(1);
    expect(JSON.stringify(bySlug.sort[0].where?.[0])).toContain('created_by_id');
    const byName = parse('sort=category.name:asc');
    restrictRelations(byName, author, schema);
    expect(byName.sort[0].where).toBeUndefined();
  });

  it('holds "has none" to the rows the caller may read, unless it may link through the field', () => {
    const reader = callerHolding([
      { action: 'read', subject: 'article' },
      { action: 'read', subject: 'category', conditions: { createdBy: 1 } },
    ]);
    const none = parse('filters[category][$null]=true');
    restrictRelations(none, reader, schema);
    expect(none.filter).toMatchObject({ kind: 'relation', exists: false, filter: { kind: 'compare' } });
    const linked = parse('filters[category][$null]=true');
    restrictRelations(linked, author, schema);
    expect(linked.filter).toMatchObject({ kind: 'relation', exists: false, filter: null });
  });
});
