// The dashboard's handling of a refused stale save (admin/src/content): which errors are conflicts,
// with who saved and when, and which fields the "Review their version" view lists as different.
import { describe, expect, it } from '@jest/globals';
import { conflictOf, httpError } from '../../admin/src/http.js';
import { differingFields } from '../../admin/src/content/conflictFields.js';

const envelope = (status: number, details: Record<string, unknown>) => ({
  data: null,
  error: { status, name: 'ConflictError', message: 'The entry was changed since you read it', details },
});

const ARTICLE = {
  title: { type: 'string' },
  body: { type: 'blocks' },
  tags: { type: 'relation' },
  secret: { type: 'password' },
  constructor: { type: 'string' },
};

describe('conflictOf', () => {
  it('reads who saved and when from a 409 on If-Match', () => {
    const updatedAt = '2026-12-06T10:00:00.000Z';
    const err = httpError(409, 'Conflict', envelope(409, { updatedAt, updatedBy: { id: 2, name: 'Bob' } }));
    expect(conflictOf(err)).toEqual({ by: 'Bob', at: updatedAt });
  });

  it('names nobody when the last change was not an admin’s', () => {
    const err = httpError(409, 'Conflict', envelope(409, { updatedAt: '2026-12-06T10:00:00.000Z', updatedBy: null }));
    expect(conflictOf(err)).toEqual({ by: null, at: '2026-12-06T10:00:00.000Z' });
  });

  it('is no conflict for another 409 (a unique value taken) or another status', () => {
    expect(conflictOf(httpError(409, 'Conflict', envelope(409, { field: 'slug' })))).toBeUndefined();
    expect(conflictOf(httpError(400, 'Bad Request', envelope(400, { updatedAt: 'x' })))).toBeUndefined();
    expect(conflictOf(new Error('offline'))).toBeUndefined();
  });
});

describe('differingFields', () => {
  it('lists only the fields whose values differ, in the type’s order', () => {
    const theirs = { title: 'Bob', body: [{ type: 'paragraph', children: [] }], tags: ['t1', 't2'] };
    const mine = { title: 'Ada', body: [{ children: [], type: 'paragraph' }], tags: ['t1'] };
    expect(differingFields(ARTICLE, theirs, mine)).toEqual([
      { name: 'title', theirs: 'Bob', mine: 'Ada' },
      { name: 'tags', theirs: ['t1', 't2'], mine: ['t1'] },
    ]);
  });

  it('treats empty, null and missing as the same, and never shows a password', () => {
    expect(differingFields(ARTICLE, { title: '', secret: 'a' }, { title: null, secret: 'b' })).toEqual([]);
  });

  it('reads a field named like an Object method only from the values themselves', () => {
    expect(differingFields(ARTICLE, {}, {})).toEqual([]);
    expect(differingFields(ARTICLE, { constructor: 'x' }, {})).toEqual([
      { name: 'constructor', theirs: 'x', mine: undefined },
    ]);
  });
});
