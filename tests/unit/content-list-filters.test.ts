// What the content manager's list asks the Admin API for (admin/src/content/list/apiFilters.ts):
// each filter input becomes a Strapi-style condition; names outside the type's schema, and values
// of the wrong kind, are never sent.
import { describe, expect, it } from '@jest/globals';
import { toApiFilters } from '../../admin/src/content/list/apiFilters.js';

const article = {
  attributes: {
    slug: { type: 'uid' },
    title: { type: 'string' },
    views: { type: 'integer' },
    featured: { type: 'boolean' },
    kind: { type: 'enumeration', enum: ['news', 'guide'] },
    day: { type: 'date' },
    cover: { type: 'media' },
    tags: { type: 'relation', relation: 'manyToMany', target: 'tag' },
    note: { type: 'string', private: true },
    body: { type: 'richtext' },
    metadata: { type: 'json' },
  },
};

describe('the list filters sent to the API', () => {
  it('asks text fields to contain the words, in any case', () => {
    expect(toApiFilters(article, { title: 'Rust' })).toEqual({ $and: [{ title: { $containsi: 'Rust' } }] });
  });

  it('asks relations for any of the chosen targets by documentId', () => {
    expect(toApiFilters(article, { tags: ['a1', 'b2'] })).toEqual({
      $and: [{ tags: { documentId: { $in: ['a1', 'b2'] } } }],
    });
  });

  it('keeps both ends of a date range, each inclusive', () => {
    expect(toApiFilters(article, { 'day@from': '2026-03-01', 'day@to': '2026-03-31' })).toEqual({
      $and: [{ day: { $gte: '2026-03-01' } }, { day: { $lte: '2026-03-31' } }],
    });
  });

  it("ends a datetime range where the editor's next day starts", () => {
    const to = new Date(2026, 2, 31 + 1).toISOString();
    expect(toApiFilters(article, { 'updatedAt@to': '2026-03-31' })).toEqual({ $and: [{ updatedAt: { $lt: to } }] });
  });

  it('filters by "no" as well as "yes", and by an enumeration value and a number range', () => {
    expect(toApiFilters(article, { featured: false, kind: 'news', 'views@from': 10 })).toEqual({
      $and: [{ featured: { $eq: false } }, { kind: { $eq: 'news' } }, { views: { $gte: 10 } }],
    });
  });

  it('sends nothing for empty inputs, unknown or private names, or values of the wrong kind', () => {
    expect(
      toApiFilters(article, {
        title: '',
        constructor: 'x',
        gone: 'stale saved filter',
        note: 'private',
        metadata: 'json',
        'day@between': '2026-01-01',
        'views@from': 'ten',
        'day@from': 'yesterday',
      }),
    ).toEqual({});
  });
});
