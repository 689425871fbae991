// Sessions over the Admin API conventions (README, "Admin API conventions"): an httpOnly cookie set
// by /admin-api/auth/login, a CSRF token kept in memory (re-read from /auth/me after a reload), and
// first-run registration while no administrator exists.
import { createMongoAbility, type RawRuleOf, type MongoAbility } from '@casl/ability';
import type { AuthProvider, UserIdentity } from 'react-admin';
import { api, hasCsrfToken, setCsrfToken } from './http';

export interface AdminRole {
  id: number | string;
  name: string;
  code?: string;
}

export interface AdminUser {
  id: number | string;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  email: string;
  roles?: AdminRole[];
}

/** The session's permissions: the CASL rules the server enforces (GET /admin-api/auth/me). */
export type Ability = MongoAbility<[string, string]>;
export type Permission = RawRuleOf<Ability>;

export interface Session {
  user: AdminUser;
  permissions: Permission[];
  csrfToken?: string;
}

interface MeData {
  user?: AdminUser;
  permissions?: Permission[];
  csrfToken?: string;
}

let session: Session | undefined;
let pending: Promise<Session> | undefined;
/** Bumped on every sign-in and sign-out: an answer to a request sent before it is stale. */
let generation = 0;

/** A failed /auth/me that was sent before the latest sign-in or sign-out: not about this session. */
class StaleSessionError extends Error {
  readonly stale = true;
}

function toSession(data: MeData & Partial<AdminUser>): Session {
  // /auth/me may nest the user ({ user, permissions, csrfToken }) or answer the user itself.
  const { permissions, csrfToken, user, ...rest } = data;
  return { user: user ?? (rest as AdminUser), permissions: Array.isArray(permissions) ? permissions : [], csrfToken };
}

/** GET /admin-api/auth/me, once at a time: the user, their permissions and the CSRF token. */
function loadSession(): Promise<Session> {
  if (session) return Promise.resolve(session);
  const started = generation;
  pending ??= api<{ data: MeData & Partial<AdminUser> }>('/admin-api/auth/me')
    .then(
      ({ json }) => {
        if (started !== generation) throw new StaleSessionError('signed in or out meanwhile');
        session = toSession(json.data);
        if (session.csrfToken) setCsrfToken(session.csrfToken);
        return session;
      },
      (err) => {
        throw started !== generation ? new StaleSessionError('signed in or out meanwhile') : err;
      },
    )
    .finally(() => {
      pending = undefined;
    });
  return pending;
}

function resetSession(): void {
  generation += 1;
  session = undefined;
  pending = undefined;
}

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
    const { json } = await api<{ data: { user: AdminUser; csrfToken?: string } }>('/admin-api/auth/login', {
      method: 'POST',
      body: { email: email ?? username, password },
    });
    setCsrfToken(json.data.csrfToken);
    resetSession();
    await loadSession();
  },

  async logout() {
    try {
      if (session || hasCsrfToken()) await api('/admin-api/auth/logout', { method: 'POST' });
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
      const hadSession = session !== undefined;
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
