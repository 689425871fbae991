// Sign-in with GitHub and Google (docs/members.md, "Sign in with GitHub or Google"): Strapi's
// /api/connect/:provider → provider → /api/connect/:provider/callback → site → /api/auth/:provider/
// callback flow, end to end against local stand-ins — oauth2-mock-server as Google's OpenID
// Connect issuer, a small HTTP server as GitHub's token endpoint and REST API — never the real ones.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OAuth2Server } from 'oauth2-mock-server';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { CONNECT_PER_IP } from '../../server/members/oauth.js';

const SITE = 'https://site.example.test/connect/done';

/** GitHub's token endpoint, /user and /user/emails: codes are `<login>`, checked against PKCE. */
class GithubStandIn {
  private server!: Server;
  url = '';
  /** login → its emails as GitHub lists them. */
  readonly accounts = new Map<string, { email: string; primary: boolean; verified: boolean }[]>();
  /** code → its PKCE challenge, from the authorization URL the test followed. */
  readonly challenges = new Map<string, string>();

  async start() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.url);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const login = (req.headers.authorization ?? '').replace(/^Bearer gh-token-/, '');
      if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
        let raw = '';
        req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        req.on('end', () => {
          const form = new URLSearchParams(raw);
          const code = form.get('code') ?? '';
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          const basic = Buffer.from(`gh-client:gh-secret`).toString('base64');
          if (req.headers.authorization !== `Basic ${basic}` || this.challenges.get(code) !== challenge)
            return json(400, { error: 'bad_verification_code' });
          json(200, { access_token: `gh-token-${code}`, token_type: 'bearer', scope: 'user:email' });
        });
        return;
      }
      if (!this.accounts.has(login)) return json(401, { message: 'Bad credentials' });
      if (url.pathname === '/api/user') return json(200, { login, id: 1 });
      if (url.pathname === '/api/user/emails') return json(200, this.accounts.get(login));
      json(404, { message: 'Not Found' });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const github = new GithubStandIn();
const google = new OAuth2Server();
/** The claims Google's next ID token carries (email, email_verified). */
let nextGoogleClaims: Record<string, unknown> = {};

beforeAll(async () => {
  await github.start();
  await google.issuer.keys.generate('RS256');
  google.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    Object.assign(token.payload, nextGoogleClaims);
  });
  await google.start(0, '127.0.0.1');
});

afterAll(async () => {
  await github.stop();
  await google.stop();
});

describeEachDatabase(
  'members: sign in with GitHub or Google',
  (t) => {
    let admin: AdminSession;
    let counter = 0;
    // Each flow from its own address (TRUST_PROXY below): the per-IP limit counts only where meant to.
    let address = 0;

    const setSettings = async (patch: Record<string, unknown>) => {
      const current = (await admin.get('/admin-api/member-settings')).body.data;
      const res = await admin.put('/admin-api/member-settings', { ...current, ...patch });
      expect(res.status).toBe(200);
      return res.body.data;
    };
    const providers = (enabled: { github: boolean; google: boolean }) => ({
      github: {
        enabled: enabled.github,
        clientId: 'gh-client',
        clientSecret: 'gh-secret',
        redirectUrl: SITE,
        authorizationUrl: `${github.url}/login/oauth/authorize`,
        tokenUrl: `${github.url}/login/oauth/access_token`,
        apiUrl: `${github.url}/api`,
      },
      google: {
        enabled: enabled.google,
        clientId: 'google-client',
        clientSecret: 'google-secret',
        redirectUrl: SITE,
        issuer: google.issuer.url!,
      },
    });

    /** GET /api/connect/:provider: the provider's authorization URL and the state cookie. */
    const connect = async (provider: string, ip = `10.1.0.${++address % 250}`) => {
      const res = await t().http().get(`/api/connect/${provider}`).set('X-Forwarded-For', ip);
      expect(res.status).toBe(302);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      return { authorize: new URL(res.headers.location), cookie };
    };

    /** The provider's return to Folio, then the site's call: `{ status, body }` of the last step. */
    const finish = async (provider: string, query: URLSearchParams, cookie: string) => {
      const back = await t().http().get(`/api/connect/${provider}/callback?${query.toString()}`).set('Cookie', cookie);
      if (back.status !== 302) return back;
      const landing = new URL(back.headers.location);
      expect(`${landing.origin}${landing.pathname}`).toBe(SITE);
      return t()
        .http()
        .get(`/api/auth/${provider}/callback?access_token=${landing.searchParams.get('access_token')}`);
    };

    /** The whole GitHub flow for `login`, as a browser would follow it. */
    const githubFlow = async (login: string) => {
      const { authorize, cookie } = await connect('github');
      github.challenges.set(login, authorize.searchParams.get('code_challenge')!);
      const query = new URLSearchParams({ code: login, state: authorize.searchParams.get('state')! });
      return finish('github', query, cookie);
    };

    /** The whole Google flow for `email`: the mock issuer's authorize endpoint redirects back with a code. */
    const googleFlow = async (email: string, verified = true) => {
      nextGoogleClaims = { email, email_verified: verified };
      const { authorize, cookie } = await connect('google');
      const res = await fetch(authorize, { redirect: 'manual' });
      const back = new URL(res.headers.get('location')!);
      return finish('google', back.searchParams, cookie);
    };

    const newGithubAccount = () => {
      counter += 1;
      const login = `octo${counter}`;
      github.accounts.set(login, [
        { email: `old${counter}@example.test`, primary: false, verified: true },
        { email: `Octo${counter}@Example.test`, primary: true, verified: true },
      ]);
      return { login, email: `octo${counter}@example.test` };
    };

    beforeAll(async () => {
      admin = await signedIn(t(), ['super-admin']);
      await setSettings({ providers: providers({ github: true, google: true }) });
    });

    describe('settings', () => {
      it('never answers a client secret, and keeps it when a save sends none', async () => {
        const data = await setSettings({});
        expect(data.providers.github).toMatchObject({ clientSecret: '', clientSecretSet: true });
        const row = await t().db('folio_member_settings').first();
        expect(row.value).not.toContain('gh-secret');
        expect(row.value).not.toContain('google-secret');
        // The save above sent '' back: the stored secret still works.
        const { login } = newGithubAccount();
        expect((await githubFlow(login)).status).toBe(200);
      });
    });

    describe('the full flow', () => {
      it('signs a new GitHub member in with its verified primary email; the JWT works on /users/me', async () => {
        const { login, email } = newGithubAccount();
        const res = await githubFlow(login);
        expect(res.status).toBe(200);
        expect(res.body.user).toMatchObject({ username: login, email, provider: 'github', confirmed: true });
        const me = await t().http().get('/api/users/me').set('Authorization', `Bearer ${res.body.jwt}`);
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ id: res.body.user.id, email });
      });

      it('signs the same GitHub member in again rather than creating another', async () => {
        const { login } = newGithubAccount();
        const first = await githubFlow(login);
        const second = await githubFlow(login);
        expect(second.status).toBe(200);
        expect(second.body.user.id).toBe(first.body.user.id);
      });

      it('signs a Google member in through OpenID Connect; the JWT works on /users/me', async () => {
        const res = await googleFlow('Ada@Example.test');
        expect(res.status).toBe(200);
        expect(res.body.user).toMatchObject({
          username: 'ada',
          email: 'ada@example.test',
          provider: 'google',
          confirmed: true,
        });
        const me = await t().http().get('/api/users/me').set('Authorization', `Bearer ${res.body.jwt}`);
        expect(me.status).toBe(200);
        expect(me.body.email).toBe('ada@example.test');
      });

      it('refuses a Google account whose email is not verified', async () => {
        const res = await googleFlow('unverified@example.test', false);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe('Your Google email is not verified');
        expect(await t().db('folio_members').where({ email: 'unverified@example.test' }).first()).toBeUndefined();
      });

      it('refuses an email that a member of another provider already has', async () => {
        await googleFlow('shared@example.test');
        counter += 1;
        const login = `octo${counter}`;
        github.accounts.set(login, [{ email: 'shared@example.test', primary: true, verified: true }]);
        const res = await githubFlow(login);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ name: 'ApplicationError', message: 'Email is already taken.' });
      });
    });

    describe('state', () => {
      it('refuses a state that is not the one this browser started with', async () => {
        const { login } = newGithubAccount();
        const mine = await connect('github');
        const theirs = await connect('github');
        github.challenges.set(login, theirs.authorize.searchParams.get('code_challenge')!);
        const query = new URLSearchParams({ code: login, state: theirs.authorize.searchParams.get('state')! });
        const res = await finish('github', query, mine.cookie);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ name: 'ValidationError', message: 'Invalid state' });
      });

      it('refuses a state used once already', async () => {
        const { login } = newGithubAccount();
        const { authorize, cookie } = await connect('github');
        github.challenges.set(login, authorize.searchParams.get('code_challenge')!);
        const query = new URLSearchParams({ code: login, state: authorize.searchParams.get('state')! });
        expect((await finish('github', query, cookie)).status).toBe(200);
        const replay = await finish('github', query, cookie);
        expect(replay.status).toBe(400);
        expect(replay.body.error.message).toBe('Invalid state');
      });

      it('refuses an access_token used once already', async () => {
        const { login } = newGithubAccount();
        const { authorize, cookie } = await connect('github');
        github.challenges.set(login, authorize.searchParams.get('code_challenge')!);
        const query = new URLSearchParams({ code: login, state: authorize.searchParams.get('state')! });
        const back = await t().http().get(`/api/connect/github/callback?${query.toString()}`).set('Cookie', cookie);
        const token = new URL(back.headers.location).searchParams.get('access_token');
        expect((await t().http().get(`/api/auth/github/callback?access_token=${token}`)).status).toBe(200);
        const again = await t().http().get(`/api/auth/github/callback?access_token=${token}`);
        expect(again.status).toBe(400);
        expect(again.body.error.message).toBe('Invalid access_token');
      });
    });

    describe('settings that refuse', () => {
      it('answers Strapi’s 400 for a disabled or unknown provider', async () => {
        await setSettings({ providers: providers({ github: false, google: true }) });
        try {
          for (const path of [
            '/api/connect/github',
            '/api/auth/github/callback?access_token=x',
            '/api/connect/facebook',
          ]) {
            const res = await t().http().get(path);
            expect(res.status).toBe(400);
            expect(res.body.error).toMatchObject({ name: 'ApplicationError', message: 'This provider is disabled' });
          }
        } finally {
          await setSettings({ providers: providers({ github: true, google: true }) });
        }
      });

      it('with registration closed, refuses a new member but signs an existing one in', async () => {
        const existing = newGithubAccount();
        expect((await githubFlow(existing.login)).status).toBe(200);
        const stranger = newGithubAccount();
        await setSettings({ registration: false });
        try {
          const refused = await githubFlow(stranger.login);
          expect(refused.status).toBe(400);
          expect(refused.body.error.message).toBe('Register action is actually not available.');
          expect(await t().db('folio_members').where({ email: stranger.email }).first()).toBeUndefined();
          expect((await githubFlow(existing.login)).status).toBe(200);
        } finally {
          await setSettings({ registration: true });
        }
      });

      it('refuses a blocked member with Strapi’s message', async () => {
        const { login, email } = newGithubAccount();
        expect((await githubFlow(login)).status).toBe(200);
        await t().db('folio_members').where({ email }).update({ blocked: true });
        const res = await githubFlow(login);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe('Your account has been blocked by an administrator');
      });

      it('answers 503 when the OpenID issuer cannot be reached', async () => {
        const unreachable = providers({ github: true, google: true });
        unreachable.google.issuer = 'http://127.0.0.1:9/unreachable';
        await setSettings({ providers: unreachable });
        try {
          const res = await t().http().get('/api/connect/google').set('X-Forwarded-For', '10.3.0.1');
          expect(res.status).toBe(503);
          expect(res.body.error.message).toBe('The provider cannot be reached');
        } finally {
          await setSettings({ providers: providers({ github: true, google: true }) });
        }
      });

      it('limits how many flows one address starts, with Retry-After', async () => {
        const ip = '10.2.0.1';
        for (let i = 0; i < CONNECT_PER_IP.limit; i++) await connect('github', ip);
        const res = await t().http().get('/api/connect/github').set('X-Forwarded-For', ip);
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      });
    });
  },
  { TRUST_PROXY: 'true' },
);
