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

export const CONDITION_LABELS: Record<BuiltinCondition, string> = {
  isCreator: 'Only entries they created',
  hasSameRoleAsCreator: 'Only entries created by someone with the same role',
};

export const SYSTEM_LABELS: Record<string, string> = {
  upload: 'Media library',
  'content-type-builder': 'Content-type builder',
  users: 'Administrators',
  roles: 'Roles',
  'api-tokens': 'API tokens',
  webhooks: 'Webhooks',
  settings: 'Settings',
  'audit-log': 'Audit log',
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
