// Admin sessions, kept in the database: the browser holds a random id in an httpOnly,
// SameSite=Strict cookie; the table holds only its HMAC digest. Why cookies and not bearer tokens:
// the dashboard is served from the same origin, an httpOnly cookie is out of reach of injected
// scripts, and a server-side row makes logout, deactivation and password changes end a session at
// once (a self-contained token would live until it expires). SameSite=Strict plus a per-session
// CSRF token in the X-CSRF-Token header of every non-GET request covers cross-site forgery.
import type { Knex } from 'knex';
import { digest, randomToken } from './crypto.js';

export const SESSION_COOKIE = 'folio_session';

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after login, used or not. */
  absoluteMs: number;
  /** last_seen_at is written at most this often. */
  touchEveryMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 2 * 3_600_000,
  absoluteMs: 7 * 86_400_000,
  touchEveryMs: 60_000,
};

export interface Session {
  id: number;
  userId: number;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

interface SessionRow {
  id: number;
  user_id: number;
  csrf_token: string;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
}

export class SessionStore {
  constructor(
    private readonly db: Knex,
    private readonly secret: string,
    readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  private digestOf(cookie: string): string {
    return digest(this.secret, 'session', cookie);
  }

  async create(
    userId: number,
    meta: { ip?: string; userAgent?: string },
  ): Promise<{ cookie: string; session: Session }> {
    const cookie = randomToken();
    const now = Date.now();
    const row = {
      digest: this.digestOf(cookie),
      user_id: userId,
      csrf_token: randomToken(24),
      ip: meta.ip?.slice(0, 64) ?? null,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
      created_at: now,
      last_seen_at: now,
      expires_at: now + this.policy.absoluteMs,
    };
    const [id] = await this.db('folio_sessions').insert(row);
    return {
      cookie,
      session: {
        id: Number(id),
        userId,
        csrfToken: row.csrf_token,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: row.expires_at,
      },
    };
  }

  /** The live session behind a cookie, or null; an expired one is deleted on the way. */
  async resolve(cookie: string): Promise<Session | null> {
    if (!cookie || cookie.length > 200) return null;
    const row = await this.db('folio_sessions')
      .where({ digest: this.digestOf(cookie) })
      .first<SessionRow | undefined>();
    if (!row) return null;
    const now = Date.now();
    const lastSeenAt = Number(row.last_seen_at);
    if (Number(row.expires_at) <= now || lastSeenAt + this.policy.idleMs <= now) {
      await this.db('folio_sessions').where({ id: row.id }).delete();
      return null;
    }
    if (now - lastSeenAt >= this.policy.touchEveryMs)
      await this.db('folio_sessions').where({ id: row.id }).update({ last_seen_at: now });
    return {
      id: Number(row.id),
      userId: Number(row.user_id),
      csrfToken: row.csrf_token,
      createdAt: Number(row.created_at),
      lastSeenAt: now,
      expiresAt: Number(row.expires_at),
    };
  }

  async destroy(id: number): Promise<void> {
    await this.db('folio_sessions').where({ id }).delete();
  }

  /** Ends every session of a user (password change or reset, deactivation), but `keep`. */
  async destroyForUser(userId: number, keep?: number): Promise<void> {
    const q = this.db('folio_sessions').where({ user_id: userId });
    if (keep !== undefined) q.whereNot({ id: keep });
    await q.delete();
  }

  /** Housekeeping: removes sessions past either limit. */
  async purgeExpired(): Promise<number> {
    const now = Date.now();
    return this.db('folio_sessions')
      .where('expires_at', '<=', now)
      .orWhere('last_seen_at', '<=', now - this.policy.idleMs)
      .delete();
  }
}
