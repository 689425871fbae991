// react-admin's view of the session (session.ts holds it): sign in and out, the 401 that ends a
// session, the permissions as a CASL ability for canAccess, and the pages that need no session
// (first-run registration, invitations, password reset).
import { createMongoAbility, type MongoAbility } from '@casl/ability';
import type { AuthProvider, UserIdentity } from 'react-admin';
import { api, hasCsrfToken, setCsrfToken } from './http';
import {
  currentSession,
  loadSession,
  resetSession,
  signIn,
  StaleSessionError,
  type AdminUser,
  type Permission,
} from './session';

export type { AdminRole, AdminUser, Permission, Session } from './session';

/** The session's permissions: the CASL rules the server enforces (GET /admin-api/auth/me). */
export type Ability = MongoAbility<[string, string]>;

export async function registrationOpen(): Promise<boolean> {
  try {
    const { json } = await api<{ data: { open: boolean } }>('/admin-api/auth/registration');
    return json.data.open === true;
  } catch {
    return false;
  }
}

export interface Registration {
  firstname: string;
  lastname: string;
  email: string;
  password: string;
}

/** Creates the first administrator (the Super Admin). The caller then logs in. */
export async function register(values: Registration): Promise<void> {
  const { json } = await api<{ data?: { csrfToken?: string } }>('/admin-api/auth/register', {
    method: 'POST',
    body: values,
  });
  if (json?.data?.csrfToken) setCsrfToken(json.data.csrfToken);
}

export function displayName(user: AdminUser): string {
  const full = [user.firstname, user.lastname].filter(Boolean).join(' ').trim();
  return full || user.username || user.email;
}

/**
 * The rules as an ability: `ability.can('update', 'users')`. The UI hides what it says no to; the server still
 * enforces.
 */
export function abilityOf(permissions: Permission[]): Ability {
  return createMongoAbility<[string, string]>(permissions);
}

/** react-admin's page actions → the Admin API's. */
const ACTIONS: Record<string, string> = {
  list: 'read',
  show: 'read',
  edit: 'update',
  create: 'create',
  delete: 'delete',
  export: 'read',
};

/** Settings pages whose permission subject is not their resource name. */
const RESOURCE_SUBJECTS: Record<string, string> = { locales: 'settings' };

/**
 * What react-admin's authProvider rejects with: a plain `{ redirectTo?, message }`, not an Error, since
 * `message: false` is how it is told to show no notification (an Error's message is always text).
 */
function authRejection(reason: { redirectTo?: string; message: string | false; cause?: unknown }): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- react-admin's contract, above
  return Promise.reject(reason);
}

export const authProvider: AuthProvider = {
  async login({
    username,
    email,
    password,
    sessionOpened,
  }: {
    username?: string;
    email?: string;
    password?: string;
    sessionOpened?: boolean;
  }) {
    if (sessionOpened) {
      // register() or acceptInvitation() has just opened the session: only read it.
      resetSession();
      await loadSession();
      return;
    }
    await signIn(email ?? username ?? '', password ?? '');
  },

  async logout() {
    try {
      if (currentSession() || hasCsrfToken()) await api('/admin-api/auth/logout', { method: 'POST' });
    } catch {
      // The session is gone either way.
    }
    resetSession();
    setCsrfToken(undefined);
    return (await registrationOpen()) ? '/register' : undefined;
  },

  async checkAuth() {
    try {
      await loadSession();
    } catch (err) {
      if (err instanceof StaleSessionError) return loadSession().then(() => undefined);
      if (await registrationOpen()) return authRejection({ redirectTo: '/register', message: false });
      return authRejection({ message: false, cause: err });
    }
  },

  checkError(error: { status?: number; stale?: boolean }) {
    if (error?.stale) return Promise.resolve();
    if (error?.status === 401) {
      const hadSession = currentSession() !== undefined;
      resetSession();
      return authRejection({ message: hadSession ? 'folio.auth.session_expired' : false });
    }
    // 403 is a refused action, not a lost session: the page shows the message and stays.
    return Promise.resolve();
  },

  async getPermissions() {
    return (await loadSession()).permissions;
  },

  async getIdentity(): Promise<UserIdentity> {
    const { user } = await loadSession();
    return { id: user.id, fullName: displayName(user), email: user.email };
  },

  async canAccess({ action, resource }: { action: string; resource: string }) {
    if (resource === 'dashboard') return true;
    const current = await loadSession();
    // Content manager resources (content/<type>, single-types/<type>) are permissions on the type.
    const subject =
      /^(?:content|single-types)\/([^/]+)$/.exec(resource)?.[1] ?? RESOURCE_SUBJECTS[resource] ?? resource;
    return abilityOf(current.permissions).can(ACTIONS[action] ?? action, subject);
  },
};

/** An invitation's account, from its emailed token. */
export async function invitation(token: string): Promise<{ email: string; firstname: string; lastname: string }> {
  const { json } = await api<{ data: { email: string; firstname: string; lastname: string } }>(
    `/admin-api/auth/invitation?token=${encodeURIComponent(token)}`,
  );
  return json.data;
}

/** Accepts an invitation: sets the password and opens a session (then login({ sessionOpened: true })). */
export async function acceptInvitation(values: {
  token: string;
  password: string;
  firstname?: string;
  lastname?: string;
}): Promise<void> {
  const { json } = await api<{ data: { csrfToken?: string } }>('/admin-api/auth/accept-invitation', {
    method: 'POST',
    body: values,
  });
  if (json?.data?.csrfToken) setCsrfToken(json.data.csrfToken);
}

export async function requestPasswordReset(email: string): Promise<void> {
  await api('/admin-api/auth/forgot-password', { method: 'POST', body: { email } });
}

export async function resetPassword(token: string, password: string): Promise<void> {
  await api('/admin-api/auth/reset-password', { method: 'POST', body: { token, password } });
}
