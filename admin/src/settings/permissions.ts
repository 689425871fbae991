// What the roles pages read and write (README, "Default roles" and "Routes"): the permission
// catalogue, a role's permissions, and the Public role's allow list.
import { API_ROOT } from '../dataProvider';
import { api } from '../http';
export { useAdminApi } from '../useAdminApi';

export type BuiltinCondition = 'isCreator' | 'hasSameRoleAsCreator';

export interface PermissionConditions {
  builtins?: BuiltinCondition[];
  query?: Record<string, unknown>;
}

/** One permission row, as GET/PUT /admin-api/roles/:id/permissions carry it. */
export interface RolePermission {
  action: string;
  subject: string;
  /** null: every field. */
  fields: string[] | null;
  conditions: PermissionConditions | null;
}

export interface CatalogueType {
  uid: string;
  displayName: string;
  kind: 'collectionType' | 'singleType';
  pluralName: string;
  fields: string[];
  /** The owner attribute (a relation to the members), when the type has one: "own" grants apply. */
  owner?: string;
}

export interface Catalogue {
  admin: { subject: string; kind: 'content' | 'system'; actions: string[] }[];
  contentApi: string[];
  conditions: BuiltinCondition[];
  contentTypes: CatalogueType[];
}

/** Subject `*`: every content type, never the system subjects. */
export const ALL_TYPES = '*';

/** Granted only to Super Admins: the server refuses it on any other role. */
export const SUPER_ADMIN_ONLY = ['audit-log'];

/** The built-in conditions' words (i18n keys). */
export const CONDITION_LABELS: Record<BuiltinCondition, string> = {
  isCreator: 'folio.permissions.conditions.isCreator',
  hasSameRoleAsCreator: 'folio.permissions.conditions.hasSameRoleAsCreator',
};

/** The system subjects' words (i18n keys); a subject missing here shows its name. */
export const SYSTEM_LABELS: Record<string, string> = {
  upload: 'folio.permissions.subjects.upload',
  'content-type-builder': 'folio.permissions.subjects.content_type_builder',
  users: 'folio.permissions.subjects.users',
  roles: 'folio.permissions.subjects.roles',
  'api-tokens': 'folio.permissions.subjects.api_tokens',
  webhooks: 'folio.permissions.subjects.webhooks',
  settings: 'folio.permissions.subjects.settings',
  'audit-log': 'folio.permissions.subjects.audit_log',
};

/** The admin actions' words (i18n keys), the matrix's columns for a role. */
export const ADMIN_ACTION_WORDS: Record<string, string> = {
  create: 'folio.permissions.actions.create',
  read: 'folio.permissions.actions.read',
  update: 'folio.permissions.actions.update',
  delete: 'folio.permissions.actions.delete',
  publish: 'folio.permissions.actions.publish',
};

/** The Content API's actions' words (i18n keys), the matrix's columns for an API token. */
export const API_ACTION_WORDS: Record<string, string> = {
  find: 'folio.permissions.api_actions.find',
  findOne: 'folio.permissions.api_actions.findOne',
  create: 'folio.permissions.api_actions.create',
  update: 'folio.permissions.api_actions.update',
  delete: 'folio.permissions.api_actions.delete',
  findDrafts: 'folio.permissions.api_actions.findDrafts',
};

export async function saveRolePermissions(
  roleId: string | number,
  permissions: RolePermission[],
): Promise<RolePermission[]> {
  const { json } = await api<{ data: RolePermission[] }>(
    `${API_ROOT}/roles/${encodeURIComponent(String(roleId))}/permissions`,
    { method: 'PUT', body: { permissions } },
  );
  return json.data;
}

export async function savePublicPermissions(allow: string[]): Promise<string[]> {
  const { json } = await api<{ data: { allow: string[] } }>(`${API_ROOT}/public-permissions`, {
    method: 'PUT',
    body: { allow },
  });
  return json.data.allow;
}
