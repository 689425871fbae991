// Sign-in with an OAuth provider, Strapi's flow (docs/members.md, "Sign in with GitHub or Google"):
//
//   GET /api/connect/:provider            → 302 to the provider, with a fresh state (and PKCE)
//   GET /api/connect/:provider/callback   → the provider's return: state checked and spent, code
//                                           exchanged, the person's verified email read; 302 to the
//                                           site's redirect URL with `?access_token=`
//   GET /api/auth/:provider/callback?access_token=  → `{ jwt, user }`, the member found or created
//
// Unlike Strapi, `access_token` is not the provider's token but a one-time Folio code naming the
// verified profile: a provider token obtained by another app can never sign anyone in here.
// The state is also bound to the browser by a cookie, so a link forged by another cannot sign a
// victim into the forger's account (login CSRF). States and codes are stored as digests, used once.
import type { Knex } from 'knex';
import { generateCodeVerifier, generateState } from 'arctic';
import { digest, randomToken } from '../auth/crypto.js';
import type { AuditLog } from '../events/audit.js';
import { inTransaction } from '../access/operations/deps.js';
import {
  ApplicationError,
  FolioError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../errors.js';
import type { AccessService } from '../access/service.js';
import { RequestRateLimiter, type RequestRatePolicy } from '../limits/request-rate.js';
import type { WindowCounterStore } from '../limits/window-counters.js';
import type { MemberAuth, SignedIn } from './auth.js';
import type { MemberRow } from './members.js';
import {
  githubClient,
  googleClient,
  type FlowSecrets,
  type ProviderClient,
  type ProviderProfile,
} from './oauth-providers.js';
import type { OAuthSecrets } from './oauth-secrets.js';
import type { MemberSettings, OAuthProviderName } from './settings.js';

const STATE_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 2 * 60_000;
/** Each start of a flow stores a state: how many one IP may start (429 with Retry-After beyond). */
export const CONNECT_PER_IP: RequestRatePolicy = { limit: 30, windowMs: 600_000 };
export const OAUTH_PROVIDERS: readonly OAuthProviderName[] = ['github', 'google'];

type GrantKind = 'state' | 'code';

export interface MemberOAuthOptions {
  db: Knex;
  secret: string;
  publicUrl: string;
  access: AccessService;
  audit: AuditLog;
  rateCounters: WindowCounterStore;
}

export class MemberOAuth {
  private readonly connectLimit: RequestRateLimiter;

  constructor(
    private readonly o: MemberOAuthOptions,
    private readonly auth: MemberAuth,
    private readonly secrets: OAuthSecrets,
  ) {
    this.connectLimit = new RequestRateLimiter(o.rateCounters, CONNECT_PER_IP, 'member-oauth:ip');
  }

  /** The provider `name` names, enabled and configured: else Strapi's 400 "This provider is disabled". */
  private async enabled(name: string): Promise<{ provider: OAuthProviderName; settings: MemberSettings }> {
    const settings = await this.auth.settings();
    const provider = OAUTH_PROVIDERS.find((p) => p === name);
    if (!provider || !settings.providers[provider].enabled || !settings.providers[provider].clientId)
      throw new ApplicationError('This provider is disabled');
    return { provider, settings };
  }

  private client(provider: OAuthProviderName, settings: MemberSettings): ProviderClient {
    let clientSecret: string;
    try {
      clientSecret = this.secrets.clientSecret(settings, provider);
    } catch {
      // Sealed under another FOLIO_SECRET (settings restored from another installation).
      throw new ApplicationError('This provider is disabled');
    }
    const redirectUri = `${this.o.publicUrl}/api/connect/${provider}/callback`;
    return provider === 'github'
      ? githubClient(settings.providers.github, clientSecret, redirectUri)
      : googleClient(settings.providers.google, clientSecret, redirectUri);
  }

  // --- one-time grants ----------------------------------------------------------------------------

  private grantDigest(kind: GrantKind, value: string): string {
    return digest(this.o.secret, `member-oauth-${kind}`, value);
  }

  private async putGrant(kind: GrantKind, provider: OAuthProviderName, payload: object, ttlMs: number) {
    const value = kind === 'state' ? generateState() : randomToken();
    const now = Date.now();
    await this.o.db('folio_member_oauth_grants').where('expires_at', '<', now).delete(); // expired ones
    await this.o.db('folio_member_oauth_grants').insert({
      digest: this.grantDigest(kind, value),
      kind,
      provider,
      payload: JSON.stringify(payload),
      expires_at: now + ttlMs,
    });
    return value;
  }

  /** The payload of an unexpired grant, deleted as it is read: a second use finds nothing. */
  private async takeGrant<T>(kind: GrantKind, provider: OAuthProviderName, value: string): Promise<T | undefined> {
    if (!value || value.length > 200) return undefined;
    const key = { digest: this.grantDigest(kind, value), kind, provider };
    return inTransaction(this.o, async (trx) => {
      const row = await trx('folio_member_oauth_grants')
        .where(key)
        .first<{ payload: string; expires_at: number | string } | undefined>();
      // Only the request whose delete removed the row may use it (two racing requests: one wins).
      if (!row || !(await trx('folio_member_oauth_grants').where(key).delete())) return undefined;
      return Number(row.expires_at) > Date.now() ? (JSON.parse(row.payload) as T) : undefined;
    });
  }

  // --- the three steps --------------------------------------------------------------------------------

  /** GET /api/connect/:provider: where to send the browser, and the state for its cookie. */
  async connect(name: string, ip: string): Promise<{ location: string; state: string }> {
    const { provider, settings } = await this.enabled(name);
    await this.connectLimit.assert(ip);
    const flow: FlowSecrets = { codeVerifier: generateCodeVerifier(), nonce: randomToken(16) };
    const client = this.client(provider, settings);
    const state = await this.putGrant('state', provider, flow, STATE_TTL_MS);
    try {
      return { location: (await client.authorizationUrl(state, flow)).toString(), state };
    } catch (error) {
      // Google's discovery document could not be read: the provider, not the request, is at fault.
      if (error instanceof FolioError) throw error;
      throw new ServiceUnavailableError('The provider cannot be reached');
    }
  }

  /**
   * GET /api/connect/:provider/callback: the state must be the one this browser started with
   * (`cookieState`) and unused; then the code is exchanged and the profile read. Answers the site's
   * redirect URL with a one-time `access_token`.
   */
  async providerCallback(name: string, query: Record<string, unknown>, cookieState: string | undefined) {
    const { provider, settings } = await this.enabled(name);
    const state = typeof query.state === 'string' ? query.state : '';
    if (!state || state !== cookieState) throw new ValidationError('Invalid state');
    const flow = await this.takeGrant<FlowSecrets>('state', provider, state);
    if (!flow) throw new ValidationError('Invalid state');
    if (typeof query.error === 'string') throw new ApplicationError(`The provider refused: ${query.error}`);
    if (typeof query.code !== 'string' || !query.code) throw new ValidationError('Missing code');
    let profile: ProviderProfile;
    try {
      profile = await this.client(provider, settings).profile(query.code, flow);
    } catch (error) {
      if (error instanceof ApplicationError) throw error;
      throw new ApplicationError('The provider did not confirm the sign-in');
    }
    const code = await this.putGrant('code', provider, profile, CODE_TTL_MS);
    const redirect = settings.providers[provider].redirectUrl;
    if (!redirect) throw new ApplicationError('This provider has no redirect URL');
    const url = new URL(redirect);
    url.searchParams.set('access_token', code);
    return url.toString();
  }

  /** GET /api/auth/:provider/callback?access_token=: the member signed in, found or created. */
  async signIn(name: string, accessToken: unknown, ip: string): Promise<SignedIn> {
    const { provider, settings } = await this.enabled(name);
    if (typeof accessToken !== 'string' || !accessToken) throw new ValidationError('access_token is missing');
    const profile = await this.takeGrant<ProviderProfile>('code', provider, accessToken);
    if (!profile) throw new ValidationError('Invalid access_token');
    const row = await this.memberFor(provider, profile, settings, ip);
    if (row.blocked) throw new ForbiddenError('Your account has been blocked by an administrator');
    await this.o.audit.record({
      actor: { kind: 'member', id: Number(row.id), label: row.username },
      action: 'members.login',
      subject: 'members',
      entityId: Number(row.id),
      ip,
      details: { provider },
    });
    return this.auth.signedInAs(row, settings);
  }

  /**
   * The member of `provider` with the profile's email, or a new one (confirmed: the provider has
   * verified the address). An email already used by a member of another provider (or a local
   * account) is refused, as Strapi does with unique emails: signing in with GitHub must not open
   * an account someone else registered with a password.
   */
  private async memberFor(
    provider: OAuthProviderName,
    profile: ProviderProfile,
    settings: MemberSettings,
    ip: string,
  ): Promise<MemberRow> {
    const existing = await this.auth.members.rowByEmail(profile.email);
    if (existing && existing.provider === provider) return existing;
    // Strapi's order: a closed registration is answered before a taken email.
    if (!settings.registration) throw new ApplicationError('Register action is actually not available.');
    if (existing) throw new ApplicationError('Email is already taken.');
    const role = await this.auth.roles.byCode(settings.defaultRole);
    if (!role) throw new NotFoundError('Impossible to find the default role');
    return inTransaction(this.o, async (trx) => {
      const created = await this.auth.members.createIn(trx, {
        username: await this.freeUsername(trx, profile.username),
        email: profile.email,
        passwordHash: null,
        provider,
        roleId: role.id,
        confirmed: true,
      });
      await this.auth.auditRegistrationIn(trx, created, ip, { provider });
      return created;
    });
  }

  /** The provider's username, or with a short suffix when a member already has it. */
  private async freeUsername(trx: Knex.Transaction, wanted: string): Promise<string> {
    const base = wanted.slice(0, 180);
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidate = attempt === 0 ? base : `${base}-${randomToken(3).slice(0, 4).toLowerCase()}`;
      try {
        await this.auth.members.assertFree(trx, { username: candidate });
        return candidate;
      } catch (error) {
        if (!(error instanceof ApplicationError)) throw error;
      }
    }
    throw new ApplicationError('Username already taken');
  }
}
