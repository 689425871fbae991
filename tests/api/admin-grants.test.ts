// No escalation through any grant (issue 17, items 2–4): role permissions, role assignment,
// invitations, API tokens and the Public role give only what the caller holds itself, and only a
// Super Admin grants, edits, invites into or acts on Super Admin.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { PermissionInput } from '../../server/access/service.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { signedIn } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';

const ROLE_EDITING: PermissionInput[] = [
  { action: 'read', subject: 'roles' },
  { action: 'update', subject: 'roles' },
];
const USER_EDITING: PermissionInput[] = [
  { action: 'read', subject: 'users' },
  { action: 'create', subject: 'users' },
  { action: 'update', subject: 'users' },
  { action: 'delete', subject: 'users' },
];
/** What the built-in Editor role grants (migrations/20261122_0100_auth.ts). */
const EDITOR_GRANTS: PermissionInput[] = [
  ...['read', 'create', 'update', 'delete', 'publish'].map((action) => ({ action, subject: '*' })),
  ...['read', 'create', 'update', 'delete'].map((action) => ({ action, subject: 'upload' })),
  ...['read', 'create', 'update', 'delete', 'publish'].map((action) => ({ action, subject: 'releases' })),
];

let roleCounter = 0;
async function roleWith(t: TestFolio, permissions: PermissionInput[]): Promise<{ id: number; code: string }> {
  const role = await t.folio.access.createRole({ name: `Grants fixture ${++roleCounter}` });
  await t.folio.access.setPermissions(role.id, permissions);
  return role;
}

async function pendingInvitee(t: TestFolio, role: string): Promise<number> {
  const user = await t.folio.auth.users.create({
    email: `pending-${role}-${++roleCounter}@example.test`,
    roles: [role],
  });
  await t.folio.auth.invite(user);
  return user.id;
}

async function liveInviteLinks(t: TestFolio, userId: number): Promise<number> {
  const [{ n }] = await t
    .db('folio_auth_links')
    .where({ user_id: userId, kind: 'invite' })
    .whereNull('used_at')
    .count({ n: '*' });
  return Number(n);
}

async function superAdminId(t: TestFolio): Promise<number> {
  return (
    await t.folio.auth.users.create({
      email: `super-${++roleCounter}@example.test`,
      password: 'super-password-1',
      roles: ['super-admin'],
    })
  ).id;
}

const codesOf = async (t: TestFolio, userId: number) => (await t.folio.auth.users.get(userId)).roles.map((r) => r.code);

describeEachDatabase('no escalation through any grant', (t) => {
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
  });

  describe('role permissions', () => {
    it(
      'refuses manage/all and anything outside the catalogue ' +
        'with 400, so a role editor cannot make itself Super Admin',
      async () => {
        const role = await roleWith(t(), [...ROLE_EDITING, ...USER_EDITING]);
        const editor = await signedIn(t(), [role.id]);
        const before = await t().folio.access.getPermissions(role.id);
        for (const permission of [
          { action: 'manage', subject: 'all' },
          { action: 'manage', subject: 'article' },
          { action: 'read', subject: 'all' },
          { action: 'read', subject: 'no-such-type' },
          { action: 'publish', subject: 'users' },
          { action: 'find', subject: 'article' },
        ]) {
          const res = await editor.put(`/admin-api/roles/${role.id}/permissions`, {
            permissions: [...before, permission],
          });
          expect([permission, res.status, res.body.error?.name]).toEqual([permission, 400, 'ValidationError']);
        }
        expect(await t().folio.access.getPermissions(role.id)).toEqual(before);
        const promote = await editor.put(`/admin-api/users/${editor.userId}`, { roles: [role.id, 'super-admin'] });
        expect(promote.status).toBe(403);
        expect(await codesOf(t(), editor.userId)).toEqual([role.code]);
      },
    );

    it(
      'refuses a role editor granting its own role users.update, ' +
        'api-tokens.create or webhooks (403 naming what it lacks)',
      async () => {
        const role = await roleWith(t(), ROLE_EDITING);
        const editor = await signedIn(t(), [role.id]);
        for (const [action, subject] of [
          ['update', 'users'],
          ['create', 'api-tokens'],
          ['create', 'webhooks'],
          ['update', 'webhooks'],
        ]) {
          const res = await editor.put(`/admin-api/roles/${role.id}/permissions`, {
            permissions: [...ROLE_EDITING, { action, subject }],
          });
          expect([action, subject, res.status]).toEqual([action, subject, 403]);
          expect(res.body.error).toMatchObject({
            name: 'ForbiddenError',
            message: expect.stringContaining(`${action} on ${subject}`),
          });
        }
        expect((await t().folio.access.getPermissions(role.id)).map((p) => `${p.subject}.${p.action}`)).toEqual([
          'roles.read',
          'roles.update',
        ]);
      },
    );

    it('lets a caller grant what it holds, with the same or fewer fields and the same or more conditions', async () => {
      const caller = await roleWith(t(), [
        ...ROLE_EDITING,
        { action: 'read', subject: '*' },
        { action: 'update', subject: 'article', fields: ['title', 'body'], conditions: { builtins: ['isCreator'] } },
      ]);
      const s = await signedIn(t(), [caller.id]);
      const target = await roleWith(t(), [{ action: 'create', subject: 'category' }]);
      const permissions = [
        { action: 'create', subject: 'category', fields: null, conditions: null }, // unchanged: needs no right
        { action: 'read', subject: 'article', fields: ['title'], conditions: { builtins: ['isCreator'] } },
        { action: 'read', subject: '*', fields: null, conditions: null },
        { action: 'update', subject: 'article', fields: ['title'], conditions: { builtins: ['isCreator'] } },
      ];
      const res = await s.put(`/admin-api/roles/${target.id}/permissions`, { permissions });
      expect(res.status).toBe(200);
      expect(await t().folio.access.getPermissions(target.id)).toEqual(permissions);
    });

    it('refuses widening fields or dropping conditions beyond what the caller holds', async () => {
      const caller = await roleWith(t(), [
        ...ROLE_EDITING,
        { action: 'update', subject: 'article', fields: ['title'], conditions: { builtins: ['isCreator'] } },
      ]);
      const s = await signedIn(t(), [caller.id]);
      const target = await roleWith(t(), []);
      for (const permission of [
        { action: 'update', subject: 'article', fields: ['title', 'views'], conditions: { builtins: ['isCreator'] } },
        { action: 'update', subject: 'article', conditions: { builtins: ['isCreator'] } },
        { action: 'update', subject: 'article', fields: ['title'] },
        { action: 'update', subject: 'article', fields: ['title'], conditions: { builtins: ['hasSameRoleAsCreator'] } },
        { action: 'update', subject: '*', fields: ['title'], conditions: { builtins: ['isCreator'] } },
      ]) {
        const res = await s.put(`/admin-api/roles/${target.id}/permissions`, { permissions: [permission] });
        expect([permission, res.status]).toEqual([permission, 403]);
      }
      expect(await t().folio.access.getPermissions(target.id)).toEqual([]);
    });

    it('lets a caller remove permissions it does not hold', async () => {
      const role = await roleWith(t(), [...ROLE_EDITING, { action: 'read', subject: 'users' }]);
      const s = await signedIn(t(), [role.id]);
      const target = await roleWith(t(), [
        { action: 'update', subject: 'users' },
        { action: 'read', subject: 'webhooks' },
      ]);
      const res = await s.put(`/admin-api/roles/${target.id}/permissions`, {
        permissions: [{ action: 'read', subject: 'webhooks' }],
      });
      expect(res.status).toBe(200);
      expect((await t().folio.access.getPermissions(target.id)).map((p) => `${p.subject}.${p.action}`)).toEqual([
        'webhooks.read',
      ]);
    });

    it('keeps rows the catalogue no longer offers when a whole set is sent back unchanged', async () => {
      const s = await signedIn(t(), [(await roleWith(t(), [...ROLE_EDITING, { action: 'read', subject: '*' }])).id]);
      const target = await roleWith(t(), [{ action: 'read', subject: 'deleted-type' }]);
      const permissions = [
        ...(await t().folio.access.getPermissions(target.id)),
        { action: 'read', subject: 'article', fields: null, conditions: null },
      ];
      expect((await s.put(`/admin-api/roles/${target.id}/permissions`, { permissions })).status).toBe(200);
      expect(await t().folio.access.getPermissions(target.id)).toEqual(permissions);
    });

    it('gives nothing for a manage/all row stored before permission writes were held to the catalogue', async () => {
      const s = await signedIn(t(), [
        (
          await roleWith(t(), [
            { action: 'manage', subject: 'all' },
            { action: 'read', subject: 'users' },
          ])
        ).id,
      ]);
      expect((await s.get('/admin-api/users')).status).toBe(200);
      expect((await s.get('/admin-api/roles')).status).toBe(403);
      expect((await s.get('/admin-api/content/article')).status).toBe(403);
    });

    it('lets only a Super Admin rename the Super Admin role', async () => {
      const superRole = (await t().folio.access.roleByCode('super-admin'))!;
      const s = await signedIn(t(), [(await roleWith(t(), ROLE_EDITING)).id]);
      expect((await s.put(`/admin-api/roles/${superRole.id}`, { name: 'Owned' })).status).toBe(403);
      expect((await t().folio.access.getRole(superRole.id)).name).toBe('Super Admin');
    });

    it('lets a Super Admin grant anything in the catalogue', async () => {
      const admin = await signedIn(t(), ['super-admin']);
      const target = await roleWith(t(), []);
      const permissions = [
        { action: 'update', subject: 'users', fields: null, conditions: null },
        { action: 'create', subject: 'api-tokens', fields: null, conditions: null },
        { action: 'create', subject: 'webhooks', fields: null, conditions: null },
        { action: 'publish', subject: '*', fields: null, conditions: null },
      ];
      const res = await admin.put(`/admin-api/roles/${target.id}/permissions`, { permissions });
      expect(res.status).toBe(200);
      expect(await t().folio.access.getPermissions(target.id)).toEqual(permissions);
    });
  });

  describe('role assignment and invitations', () => {
    it('refuses a user editor inviting into, or assigning, a role it does not fully hold', async () => {
      const manager = await signedIn(t(), [(await roleWith(t(), USER_EDITING)).id]);
      const invite = await manager.post('/admin-api/users', {
        email: `no-${++roleCounter}@example.test`,
        roles: ['editor'],
      });
      expect(invite.status).toBe(403);
      expect(invite.body.error.message).toContain('Editor');
      expect(
        (await manager.post('/admin-api/users', { email: `no-${++roleCounter}@example.test`, roles: ['super-admin'] }))
          .status,
      ).toBe(403);
      const self = await manager.put(`/admin-api/users/${manager.userId}`, { roles: ['editor'] });
      expect(self.status).toBe(403);
    });

    it('lets a user editor who holds a role invite into it and get the link', async () => {
      const manager = await signedIn(t(), [(await roleWith(t(), [...USER_EDITING, ...EDITOR_GRANTS])).id]);
      const res = await manager.post('/admin-api/users', {
        email: `yes-${++roleCounter}@example.test`,
        roles: ['editor'],
      });
      expect(res.status).toBe(201);
      expect(res.body.meta.invitationUrl).toContain('/admin/auth/accept-invitation?token=');
    });

    it(
      "refuses a user editor re-issuing a pending Super Admin's " +
        "invitation, giving no link and keeping the invitee's",
      async () => {
        const manager = await signedIn(t(), [(await roleWith(t(), [...USER_EDITING, ...EDITOR_GRANTS])).id]);
        const invitee = await pendingInvitee(t(), 'super-admin');
        const res = await manager.post(`/admin-api/users/${invitee}/invitation`);
        expect(res.status).toBe(403);
        expect(JSON.stringify(res.body)).not.toContain('token=');
        expect(await liveInviteLinks(t(), invitee)).toBe(1);
        const link = await t().db('folio_auth_links').where({ user_id: invitee, kind: 'invite' }).first();
        expect(link.used_at).toBeNull();
      },
    );

    it('refuses a user editor re-issuing the invitation of a role it does not hold', async () => {
      const manager = await signedIn(t(), [(await roleWith(t(), USER_EDITING)).id]);
      const invitee = await pendingInvitee(t(), 'editor');
      const res = await manager.post(`/admin-api/users/${invitee}/invitation`);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('token=');
    });

    it('re-issues an invitation with its link to a caller who holds every role of the invitee', async () => {
      const manager = await signedIn(t(), [(await roleWith(t(), [...USER_EDITING, ...EDITOR_GRANTS])).id]);
      const invitee = await pendingInvitee(t(), 'editor');
      const res = await manager.post(`/admin-api/users/${invitee}/invitation`);
      expect(res.status).toBe(200);
      expect(res.body.meta.invitationUrl).toContain('/admin/auth/accept-invitation?token=');
      const admin = await signedIn(t(), ['super-admin']);
      const forSuper = await admin.post(`/admin-api/users/${await pendingInvitee(t(), 'super-admin')}/invitation`);
      expect(forSuper.status).toBe(200);
      expect(forSuper.body.meta.invitationUrl).toContain('token=');
    });
  });

  describe('acting on more privileged accounts', () => {
    it("refuses a user editor changing a Super Admin's email, active state or roles, or deleting it", async () => {
      const manager = await signedIn(t(), [(await roleWith(t(), [...USER_EDITING, ...EDITOR_GRANTS])).id]);
      const victim = await superAdminId(t());
      const before = await t().folio.auth.users.get(victim);
      for (const change of [
        { email: 'attacker@example.test' },
        { isActive: false },
        { roles: ['editor'] },
        { roles: ['super-admin', 'editor'] },
      ]) {
        const res = await manager.put(`/admin-api/users/${victim}`, change);
        expect([change, res.status]).toEqual([change, 403]);
        expect(res.body.error.message).toContain('Super Admin');
      }
      expect((await manager.delete(`/admin-api/users/${victim}`)).status).toBe(403);
      expect(await t().folio.auth.users.get(victim)).toEqual(before);
    });

    it('refuses a user editor changing the email of an account whose roles grant more than it holds', async () => {
      const manager = await signedIn(t(), [(await roleWith(t(), USER_EDITING)).id]);
      const editor = await signedIn(t(), ['editor']);
      const res = await manager.put(`/admin-api/users/${editor.userId}`, { email: 'taken-over@example.test' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/Editor/);
      expect((await t().folio.auth.users.get(editor.userId)).email).toBe(editor.email);
    });

    it(
      'lets a user editor rename any account and change accounts ' +
        'it fully holds; the form may resend unchanged values',
      async () => {
        const manager = await signedIn(t(), [(await roleWith(t(), [...USER_EDITING, ...EDITOR_GRANTS])).id]);
        const victim = await superAdminId(t());
        const current = await t().folio.auth.users.get(victim);
        const rename = await manager.put(`/admin-api/users/${victim}`, {
          firstname: 'Renamed',
          email: current.email.toUpperCase(),
          isActive: true,
          roles: ['super-admin'],
        });
        expect(rename.status).toBe(200);
        const editor = await signedIn(t(), ['editor']);
        const res = await manager.put(`/admin-api/users/${editor.userId}`, {
          email: `moved-${++roleCounter}@example.test`,
          isActive: false,
        });
        expect(res.status).toBe(200);
        expect((await manager.put(`/admin-api/users/${editor.userId}`, { roles: ['author'] })).status).toBe(200);
      },
    );

    it("lets a Super Admin change another Super Admin's email and roles", async () => {
      const admin = await signedIn(t(), ['super-admin']);
      const other = await superAdminId(t());
      expect(
        (
          await admin.put(`/admin-api/users/${other}`, {
            email: `new-${++roleCounter}@example.test`,
            roles: ['super-admin', 'editor'],
          })
        ).status,
      ).toBe(200);
      expect(await codesOf(t(), other)).toEqual(['super-admin', 'editor']);
    });
  });

  describe('API tokens and the Public role', () => {
    it('refuses a full-access token to a caller who is not Super Admin', async () => {
      const s = await signedIn(t(), [
        (await roleWith(t(), [{ action: 'create', subject: 'api-tokens' }, ...EDITOR_GRANTS])).id,
      ]);
      const res = await s.post('/admin-api/api-tokens', { name: `full ${++roleCounter}`, type: 'full-access' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('Super Admin');
      expect(await t().db('folio_api_tokens').where({ type: 'full-access' }).first()).toBeUndefined();
    });

    it(
      'gives a token only Content API actions on types ' + 'the caller may act on in the admin, unconditionally',
      async () => {
        const s = await signedIn(t(), [
          (
            await roleWith(t(), [
              { action: 'create', subject: 'api-tokens' },
              { action: 'read', subject: 'article' },
              { action: 'update', subject: 'article', conditions: { builtins: ['isCreator'] } },
              { action: 'read', subject: 'category', fields: ['name'] },
            ])
          ).id,
        ]);
        const name = () => `custom ${++roleCounter}`;
        for (const allow of [
          ['article.update'],
          ['category.find'],
          ['article.delete'],
          ['upload.find'],
          ['tag.findOne'],
        ]) {
          const res = await s.post('/admin-api/api-tokens', { name: name(), type: 'custom', allow });
          expect([allow, res.status]).toEqual([allow, 403]);
        }
        expect((await s.post('/admin-api/api-tokens', { name: name(), type: 'read-only' })).status).toBe(403);
        const ok = await s.post('/admin-api/api-tokens', {
          name: name(),
          type: 'custom',
          allow: ['article.find', 'article.findOne', 'article.findDrafts'],
        });
        expect(ok.status).toBe(201);
      },
    );

    it(
      'lets a caller reading every type and media create a ' + 'read-only token, and a Super Admin a full-access one',
      async () => {
        const s = await signedIn(t(), [
          (await roleWith(t(), [{ action: 'create', subject: 'api-tokens' }, ...EDITOR_GRANTS])).id,
        ]);
        expect((await s.post('/admin-api/api-tokens', { name: `ro ${++roleCounter}`, type: 'read-only' })).status).toBe(
          201,
        );
        expect(
          (
            await s.post('/admin-api/api-tokens', {
              name: `up ${++roleCounter}`,
              type: 'custom',
              allow: ['upload.create', 'article.delete'],
            })
          ).status,
        ).toBe(201);
        const admin = await signedIn(t(), ['super-admin']);
        expect(
          (await admin.post('/admin-api/api-tokens', { name: `full ${++roleCounter}`, type: 'full-access' })).status,
        ).toBe(201);
      },
    );

    it('refuses opening Public article.find to a caller whose read on articles is conditional', async () => {
      await t().folio.access.setPublicPermissions([]);
      const s = await signedIn(t(), [
        (
          await roleWith(t(), [
            ...ROLE_EDITING,
            { action: 'read', subject: '*', conditions: { builtins: ['isCreator'] } },
          ])
        ).id,
      ]);
      const res = await s.put('/admin-api/public-permissions', { allow: ['article.find'] });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('read on article');
      expect(await t().folio.access.getPublicPermissions()).toEqual([]);
    });

    it('lets a caller open what it reads unconditionally and close what it does not hold', async () => {
      await t().folio.access.setPublicPermissions(['tag.find']);
      const s = await signedIn(t(), [
        (await roleWith(t(), [...ROLE_EDITING, { action: 'read', subject: 'article' }])).id,
      ]);
      const res = await s.put('/admin-api/public-permissions', { allow: ['article.find', 'article.findOne'] });
      expect(res.status).toBe(200);
      expect(await t().folio.access.getPublicPermissions()).toEqual(['article.find', 'article.findOne']);
      const admin = await signedIn(t(), ['super-admin']);
      expect(
        (await admin.put('/admin-api/public-permissions', { allow: ['upload.create', 'tag.delete'] })).status,
      ).toBe(200);
    });
  });
});
