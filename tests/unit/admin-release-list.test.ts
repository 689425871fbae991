// The releases list is paged, sorted and filtered in the browser (admin/src/releases/listPage.ts).
import { describe, expect, it } from '@jest/globals';
import { listPage } from '../../admin/src/releases/listPage.js';

const rows = [
  { id: 1, name: 'Monday front page', status: 'published', scheduledAt: null },
  { id: 2, name: 'Weekend edition', status: 'scheduled', scheduledAt: '2026-12-12T01:30:00.000Z' },
  { id: 3, name: 'Night edition', status: 'open', scheduledAt: null },
  { id: 4, name: 'Morning edition', status: 'scheduled', scheduledAt: '2026-12-08T01:30:00.000Z' },
];

const ids = (page: { data: { id: number }[] }) => page.data.map((r) => r.id);

describe('the releases list page', () => {
  it('sorts by id newest first and slices the page asked for, counting them all', () => {
    const page = listPage(rows, {
      sort: { field: 'id', order: 'DESC' },
      pagination: { page: 2, perPage: 3 },
      filter: {},
    });
    expect(ids(page)).toEqual([1]);
    expect(page.total).toBe(4);
  });

  it('keeps releases without a time last, whichever way times are sorted', () => {
    const asc = listPage(rows, { sort: { field: 'scheduledAt', order: 'ASC' }, filter: {} });
    const desc = listPage(rows, { sort: { field: 'scheduledAt', order: 'DESC' }, filter: {} });
    expect(ids(asc).slice(0, 2)).toEqual([4, 2]);
    expect(ids(desc).slice(0, 2)).toEqual([2, 4]);
  });

  it('filters by status and by a part of the name, ignoring case', () => {
    expect(ids(listPage(rows, { filter: { status: 'scheduled' } }))).toEqual([2, 4]);
    expect(ids(listPage(rows, { filter: { q: 'EDITION', status: 'open' } }))).toEqual([3]);
  });
});
