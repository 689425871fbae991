// A page of the releases list, made in the browser: the route answers every release (at most 500)
// and takes no paging, sorting or filter.
import type { GetListParams } from 'react-admin';

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
