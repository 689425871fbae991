// The content manager's side of the dataProvider. The Admin API answers documents with their
// relations populated ({ documentId, <main field> }) and media as file objects; forms edit relations
// as documentIds, which is also what the API takes on writes. Everything else goes through the
// generic dataProvider unchanged (entries are addressed by documentId, given as `id`).
import qs from 'qs';
import type { DataProvider, GetListParams, Identifier, RaRecord } from 'react-admin';
import { api } from '../http';
import { listQuery } from '../dataProvider';
import { toApiFilters } from './list/apiFilters';
import { component, contentType, isToMany, typeOfResource, type Attribute, type ContentTypeInfo } from './schema';

type Values = Record<string, unknown>;

function isObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function documentIdOf(value: unknown): unknown {
  return isObject(value) && typeof value.documentId === 'string' ? value.documentId : value;
}

/** API record → form values: relations become documentIds, at every component level. */
export function toForm(values: Values, attributes: Record<string, Attribute>): Values {
  const out: Values = { ...values };
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = values[name];
    if (value === undefined) continue;
    if (attribute.type === 'relation') {
      out[name] = isToMany(attribute)
        ? Array.isArray(value)
          ? value.map(documentIdOf)
          : []
        : (documentIdOf(value) ?? null);
    } else if (attribute.type === 'component') {
      const attrs = component(attribute.component ?? '')?.attributes ?? {};
      if (attribute.repeatable)
        out[name] = Array.isArray(value)
          ? value.map((item: unknown) => (isObject(item) ? toForm(item, attrs) : item))
          : [];
      else out[name] = isObject(value) ? toForm(value, attrs) : null;
    } else if (attribute.type === 'dynamiczone') {
      out[name] = Array.isArray(value)
        ? value.map((item: unknown) =>
            isObject(item) ? toForm(item, component(String(item.__component))?.attributes ?? {}) : item,
          )
        : [];
    } else if (attribute.type === 'json') {
      // Edited as text in a JSON editor; parsed back before saving. (Blocks stay as they are: their
      // editor edits Strapi's block nodes themselves.)
      out[name] = value === null ? '' : JSON.stringify(value, null, 2);
    }
  }
  return out;
}

function idList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(documentIdOf(v)));
  return value === null || value === undefined || value === '' ? [] : [String(documentIdOf(value))];
}

/**
 * Form values → write body: media by file id, JSON text parsed, keys the API ignores left out.
 * With the values as loaded (`previous`), top-level relations are sent as connect/disconnect of
 * what changed: links the role cannot see (left out of the form) are kept, not overwritten.
 */
export function toWrite(values: Values, attributes: Record<string, Attribute>, previous?: Values): Values {
  const out: Values = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!(name in values)) continue;
    const value = values[name];
    if (attribute.type === 'relation' && previous && name in previous) {
      const before = idList(previous[name]);
      const after = idList(value);
      const connect = after.filter((id) => !before.includes(id));
      const disconnect = before.filter((id) => !after.includes(id));
      if (connect.length || disconnect.length) out[name] = { connect, disconnect };
      continue;
    }
    if (attribute.type === 'password' && (value === '' || value === null || value === undefined)) continue; // unchanged
    if (attribute.type === 'media') {
      const id = (v: unknown) => (isObject(v) ? v.id : v);
      out[name] = Array.isArray(value) ? value.map(id) : value === undefined ? null : id(value);
    } else if (attribute.type === 'component') {
      const attrs = component(attribute.component ?? '')?.attributes ?? {};
      const one = (item: unknown) =>
        isObject(item) ? { ...(item.id !== undefined ? { id: item.id } : {}), ...toWrite(item, attrs) } : item;
      out[name] = attribute.repeatable ? (Array.isArray(value) ? value.map(one) : []) : value ? one(value) : null;
    } else if (attribute.type === 'dynamiczone') {
      out[name] = Array.isArray(value)
        ? value.map((item: unknown) =>
            isObject(item)
              ? {
                  __component: item.__component,
                  ...toWrite(item, component(String(item.__component))?.attributes ?? {}),
                }
              : item,
          )
        : [];
    } else if (attribute.type === 'json' || attribute.type === 'blocks') {
      out[name] = typeof value === 'string' ? (value.trim() === '' ? null : JSON.parse(value)) : value;
    } else {
      out[name] =
        value === '' && attribute.type !== 'string' && attribute.type !== 'text' && attribute.type !== 'richtext'
          ? null
          : value;
    }
  }
  return out;
}

const SINGLE_ID = 'single';

function localeSuffix(meta: unknown): string {
  const locale = isObject(meta) && typeof meta.locale === 'string' ? meta.locale : undefined;
  return locale ? `?locale=${encodeURIComponent(locale)}` : '';
}

/** The relation lookup of a picker (GET /admin-api/content/:uid/relations/:field). */
async function lookup(path: string, params: GetListParams) {
  // react-admin types a list's filter as `any`: it is the picker's own { q }.
  const query = listQuery({ pagination: params.pagination, filter: params.filter as Record<string, unknown> });
  const { json } = await api<{ data: RaRecord[]; meta?: { pagination?: { total: number } } }>(
    `/admin-api/content/${path}${path.includes('?') ? '&' : '?'}${query}`,
    { signal: params.signal },
  );
  return { data: json.data, total: json.meta?.pagination?.total ?? json.data.length };
}

/** The chosen targets of a picker, through its relation lookup, 100 per request. */
async function pickedByIds(path: string, ids: readonly Identifier[], signal?: AbortSignal) {
  const data: RaRecord[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const search = new URLSearchParams();
    ids.slice(i, i + 100).forEach((id, j) => search.set(`ids[${j}]`, String(id)));
    const { json } = await api<{ data: RaRecord[] }>(
      `/admin-api/content/${path}${path.includes('?') ? '&' : '?'}${search}`,
      { signal },
    );
    data.push(...json.data);
  }
  return { data };
}

/** The ETag of the version an answer shows, kept on the record (`__etag`) to be sent back as If-Match. */
function versionOf(headers: Headers): { __etag?: string } {
  const etag = headers.get('ETag');
  return etag ? { __etag: etag } : {};
}

export function withContent(base: DataProvider): DataProvider {
  return {
    ...base,
    async getList(resource, params) {
      const path = isObject(params.meta) && typeof params.meta.lookup === 'string' ? params.meta.lookup : undefined;
      if (path) return lookup(path, params) as never;
      const type = typeOfResource(resource);
      if (!type) return base.getList(resource, params);
      // status, locale and the search are parameters of the list itself; the rest are the list's filters.
      const { status, locale, q, ...filter } = (params.filter ?? {}) as Values;
      const search = new URLSearchParams(listQuery({ ...params, filter: { q } }));
      if (typeof status === 'string' && status) search.set('status', status);
      if (typeof locale === 'string' && locale) search.set('locale', locale);
      const filters = qs.stringify({ filters: toApiFilters(type, filter) }, { encodeValuesOnly: true });
      const { json } = await api<{ data: Values[]; meta?: { pagination?: { total: number } } }>(
        `/admin-api/content/${type.uid}?${search}${filters ? `&${filters}` : ''}`,
        { signal: params.signal },
      );
      // Same shape as getOne (react-admin primes its record cache with list rows).
      return {
        data: json.data.map((e) => toForm(e, type.attributes)) as never,
        total: json.meta?.pagination?.total ?? json.data.length,
      };
    },
    async getMany(resource, params) {
      const type = typeOfResource(resource);
      if (!type || type.kind !== 'collectionType') return base.getMany(resource, params);
      const path = isObject(params.meta) && typeof params.meta.lookup === 'string' ? params.meta.lookup : undefined;
      // A picker's chosen targets are read as the picker lists them (the link right): an Author may
      // link tags it cannot read, and a chosen tag that could not be read back would drop from the
      // selection at the next search.
      if (path) return pickedByIds(path, params.ids, params.signal) as never;
      // One list request per 100 documentIds, rather than one request per id.
      const data: Values[] = [];
      for (let i = 0; i < params.ids.length; i += 100) {
        const search = new URLSearchParams({ pageSize: '100' });
        params.ids.slice(i, i + 100).forEach((id, j) => search.set(`filters[documentId][$in][${j}]`, String(id)));
        const { json } = await api<{ data: Values[] }>(`/admin-api/content/${type.uid}?${search}`, {
          signal: params.signal,
        });
        data.push(...json.data);
      }
      return { data: data as never };
    },
    async getOne(resource, params) {
      const type = typeOfResource(resource);
      if (!type) return base.getOne(resource, params);
      if (type.kind === 'singleType') {
        const url = `/admin-api/content/single-types/${type.uid}${localeSuffix(params.meta)}`;
        const { json, headers } = await api<{ data: Values | null }>(url, { signal: params.signal });
        const form = toForm(json.data ?? {}, type.attributes);
        const $documentId = json.data?.documentId ?? null;
        return { data: { ...form, id: SINGLE_ID, $documentId, ...versionOf(headers) } as never };
      }
      try {
        const documentUrl = `/admin-api/content/${type.uid}/${encodeURIComponent(String(params.id))}`;
        const { json, headers } = await api<{ data: Values }>(`${documentUrl}${localeSuffix(params.meta)}`, {
          signal: params.signal,
        });
        return { data: { ...toForm(json.data, type.attributes), ...versionOf(headers) } as never };
      } catch (err) {
        // A locale the document has no version in yet: an empty form, saved as that new locale.
        const locale = isObject(params.meta) ? params.meta.locale : undefined;
        if (!type.localized || typeof locale !== 'string' || (err as { status?: number }).status !== 404) throw err;
        return {
          data: { id: params.id, documentId: params.id, locale, __status: 'draft', __newLocale: true } as never,
        };
      }
    },
    async create(resource, params) {
      const type = typeOfResource(resource);
      if (!type) return base.create(resource, params);
      const { json, headers } = await api<{ data: Values }>(
        `/admin-api/content/${type.uid}${localeSuffix(params.meta)}`,
        { method: 'POST', body: toWrite(params.data as Values, type.attributes) },
      );
      // The record exactly as getOne answers it, version included: react-admin keeps it as the edit
      // page's record, and that page's read of it must find the same record, or its form resets to
      // the read and drops what the editor typed meanwhile; a save before that read needs the version too.
      return { data: { ...toForm(json.data, type.attributes), ...versionOf(headers) } as never };
    },
    async update(resource, params) {
      const type = typeOfResource(resource);
      if (!type) return base.update(resource, params);
      const url =
        type.kind === 'singleType'
          ? `/admin-api/content/single-types/${type.uid}`
          : `/admin-api/content/${type.uid}/${encodeURIComponent(String(params.id))}`;
      const previous =
        params.previousData && !(params.previousData as Values).__newLocale
          ? (params.previousData as Values)
          : undefined;
      // The version read: a save over someone else's newer one is refused (409) instead of overwriting it.
      const etag = previous?.__etag;
      const { json, headers } = await api<{ data: Values }>(`${url}${localeSuffix(params.meta)}`, {
        method: 'PUT',
        body: toWrite(params.data as Values, type.attributes, previous),
        headers: typeof etag === 'string' ? { 'If-Match': etag } : undefined,
      });
      // react-admin merges this into the cached record: say explicitly that the locale exists now.
      const data = { ...toForm(json.data, type.attributes), __newLocale: false, ...versionOf(headers) };
      return {
        data: (type.kind === 'singleType'
          ? { ...data, id: SINGLE_ID, $documentId: json.data.documentId }
          : data) as never,
      };
    },
    async deleteMany(resource, params) {
      const type = typeOfResource(resource);
      if (!type) return base.deleteMany(resource, params);
      await api(`/admin-api/content/${type.uid}/actions/bulk-delete`, {
        method: 'POST',
        body: { documentIds: params.ids },
      });
      return { data: params.ids };
    },
  };
}

/** Publish, unpublish, discard (one document) and bulk publish. */
export async function documentAction(
  uid: string,
  documentId: string,
  action: 'publish' | 'unpublish' | 'discard',
  locale?: string,
): Promise<Values> {
  const { json } = await api<{ data: Values }>(
    `/admin-api/content/${uid}/${encodeURIComponent(documentId)}/actions/${action}` +
      `${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`,
    { method: 'POST' },
  );
  return json.data;
}

/** The site's preview page of a draft, with its short-lived preview token. */
export async function previewLink(
  uid: string,
  documentId: string,
  locale?: string,
): Promise<{ url: string; token: string; expiresAt: string }> {
  const { json } = await api<{ data: { url: string; token: string; expiresAt: string } }>(
    `/admin-api/content/${uid}/${encodeURIComponent(documentId)}/preview` +
      `${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`,
    { method: 'POST' },
  );
  return json.data;
}

export async function bulkPublish(
  uid: string,
  documentIds: string[],
): Promise<{ count: number; failed: { documentId: string; message: string }[] }> {
  const { json } = await api<{ data: { count: number; failed: { documentId: string; message: string }[] } }>(
    `/admin-api/content/${uid}/actions/bulk-publish`,
    { method: 'POST', body: { documentIds } },
  );
  return json.data;
}

export async function uidAvailability(
  uid: string,
  field: string,
  params: { value?: string; from?: string; documentId?: string },
): Promise<{ available: boolean | null; suggestion: string | null }> {
  const search = new URLSearchParams({ field });
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const { json } = await api<{ data: { available: boolean | null; suggestion: string | null } }>(
    `/admin-api/content/${uid}/uid-available?${search}`,
  );
  return json.data;
}

export { contentType };

/** A field the server left out of a duplicate, and why (POST …/actions/duplicate, `meta.skipped`). */
export interface SkippedField {
  field: string;
  reason: string;
}

/** "Duplicate this entry": a new draft with the same fields; answers the copy and what was left out. */
export async function duplicateDocument(
  uid: string,
  documentId: string,
  locale?: string,
): Promise<{ data: Values; skipped: SkippedField[] }> {
  const { json } = await api<{ data: Values; meta?: { skipped?: SkippedField[] } }>(
    `/admin-api/content/${uid}/${encodeURIComponent(documentId)}/actions/duplicate` +
      `${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`,
    { method: 'POST' },
  );
  return { data: json.data, skipped: json.meta?.skipped ?? [] };
}

/** A component instance without its id (and its own components' ids), to be saved as a new one. */
function freshInstance(item: unknown, attributes: Record<string, Attribute>): unknown {
  if (!isObject(item)) return item;
  const { id: _id, ...rest } = item;
  for (const [name, attribute] of Object.entries(attributes))
    if (Object.hasOwn(rest, name)) rest[name] = freshComponents(rest[name], attribute);
  return rest;
}

/** Components read from another version, made new: saved with their ids they would be that version's. */
function freshComponents(value: unknown, attribute: Attribute): unknown {
  const attrsOf = (item: unknown) =>
    component(
      attribute.type === 'dynamiczone' && isObject(item) ? String(item.__component) : (attribute.component ?? ''),
    )?.attributes ?? {};
  if (attribute.type !== 'component' && attribute.type !== 'dynamiczone') return value;
  return Array.isArray(value)
    ? value.map((item) => freshInstance(item, attrsOf(item)))
    : freshInstance(value, attrsOf(value));
}

/**
 * Another locale's version of a document as form values for this one, limited to localized attributes
 * (those not marked `pluginOptions.i18n.localized: false`); `null` when the document has no such version.
 */
export async function localeValues(type: ContentTypeInfo, documentId: string, locale: string): Promise<Values | null> {
  const url = `/admin-api/content/${type.uid}/${encodeURIComponent(documentId)}?locale=${encodeURIComponent(locale)}`;
  let data: Values;
  try {
    data = (await api<{ data: Values }>(url)).json.data;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
  const form = toForm(data, type.attributes);
  const out: Values = {};
  for (const [name, attribute] of Object.entries(type.attributes)) {
    if (!Object.hasOwn(form, name) || attribute.pluginOptions?.i18n?.localized === false) continue;
    out[name] = freshComponents(form[name], attribute);
  }
  return out;
}
