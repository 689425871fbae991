// The admin session as the dashboard holds it: the signed-in user, their permission rules and the
// CSRF token (kept in memory: the session itself is an httpOnly cookie the page cannot read).
// Loaded once at start by one probe (GET /admin-api/auth/session, 200 whether signed in or not), then
// by /auth/me after a sign-in. This module stays free of react-admin and CASL: the sign-in screen,
// which must load fast, uses it without them.
import type { MongoAbility, RawRuleOf } from '@casl/ability';
import { api, setCsrfToken } from './http';

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

/** A CASL rule as the server enforces it (authProvider.ts turns the list into an ability). */
export type Permission = RawRuleOf<MongoAbility<[string, string]>>;

export interface Session {
  user: AdminUser;
  permissions: Permission[];
  csrfToken?: string;
}

interface MeData {
  user?: AdminUser | null;
  permissions?: Permission[];
  csrfToken?: string | null;
}

/** What the dashboard needs before its first screen. */
export interface Probe {
  session: Session | undefined;
  registrationOpen: boolean;
}

let session: Session | undefined;
let pending: Promise<Session> | undefined;
/** Bumped on every sign-in and sign-out: an answer to a request sent before it is stale. */
let generation = 0;

/** A failed /auth/me that was sent before the latest sign-in or sign-out: not about this session. */
export class StaleSessionError extends Error {
  readonly stale = true;
}

function adopt(data: MeData & { user: AdminUser }): Session {
  session = {
    user: data.user,
    permissions: Array.isArray(data.permissions) ? data.permissions : [],
    csrfToken: data.csrfToken ?? undefined,
  };
  if (session.csrfToken) setCsrfToken(session.csrfToken);
  return session;
}

/** The session, read once at a time from GET /admin-api/auth/me when not yet known. */
export function loadSession(): Promise<Session> {
  if (session) return Promise.resolve(session);
  const started = generation;
  pending ??= api<{ data: MeData & { user: AdminUser } }>('/admin-api/auth/me')
    .then(
      ({ json }) => {
        if (started !== generation) throw new StaleSessionError('signed in or out meanwhile');
        return adopt(json.data);
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

/** Forgets the session (sign-in, sign-out, a 401): the next loadSession() asks the server again. */
export function resetSession(): void {
  generation += 1;
  session = undefined;
  pending = undefined;
}

export function currentSession(): Session | undefined {
  return session;
}

/** The one request at start: the session when there is one (adopted, so /auth/me is not asked again). */
export async function probeSession(): Promise<Probe> {
  const { json } = await api<{ data: MeData & { registrationOpen: boolean } }>('/admin-api/auth/session');
  const { user, registrationOpen } = json.data;
  return { session: user ? adopt({ ...json.data, user }) : undefined, registrationOpen };
}

/** POST /admin-api/auth/login, then the new session's user and permissions. */
export async function signIn(email: string, password: string): Promise<Session> {
  const { json } = await api<{ data: { user: AdminUser; csrfToken?: string } }>('/admin-api/auth/login', {
    method: 'POST',
    body: { email, password },
  });
  setCsrfToken(json.data.csrfToken);
  resetSession();
  return loadSession();
}
