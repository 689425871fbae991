// The releases resource over the Admin API. GET /admin-api/releases answers every release (newest
// first, at most 500) and takes no paging or sorting query: react-admin's list pages, sorts and
// filters that answer here. A rename sends only the name (the route takes nothing else).
import type { DataProvider, GetListParams, RaRecord, UpdateParams } from 'react-admin';
import { listReleases, renameRelease } from './api';
import { listPage } from './listPage';

export const RELEASES_RESOURCE = 'releases';

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
