import { beforeEach, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { describeEachDatabase } from '../helpers/folio.js';
import { createAdmin, login, signedIn } from '../helpers/admin.js';
import type { MailMessage } from '../../server/auth/mailer.js';
import { RESET_PER_EMAIL, RESET_PER_IP } from '../../server/auth/reset-requests.js';
import { ACCOUNT_POLICY, IP_POLICY } from '../../server/auth/rate-limit.js';

function cookieOf(res: supertest.Response): string {
  const raw = res.headers['set-cookie'] as unknown as string[];
  return raw.find((c) => c.startsWith('folio_session='))!;
}

describeEachDatabase('first-run registration', (t) => {
  it('is open while no admin exists, creates a Super Admin, then closes', async () => {
    expect((await t().http().get('/admin-api/auth/registration')).body).toEqual({ data: { open: true } });
    const res = await t()
      .http()
      .post('/admin-api/auth/register')
      .send({ firstname: 'Ada', lastname: 'L', email: 'Ada@Example.test', password: 'a-long-password' });
    expect(res.status).toBe(201);
    expect(res.body.data.user).toMatchObject({ email: 'ada@example.test', roles: [{ code: 'super-admin' }] });
    expect(res.body.data.csrfToken).toEqual(expect.any(String));
    expect((await t().http().get('/admin-api/auth/registration')).body).toEqual({ data: { open: false } });
    const again = await t()
      .http()
      .post('/admin-api/auth/register')
      .send({ firstname: 'Eve', lastname: 'X', email: 'eve@example.test', password: 'a-long-password' });
    expect(again.status).toBe(403);
    expect(await t().db('folio_admin_users').where({ email: 'eve@example.test' }).first()).toBeUndefined();
  });

  it('refuses a short password with 400 naming the field', async () => {
    const res = await t()
      .http()
      .post('/admin-api/auth/register')
      .send({ firstname: 'A', email: 'x@example.test', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['password']);
  });
});

// One installation per database, new at the first test: the probe's registrationOpen follows it.
describeEachDatabase('the session probe the dashboard starts with', (t) => {
  it('answers the session probe with 200 and no user when signed out, and whether registration is open', async () => {
    const before = await t().http().get('/admin-api/auth/session');
    expect(before.status).toBe(200);
    expect(before.headers['cache-control']).toBe('no-store');
    expect(before.body).toEqual({ data: { user: null, permissions: [], csrfToken: null, registrationOpen: true } });
    await createAdmin(t(), ['editor']);
    const after = await t().http().get('/admin-api/auth/session');
    expect(after.body.data).toEqual({ user: null, permissions: [], csrfToken: null, registrationOpen: false });
  });

  it('answers the session probe as me when signed in', async () => {
    const s = await signedIn(t(), ['author']);
    const probe = await s.get('/admin-api/auth/session');
    const me = await s.get('/admin-api/auth/me');
    expect(probe.status).toBe(200);
    expect(probe.body.data).toEqual({ ...me.body.data, registrationOpen: false });
    expect(probe.body.data.user.email).toBe(s.email);
  });
});

describeEachDatabase('login, session cookie, CSRF and logout', (t) => {
  it('sets an httpOnly SameSite=Strict cookie and stores only a digest of it', async () => {
    const { email, password } = await createAdmin(t(), ['editor']);
    const res = await t().http().post('/admin-api/auth/login').send({ email, password });
    expect(res.status).toBe(200);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const value = /folio_session=([^;]+)/.exec(cookie)![1];
    const rows = await t().db('folio_sessions').select('digest');
    expect(rows.some((r: { digest: string }) => r.digest === value)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('answers me with the user, permissions and CSRF token', async () => {
    const s = await signedIn(t(), ['author']);
    const me = await s.get('/admin-api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.data.user.email).toBe(s.email);
    expect(me.body.data.csrfToken).toBe(s.csrf);
    expect(me.body.data.permissions).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'update', conditions: { createdBy: s.userId } })]),
    );
  });

  it('refuses a write without the CSRF token with 403 and changes nothing', async () => {
    const s = await signedIn(t(), ['super-admin']);
    const res = await s.agent.post('/admin-api/roles').send({ name: 'No CSRF' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/CSRF/);
    const wrong = await s.agent.post('/admin-api/roles').set('X-CSRF-Token', 'nope').send({ name: 'No CSRF' });
    expect(wrong.status).toBe(403);
    expect(await t().db('folio_roles').where({ name: 'No CSRF' }).first()).toBeUndefined();
    expect((await s.post('/admin-api/roles', { name: 'With CSRF' })).status).toBe(201);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const { email } = await createAdmin(t(), ['editor']);
    const unknown = await t()
      .http()
      .post('/admin-api/auth/login')
      .send({ email: 'nobody@example.test', password: 'whatever-123' });
    const wrong = await t().http().post('/admin-api/auth/login').send({ email, password: 'whatever-123' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('ends the session server-side on logout', async () => {
    const s = await signedIn(t(), ['editor']);
    const before = await t().db('folio_sessions').where({ user_id: s.userId }).count({ n: '*' });
    expect(Number(before[0].n)).toBe(1);
    expect((await s.post('/admin-api/auth/logout')).status).toBe(200);
    expect(Number((await t().db('folio_sessions').where({ user_id: s.userId }).count({ n: '*' }))[0].n)).toBe(0);
    expect((await s.get('/admin-api/auth/me')).status).toBe(401);
  });

  it('ends a session idle for longer than the idle limit', async () => {
    const s = await signedIn(t(), ['editor']);
    const idle = t().folio.auth.sessions.policy.idleMs;
    await t()
      .db('folio_sessions')
      .where({ user_id: s.userId })
      .update({ last_seen_at: Date.now() - idle - 1000 });
    expect((await s.get('/admin-api/auth/me')).status).toBe(401);
    expect(await t().db('folio_sessions').where({ user_id: s.userId }).first()).toBeUndefined();
  });

  it('ends a session past its absolute lifetime even when in use', async () => {
    const s = await signedIn(t(), ['editor']);
    await t()
      .db('folio_sessions')
      .where({ user_id: s.userId })
      .update({ expires_at: Date.now() - 1 });
    expect((await s.get('/admin-api/auth/me')).status).toBe(401);
  });

  it('ends the other sessions on a password change and accepts the new password', async () => {
    const { email, password } = await createAdmin(t(), ['editor']);
    const a = await login(t(), email, password);
    const b = await login(t(), email, password);
    const wrong = await a.put('/admin-api/auth/me/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'new-password-1',
    });
    expect(wrong.status).toBe(400);
    expect(
      (await a.put('/admin-api/auth/me/password', { currentPassword: password, newPassword: 'new-password-1' })).status,
    ).toBe(200);
    expect((await a.get('/admin-api/auth/me')).status).toBe(200);
    expect((await b.get('/admin-api/auth/me')).status).toBe(401);
    expect((await t().http().post('/admin-api/auth/login').send({ email, password })).status).toBe(401);
    await login(t(), email, 'new-password-1');
  });

  it('refuses a deactivated user and ends their sessions', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const victim = await signedIn(t(), ['editor']);
    expect((await admin.put(`/admin-api/users/${victim.userId}`, { isActive: false })).status).toBe(200);
    expect((await victim.get('/admin-api/auth/me')).status).toBe(401);
    expect(
      (await t().http().post('/admin-api/auth/login').send({ email: victim.email, password: victim.password })).status,
    ).toBe(401);
  });
});

describeEachDatabase('brute-force lockout', (t) => {
  it('locks an account after repeated failures with 429 and Retry-After, even for the right password', async () => {
    const { email, password } = await createAdmin(t(), ['editor']);
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await t()
            .http()
            .post('/admin-api/auth/login')
            .send({ email, password: `wrong-${i}-xxxx` })
        ).status,
      ).toBe(401);
    }
    const locked = await t().http().post('/admin-api/auth/login').send({ email, password });
    expect(locked.status).toBe(429);
    expect(locked.body.error.name).toBe('RateLimitError');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('grows the lockout with each further failure', async () => {
    const { email } = await createAdmin(t(), ['editor']);
    const limiter = t().folio.auth.accountLimiter;
    for (let i = 0; i < 5; i++) await limiter.fail(email);
    const first = await t().http().post('/admin-api/auth/login').send({ email, password: 'x' });
    await limiter.fail(email);
    await limiter.fail(email);
    const later = await t().http().post('/admin-api/auth/login').send({ email, password: 'x' });
    expect(Number(later.headers['retry-after'])).toBeGreaterThan(Number(first.headers['retry-after']) * 2);
  });

  it('locks an unknown email the same way (no account enumeration)', async () => {
    for (let i = 0; i < 5; i++)
      await t().http().post('/admin-api/auth/login').send({ email: 'ghost@example.test', password: 'wrong-password' });
    expect(
      (await t().http().post('/admin-api/auth/login').send({ email: 'ghost@example.test', password: 'wrong-password' }))
        .status,
    ).toBe(429);
  });

  it('records failed logins in the audit log', async () => {
    await t().http().post('/admin-api/auth/login').send({ email: 'audited@example.test', password: 'wrong-password' });
    const rows = await t().db('folio_audit_log').where({ action: 'auth.login-failed' });
    expect(rows.some((r: { details: string }) => JSON.parse(r.details).email === 'audited@example.test')).toBe(true);
  });
});

describeEachDatabase('parallel logins against one account', (t) => {
  it('verifies at most the free allowance of 200 parallel wrong passwords; the rest answer 429', async () => {
    const { email } = await createAdmin(t(), ['editor']);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t()
          .http()
          .post('/admin-api/auth/login')
          .send({ email, password: `wrong-${i}-xxxx` }),
      ),
    );
    const verified = (await t().db('folio_audit_log').where({ action: 'auth.login-failed' })).filter(
      (r: { details: string }) => JSON.parse(r.details).email === email,
    ).length;
    expect(verified).toBeGreaterThan(0);
    expect(verified).toBeLessThanOrEqual(ACCOUNT_POLICY.freeFailures);
    const statuses = new Map<number, number>();
    for (const r of answers) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ 401: verified, 429: 200 - verified });
  }, 180_000);
});

describeEachDatabase('an IP past its failure limit (one office behind a NAT)', (t) => {
  /** A regular user of this IP, signed in from it once; then the IP is pushed past its limit. */
  async function regularBehindLockedIp() {
    await t().db('folio_rate_limits').where('key', 'like', 'login:ip:%').delete(); // the previous test locked it
    const regular = await createAdmin(t(), ['editor']);
    await login(t(), regular.email, regular.password);
    const { ip } = await t()
      .db('folio_audit_log')
      .where({ action: 'auth.login', entity_id: String(regular.id) })
      .first();
    for (let i = 0; i < IP_POLICY.freeFailures; i++) await t().folio.auth.ipLimiter.fail(ip);
    return regular;
  }

  it('still signs in an account that signed in from it before, and refuses accounts that did not', async () => {
    const regular = await regularBehindLockedIp();
    const newcomer = await createAdmin(t(), ['editor']);
    expect(
      (await t().http().post('/admin-api/auth/login').send({ email: newcomer.email, password: newcomer.password }))
        .status,
    ).toBe(429);
    expect(
      (
        await t()
          .http()
          .post('/admin-api/auth/login')
          .send({ email: 'guess-next@example.test', password: 'wrong-password' })
      ).status,
    ).toBe(429);
    expect(
      (await t().http().post('/admin-api/auth/login').send({ email: regular.email, password: regular.password }))
        .status,
    ).toBe(200);
  });

  it("keeps a known account's own lockout: its wrong passwords are still limited to the free allowance", async () => {
    const regular = await regularBehindLockedIp();
    const statuses = [];
    for (let i = 0; i <= ACCOUNT_POLICY.freeFailures; i++)
      statuses.push(
        (
          await t()
            .http()
            .post('/admin-api/auth/login')
            .send({ email: regular.email, password: `wrong-${i}-xxxx` })
        ).status,
      );
    expect(statuses).toEqual([...Array(ACCOUNT_POLICY.freeFailures).fill(401), 429]);
  }, 120_000);
});

describeEachDatabase(
  'behind a trusted proxy (TRUST_PROXY=true)',
  (t) => {
    it(
      'limits the address the proxy added: a rotated leftmost ' + 'X-Forwarded-For entry does not evade the IP lockout',
      async () => {
        const accounts = await Promise.all(Array.from({ length: 8 }, () => createAdmin(t(), ['editor'])));
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) {
          const res = await t()
            .http()
            .post('/admin-api/auth/login')
            .set('X-Forwarded-For', `198.51.100.${i}, 203.0.113.7`)
            .send({ email: accounts[i % 8].email, password: `wrong-${i}-xxxx` });
          statuses.push(res.status);
        }
        expect(statuses.slice(0, IP_POLICY.freeFailures)).toEqual(Array(IP_POLICY.freeFailures).fill(401));
        expect(statuses.slice(IP_POLICY.freeFailures)).toEqual(Array(40 - IP_POLICY.freeFailures).fill(429));
        const failures = await t().db('folio_audit_log').where({ action: 'auth.login-failed' });
        expect(new Set(failures.map((r: { ip: string }) => r.ip))).toEqual(new Set(['203.0.113.7']));
      },
      180_000,
    );
  },
  { TRUST_PROXY: 'true' },
);

describeEachDatabase('password reset and invitations', (t) => {
  function nextMail(): Promise<MailMessage> {
    return new Promise((resolve) => {
      const off = t().folio.auth.mailer.onSend((m) => {
        off();
        resolve(m);
      });
    });
  }

  it('answers forgot-password the same for known and unknown emails, and mails a working link', async () => {
    const { email } = await createAdmin(t(), ['editor']);
    const mail = nextMail();
    const known = await t().http().post('/admin-api/auth/forgot-password').send({ email });
    const unknown = await t().http().post('/admin-api/auth/forgot-password').send({ email: 'nobody@example.test' });
    expect(known.status).toBe(200);
    expect(unknown.body).toEqual(known.body);
    const message = await mail;
    expect(message.to).toBe(email);
    const token = /token=([^\s&]+)/.exec(message.text)![1];
    const reset = await t()
      .http()
      .post('/admin-api/auth/reset-password')
      .send({ token: decodeURIComponent(token), password: 'brand-new-password' });
    expect(reset.status).toBe(200);
    await login(t(), email, 'brand-new-password');
    const reused = await t()
      .http()
      .post('/admin-api/auth/reset-password')
      .send({ token: decodeURIComponent(token), password: 'another-password' });
    expect(reused.status).toBe(400);
  });

  it('invites a user by link; accepting it sets the password and signs in', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const mail = nextMail();
    const res = await admin.post('/admin-api/users', { email: 'invitee@example.test', roles: ['author'] });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ email: 'invitee@example.test', registered: false });
    const token = decodeURIComponent(/token=([^\s&]+)/.exec((await mail).text)![1]);
    expect(res.body.meta.invitationUrl).toContain(encodeURIComponent(token));
    expect(
      (
        await t()
          .http()
          .get(`/admin-api/auth/invitation?token=${encodeURIComponent(token)}`)
      ).body.data.email,
    ).toBe('invitee@example.test');
    const accepted = await supertest(t().app.callback())
      .post('/admin-api/auth/accept-invitation')
      .send({ token, password: 'invitee-password', firstname: 'In' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.user).toMatchObject({ email: 'invitee@example.test', firstname: 'In', registered: true });
    await login(t(), 'invitee@example.test', 'invitee-password');
  });

  const tokenOfMail = (m: MailMessage) => decodeURIComponent(/token=([^\s&]+)/.exec(m.text)![1]);
  const invitationOf = (token: string) =>
    t()
      .http()
      .get(`/admin-api/auth/invitation?token=${encodeURIComponent(token)}`);

  it('re-sends an invitation with a new link, mailed again and audited; the old link stops working', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const first = nextMail();
    const created = await admin.post('/admin-api/users', { email: 'resend@example.test', roles: ['author'] });
    const oldToken = tokenOfMail(await first);
    const second = nextMail();
    const res = await admin.post(`/admin-api/users/${created.body.data.id}/invitation`);
    expect(res.status).toBe(200);
    const mail = await second;
    expect(mail.to).toBe('resend@example.test');
    const newToken = tokenOfMail(mail);
    expect(newToken).not.toBe(oldToken);
    expect(res.body.meta).toEqual({
      invitationUrl: expect.stringContaining(encodeURIComponent(newToken)),
      emailed: false,
    });
    expect((await invitationOf(oldToken)).status).toBe(400);
    expect((await invitationOf(newToken)).body.data.email).toBe('resend@example.test');
    const audit = await t()
      .db('folio_audit_log')
      .where({ action: 'users.invitation-reissue', entity_id: String(created.body.data.id) });
    expect(audit).toHaveLength(1);
  });

  it('refuses re-sending an invitation to an editor with 403, and the link stays valid', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const first = nextMail();
    const created = await admin.post('/admin-api/users', { email: 'kept@example.test', roles: ['author'] });
    const token = tokenOfMail(await first);
    const editor = await signedIn(t(), ['editor']);
    const res = await editor.post(`/admin-api/users/${created.body.data.id}/invitation`);
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain('token=');
    expect((await invitationOf(token)).body.data.email).toBe('kept@example.test');
    const audit = await t()
      .db('folio_audit_log')
      .where({ action: 'users.invitation-reissue', entity_id: String(created.body.data.id) });
    expect(audit).toEqual([]);
  });

  it('tells when a pending invitation was issued and until when it works, never its link', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const first = nextMail();
    const created = await admin.post('/admin-api/users', { email: 'pending@example.test', roles: ['author'] });
    const token = tokenOfMail(await first);
    const status = await admin.get(`/admin-api/users/${created.body.data.id}/invitation`);
    expect(status.status).toBe(200);
    const { issuedAt, expiresAt, expired } = status.body.data;
    expect(Date.parse(expiresAt) - Date.parse(issuedAt)).toBe(7 * 86_400_000);
    expect(expired).toBe(false);
    expect(JSON.stringify(status.body)).not.toContain(token);

    await t()
      .db('folio_auth_links')
      .where({ user_id: created.body.data.id, kind: 'invite' })
      .update({ expires_at: Date.now() - 1000 });
    expect((await admin.get(`/admin-api/users/${created.body.data.id}/invitation`)).body.data.expired).toBe(true);
    expect((await admin.get(`/admin-api/users/${admin.userId}/invitation`)).body).toEqual({ data: null });
  });

  it('refuses re-sending the invitation of a user who already signed up with 409', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const res = await admin.post(`/admin-api/users/${admin.userId}/invitation`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/already accepted/);
  });
});

describeEachDatabase('forgot-password under a flood', (t) => {
  const forgot = (email: string) => t().http().post('/admin-api/auth/forgot-password').send({ email });
  // The account lookup, the link and the mail happen after the answer: wait for them.
  const settled = () => t().folio.auth.mailer.idle();
  const resetLinks = async (email: string) => {
    await settled();
    const user = await t().db('folio_admin_users').where({ email }).first();
    return t()
      .db('folio_auth_links')
      .where({ user_id: user.id, kind: 'reset' })
      .count({ n: '*' })
      .then((r) => Number(r[0].n));
  };
  const tokenOf = (m: MailMessage) => decodeURIComponent(/token=([^\s&]+)/.exec(m.text)![1]);

  beforeEach(async () => {
    // Each test starts with fresh allowances (they all come from the test client's one IP).
    await t().db('folio_rate_limits').where('key', 'like', 'rate:%').delete();
  });

  it(
    'sends at most the per-email allowance for 20 requests, ' + 'answers 429 past it, and the first link still works',
    async () => {
      const { email } = await createAdmin(t(), ['editor']);
      const mails: MailMessage[] = [];
      const off = t().folio.auth.mailer.onSend((m) => {
        if (m.to === email) mails.push(m);
      });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await forgot(email)).status);
      await settled();
      off();
      expect(statuses).toEqual([
        ...Array(RESET_PER_EMAIL.limit).fill(200),
        ...Array(20 - RESET_PER_EMAIL.limit).fill(429),
      ]);
      expect(await resetLinks(email)).toBe(RESET_PER_EMAIL.limit);
      expect(mails.length).toBeLessThanOrEqual(RESET_PER_EMAIL.limit);
      const reset = await t()
        .http()
        .post('/admin-api/auth/reset-password')
        .send({ token: tokenOf(mails[0]), password: 'brand-new-password' });
      expect(reset.status).toBe(200);
      await login(t(), email, 'brand-new-password');
    },
  );

  it('voids every other reset link of the account once one is used', async () => {
    const { email } = await createAdmin(t(), ['editor']);
    const mails: MailMessage[] = [];
    const off = t().folio.auth.mailer.onSend((m) => mails.push(m));
    expect((await forgot(email)).status).toBe(200);
    expect((await forgot(email)).status).toBe(200);
    await settled();
    off();
    const [first, second] = mails.map(tokenOf);
    expect(
      (await t().http().post('/admin-api/auth/reset-password').send({ token: second, password: 'second-password' }))
        .status,
    ).toBe(200);
    expect(
      (await t().http().post('/admin-api/auth/reset-password').send({ token: first, password: 'first-password' }))
        .status,
    ).toBe(400);
    await login(t(), email, 'second-password');
  });

  it('answers an unknown email exactly as a known one, 429 included (no account oracle)', async () => {
    const { email } = await createAdmin(t(), ['editor']);
    const known: Array<[number, unknown]> = [];
    const unknown: Array<[number, unknown]> = [];
    for (let i = 0; i <= RESET_PER_EMAIL.limit; i++) {
      const k = await forgot(email);
      const u = await forgot('nobody-flooded@example.test');
      known.push([k.status, k.body]);
      unknown.push([u.status, u.body]);
    }
    expect(unknown).toEqual(known);
    expect(known.at(-1)![0]).toBe(429);
  });

  it('counts 20 parallel requests for one email against the allowance', async () => {
    const { email } = await createAdmin(t(), ['editor']);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => forgot(email).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(RESET_PER_EMAIL.limit);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(await resetLinks(email)).toBeLessThanOrEqual(RESET_PER_EMAIL.limit);
  });

  it('limits one IP asking for many emails, with Retry-After', async () => {
    const answers: Array<Awaited<ReturnType<typeof forgot>>> = [];
    for (let i = 0; i <= RESET_PER_IP.limit; i++) answers.push(await forgot(`spray-${i}@example.test`));
    expect(answers.map((a) => a.status)).toEqual([...Array(RESET_PER_IP.limit).fill(200), 429]);
    const last = answers[answers.length - 1];
    expect(last.body.error.name).toBe('RateLimitError');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(last.headers['retry-after'])).toBeLessThanOrEqual(RESET_PER_IP.windowMs / 1000);
  });
});
