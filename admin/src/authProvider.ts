// Sessions over the Admin API conventions (README, "Admin API conventions"): an httpOnly cookie set
// by /admin-api/auth/login, a CSRF token kept in memory (re-read from /auth/me after a reload), and
// first-run registration while no administrator exists.
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

/** A permission as the server states it: an action on a subject, optionally narrowed. */
export interface Permission {
  action: string;
  subject: string;
  fields?: string[] | null;
  conditions?: unknown;
  inverted?: boolean;
}

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

function toSession(data: MeData & Partial<AdminUser>): Session {
  // /auth/me may nest the user ({ user, permissions, csrfToken }) or answer the user itself.
  const { permissions, csrfToken, user, ...rest } = data;
  return { user: user ?? (rest as AdminUser), permissions: Array.isArray(permissions) ? permissions : [], csrfToken };
}

async function loadSession(): Promise<Session> {
  const { json } = await api<{ data: MeData & Partial<AdminUser> }>('/admin-api/auth/me');
  session = toSession(json.data);
  if (session.csrfToken) setCsrfToken(session.csrfToken);
  return session;
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
  const { json } = await api<{ data?: { csrfToken?: string } }>('/admin-api/auth/register', { method: 'POST', body: values });
  if (json?.data?.csrfToken) setCsrfToken(json.data.csrfToken);
}

export function displayName(user: AdminUser): string {
  const full = [user.firstname, user.lastname].filter(Boolean).join(' ').trim();
  return full || user.username || user.email;
}

/** Does the session allow `action` on `subject`? Super Admins hold every permission on the server side. */
export function allows(permissions: Permission[], action: string, subject: string): boolean {
  const matching = permissions.filter((p) => (p.action === action || p.action === 'manage') && (p.subject === subject || p.subject === 'all'));
  return matching.some((p) => !p.inverted) && !matching.some((p) => p.inverted && !p.conditions && !p.fields);
}

export const authProvider: AuthProvider = {
  async login({ username, email, password }: { username?: string; email?: string; password: string }) {
    const { json } = await api<{ data: { user: AdminUser; csrfToken?: string } }>('/admin-api/auth/login', {
      method: 'POST',
      body: { email: email ?? username, password },
    });
    setCsrfToken(json.data.csrfToken);
    session = undefined;
    await loadSession();
  },

  async logout() {
    try {
      if (session || hasCsrfToken()) await api('/admin-api/auth/logout', { method: 'POST' });
    } catch {
      // The session is gone either way.
    }
    session = undefined;
    setCsrfToken(undefined);
    return (await registrationOpen()) ? '/register' : undefined;
  },

  async checkAuth() {
    try {
      await (session ? Promise.resolve(session) : loadSession());
    } catch (err) {
      session = undefined;
      if (await registrationOpen()) throw { redirectTo: '/register', message: false };
      throw { message: false, cause: err };
    }
  },

  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      session = undefined;
      throw { message: 'folio.auth.session_expired' };
    }
    // 403 is a refused action, not a lost session: the page shows the message and stays.
  },

  async getPermissions() {
    return (session ?? (await loadSession())).permissions;
  },

  async getIdentity(): Promise<UserIdentity> {
    const { user } = session ?? (await loadSession());
    return { id: user.id, fullName: displayName(user), email: user.email };
  },

};
