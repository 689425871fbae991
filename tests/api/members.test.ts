// Site members (docs/members.md): Strapi's users-permissions routes on /api — sign-up, email
// confirmation, login, /users/me, password flows — with Strapi's answers and errors; member JWTs
// that die at once when the member is blocked or changes its password; member roles' permissions on
// /api through the same ability path as the Public role's; rate limits; no way into /admin-api.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { setMemberRolePermissions } from '../../server/access/operations/public-permissions.js';
import type { MailMessage } from '../../server/auth/mailer.js';

const PASSWORD = 'correct-horse-42';

describeEachDatabase(
  'site members',
  (t) => {
    let admin: AdminSession;
    let authenticatedId: number;
    const mails: MailMessage[] = [];
    let counter = 0;

    // Each request from its own address (TRUST_PROXY below), so that the per-IP limits of sign-up and
    // login count only where a test means them to.
    let address = 0;
    const post = (
      path: string,
      body: object,
      jwt?: string,
      ip = `10.0.${Math.floor(++address / 250)}.${address % 250}`,
    ) => {
      const req = t().http().post(path).set('X-Forwarded-For', ip);
      if (jwt) req.set('Authorization', `Bearer ${jwt}`);
      return req.send(body);
    };
    const get = (path: string, jwt?: string) => {
      const req = t().http().get(path);
      if (jwt) req.set('Authorization', `Bearer ${jwt}`);
      return req;
    };
    const fresh = () => {
      counter += 1;
      return { username: `reader${counter}`, email: `Reader${counter}@Example.test`, password: PASSWORD };
    };
    const register = async (who = fresh()) => {
      const res = await post('/api/auth/local/register', who);
      expect(res.status).toBe(200);
      return { ...who, jwt: res.body.jwt as string, id: res.body.user.id as number };
    };
    const setSettings = async (patch: Record<string, unknown>) => {
      const current = (await admin.get('/admin-api/member-settings')).body.data;
      const res = await admin.put('/admin-api/member-settings', { ...current, ...patch });
      expect(res.status).toBe(200);
    };
    const lastMailTo = (email: string) => [...mails].reverse().find((m) => m.to === email.toLowerCase());

    beforeAll(async () => {
      await applyTestSchema(t().folio, blogSchema);
      admin = await signedIn(t(), ['super-admin']);
      t().folio.auth.mailer.onSend((m) => mails.push(m));
      authenticatedId = (await t().folio.members.roles.byCode('authenticated'))!.id;
      await t().folio.documents.create('category', { data: { name: 'Members only' } });
    });

    describe('register and login', () => {
      it('registers a member and answers Strapi’s { jwt, user }', async () => {
        const who = fresh();
        const res = await post('/api/auth/local/register', who);
        expect(res.status).toBe(200);
        expect(typeof res.body.jwt).toBe('string');
        expect(res.body.user).toEqual({
          id: expect.any(Number),
          documentId: expect.any(String),
          username: who.username,
          email: who.email.toLowerCase(),
          provider: 'local',
          confirmed: true,
          blocked: false,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          publishedAt: expect.any(String),
        });
        const row = await t().db('folio_members').where({ id: res.body.user.id }).first();
        expect(row.password_hash).toMatch(/^\$argon2id\$/);
        expect(row.role_id).toBe(authenticatedId);
      });

      it('refuses a field outside the allowlist, as Strapi does', async () => {
        const res = await post('/api/auth/local/register', { ...fresh(), confirmed: true });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ name: 'ValidationError', message: 'Invalid parameters: confirmed' });
        expect(
          await t()
            .db('folio_members')
            .where({ username: `reader${counter}` })
            .first(),
        ).toBeUndefined();
      });

      it('refuses a taken username or email with Strapi’s message', async () => {
        const { username, email } = await register();
        const res = await post('/api/auth/local/register', { username, email: `x${email}`, password: PASSWORD });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({
          name: 'ApplicationError',
          message: 'Email or Username are already taken',
        });
      });

      it('logs in by email or username, without case; a username differing only in case is taken', async () => {
        const { username, email } = await register();
        const twin = await post('/api/auth/local/register', { ...fresh(), username: username.toUpperCase() });
        expect(twin.body.error?.message).toBe('Email or Username are already taken');
        for (const identifier of [username, username.toUpperCase(), email.toUpperCase()]) {
          const res = await post('/api/auth/local', { identifier, password: PASSWORD });
          expect(res.status).toBe(200);
          expect(res.body.user.username).toBe(username);
          expect(typeof res.body.jwt).toBe('string');
        }
      });

      it('answers a wrong password and an unknown identifier with the same ValidationError', async () => {
        const { username } = await register();
        for (const body of [
          { identifier: username, password: 'wrong-password' },
          { identifier: 'nobody-at-all', password: PASSWORD },
        ]) {
          const res = await post('/api/auth/local', body);
          expect(res.status).toBe(400);
          expect(res.body).toEqual({
            data: null,
            error: { status: 400, name: 'ValidationError', message: 'Invalid identifier or password', details: {} },
          });
        }
      });

      it('names the missing fields of a login like Strapi’s yup schema', async () => {
        const res = await post('/api/auth/local', {});
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe('2 errors occurred');
        expect(res.body.error.details.errors.map((e: { message: string }) => e.message)).toEqual([
          'identifier is a required field',
          'password is a required field',
        ]);
      });

      it('answers /users/me with the member, and its role when populated', async () => {
        const { jwt, username } = await register();
        const me = await get('/api/users/me', jwt);
        expect(me.status).toBe(200);
        expect(me.body.username).toBe(username);
        expect(me.body.role).toBeUndefined();
        const withRole = await get('/api/users/me?populate=role', jwt);
        expect(withRole.body.role).toMatchObject({ name: 'Authenticated', type: 'authenticated' });
        expect((await get('/api/users/me')).status).toBe(403);
      });
    });

    describe('email confirmation', () => {
      it('registers without a JWT, refuses login until confirmed, then confirms through the mailed link', async () => {
        await setSettings({ emailConfirmation: true, emailConfirmationRedirection: 'https://site.example/welcome' });
        try {
          const who = fresh();
          const res = await post('/api/auth/local/register', who);
          expect(res.status).toBe(200);
          expect(res.body.jwt).toBeUndefined();
          expect(res.body.user.confirmed).toBe(false);

          const early = await post('/api/auth/local', { identifier: who.username, password: PASSWORD });
          expect(early.status).toBe(400);
          expect(early.body.error).toMatchObject({
            name: 'ApplicationError',
            message: 'Your account email is not confirmed',
          });

          await t().folio.auth.mailer.idle();
          const link = /https?:\/\/\S+email-confirmation\?confirmation=\S+/.exec(lastMailTo(who.email)!.text)![0];
          const confirm = await get(new URL(link).pathname + new URL(link).search);
          expect(confirm.status).toBe(302);
          expect(confirm.headers.location).toBe('https://site.example/welcome');
          expect((await get(new URL(link).pathname + new URL(link).search)).status).toBe(400); // used once

          const login = await post('/api/auth/local', { identifier: who.email, password: PASSWORD });
          expect(login.status).toBe(200);
          const me = await get('/api/users/me', login.body.jwt);
          expect(me.status).toBe(200);
          expect(me.body.confirmed).toBe(true);
        } finally {
          await setSettings({ emailConfirmation: false });
        }
      });

      it('lets an admin resend the confirmation link: the new one works, the old one no longer', async () => {
        await setSettings({ emailConfirmation: true });
        try {
          const who = fresh();
          const res = await post('/api/auth/local/register', who);
          await t().folio.auth.mailer.idle();
          const linkOf = () => {
            const link = new URL(
              /https?:\/\/\S+email-confirmation\?confirmation=\S+/.exec(lastMailTo(who.email)!.text)![0],
            );
            return link.pathname + link.search;
          };
          const first = linkOf();
          const resent = await admin.post(`/admin-api/members/${res.body.user.id}/send-confirmation`);
          expect(resent.status).toBe(202);
          await t().folio.auth.mailer.idle();
          const second = linkOf();
          expect(second).not.toBe(first);
          expect((await get(first)).status).toBe(400);
          expect((await get(second)).status).toBe(302);
          const again = await admin.post(`/admin-api/members/${res.body.user.id}/send-confirmation`);
          expect(again.status).toBe(400);
        } finally {
          await setSettings({ emailConfirmation: false });
        }
      });

      it('answers send-email-confirmation alike for an unknown address', async () => {
        const res = await post('/api/auth/send-email-confirmation', { email: 'nobody@example.test' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ email: 'nobody@example.test', sent: true });
      });
    });

    describe('blocking and password changes end tokens at once', () => {
      it('blocks a member: its JWT gets 401 and its login Strapi’s "blocked" error', async () => {
        const { jwt, id, username } = await register();
        expect((await get('/api/users/me', jwt)).status).toBe(200);
        const res = await admin.put(`/admin-api/members/${id}`, { blocked: true });
        expect(res.status).toBe(200);
        expect(res.body.data.blocked).toBe(true);
        expect((await get('/api/users/me', jwt)).status).toBe(401);
        const login = await post('/api/auth/local', { identifier: username, password: PASSWORD });
        expect(login.status).toBe(400);
        expect(login.body.error).toMatchObject({
          name: 'ApplicationError',
          message: 'Your account has been blocked by an administrator',
        });
      });

      it('changes a password: the old JWT gets 401, the answered one works', async () => {
        const { jwt } = await register();
        const res = await post(
          '/api/auth/change-password',
          { currentPassword: PASSWORD, password: 'another-pass-1', passwordConfirmation: 'another-pass-1' },
          jwt,
        );
        expect(res.status).toBe(200);
        expect((await get('/api/users/me', jwt)).status).toBe(401);
        expect((await get('/api/users/me', res.body.jwt)).status).toBe(200);
      });

      it('blocks through PUT /api/users/:id with a full-access token, and never gives the Public role', async () => {
        const { jwt, id } = await register();
        const { token } = await t().folio.apiTokens.create({ name: `members ${id}`, type: 'full-access' });
        const put = (body: object) =>
          t().http().put(`/api/users/${id}`).set('Authorization', `Bearer ${token}`).send(body);
        const publicRole = (await t().folio.members.roles.byCode('public'))!;
        expect((await put({ role: publicRole.id })).status).toBe(400);
        const res = await put({ blocked: true });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id, blocked: true });
        expect((await get('/api/users/me', jwt)).status).toBe(401);
      });

      it('refuses a wrong current password with Strapi’s message', async () => {
        const { jwt } = await register();
        const res = await post(
          '/api/auth/change-password',
          { currentPassword: 'not-it-at-all', password: 'another-pass-1', passwordConfirmation: 'another-pass-1' },
          jwt,
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe('The provided current password is invalid');
      });

      it('resets a forgotten password with the mailed code; the old JWT dies', async () => {
        const { jwt, email } = await register();
        const ask = await post('/api/auth/forgot-password', { email });
        expect(ask.status).toBe(200);
        expect(ask.body).toEqual({ ok: true });
        await t().folio.auth.mailer.idle();
        const code = /reset code \(valid for one hour\): (\S+)/.exec(lastMailTo(email)!.text)![1];
        const mismatch = await post('/api/auth/reset-password', {
          code,
          password: 'new-pass-12',
          passwordConfirmation: 'x',
        });
        expect(mismatch.body.error.message).toBe('Passwords do not match');
        const res = await post('/api/auth/reset-password', {
          code,
          password: 'new-pass-12',
          passwordConfirmation: 'new-pass-12',
        });
        expect(res.status).toBe(200);
        expect((await get('/api/users/me', jwt)).status).toBe(401);
        expect((await get('/api/users/me', res.body.jwt)).status).toBe(200);
        const again = await post('/api/auth/reset-password', {
          code,
          password: 'new-pass-13',
          passwordConfirmation: 'new-pass-13',
        });
        expect(again.body.error.message).toBe('Incorrect code provided');
      });

      it('answers forgot-password alike for an unknown address, sending nothing', async () => {
        const before = mails.length;
        const res = await post('/api/auth/forgot-password', { email: 'ghost@example.test' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true });
        await t().folio.auth.mailer.idle();
        expect(mails.length).toBe(before);
      });
    });

    describe('member roles on /api', () => {
      it('lets Authenticated read a type the Public role cannot', async () => {
        await setMemberRolePermissions(t().folio, {
          caller: SYSTEM_CALLER,
          role: 'authenticated',
          allow: ['category.find', 'category.findOne'],
        });
        const { jwt } = await register();
        expect((await get('/api/categories')).status).toBe(403);
        const res = await get('/api/categories', jwt);
        expect(res.status).toBe(200);
        expect(res.body.data.map((c: { name: string }) => c.name)).toEqual(['Members only']);
      });

      it('keeps /api/users behind the users permissions of the role', async () => {
        const { jwt } = await register();
        expect((await get('/api/users', jwt)).status).toBe(403);
        const granted = await admin.put(`/admin-api/member-roles/${authenticatedId}/permissions`, {
          allow: ['category.find', 'category.findOne', 'users.find'],
        });
        expect(granted.status).toBe(200);
        const list = await get('/api/users?populate=role', jwt);
        expect(list.status).toBe(200);
        expect(Array.isArray(list.body)).toBe(true);
        expect(list.body[0]).toMatchObject({ provider: 'local', role: { type: 'authenticated' } });
        expect(list.body[0].password).toBeUndefined();
        const count = await get('/api/users/count', jwt);
        expect(count.body).toBe(list.body.length);
        expect((await get('/api/users/1', jwt)).status).toBe(403);
      });

      it('lists the member roles under roles.find', async () => {
        await setMemberRolePermissions(t().folio, { caller: SYSTEM_CALLER, role: 'public', allow: ['roles.find'] });
        try {
          const res = await get('/api/users-permissions/roles');
          expect(res.status).toBe(200);
          expect(res.body.roles.map((r: { type: string }) => r.type)).toEqual(['public', 'authenticated']);
          expect(res.body.roles[1]).toMatchObject({ name: 'Authenticated', nb_users: expect.any(Number) });
        } finally {
          await setMemberRolePermissions(t().folio, { caller: SYSTEM_CALLER, role: 'public', allow: [] });
        }
      });

      it('refuses a JWT naming the member’s id with another documentId (an id reused after a delete)', async () => {
        const { id } = await register();
        const row = await t().db('folio_members').where({ id }).first();
        const tokens = t().folio.members.tokens;
        expect(
          (await get('/api/users/me', await tokens.issue({ id, documentId: row.document_id, ver: 0 }, 86_400))).status,
        ).toBe(200);
        expect(
          (await get('/api/users/me', await tokens.issue({ id, documentId: 'someone-else', ver: 0 }, 86_400))).status,
        ).toBe(401);
      });

      it('never lets a member JWT into /admin-api', async () => {
        const { jwt } = await register();
        const res = await t().http().get('/admin-api/users/me').set('Authorization', `Bearer ${jwt}`);
        expect(res.status).toBe(401);
      });

      it('refuses a JWT signed with another purpose’s key or tampered with', async () => {
        const { jwt } = await register();
        const [h, p, s] = jwt.split('.');
        const tampered = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
        expect((await get('/api/users/me', tampered)).status).toBe(401);
      });
    });

    describe('settings and the Admin API', () => {
      it('closes registration with Strapi’s message', async () => {
        await setSettings({ registration: false });
        try {
          const res = await post('/api/auth/local/register', fresh());
          expect(res.status).toBe(400);
          expect(res.body.error).toMatchObject({
            name: 'ApplicationError',
            message: 'Register action is currently disabled',
          });
        } finally {
          await setSettings({ registration: true });
        }
      });

      it('stores and answers the extra fields the settings allow, and only those', async () => {
        await setSettings({ allowedFields: ['displayName'] });
        try {
          const res = await post('/api/auth/local/register', { ...fresh(), displayName: 'Ada L.' });
          expect(res.status).toBe(200);
          expect(res.body.user.displayName).toBe('Ada L.');
          const me = await get('/api/users/me', res.body.jwt);
          expect(me.body.displayName).toBe('Ada L.');
          const refused = await post('/api/auth/local/register', { ...fresh(), displayName: { $gt: '' } });
          expect(refused.status).toBe(400);
        } finally {
          await setSettings({ allowedFields: [] });
        }
      });

      it('refuses settings that would give new members the Public role', async () => {
        const current = (await admin.get('/admin-api/member-settings')).body.data;
        const res = await admin.put('/admin-api/member-settings', { ...current, defaultRole: 'public' });
        expect(res.status).toBe(400);
        const unknown = await admin.put('/admin-api/member-settings', { ...current, jwtLifetimeDays: 0 });
        expect(unknown.status).toBe(400);
      });

      it('lets an admin grant a member role only what it holds itself', async () => {
        const role = await t().folio.access.createRole({ name: 'Role keeper' });
        await t().folio.access.setPermissions(role.id, [
          { action: 'read', subject: 'roles' },
          { action: 'update', subject: 'roles' },
        ]);
        const keeper = await signedIn(t(), [role.id]);
        const before = await t().folio.access.getMemberRolePermissions(authenticatedId);
        const res = await keeper.put(`/admin-api/member-roles/${authenticatedId}/permissions`, {
          allow: [...before, 'article.find'],
        });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/^The role "Authenticated" may only do what you may do yourself/);
        expect(await t().folio.access.getMemberRolePermissions(authenticatedId)).toEqual(before);
      });

      it('lists members with a search, and creates and deletes a custom role', async () => {
        const { username } = await register();
        const list = await admin.get(`/admin-api/members?q=${username}`);
        expect(list.status).toBe(200);
        expect(list.body.data).toEqual([
          expect.objectContaining({ username, role: expect.objectContaining({ type: 'authenticated' }) }),
        ]);
        const created = await admin.post('/admin-api/member-roles', { name: 'Subscribers' });
        expect(created.status).toBe(201);
        expect(created.body.data).toMatchObject({ name: 'Subscribers', type: 'subscribers' });
        const builtin = await admin.delete(`/admin-api/member-roles/${authenticatedId}`);
        expect(builtin.status).toBe(400);
        expect((await admin.delete(`/admin-api/member-roles/${created.body.data.id}`)).status).toBe(200);
      });
    });

    describe('rate limits', () => {
      it('locks an identifier after five failed logins: 429 with Retry-After', async () => {
        const { username } = await register();
        for (let i = 0; i < 5; i += 1) {
          const res = await post(
            '/api/auth/local',
            { identifier: username, password: 'wrong-password' },
            undefined,
            '10.9.9.9',
          );
          expect(res.status).toBe(400);
        }
        const res = await post('/api/auth/local', { identifier: username, password: PASSWORD }, undefined, '10.9.9.9');
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      });

      it('limits registrations of one email: 429 with Retry-After', async () => {
        const who = fresh();
        const statuses = [];
        for (let i = 0; i < 4; i += 1) {
          statuses.push((await post('/api/auth/local/register', { ...who, username: `${who.username}v${i}` })).status);
        }
        expect(statuses.slice(0, 3)).toEqual([200, 400, 400]);
        const res = await post('/api/auth/local/register', { ...who, username: `${who.username}v9` });
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      });
    });
  },
  { TRUST_PROXY: 'true' },
);
