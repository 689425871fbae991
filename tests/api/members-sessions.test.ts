// Members' sessions and mails (docs/members.md): the optional refresh mode (rotating refresh tokens,
// reuse detection, logout, revocation on block), the editable mail templates, and a member's email
// change that waits for the new address to be confirmed.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { setMemberRolePermissions } from '../../server/access/operations/public-permissions.js';
import type { MailMessage } from '../../server/auth/mailer.js';

const PASSWORD = 'correct-horse-42';

describeEachDatabase(
  'member sessions and mails',
  (t) => {
    let admin: AdminSession;
    const mails: MailMessage[] = [];
    let counter = 0;
    let address = 0;

    // Each request from its own address (TRUST_PROXY), so that per-IP limits never add up across tests.
    const post = (path: string, body: object, jwt?: string) => {
      address += 1;
      const req = t()
        .http()
        .post(path)
        .set('X-Forwarded-For', `10.1.${Math.floor(address / 250)}.${address % 250}`);
      if (jwt) req.set('Authorization', `Bearer ${jwt}`);
      return req.send(body);
    };
    const me = (jwt: string) => t().http().get('/api/users/me').set('Authorization', `Bearer ${jwt}`);
    const register = async () => {
      counter += 1;
      const who = { username: `session${counter}`, email: `session${counter}@example.test`, password: PASSWORD };
      const res = await post('/api/auth/local/register', who);
      expect(res.status).toBe(200);
      return {
        ...who,
        id: res.body.user.id as number,
        jwt: res.body.jwt as string,
        refreshToken: res.body.refreshToken,
      };
    };
    const setSettings = async (patch: Record<string, unknown>) => {
      const current = (await admin.get('/admin-api/member-settings')).body.data;
      const res = await admin.put('/admin-api/member-settings', { ...current, ...patch });
      expect(res.status).toBe(200);
    };
    const lastMailTo = async (email: string) => {
      await t().folio.auth.mailer.idle();
      return [...mails].reverse().find((m) => m.to === email);
    };
    const linkCode = (mail: MailMessage | undefined) => /confirmation=(\S+)/.exec(mail!.text)![1];

    beforeAll(async () => {
      admin = await signedIn(t(), ['super-admin']);
      t().folio.auth.mailer.onSend((m) => mails.push(m));
    });

    describe('refresh tokens', () => {
      beforeAll(() => setSettings({ refreshTokens: true, accessTokenLifetimeMinutes: 15 }));

      it('answers { jwt, refreshToken, user } on sign-in, the JWT lasting the access lifetime', async () => {
        const { jwt, refreshToken } = await register();
        expect(typeof refreshToken).toBe('string');
        const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, number>;
        expect(claims.exp - claims.iat).toBe(15 * 60);
        expect((await me(jwt)).status).toBe(200);
      });

      it('rotates: a refresh answers a new pair and spends the token it was given', async () => {
        const { refreshToken } = await register();
        const first = await post('/api/auth/refresh', { refreshToken });
        expect(first.status).toBe(200);
        expect(first.body).toEqual({ jwt: expect.any(String), refreshToken: expect.any(String) });
        expect(first.body.refreshToken).not.toBe(refreshToken);
        expect((await me(first.body.jwt)).status).toBe(200);
        const second = await post('/api/auth/refresh', { refreshToken: first.body.refreshToken });
        expect(second.status).toBe(200);
      });

      it('revokes the whole family when a spent token comes back: the newest fails too, audited', async () => {
        const { id, refreshToken } = await register();
        const next = (await post('/api/auth/refresh', { refreshToken })).body.refreshToken as string;
        const reuse = await post('/api/auth/refresh', { refreshToken });
        expect(reuse.status).toBe(401);
        expect(reuse.body.error).toMatchObject({ name: 'UnauthorizedError', message: 'Invalid refresh token' });
        expect((await post('/api/auth/refresh', { refreshToken: next })).status).toBe(401);
        const audit = await t()
          .db('folio_audit_log')
          .where({ action: 'members.refresh-reuse', entity_id: String(id) });
        expect(audit).toHaveLength(1);
      });

      it('keeps another sign-in’s family alive when one family is revoked', async () => {
        const who = await register();
        const other = await post('/api/auth/local', { identifier: who.username, password: PASSWORD });
        await post('/api/auth/refresh', { refreshToken: who.refreshToken });
        await post('/api/auth/refresh', { refreshToken: who.refreshToken }); // reuse: this family dies
        expect((await post('/api/auth/refresh', { refreshToken: other.body.refreshToken })).status).toBe(200);
      });

      it('logs out: the family of the refresh token sent can no longer refresh', async () => {
        const { jwt, refreshToken } = await register();
        const res = await post('/api/auth/logout', { refreshToken }, jwt);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true });
        expect((await post('/api/auth/refresh', { refreshToken })).status).toBe(401);
      });

      it('refuses a logout without a member or a refresh token (401)', async () => {
        const res = await post('/api/auth/logout', {});
        expect(res.status).toBe(401);
      });

      it('revokes every family when an admin blocks the member', async () => {
        const { id, refreshToken } = await register();
        expect((await admin.put(`/admin-api/members/${id}`, { blocked: true })).status).toBe(200);
        expect((await post('/api/auth/refresh', { refreshToken })).status).toBe(401);
      });

      it('revokes every family on a password change, and answers a new pair', async () => {
        const { jwt, refreshToken } = await register();
        const res = await post(
          '/api/auth/change-password',
          { currentPassword: PASSWORD, password: 'another-pass-1', passwordConfirmation: 'another-pass-1' },
          jwt,
        );
        expect(res.status).toBe(200);
        expect((await post('/api/auth/refresh', { refreshToken })).status).toBe(401);
        expect((await post('/api/auth/refresh', { refreshToken: res.body.refreshToken })).status).toBe(200);
      });

      it('answers 401 to an expired access token', async () => {
        const { id } = await register();
        const row = await t().db('folio_members').where({ id }).first();
        const expired = await t().folio.members.tokens.issue(
          { id, documentId: row.document_id, ver: 0 },
          60,
          Date.now() - 120_000,
        );
        expect((await me(expired)).status).toBe(401);
      });

      it('refuses a refresh without a token (400) and an unknown token (401)', async () => {
        expect((await post('/api/auth/refresh', {})).body.error.message).toBe('Missing refresh token');
        expect((await post('/api/auth/refresh', { refreshToken: 'not-a-token' })).status).toBe(401);
      });

      it('answers 404 on refresh and logout when the mode is off, and no refresh token on sign-in', async () => {
        await setSettings({ refreshTokens: false });
        try {
          const { refreshToken } = await register();
          expect(refreshToken).toBeUndefined();
          expect((await post('/api/auth/refresh', { refreshToken: 'x' })).status).toBe(404);
          expect((await post('/api/auth/logout', { refreshToken: 'x' })).status).toBe(404);
        } finally {
          await setSettings({ refreshTokens: true });
        }
      });

      it('keeps the refresh settings when a save leaves them out', async () => {
        const current = (await admin.get('/admin-api/member-settings')).body.data as Record<string, unknown>;
        const { refreshTokens, accessTokenLifetimeMinutes, refreshTokenLifetimeDays, ...rest } = current;
        expect(refreshTokens).toBe(true);
        const res = await admin.put('/admin-api/member-settings', rest);
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ refreshTokens, accessTokenLifetimeMinutes, refreshTokenLifetimeDays });
        expect((await register()).refreshToken).toEqual(expect.any(String));
      });
    });

    describe('mail templates', () => {
      const confirmation = {
        from: { name: 'The Site', email: 'hello@site.example' },
        replyTo: 'help@site.example',
        subject: 'Welcome <%= USER.username %>',
        message: '<p>Hi <%= USER.username %>, confirm: <a href="<%= URL %>?confirmation=<%= CODE %>">here</a></p>',
        text: 'Hi <%= USER.username %>, confirm: <%= URL %>?confirmation=<%= CODE %>',
      };

      it('answers the built-in mails until an admin saves one, with their variables', async () => {
        const res = await admin.get('/admin-api/member-settings/email-templates');
        expect(res.status).toBe(200);
        expect(res.body.data.emailConfirmation).toMatchObject({
          custom: false,
          subject: 'Account confirmation',
          variables: ['URL', 'CODE', 'USER.username', 'USER.email'],
        });
        expect((await admin.get('/admin-api/member-settings')).body.data.emailTemplates).toBeUndefined();
      });

      it('refuses a template with an unknown variable (400) and keeps the stored ones', async () => {
        const res = await admin.put('/admin-api/member-settings/email-templates', {
          emailConfirmation: { ...confirmation, text: 'Hi <%= USER.password %> <%- CODE %>' },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('ValidationError');
        expect(JSON.stringify(res.body.error.details)).toContain('USER.password');
        const stored = await admin.get('/admin-api/member-settings/email-templates');
        expect(stored.body.data.emailConfirmation.custom).toBe(false);
      });

      it('sends the saved template, the username HTML-escaped in the HTML part only', async () => {
        const saved = await admin.put('/admin-api/member-settings/email-templates', {
          emailConfirmation: confirmation,
        });
        expect(saved.status).toBe(200);
        await setSettings({ emailConfirmation: true });
        try {
          counter += 1;
          const username = `<b>x${counter}</b>`;
          const email = `template${counter}@example.test`;
          expect((await post('/api/auth/local/register', { username, email, password: PASSWORD })).status).toBe(200);
          const mail = await lastMailTo(email);
          expect(mail).toMatchObject({
            subject: `Welcome ${username}`,
            from: { name: 'The Site', address: 'hello@site.example' },
            replyTo: 'help@site.example',
          });
          expect(mail!.html).toContain(`Hi &lt;b&gt;x${counter}&lt;/b&gt;, confirm`);
          expect(mail!.text).toContain(`Hi ${username}, confirm: http`);
          const confirmed = await t()
            .http()
            .get(`/api/auth/email-confirmation?confirmation=${linkCode(mail)}`);
          expect(confirmed.status).toBe(302);
        } finally {
          await setSettings({ emailConfirmation: false });
          await admin.put('/admin-api/member-settings/email-templates', { emailConfirmation: null });
        }
      });
    });

    describe('email change', () => {
      beforeAll(() =>
        setMemberRolePermissions(t().folio, { caller: SYSTEM_CALLER, role: 'authenticated', allow: ['users.update'] }),
      );
      const changeOwnEmail = (who: { id: number; jwt: string }, email: string) =>
        t().http().put(`/api/users/${who.id}`).set('Authorization', `Bearer ${who.jwt}`).send({ email });

      it('keeps the old email until the new one is confirmed; the old one is told', async () => {
        const who = await register();
        const newEmail = `moved${counter}@example.test`;
        const res = await changeOwnEmail(who, newEmail);
        expect(res.status).toBe(200);
        expect(res.body.email).toBe(who.email);
        expect((await post('/api/auth/local', { identifier: who.email, password: PASSWORD })).status).toBe(200);
        expect((await lastMailTo(who.email))!.text).toContain(newEmail);
        const code = linkCode(await lastMailTo(newEmail));

        const confirmed = await t().http().get(`/api/auth/email-confirmation?confirmation=${code}`);
        expect(confirmed.status).toBe(302);
        expect((await t().db('folio_members').where({ id: who.id }).first()).email).toBe(newEmail);
        expect((await post('/api/auth/local', { identifier: newEmail, password: PASSWORD })).status).toBe(200);
        expect((await post('/api/auth/local', { identifier: who.email, password: PASSWORD })).status).toBe(400);
        const audit = await t()
          .db('folio_audit_log')
          .where({ action: 'members.email-change', entity_id: String(who.id) });
        expect(audit).toHaveLength(1);
      });

      it('refuses a wrong code and a used one, changing nothing', async () => {
        const who = await register();
        const newEmail = `again${counter}@example.test`;
        await changeOwnEmail(who, newEmail);
        const code = linkCode(await lastMailTo(newEmail));
        const wrong = await t().http().get(`/api/auth/email-confirmation?confirmation=${code}x`);
        expect(wrong.status).toBe(400);
        expect(wrong.body.error.message).toBe('Invalid token');
        expect((await t().db('folio_members').where({ id: who.id }).first()).email).toBe(who.email);
        expect((await t().http().get(`/api/auth/email-confirmation?confirmation=${code}`)).status).toBe(302);
        const used = await t().http().get(`/api/auth/email-confirmation?confirmation=${code}`);
        expect(used.status).toBe(400);
      });

      it('lets an admin set an email at once, audited, ending a pending change', async () => {
        const who = await register();
        await changeOwnEmail(who, `pending${counter}@example.test`);
        const direct = `direct${counter}@example.test`;
        const res = await admin.put(`/admin-api/members/${who.id}`, { email: direct });
        expect(res.status).toBe(200);
        const row = await t().db('folio_members').where({ id: who.id }).first();
        expect(row).toMatchObject({ email: direct, pending_email: null, email_change_digest: null });
        const audit = await t()
          .db('folio_audit_log')
          .where({ action: 'members.update', entity_id: String(who.id) });
        expect(JSON.parse(audit.at(-1).details)).toMatchObject({ email: direct });
      });
    });
  },
  { TRUST_PROXY: 'true' },
);
