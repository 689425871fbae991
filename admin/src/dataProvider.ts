// react-admin's dataProvider over the Admin API's list/one conventions (README):
//   GET    /admin-api/<resource>?page&pageSize&sort=field:asc&q=text&filters[field]=value
//          → { data: [...], meta: { pagination: { page, pageSize, pageCount, total } } }
//   GET|PUT|DELETE /admin-api/<resource>/:id → { data }     POST /admin-api/<resource> → 201 { data }
// Generic: every resource (settings, content types, media) goes through it unchanged.
import type {
  CreateParams,
  DataProvider,
  DeleteManyParams,
  DeleteParams,
  GetListParams,
  GetManyParams,
  GetManyReferenceParams,
  GetOneParams,
  Identifier,
  RaRecord,
  UpdateManyParams,
  UpdateParams,
} from 'react-admin';
import { api } from './http';

export const API_ROOT = '/admin-api';

interface ListBody {
  data: RaRecord[];
  meta?: { pagination?: { page: number; pageSize: number; pageCount: number; total: number } };
}

interface OneBody {
  data: RaRecord;
  meta?: Record<string, unknown>;
}

function resourceUrl(resource: string, id?: Identifier): string {
  const base = `${API_ROOT}/${resource.split('/').map(encodeURIComponent).join('/')}`;
  return id === undefined ? base : `${base}/${encodeURIComponent(String(id))}`;
}

/** A filter's value in the query string: text, numbers and booleans as written, anything else as JSON. */
function queryText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** filters { a: 1, b: [1, 2], q: 'x' } → q=x&filters[a]=1&filters[b][$in][0]=1&filters[b][$in][1]=2 */
export function listQuery(params: {
  pagination?: { page: number; perPage: number };
  sort?: { field: string; order: string };
  filter?: Record<string, unknown>;
}): string {
  const search = new URLSearchParams();
  if (params.pagination) {
    search.set('page', String(params.pagination.page));
    search.set('pageSize', String(params.pagination.perPage));
  }
  if (params.sort?.field) search.set('sort', `${params.sort.field}:${params.sort.order === 'DESC' ? 'desc' : 'asc'}`);
  for (const [field, value] of Object.entries(params.filter ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (field === 'q') search.set('q', queryText(value));
    else if (Array.isArray(value))
      value.forEach((v: unknown, i) => search.append(`filters[${field}][$in][${i}]`, queryText(v)));
    else search.set(`filters[${field}]`, queryText(value));
  }
  return search.toString();
}

async function getList<R extends RaRecord>(
  resource: string,
  params: Parameters<typeof listQuery>[0] & { signal?: AbortSignal },
) {
  const query = listQuery(params);
  const { json } = await api<ListBody>(`${resourceUrl(resource)}${query ? `?${query}` : ''}`, {
    signal: params.signal,
  });
  return { data: json.data as R[], total: json.meta?.pagination?.total ?? json.data.length };
}

export const dataProvider: DataProvider = {
  async getList<R extends RaRecord>(resource: string, params: GetListParams) {
    return getList<R>(resource, params);
  },

  async getOne<R extends RaRecord>(resource: string, params: GetOneParams<R>) {
    const { json } = await api<OneBody>(resourceUrl(resource, params.id), { signal: params.signal });
    return { data: json.data as R };
  },

  async getMany<R extends RaRecord>(resource: string, params: GetManyParams<R>) {
    // The conventions have no "by ids" list; a reference field asks for a handful at most.
    const data = await Promise.all(
      params.ids.map(
        async (id) => (await api<OneBody>(resourceUrl(resource, id), { signal: params.signal })).json.data as R,
      ),
    );
    return { data };
  },

  async getManyReference<R extends RaRecord>(resource: string, params: GetManyReferenceParams) {
    // react-admin types the filter as `any`: it is the reference list's own filters.
    const filter = params.filter as Record<string, unknown>;
    return getList<R>(resource, { ...params, filter: { ...filter, [params.target]: params.id } });
  },

  async create<R extends Omit<RaRecord, 'id'>, Result extends RaRecord = R & { id: Identifier }>(
    resource: string,
    params: CreateParams<R>,
  ) {
    const { json } = await api<OneBody>(resourceUrl(resource), { method: 'POST', body: params.data });
    // What the server says once about the new record (an invitation link…) travels along as $meta.
    return { data: (json.meta ? { ...json.data, $meta: json.meta } : json.data) as Result };
  },

  async update<R extends RaRecord>(resource: string, params: UpdateParams<R>) {
    const { json } = await api<OneBody>(resourceUrl(resource, params.id), { method: 'PUT', body: params.data });
    return { data: json.data as R };
  },

  async updateMany(resource: string, params: UpdateManyParams) {
    await Promise.all(params.ids.map((id) => api(resourceUrl(resource, id), { method: 'PUT', body: params.data })));
    return { data: params.ids };
  },

  async delete<R extends RaRecord>(resource: string, params: DeleteParams<R>) {
    const { json } = await api<OneBody | undefined>(resourceUrl(resource, params.id), { method: 'DELETE' });
    return { data: (json?.data ?? params.previousData ?? { id: params.id }) as R };
  },

  async deleteMany(resource: string, params: DeleteManyParams) {
    await Promise.all(params.ids.map((id: Identifier) => api(resourceUrl(resource, id), { method: 'DELETE' })));
    return { data: params.ids };
  },
};
