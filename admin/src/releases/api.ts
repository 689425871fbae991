// Releases through the Admin API (docs/releases.md): the calls the release page and the "Add to
// release" dialog make beside react-admin's resource (list, create, read go through the dataProvider).
import { api } from '../http';
import type {
  Release,
  ReleaseAction,
  ReleaseActionKind,
  ReleaseDetail,
  ReleaseStatus,
  ReleaseSummary,
} from '../../../server/content/releases/store.js';

export type { Release, ReleaseAction, ReleaseActionKind, ReleaseDetail, ReleaseStatus, ReleaseSummary };

export const RELEASES = '/admin-api/releases';

const one = (id: number) => `${RELEASES}/${id}`;

/** Releases, newest first (the server answers at most 500), each with its entry count. */
export async function listReleases(signal?: AbortSignal): Promise<ReleaseSummary[]> {
  const { json } = await api<{ data: ReleaseSummary[] }>(RELEASES, { signal });
  return json.data;
}

export async function createRelease(name: string): Promise<Release> {
  const { json } = await api<{ data: Release }>(RELEASES, { method: 'POST', body: { name } });
  return json.data;
}

export async function renameRelease(id: number, name: string): Promise<Release> {
  const { json } = await api<{ data: Release }>(one(id), { method: 'PUT', body: { name } });
  return json.data;
}

export interface ActionRequest {
  uid: string;
  documentId: string;
  /** Left out for a type that is not localized, or for the default locale. */
  locale?: string;
  action: ReleaseActionKind;
}

/** Adds an entry (or changes the action of the entry already there). */
export async function addReleaseAction(id: number, request: ActionRequest): Promise<ReleaseDetail> {
  const { json } = await api<{ data: ReleaseDetail }>(`${one(id)}/actions`, { method: 'POST', body: request });
  return json.data;
}

export async function removeReleaseAction(id: number, actionId: number): Promise<ReleaseDetail> {
  const { json } = await api<{ data: ReleaseDetail }>(`${one(id)}/actions/${actionId}`, { method: 'DELETE' });
  return json.data;
}

/** Publishes every entry now, in one transaction; refused (400) while an entry is invalid. */
export async function releaseNow(id: number): Promise<ReleaseDetail> {
  const { json } = await api<{ data: ReleaseDetail }>(`${one(id)}/actions/publish`, { method: 'POST' });
  return json.data;
}

/** Schedules (or moves) the release; `at` is ISO 8601 with an offset. */
export async function scheduleRelease(id: number, at: string): Promise<Release> {
  const { json } = await api<{ data: Release }>(`${one(id)}/schedule`, { method: 'PUT', body: { at } });
  return json.data;
}

export async function cancelReleaseSchedule(id: number): Promise<Release> {
  const { json } = await api<{ data: Release }>(`${one(id)}/schedule`, { method: 'DELETE' });
  return json.data;
}

/** A release still takes changes until it is published. */
export const isEditable = (release: Pick<Release, 'status'>) => release.status !== 'published';
