// Scheduled publishing through the Admin API (docs/scheduled-publishing.md): a document's schedules,
// adding one, cancelling one, and the pending ones due in a time window (the Upcoming page).
import { api } from '../../http';
import type { Schedule, ScheduleAction } from '../../../../server/content/schedules/store.js';

export type { Schedule, ScheduleAction };

/** The locale value that schedules every locale of the document. */
export const ALL_LOCALES = '*';

export interface ScheduleRequest {
  action: ScheduleAction;
  /** ISO 8601 with an offset. */
  at: string;
  /** A locale code, '*' for all; left out for a type that is not localized. */
  locale?: string;
}

const base = (uid: string, documentId: string) =>
  `/admin-api/content/${encodeURIComponent(uid)}/${encodeURIComponent(documentId)}/schedules`;

export async function documentSchedules(uid: string, documentId: string, signal?: AbortSignal): Promise<Schedule[]> {
  const { json } = await api<{ data: Schedule[] }>(base(uid, documentId), { signal });
  return json.data;
}

export async function addSchedule(uid: string, documentId: string, request: ScheduleRequest): Promise<Schedule> {
  const { json } = await api<{ data: Schedule }>(base(uid, documentId), { method: 'POST', body: request });
  return json.data;
}

export async function cancelSchedule(schedule: Pick<Schedule, 'uid' | 'documentId' | 'id'>): Promise<Schedule> {
  const { json } = await api<{ data: Schedule }>(`${base(schedule.uid, schedule.documentId)}/${schedule.id}`, {
    method: 'DELETE',
  });
  return json.data;
}

/** Pending schedules due in [from, to), soonest first (at most 500). */
export async function upcomingSchedules(from: Date, to: Date, signal?: AbortSignal): Promise<Schedule[]> {
  const search = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  const { json } = await api<{ data: Schedule[] }>(`/admin-api/schedules?${search}`, { signal });
  return json.data;
}
