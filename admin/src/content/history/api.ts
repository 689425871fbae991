// The entry's history through the Admin API (docs/content-api.md, "Content history"): its revisions
// page by page, the diff of one against the current draft or the revision before it, and a restore.
// A single type's history lives under /single-types/:uid (its one document).
import { api } from '../../http';
import type { ContentTypeInfo } from '../schema';
import type { FieldDiff } from '../../../../server/content/revisions/diffing.js';

export type {
  FieldDiff,
  FileRef,
  ItemChange,
  LinkRef,
  TextPart,
} from '../../../../server/content/revisions/diffing.js';

export interface RevisionSummary {
  id: number;
  operation: string;
  locale: string | null;
  createdAt: string;
  createdBy: { kind: string; id: number | null; name: string | null } | null;
  schemaVersion: number;
}

export interface RevisionDiff {
  before: RevisionSummary | null;
  after: RevisionSummary | { current: true };
  fields: FieldDiff[];
}

export interface RestoreWarnings {
  skipped: string[];
  dropped: { field: string; documentId?: string; fileId?: number }[];
}

/** Which document's history: the type, the document (collection types) and the locale (localized types). */
export interface HistoryTarget {
  type: ContentTypeInfo;
  documentId: string;
  locale: string | undefined;
}

function base({ type, documentId }: HistoryTarget): string {
  return type.kind === 'singleType'
    ? `/admin-api/content/single-types/${type.uid}/revisions`
    : `/admin-api/content/${type.uid}/${encodeURIComponent(documentId)}/revisions`;
}

function query(target: HistoryTarget, params: Record<string, string | number> = {}): string {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  if (target.type.localized && target.locale) search.set('locale', target.locale);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function listRevisions(
  target: HistoryTarget,
  page: number,
  pageSize: number,
): Promise<{ data: RevisionSummary[]; pageCount: number; total: number }> {
  const { json } = await api<{
    data: RevisionSummary[];
    meta: { pagination: { pageCount: number; total: number } };
  }>(`${base(target)}${query(target, { page, pageSize })}`);
  return { data: json.data, ...json.meta.pagination };
}

export async function revisionDiff(
  target: HistoryTarget,
  id: number,
  to: 'current' | 'previous',
): Promise<RevisionDiff> {
  const { json } = await api<{ data: RevisionDiff }>(`${base(target)}/${id}/diff${query(target, { to })}`);
  return json.data;
}

export async function restoreRevision(target: HistoryTarget, id: number): Promise<RestoreWarnings> {
  const { json } = await api<{ meta: RestoreWarnings }>(`${base(target)}/${id}/restore${query(target)}`, {
    method: 'POST',
  });
  return json.meta;
}
