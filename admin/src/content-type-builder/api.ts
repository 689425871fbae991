// The content-type builder's Admin API (README: GET schema, POST plan, POST apply).
import { api } from '../http';
import type { ChangeSet, SchemaDocument } from './model';

const BASE = '/admin-api/content-type-builder';

export interface PlanStep {
  action: string;
  description: string;
  table: string;
  column: string | null;
  uids: string[];
  rowsAtStake: number;
  lossy: boolean;
  /** Loses data now: applied only with force. */
  destructive: boolean;
}

/** A view layout change (Configure the view): stored with the schema, nothing done to the database. */
export const isLayoutStep = (step: PlanStep) => step.action === 'changeLayout';

export interface PlanChange {
  kind: 'contentType' | 'component';
  uid: string;
  change: 'create' | 'update' | 'delete';
}

export interface Plan {
  steps: PlanStep[];
  changes: PlanChange[];
  noop: boolean;
  documentChanged: boolean;
  destructive: PlanStep[];
  blocked: string[];
  /** Default indexes existing fields lack: built only when the apply accepts them. */
  suggested: PlanStep[];
}

export interface Applied extends Plan {
  applied: PlanStep[];
  schema: SchemaDocument;
}

export async function fetchSchema(): Promise<{ schema: SchemaDocument; version: number }> {
  const { json } = await api<{ data: SchemaDocument; meta: { version: number } }>(`${BASE}/schema`);
  return { schema: json.data, version: json.meta.version };
}

/** The plan, and the schema version it was made against (apply refuses if another apply came in between). */
export async function planChanges(changes: ChangeSet): Promise<{ plan: Plan; version: number }> {
  const { json } = await api<{ data: Plan; meta: { version: number } }>(`${BASE}/plan`, {
    method: 'POST',
    body: changes,
  });
  return { plan: json.data, version: json.meta.version };
}

export async function applyChanges(
  changes: ChangeSet,
  force: boolean,
  version: number | undefined,
  acceptSuggested = false,
): Promise<{ result: Applied; version: number }> {
  const { json } = await api<{ data: Applied; meta: { version: number } }>(`${BASE}/apply`, {
    method: 'POST',
    body: { ...changes, force, acceptSuggested, version },
  });
  return { result: json.data, version: json.meta.version };
}
