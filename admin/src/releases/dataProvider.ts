// The releases resource over the Admin API. GET /admin-api/releases answers every release (newest
// first, at most 500) and takes no paging or sorting query: react-admin's list pages, sorts and
// filters that answer here. A rename sends only the name (the route takes nothing else).
import type { DataProvider, GetListParams, RaRecord, UpdateParams } from 'react-admin';
import { listReleases, renameRelease } from './api';

export const RELEASES_RESOURCE = 'releases';

/** Numbers as numbers, anything else as text (names, ISO dates, statuses). */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return (typeof a === 'string' ? a : JSON.stringify(a)).localeCompare(typeof b === 'string' ? b : JSON.stringify(b));
}

/** The page of `rows` a list asks for: filtered by status, sorted, sliced. */
export function listPage<R extends Record<string, unknown>>(
  rows: R[],
  params: GetListParams,
): { data: R[]; total: number } {
  const filter = (params.filter ?? {}) as Record<string, unknown>;
  const status = filter.status;
  const q = typeof filter.q === 'string' ? filter.q.trim().toLowerCase() : '';
  let out = rows.filter((r) => (!status || r.status === status) && (!q || String(r.name).toLowerCase().includes(q)));
  const sort = params.sort;
  if (sort?.field) {
    const sign = sort.order === 'DESC' ? -1 : 1;
    out = [...out].sort((a, b) => {
      const missing = (v: unknown) => v === null || v === undefined;
      // Unset values stay last whichever way the column is sorted.
      if (missing(a[sort.field]) !== missing(b[sort.field])) return missing(a[sort.field]) ? 1 : -1;
      return sign * compare(a[sort.field], b[sort.field]);
    });
  }
  const total = out.length;
  if (params.pagination) {
    const { page, perPage } = params.pagination;
    out = out.slice((page - 1) * perPage, page * perPage);
  }
  return { data: out, total };
}

export function withReleases(provider: DataProvider): DataProvider {
  return {
    ...provider,
    async getList<R extends RaRecord>(resource: string, params: GetListParams) {
      if (resource !== RELEASES_RESOURCE) return provider.getList<R>(resource, params);
      const rows = (await listReleases(params.signal)) as unknown as R[];
      return listPage(rows, params);
    },
    async update<R extends RaRecord>(resource: string, params: UpdateParams<R>) {
      if (resource !== RELEASES_RESOURCE) return provider.update<R>(resource, params);
      const name: unknown = (params.data as { name?: unknown }).name;
      const data = await renameRelease(Number(params.id), typeof name === 'string' ? name : '');
      return { data: data as unknown as R };
    },
  };
}
