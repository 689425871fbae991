// Admin authentication: first-run registration, login with lockout, sessions, password change and
// reset, invitations. No answer tells whether an email has an account: unknown emails and wrong
// passwords fail alike (and take as long), and "forgot password" always answers the same.
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { UnauthorizedError, ValidationError } from '../errors.js';
import type { AbilityCaller, AccessService } from '../access/service.js';
import { SUPER_ADMIN } from '../access/service.js';
import type { AuditLog } from '../events/audit.js';
import { digest, randomToken, verifyPassword } from './crypto.js';
import { LoginGuard } from './login-guard.js';
import type { Mailer, MailMessage } from './mailer.js';
import { ACCOUNT_POLICY, IP_POLICY, Limiter, type RateLimitStore } from './rate-limit.js';
import { ResetRequestLimits } from './reset-requests.js';
import type { WindowCounterStore } from '../limits/window-counters.js';
import { SessionStore, type Session, type SessionPolicy } from './sessions.js';
import { normalizeEmail, UserService, type AdminUser } from './users.js';

const RESET_TTL_MS = 3_600_000;
const INVITE_TTL_MS = 7 * 86_400_000;

/** An invitation waiting to be accepted, as an admin may see it (not its link). */
export interface PendingInvitation {
  issuedAt: string;
  expiresAt: string;
  expired: boolean;
}

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

export interface Authenticated {
  session: Session;
  user: AdminUser;
  caller: AbilityCaller;
}

export interface AuthOptions {
  db: Knex;
  secret: string;
  publicUrl: string;
  logger: Logger;
  access: AccessService;
  audit: AuditLog;
  mailer: Mailer;
  rateLimitStore: RateLimitStore;
  rateCounters: WindowCounterStore;
  sessionPolicy?: SessionPolicy;
}

export class AuthService {
  readonly users: UserService;
  readonly sessions: SessionStore;
  readonly accountLimiter: Limiter;
  readonly ipLimiter: Limiter;
  readonly loginGuard: LoginGuard;
  readonly mailer: Mailer;
  private readonly resetRequests: ResetRequestLimits;

  constructor(private readonly o: AuthOptions) {
    this.users = new UserService(o.db, o.access);
    this.sessions = new SessionStore(o.db, o.secret, o.sessionPolicy);
    this.accountLimiter = new Limiter(o.rateLimitStore, ACCOUNT_POLICY, 'login:account:');
    this.ipLimiter = new Limiter(o.rateLimitStore, IP_POLICY, 'login:ip:');
    this.loginGuard = new LoginGuard(this.accountLimiter, this.ipLimiter, o.rateLimitStore);
    this.mailer = o.mailer;
    this.resetRequests = new ResetRequestLimits(o.rateCounters);
  }

  /** First run: registration is open while no admin account exists. */
  async registrationOpen(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  async registerFirstAdmin(
    input: { email: string; password: string; firstname: string; lastname: string },
    meta: RequestMeta,
  ): Promise<{ cookie: string } & Authenticated> {
    const user = await this.users.create({ ...input, roles: [SUPER_ADMIN] }, { onlyIfFirst: true });
    await this.o.audit.record({
      actor: { kind: 'admin', id: user.id, label: user.email },
      action: 'auth.register',
      subject: 'users',
      entityId: user.id,
      ip: meta.ip,
    });
    return this.startSession(user.id, meta);
  }

  private async startSession(userId: number, meta: RequestMeta): Promise<{ cookie: string } & Authenticated> {
    const { cookie, session } = await this.sessions.create(userId, meta);
    const user = await this.users.get(userId);
    return { cookie, session, user, caller: await this.callerFor(user) };
  }

  callerFor(user: AdminUser): Promise<AbilityCaller> {
    return this.o.access.adminCaller({ id: user.id, email: user.email, roleIds: user.roles.map((r) => r.id) });
  }

  /**
   * The caller of admin `userId` while the account exists and is active, null otherwise: whom work
   * done later on an admin's behalf (webhook deliveries, scheduled publishes, releases) acts for.
   */
  async activeAdminCaller(userId: number): Promise<AbilityCaller | null> {
    const row = await this.users.rowById(userId);
    return row?.is_active ? this.callerFor(await this.users.get(userId)) : null;
  }

  async login(emailInput: string, password: string, meta: RequestMeta): Promise<{ cookie: string } & Authenticated> {
    const email = normalizeEmail(emailInput);
    const row = await this.loginGuard.attempt(email, meta.ip ?? 'unknown', async () => {
      const found = await this.users.rowByEmail(email);
      return (await verifyPassword(found?.password_hash, password)) && found?.is_active ? found : null;
    });
    if (!row) {
      await this.o.audit.record({
        actor: { kind: 'public' },
        action: 'auth.login-failed',
        subject: 'users',
        ip: meta.ip,
        details: { email },
      });
      throw new UnauthorizedError('Invalid email or password');
    }
    await this.sessions.purgeExpired(); // housekeeping, one indexed DELETE per login
    const result = await this.startSession(Number(row.id), meta);
    await this.o.audit.record({
      actor: { kind: 'admin', id: result.user.id, label: result.user.email },
      action: 'auth.login',
      subject: 'users',
      entityId: result.user.id,
      ip: meta.ip,
    });
    return result;
  }

  /** The session behind a cookie, with its user and caller; null when none is live. */
  async authenticate(cookie: string | undefined): Promise<Authenticated | null> {
    if (!cookie) return null;
    const session = await this.sessions.resolve(cookie);
    if (!session) return null;
    const row = await this.users.rowById(session.userId);
    if (!row || !row.is_active) {
      await this.sessions.destroy(session.id);
      return null;
    }
    const user = await this.users.get(session.userId);
    return { session, user, caller: await this.callerFor(user) };
  }

  async logout(auth: Authenticated, meta: RequestMeta): Promise<void> {
    await this.sessions.destroy(auth.session.id);
    await this.o.audit.record({
      actor: auth.caller,
      action: 'auth.logout',
      subject: 'users',
      entityId: auth.user.id,
      ip: meta.ip,
    });
  }

  async changePassword(
    auth: Authenticated,
    currentPassword: string,
    newPassword: string,
    meta: RequestMeta,
  ): Promise<void> {
    const row = await this.users.rowById(auth.user.id);
    if (!(await verifyPassword(row?.password_hash, currentPassword)))
      throw new ValidationError('The current password is not correct');
    await this.users.setPassword(auth.user.id, newPassword);
    await this.sessions.destroyForUser(auth.user.id, auth.session.id);
    await this.o.audit.record({
      actor: auth.caller,
      action: 'auth.password-change',
      subject: 'users',
      entityId: auth.user.id,
      ip: meta.ip,
    });
  }

  /** Sets a password from outside any session (CLI): also lifts the account's lockout. */
  async resetPasswordDirectly(emailInput: string, password: string): Promise<AdminUser> {
    const email = normalizeEmail(emailInput);
    const row = await this.users.rowByEmail(email);
    if (!row) throw new ValidationError(`No admin account has the email ${email}`);
    await this.users.setPassword(Number(row.id), password);
    await this.sessions.destroyForUser(Number(row.id));
    await this.accountLimiter.clear(email);
    await this.o.audit.record({
      actor: { kind: 'system', label: 'cli' },
      action: 'auth.password-reset',
      subject: 'users',
      entityId: Number(row.id),
    });
    return this.users.get(Number(row.id));
  }

  // --- one-time links ------------------------------------------------------------------------

  private async createLink(
    userId: number,
    kind: 'reset' | 'invite',
    ttlMs: number,
    db: Knex = this.o.db,
  ): Promise<string> {
    const token = randomToken();
    const now = Date.now();
    // A new invitation replaces the unused ones. Reset links do not: a flood of requests must not
    // kill the link a user is about to click (using any of them voids the others).
    if (kind === 'invite') await db('folio_auth_links').where({ user_id: userId, kind }).whereNull('used_at').delete();
    await db('folio_auth_links').insert({
      user_id: userId,
      kind,
      digest: digest(this.o.secret, `link-${kind}`, token),
      created_at: now,
      expires_at: now + ttlMs,
    });
    return token;
  }

  private async findLink(token: string, kind: 'reset' | 'invite'): Promise<{ id: number; userId: number } | null> {
    if (typeof token !== 'string' || !token || token.length > 200) return null;
    const row = await this.o
      .db('folio_auth_links')
      .where({ digest: digest(this.o.secret, `link-${kind}`, token), kind })
      .whereNull('used_at')
      .where('expires_at', '>', Date.now())
      .first<{ id: number; user_id: number } | undefined>();
    return row ? { id: Number(row.id), userId: Number(row.user_id) } : null;
  }

  /** Always resolves the same way: whether the email exists shows only in the mailbox. */
  async requestPasswordReset(emailInput: string, meta: RequestMeta): Promise<void> {
    const ip = meta.ip ?? 'unknown';
    await this.ipLimiter.assertOpen(ip);
    await this.resetRequests.admit(normalizeEmail(emailInput), ip);
    // Everything that depends on whether the account exists happens after the answer.
    this.mailer.sendLater(() => this.resetMail(emailInput));
  }

  /** The reset mail for this address, with a new link; null when no active account has it. */
  private async resetMail(emailInput: string): Promise<MailMessage | null> {
    const row = await this.users.rowByEmail(emailInput);
    if (!row || !row.is_active || row.password_hash === null) return null;
    const token = await this.createLink(Number(row.id), 'reset', RESET_TTL_MS);
    const url = `${this.o.publicUrl}/admin/auth/reset-password?token=${encodeURIComponent(token)}`;
    return {
      to: row.email,
      subject: 'Reset your Folio password',
      text:
        `Someone asked to reset the password of your Folio account.\n\nChoose a new password here (valid ` +
        `for one hour): ${url}\n\nIf it was not you, ignore this email.`,
    };
  }

  async resetPassword(token: string, password: string, meta: RequestMeta): Promise<void> {
    const link = await this.findLink(token, 'reset');
    // Claimed once (a concurrent use of the same link finds it used), then its siblings are voided.
    const claimed = link
      ? await this.o.db('folio_auth_links').where({ id: link.id }).whereNull('used_at').update({ used_at: Date.now() })
      : 0;
    if (!link || claimed === 0) throw new ValidationError('This reset link is invalid or has expired');
    await this.o
      .db('folio_auth_links')
      .where({ user_id: link.userId, kind: 'reset' })
      .whereNull('used_at')
      .update({ used_at: Date.now() });
    await this.users.setPassword(link.userId, password);
    await this.sessions.destroyForUser(link.userId);
    const user = await this.users.get(link.userId);
    await this.accountLimiter.clear(user.email);
    await this.o.audit.record({
      actor: { kind: 'admin', id: user.id, label: user.email },
      action: 'auth.password-reset',
      subject: 'users',
      entityId: user.id,
      ip: meta.ip,
    });
  }

  /** Creates the invitation link of an invited (not yet registered) user and emails it (unchecked: fixtures). */
  async invite(user: AdminUser): Promise<string> {
    const url = await this.invitationLinkIn(this.o.db, user.id);
    await this.mailInvitation(user.email, url);
    return url;
  }

  /**
   * Writes a new invitation link for the user through `db` (an operation's transaction), voiding
   * the unused ones; answers its URL. Mail it only once the transaction has committed.
   */
  async invitationLinkIn(db: Knex, userId: number): Promise<string> {
    const token = await this.createLink(userId, 'invite', INVITE_TTL_MS, db);
    return `${this.o.publicUrl}/admin/auth/accept-invitation?token=${encodeURIComponent(token)}`;
  }

  async mailInvitation(email: string, url: string): Promise<void> {
    await this.mailer.send({
      to: email,
      subject: 'You are invited to Folio',
      text: `You have been invited to the Folio admin panel.\n\nChoose your password here (valid for 7 days): ${url}`,
    });
  }

  /**
   * The user's unused invitation link: when it was issued and until when it works; null when none
   * is left (never invited, accepted, or voided). Never the link itself: only its digest is stored.
   */
  async pendingInvitation(userId: number): Promise<PendingInvitation | null> {
    const row = await this.o
      .db('folio_auth_links')
      .where({ user_id: userId, kind: 'invite' })
      .whereNull('used_at')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .first<{ created_at: number | string; expires_at: number | string } | undefined>('created_at', 'expires_at');
    if (!row) return null;
    const expiresAt = Number(row.expires_at);
    return {
      issuedAt: new Date(Number(row.created_at)).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
      expired: expiresAt <= Date.now(),
    };
  }

  async invitation(token: string): Promise<AdminUser> {
    const link = await this.findLink(token, 'invite');
    if (!link) throw new ValidationError('This invitation is invalid or has expired');
    return this.users.get(link.userId);
  }

  async acceptInvitation(
    input: { token: string; password: string; firstname?: string; lastname?: string },
    meta: RequestMeta,
  ): Promise<{ cookie: string } & Authenticated> {
    const link = await this.findLink(input.token, 'invite');
    if (!link) throw new ValidationError('This invitation is invalid or has expired');
    await this.o.db('folio_auth_links').where({ id: link.id }).update({ used_at: Date.now() });
    await this.users.setPassword(link.userId, input.password);
    const patch: { firstname?: string; lastname?: string } = {};
    if (input.firstname) patch.firstname = input.firstname;
    if (input.lastname) patch.lastname = input.lastname;
    if (Object.keys(patch).length) await this.users.update(link.userId, patch);
    const result = await this.startSession(link.userId, meta);
    await this.o.audit.record({
      actor: result.caller,
      action: 'auth.invitation-accepted',
      subject: 'users',
      entityId: link.userId,
      ip: meta.ip,
    });
    return result;
  }
}
