// What each OAuth provider tells Folio about the person signing in, once the browser is back with an
// authorization code: GitHub (OAuth 2) through its REST API's /user and /user/emails, Google
// (OpenID Connect) through the ID token, verified against the issuer's published keys. The
// authorization-code exchange (with PKCE) is arctic's; the endpoints come from the settings.
import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { ApplicationError } from '../errors.js';
import type { GithubSettings, GoogleSettings } from './settings.js';

/** Who signed in, as the provider vouches: a verified email, and a username to suggest. */
export interface ProviderProfile {
  email: string;
  username: string;
}

/** What the start of a flow carries to its end (stored with the state). */
export interface FlowSecrets {
  codeVerifier: string;
  nonce: string;
}

export interface ProviderClient {
  authorizationUrl(state: string, secrets: FlowSecrets): Promise<URL>;
  profile(code: string, secrets: FlowSecrets): Promise<ProviderProfile>;
}

const FETCH_TIMEOUT_MS = 10_000;

async function fetchJson(url: string, accessToken: string | undefined, what: string): Promise<unknown> {
  const res = await fetch(url, {
    headers: {
      Accept: 'application/json',
      'User-Agent': 'Folio',
      ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
    },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!res.ok) throw new ApplicationError(`The provider refused to answer ${what} (${res.status})`);
  return res.json();
}

const githubUser = z.object({ login: z.string().min(1) });
const githubEmails = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

export function githubClient(settings: GithubSettings, clientSecret: string, redirectUri: string): ProviderClient {
  const client = new OAuth2Client(settings.clientId, clientSecret, redirectUri);
  const api = settings.apiUrl.replace(/\/+$/, '');
  return {
    authorizationUrl: (state, { codeVerifier }) =>
      Promise.resolve(
        client.createAuthorizationURLWithPKCE(
          settings.authorizationUrl,
          state,
          CodeChallengeMethod.S256,
          codeVerifier,
          ['user:email'],
        ),
      ),
    async profile(code, { codeVerifier }) {
      const tokens = await client.validateAuthorizationCode(settings.tokenUrl, code, codeVerifier);
      const accessToken = tokens.accessToken();
      const user = githubUser.parse(await fetchJson(`${api}/user`, accessToken, '/user'));
      // The primary address, and only once GitHub has verified it: an unverified one proves nothing.
      const emails = githubEmails.parse(await fetchJson(`${api}/user/emails`, accessToken, '/user/emails'));
      const primary = emails.find((e) => e.primary && e.verified);
      if (!primary) throw new ApplicationError('Your GitHub account has no verified primary email');
      return { email: primary.email.toLowerCase(), username: user.login };
    },
  };
}

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
});
type Discovery = z.infer<typeof discoverySchema>;

const idTokenClaims = z.object({
  email: z.string().email(),
  email_verified: z.literal(true, { message: 'Your Google email is not verified' }),
  nonce: z.string(),
});

/** Discovery documents and key sets by issuer: fetched once, the key set refreshing itself (jose). */
const issuers = new Map<string, { discovery: Discovery; keys: ReturnType<typeof createRemoteJWKSet> }>();

async function issuerOf(issuer: string) {
  const known = issuers.get(issuer);
  if (known) return known;
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const discovery = discoverySchema.parse(await fetchJson(url, undefined, 'its discovery document'));
  const entry = { discovery, keys: createRemoteJWKSet(new URL(discovery.jwks_uri)) };
  issuers.set(issuer, entry);
  return entry;
}

export function googleClient(settings: GoogleSettings, clientSecret: string, redirectUri: string): ProviderClient {
  const client = new OAuth2Client(settings.clientId, clientSecret, redirectUri);
  return {
    async authorizationUrl(state, { codeVerifier, nonce }) {
      const { discovery } = await issuerOf(settings.issuer);
      const url = client.createAuthorizationURLWithPKCE(
        discovery.authorization_endpoint,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        ['openid', 'email', 'profile'],
      );
      url.searchParams.set('nonce', nonce);
      return url;
    },
    async profile(code, { codeVerifier, nonce }) {
      const { discovery, keys } = await issuerOf(settings.issuer);
      const tokens = await client.validateAuthorizationCode(discovery.token_endpoint, code, codeVerifier);
      // The ID token came straight from the token endpoint, but its signature, issuer, audience,
      // expiry and nonce are checked all the same: they are what makes it this sign-in's.
      const { payload } = await jwtVerify(tokens.idToken(), keys, {
        issuer: discovery.issuer,
        audience: settings.clientId,
      });
      const claims = idTokenClaims.safeParse(payload);
      if (!claims.success) throw new ApplicationError(claims.error.issues[0]?.message ?? 'Invalid ID token');
      if (claims.data.nonce !== nonce) throw new ApplicationError('Invalid ID token');
      const email = claims.data.email.toLowerCase();
      return { email, username: email.split('@')[0] }; // as Strapi names a Google member
    },
  };
}
