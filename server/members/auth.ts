// Members' sign-in, sign-up and password flows, as Strapi's users-permissions answers them
// (docs/members.md): `{ jwt, user }` on success, its ValidationError / ApplicationError messages
// otherwise. What Folio adds: login and registration rate-limited per IP and per identifier (429
// with Retry-After), forgot-password and send-email-confirmation answering alike whether or not the
// address has an account, one-time codes stored as digests only, argon2id passwords.
import type { Knex } from 'knex';
import type { AbilityCaller, AccessService } from '../access/service.js';
import { ApplicationError, NotFoundError, UnauthorizedError, ValidationError } from '../errors.js';
import { digest, hashPassword, randomToken } from '../auth/crypto.js';
import { upgradeHash, verifyMemberPassword } from './passwords.js';
import type { Mailer, MailMessage } from '../auth/mailer.js';
import { LoginGuard } from '../auth/login-guard.js';
import { ACCOUNT_POLICY, IP_POLICY, Limiter, type RateLimitStore } from '../auth/rate-limit.js';
import { RequestRateLimiter, type RequestRatePolicy } from '../limits/request-rate.js';
import type { WindowCounterStore } from '../limits/window-counters.js';
import type { AuditLog } from '../events/audit.js';
import { inTransaction } from '../access/operations/deps.js';
import type { Caller } from '../access/caller.js';
import { assertMember } from './caller.js';
import { MemberService, type MemberJson, type MemberRow } from './members.js';
import { MemberRoleService } from './roles.js';
import { MemberTokenService } from './tokens.js';
import { readMemberSettings, type MemberSettings } from './settings.js';
import { OAuthSecrets } from './oauth-secrets.js';
import { MemberOAuth } from './oauth.js';
import { assertOnlyKeys, check, extraFields, str, type Body } from './bodies.js';
import type { Logger } from '../logger.js';
import { RefreshTokens } from './refresh-tokens.js';
import { EmailChanges, assertCodeShape } from './email-change.js';
import { defaultTemplate, renderMail, type MailKind, type MailValues } from './mail-templates.js';

/** How often one IP may register, and one email or username be registered (counted per request). */
export const REGISTER_PER_IP: RequestRatePolicy = { limit: 10, windowMs: 600_000 };
export const REGISTER_PER_IDENTIFIER: RequestRatePolicy = { limit: 3, windowMs: 3_600_000 };
/** How often a reset or confirmation mail may be asked for, per address and per IP. */
export const MAIL_PER_EMAIL: RequestRatePolicy = { limit: 3, windowMs: 3_600_000 };
export const MAIL_PER_IP: RequestRatePolicy = { limit: 10, windowMs: 600_000 };
const RESET_TTL_MS = 3_600_000;

export interface MemberAuthOptions {
  db: Knex;
  secret: string;
  publicUrl: string;
  access: AccessService;
  audit: AuditLog;
  mailer: Mailer;
  rateLimitStore: RateLimitStore;
  rateCounters: WindowCounterStore;
  logger: Logger;
}

/** A member's answer with a fresh JWT (and, in refresh mode, the first token of a new family). */
export interface SignedIn {
  jwt: string;
  refreshToken?: string;
  user: MemberJson;
}

export class MemberAuth {
  readonly members: MemberService;
  readonly roles: MemberRoleService;
  readonly tokens: MemberTokenService;
  readonly loginGuard: LoginGuard;
  readonly oauthSecrets: OAuthSecrets;
  /** Sign-in with GitHub or Google (oauth.ts). */
  readonly oauth: MemberOAuth;
  /** The refresh mode's token families (refresh-tokens.ts). */
  readonly refreshTokens: RefreshTokens;
  /** A member's change of its own email, pending until confirmed (email-change.ts). */
  readonly emailChanges: EmailChanges;
  private readonly limits: Record<'registerIp' | 'registerId' | 'mailIp' | 'mailEmail', RequestRateLimiter>;
  private cachedSettings?: { settings: MemberSettings; readAt: number };

  constructor(private readonly o: MemberAuthOptions) {
    this.members = new MemberService(o.db, o.access);
    this.roles = new MemberRoleService(o.db);
    this.tokens = new MemberTokenService(o.secret);
    this.loginGuard = new LoginGuard(
      new Limiter(o.rateLimitStore, ACCOUNT_POLICY, 'member-login:account:'),
      new Limiter(o.rateLimitStore, IP_POLICY, 'member-login:ip:'),
      o.rateLimitStore,
    );
    this.limits = {
      registerIp: new RequestRateLimiter(o.rateCounters, REGISTER_PER_IP, 'member-register:ip'),
      registerId: new RequestRateLimiter(o.rateCounters, REGISTER_PER_IDENTIFIER, 'member-register:id'),
      mailIp: new RequestRateLimiter(o.rateCounters, MAIL_PER_IP, 'member-mail:ip'),
      mailEmail: new RequestRateLimiter(o.rateCounters, MAIL_PER_EMAIL, 'member-mail:email'),
    };
    this.oauthSecrets = new OAuthSecrets(o.secret);
    this.oauth = new MemberOAuth(o, this, this.oauthSecrets);
    this.refreshTokens = new RefreshTokens(o);
    this.emailChanges = new EmailChanges(o, this.members, (kind, row, values, to) =>
      this.composeMail(kind, row, values, to),
    );
    o.access.onInvalidate(() => (this.cachedSettings = undefined));
  }

  /** The settings, trusted for the access freshness (a save invalidates them on every instance). */
  async settings(): Promise<MemberSettings> {
    const now = Date.now();
    if (this.cachedSettings && now - this.cachedSettings.readAt < this.o.access.freshnessMs)
      return this.cachedSettings.settings;
    const settings = await readMemberSettings(this.o.db);
    this.cachedSettings = { settings, readAt: now };
    return settings;
  }

  /** `{ jwt, user }` for `row` (checked by the caller: not blocked, confirmed when it must be). */
  signedInAs(row: MemberRow, settings?: MemberSettings): Promise<SignedIn> {
    return this.signedIn(row, settings);
  }

  private async signedIn(row: MemberRow, settings?: MemberSettings): Promise<SignedIn> {
    const s = settings ?? (await this.settings());
    const jwt = await this.accessToken(row, s);
    const user = await this.members.json(row);
    if (!s.refreshTokens) return { jwt, user };
    return { jwt, refreshToken: await this.refreshTokens.start(Number(row.id), s.refreshTokenLifetimeDays), user };
  }

  /** The member's JWT: jwtLifetimeDays long, or accessTokenLifetimeMinutes in refresh mode. */
  private accessToken(row: MemberRow, settings: MemberSettings): Promise<string> {
    const ttlSeconds = settings.refreshTokens
      ? settings.accessTokenLifetimeMinutes * 60
      : settings.jwtLifetimeDays * 86_400;
    return this.tokens.issue(
      { id: Number(row.id), documentId: row.document_id, ver: Number(row.token_version) },
      ttlSeconds,
    );
  }

  // --- POST /api/auth/refresh, POST /api/auth/logout (refresh mode) ------------------------------

  /** The refresh mode's settings; Strapi answers 404 for its routes outside that mode. */
  private async refreshSettings(): Promise<MemberSettings> {
    const settings = await this.settings();
    if (!settings.refreshTokens) throw new NotFoundError();
    return settings;
  }

  /** Spends the refresh token and answers `{ jwt, refreshToken }`, the family's next pair (Strapi). */
  async refresh(raw: Body, ip: string): Promise<{ jwt: string; refreshToken: string }> {
    const settings = await this.refreshSettings();
    const presented = raw.refreshToken;
    if (typeof presented !== 'string' || !presented) throw new ValidationError('Missing refresh token');
    const next = await this.refreshTokens.rotate(presented, settings.refreshTokenLifetimeDays, ip);
    const row = next && (await this.members.rowById(next.memberId));
    // Blocking or a new password revokes the families; confirmation may be required since.
    if (!next || !row || row.blocked || (settings.emailConfirmation && !row.confirmed))
      throw new UnauthorizedError('Invalid refresh token');
    return { jwt: await this.accessToken(row, settings), refreshToken: next.token };
  }

  /**
   * Ends a sign-in: the family of the refresh token sent (the caller's, when signed in), else every
   * family of the signed-in member. Without either, Strapi's 401. An access token already issued
   * lives out its minutes.
   */
  async logout(caller: Caller, raw: Body): Promise<{ ok: true }> {
    await this.refreshSettings();
    const memberId = caller.kind === 'member' ? caller.id : undefined;
    const presented = typeof raw.refreshToken === 'string' && raw.refreshToken ? raw.refreshToken : undefined;
    if (presented) await this.refreshTokens.revokeFamilyOf(presented, memberId);
    else if (memberId !== undefined) await this.refreshTokens.revokeMember(memberId);
    else throw new UnauthorizedError('Missing authentication');
    return { ok: true };
  }

  // --- mails ------------------------------------------------------------------------------------

  /** The mail `kind` for `row` from the saved template (or the built-in one), to `to`. */
  async composeMail(kind: MailKind, row: MemberRow, values: MailValues, to = row.email): Promise<MailMessage> {
    const settings = await this.settings();
    const template =
      settings.emailTemplates[kind] ?? defaultTemplate(kind, { resetPage: settings.resetPasswordUrl !== '' });
    return renderMail(template, { ...values, 'USER.username': row.username, 'USER.email': row.email }, to);
  }

  /** 429 past the mail limits of this IP or address (reset, confirmation, email change). */
  async assertMailAllowed(ip: string | undefined, email: string): Promise<void> {
    if (ip) await this.limits.mailIp.assert(ip);
    await this.limits.mailEmail.assert(email.toLowerCase());
  }

  /** Sends a member mail after the answer (the mailer's queue). */
  mailLater(compose: () => Promise<MailMessage | null>): void {
    this.o.mailer.sendLater(compose);
  }

  // --- the caller behind a JWT ------------------------------------------------------------------

  /**
   * The caller of a member's JWT, or null: a bad signature, an expired token, a member deleted
   * (and its numeric id taken since by another: the token names the member's documentId too),
   * blocked, not confirmed (when confirmation is on), or a token signed before its last password
   * change or block.
   */
  async callerOf(token: string): Promise<AbilityCaller | null> {
    const claims = await this.tokens.verify(token);
    if (!claims) return null;
    const state = await this.members.tokenState(claims.id);
    if (!state || state.documentId !== claims.documentId || state.blocked || state.tokenVersion !== claims.ver)
      return null;
    if (!state.confirmed && (await this.settings()).emailConfirmation) return null;
    return this.o.access.memberCaller({ id: state.id, roleId: state.roleId, label: state.username });
  }

  // --- POST /api/auth/local ---------------------------------------------------------------------

  async login(raw: Body, ip: string): Promise<SignedIn> {
    check(raw, { identifier: 'required', password: 'required' });
    const identifier = str(raw, 'identifier');
    const password = str(raw, 'password');
    const key = identifier.toLowerCase();
    const row = await this.loginGuard.attempt(key, ip, async () => {
      const found = await this.members.rowByIdentifier(identifier);
      return (await verifyMemberPassword(found?.password_hash, password)) ? found! : null;
    });
    if (!row) throw new ValidationError('Invalid identifier or password');
    const settings = await this.settings();
    if (settings.emailConfirmation && !row.confirmed) throw new ApplicationError('Your account email is not confirmed');
    if (row.blocked) throw new ApplicationError('Your account has been blocked by an administrator');
    await upgradeHash(this.o.db, row, password);
    await this.o.audit.record({
      actor: { kind: 'member', id: Number(row.id), label: row.username },
      action: 'members.login',
      subject: 'members',
      entityId: Number(row.id),
      ip,
    });
    return this.signedIn(row, settings);
  }

  // --- POST /api/auth/local/register ------------------------------------------------------------

  /** `{ jwt, user }`, or `{ user }` alone when the email must be confirmed first (Strapi). */
  async register(raw: Body, ip: string): Promise<SignedIn | { user: MemberJson }> {
    const settings = await this.settings();
    if (!settings.registration) throw new ApplicationError('Register action is currently disabled');
    assertOnlyKeys(raw, ['username', 'email', 'password', ...settings.allowedFields]);
    check(raw, { username: 'username', email: 'email', password: 'password' });
    const username = str(raw, 'username').trim();
    const email = str(raw, 'email').toLowerCase();
    await this.limits.registerIp.assert(ip);
    await this.limits.registerId.assert(email);
    await this.limits.registerId.assert(`username:${username}`);
    const profile = extraFields(raw, settings.allowedFields);
    const role = await this.roles.byCode(settings.defaultRole);
    if (!role) throw new ApplicationError('Impossible to find the default role');
    const confirmationCode = settings.emailConfirmation ? randomToken() : undefined;
    const passwordHash = await hashPassword(str(raw, 'password'));
    const row = await inTransaction(this.o, async (trx) => {
      const created = await this.members.createIn(
        trx,
        {
          username,
          email,
          passwordHash,
          roleId: role.id,
          confirmed: !settings.emailConfirmation,
          profile,
        },
        'Email or Username are already taken',
      );
      if (confirmationCode)
        await trx('folio_members')
          .where({ id: created.id })
          .update({ confirmation_digest: this.codeDigest('confirm', confirmationCode) });
      await this.auditRegistrationIn(trx, created, ip);
      return created;
    });
    if (confirmationCode) {
      this.o.mailer.sendLater(() => this.confirmationMail(row, confirmationCode));
      return { user: await this.members.json(row) };
    }
    return this.signedIn(row, settings);
  }

  /** The audit row of a new member, in the transaction that created it (sign-up by password or OAuth). */
  async auditRegistrationIn(
    trx: Knex.Transaction,
    member: { id: number | string; username: string },
    ip: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.o.audit.record(
      {
        actor: { kind: 'member', id: Number(member.id), label: member.username },
        action: 'members.register',
        subject: 'members',
        entityId: Number(member.id),
        ip,
        ...(details ? { details } : {}),
      },
      trx,
    );
  }

  private codeDigest(kind: 'confirm' | 'reset', code: string): string {
    return digest(this.o.secret, `member-${kind}`, code);
  }

  private confirmationMail(row: MemberRow, code: string): Promise<MailMessage> {
    return this.composeMail('emailConfirmation', row, {
      URL: `${this.o.publicUrl}/api/auth/email-confirmation`,
      CODE: code,
    });
  }

  // --- GET /api/auth/email-confirmation, POST /api/auth/send-email-confirmation -----------------

  /**
   * Confirms the member of `code` — a new account's address, or the new address of an email change
   * (email-change.ts) —; answers where to send the browser.
   */
  async confirmEmail(code: unknown): Promise<string> {
    assertCodeShape(code);
    const codeDigest = this.codeDigest('confirm', code);
    const confirmed = await inTransaction(this.o, async (trx) => {
      const row = await this.members.rowByDigest('confirmation_digest', codeDigest, trx);
      if (!row) return false;
      const claimed = await trx('folio_members')
        .where({ id: row.id, confirmation_digest: codeDigest })
        .update({ confirmed: true, confirmation_digest: null, updated_at: Date.now() });
      return claimed > 0;
    });
    if (!confirmed && !(await this.emailChanges.confirm(code))) throw new ValidationError('Invalid token');
    await this.o.access.invalidate(); // a JWT refused while unconfirmed works at once
    return (await this.settings()).emailConfirmationRedirection || '/';
  }

  /**
   * Always `{ email, sent: true }` once the body is valid: whether the address has an account, is
   * confirmed or blocked shows only in the mailbox (Strapi answers "Already confirmed" and
   * "User blocked", which tell a stranger the address has an account).
   */
  async sendEmailConfirmation(raw: Body, ip: string): Promise<{ email: string; sent: true }> {
    check(raw, { email: 'email' });
    const email = str(raw, 'email').toLowerCase();
    await this.assertMailAllowed(ip, email);
    this.o.mailer.sendLater(async () => this.newConfirmationMail(await this.members.rowByEmail(email)));
    return { email, sent: true };
  }

  /**
   * A new confirmation link for an unconfirmed, unblocked member (the previous one stops working),
   * as its mail; null for anyone else. Admins resend it from the members list.
   */
  async newConfirmationMail(row: MemberRow | undefined): Promise<MailMessage | null> {
    if (!row || row.confirmed || row.blocked) return null;
    const code = randomToken();
    await this.o
      .db('folio_members')
      .where({ id: row.id })
      .update({ confirmation_digest: this.codeDigest('confirm', code) });
    return this.confirmationMail(row, code);
  }

  // --- forgot, reset and change password --------------------------------------------------------

  /** Always `{ ok: true }` (Strapi 5): the mail goes out, off the request path, only to an active account. */
  async forgotPassword(raw: Body, ip: string): Promise<{ ok: true }> {
    check(raw, { email: 'email' });
    const email = str(raw, 'email').toLowerCase();
    await this.assertMailAllowed(ip, email);
    this.o.mailer.sendLater(async () => {
      const row = await this.members.rowByEmail(email);
      if (!row || row.blocked) return null;
      const code = randomToken(48);
      await this.o
        .db('folio_members')
        .where({ id: row.id })
        .update({ reset_digest: this.codeDigest('reset', code), reset_expires_at: Date.now() + RESET_TTL_MS });
      const URL = (await this.settings()).resetPasswordUrl;
      return this.composeMail('resetPassword', row, { URL, TOKEN: code, CODE: code });
    });
    return { ok: true };
  }

  async resetPassword(raw: Body): Promise<SignedIn> {
    check(raw, { code: 'required', password: 'password', passwordConfirmation: 'required' });
    if (raw.password !== raw.passwordConfirmation) throw new ValidationError('Passwords do not match');
    const code = str(raw, 'code');
    const codeDigest = code.length <= 200 ? this.codeDigest('reset', code) : '';
    const passwordHash = await hashPassword(str(raw, 'password'));
    const row = await inTransaction(this.o, async (trx) => {
      const found = codeDigest ? await this.members.rowByDigest('reset_digest', codeDigest, trx) : undefined;
      if (!found || Number(found.reset_expires_at ?? 0) <= Date.now())
        throw new ValidationError('Incorrect code provided');
      const { row: updated } = await this.members.updateIn(trx, Number(found.id), { passwordHash });
      await this.o.audit.record(
        {
          actor: { kind: 'member', id: Number(updated.id), label: updated.username },
          action: 'members.password-reset',
          subject: 'members',
          entityId: Number(updated.id),
        },
        trx,
      );
      return updated;
    });
    await this.o.access.invalidate();
    return this.signedIn(row);
  }

  async changePassword(caller: Caller, raw: Body, ip: string): Promise<SignedIn> {
    const memberId = assertMember(caller);
    check(raw, { currentPassword: 'required', password: 'password', passwordConfirmation: 'required' });
    if (raw.password !== raw.passwordConfirmation) throw new ValidationError('Passwords do not match');
    const current = await this.members.rowById(memberId);
    if (!current) throw new UnauthorizedError('Missing or invalid credentials');
    if (!(await verifyMemberPassword(current.password_hash, str(raw, 'currentPassword'))))
      throw new ValidationError('The provided current password is invalid');
    if (raw.currentPassword === raw.password)
      throw new ValidationError('Your new password must be different than your current password');
    const passwordHash = await hashPassword(str(raw, 'password'));
    const row = await inTransaction(this.o, async (trx) => {
      const { row: updated } = await this.members.updateIn(trx, memberId, { passwordHash });
      await this.o.audit.record(
        {
          actor: { kind: 'member', id: memberId, label: updated.username },
          action: 'members.password-change',
          subject: 'members',
          entityId: memberId,
          ip,
        },
        trx,
      );
      return updated;
    });
    // Every other token of the member dies: this instance and every one sharing Redis forget its
    // state now; another process without Redis within the freshness (one second).
    await this.o.access.invalidate();
    return this.signedIn(row);
  }
}
