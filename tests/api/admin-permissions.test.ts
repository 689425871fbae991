// The permission matrix of the Admin API: every declared route × the default roles (and no session).
// Routes join the matrix by being declared (server/routes/define.ts), so a route added later is
// covered without editing this file. Denied requests must change nothing.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { declaredRoutes, type DeclaredRoute } from '../../server/routes/define.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import supertest from 'supertest';
import { blogSchema } from '../fixtures/blog-schema.js';
import { applyTestSchema } from '../helpers/schema.js';

const ROLES = ['super-admin', 'editor', 'author'] as const;
/** Content routes name their type in the path (`:uid`); the matrix asks them about this one. */
const CONTENT_TYPE = 'article';
const PATH_PARAMS: Record<string, string> = { uid: CONTENT_TYPE, documentId: 'no-such-document', field: 'category' };

/** The (action, subject) a route needs: declared, or computed from the path for per-type routes. */
function permissionOf(route: DeclaredRoute): { action: string; subject: string } | null {
  const p = route.permission;
  if (typeof p === 'object') return p;
  if (typeof p === 'function') return p({ params: PATH_PARAMS } as unknown as Parameters<typeof p>[0]);
  return null;
}

/** What each default role may do on the system subjects the Admin API has routes for. */
function expectedAllowed(role: (typeof ROLES)[number], action: string, subject: string): boolean {
  if (role === 'super-admin') return true;
  if (subject === CONTENT_TYPE) return role === 'editor' || action !== 'publish'; // Author: no publish
  // The Author's update and delete on media are conditional (its own files): the route lets it in,
  // and a file outside the condition answers 404, as any document outside a role's conditions.
  if (subject === 'upload') return role === 'editor' || ['read', 'create', 'update', 'delete'].includes(action);
  // Releases: the Editor makes and releases them, the Author may look (migration release_permissions).
  if (subject === 'releases') return role === 'editor' || action === 'read';
  return false; // users, roles, api-tokens, audit-log, settings… belong to Super Admin by default
}

async function snapshot(db: Knex): Promise<string> {
  const parts = [];
  for (const table of [
    'folio_admin_users',
    'folio_roles',
    'folio_admin_user_roles',
    'folio_permissions',
    'folio_api_tokens',
    'folio_member_permissions',
  ]) {
    parts.push(
      await db(table)
        .select('*')
        .orderBy(table === 'folio_admin_user_roles' ? 'user_id' : 'id'),
    );
  }
  return JSON.stringify(parts);
}

describeEachDatabase('Admin API permission matrix', (t) => {
  const sessions: Record<string, AdminSession> = {};
  let ids: Record<string, number>;
  let guarded: DeclaredRoute[];

  beforeAll(async () => {
    for (const role of ROLES) sessions[role] = await signedIn(t(), [role]);
    const custom = await t().folio.access.createRole({ name: 'Matrix fixture' });
    const victim = await t().folio.auth.users.create({
      email: 'matrix-victim@example.test',
      password: 'victim-password',
      roles: ['author'],
    });
    const token = await t().folio.apiTokens.create({ name: 'matrix token', type: 'read-only' });
    ids = { roles: custom.id, users: victim.id, 'api-tokens': token.record.id };
    guarded = declaredRoutes.filter((r) => r.path.startsWith('/admin-api') && r.permission !== 'public');
    expect(guarded.length).toBeGreaterThan(15);
  });

  function request(s: AdminSession | null, route: DeclaredRoute): supertest.Test {
    const subject = route.path.split('/')[2];
    const path = route.path
      .replace(':id', String(ids[subject] ?? 1))
      .replace(/:(uid|documentId|field)\b/g, (_, name: string) => PATH_PARAMS[name]);
    if (!s) {
      const http = supertest(t().app.callback());
      return route.method === 'get' ? http.get(path) : http[route.method](path).send({});
    }
    return route.method === 'get'
      ? s.get(path)
      : route.method === 'delete'
        ? s.delete(path)
        : s[route.method === 'patch' ? 'put' : route.method](path, {});
  }

  it('answers 401 to every guarded route without a session, changing nothing', async () => {
    const before = await snapshot(t().db);
    for (const route of guarded) {
      const res = await request(null, route);
      expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 401]);
    }
    expect(await snapshot(t().db)).toBe(before);
  });

  for (const role of ROLES) {
    it(`gives ${role} exactly the routes its role was granted (403 otherwise, changing nothing)`, async () => {
      // Denied requests first, so that the allowed ones (which may delete fixtures) come after.
      const routes = guarded.map((route) => {
        const p = permissionOf(route);
        const allowed = p ? expectedAllowed(role, p.action, p.subject) : true;
        return { route, allowed };
      });
      const before = await snapshot(t().db);
      for (const { route } of routes.filter((r) => !r.allowed)) {
        const res = await request(sessions[role], route);
        expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 403]);
      }
      expect(await snapshot(t().db)).toBe(before);
      for (const { route } of routes.filter((r) => r.allowed && !r.route.path.endsWith('/logout'))) {
        const res = await request(sessions[role], route);
        expect([route.method, route.path, [401, 403].includes(res.status)]).toEqual([route.method, route.path, false]);
        expect(res.status).toBeLessThan(500);
      }
    });
  }
});

describeEachDatabase('escalation attempts', (t) => {
  it('an Author editing a role or its permissions gets 403 and nothing changes', async () => {
    const author = await signedIn(t(), ['author']);
    const authorRole = (await t().folio.access.roleByCode('author'))!;
    const before = await t().folio.access.getPermissions(authorRole.id);
    const grant = await author.put(`/admin-api/roles/${authorRole.id}/permissions`, {
      permissions: [{ action: 'manage', subject: 'all' }],
    });
    expect(grant.status).toBe(403);
    expect((await author.put(`/admin-api/roles/${authorRole.id}`, { name: 'Boss' })).status).toBe(403);
    expect(await t().folio.access.getPermissions(authorRole.id)).toEqual(before);
    expect((await t().folio.access.getRole(authorRole.id)).name).toBe('Author');
  });

  it('an Author cannot give itself another role', async () => {
    const author = await signedIn(t(), ['author']);
    expect((await author.put(`/admin-api/users/${author.userId}`, { roles: ['super-admin'] })).status).toBe(403);
    expect((await t().folio.auth.users.get(author.userId)).roles.map((r) => r.code)).toEqual(['author']);
  });

  it('a user manager who is not Super Admin cannot grant the Super Admin role', async () => {
    const role = await t().folio.access.createRole({ name: 'User manager' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'users' },
      { action: 'update', subject: 'users' },
    ]);
    const manager = await signedIn(t(), [role.id]);
    const res = await manager.put(`/admin-api/users/${manager.userId}`, { roles: ['super-admin'] });
    expect(res.status).toBe(403);
    expect((await t().folio.auth.users.get(manager.userId)).roles.map((r) => r.code)).toEqual([role.code]);
    // What the role does grant works.
    expect((await manager.put(`/admin-api/users/${manager.userId}`, { firstname: 'Renamed' })).status).toBe(200);
  });

  it('takes a permission change into account on the next request', async () => {
    const role = await t().folio.access.createRole({ name: 'Token reader' });
    const s = await signedIn(t(), [role.id]);
    expect((await s.get('/admin-api/api-tokens')).status).toBe(403);
    const admin = await signedIn(t(), ['super-admin']);
    expect(
      (
        await admin.put(`/admin-api/roles/${role.id}/permissions`, {
          permissions: [{ action: 'read', subject: 'api-tokens' }],
        })
      ).status,
    ).toBe(200);
    expect((await s.get('/admin-api/api-tokens')).status).toBe(200);
  });

  it('keeps the last active Super Admin from being deactivated or demoted', async () => {
    const supers = await t()
      .db('folio_admin_user_roles as ur')
      .join('folio_roles as r', 'r.id', 'ur.role_id')
      .where('r.code', 'super-admin')
      .select('ur.user_id');
    for (const { user_id } of supers)
      await t().db('folio_admin_users').where({ id: user_id }).update({ is_active: false });
    const admin = await signedIn(t(), ['super-admin']);
    expect((await admin.put(`/admin-api/users/${admin.userId}`, { isActive: false })).status).toBe(400);
    expect((await admin.put(`/admin-api/users/${admin.userId}`, { roles: ['editor'] })).status).toBe(400);
    expect((await admin.delete(`/admin-api/users/${admin.userId}`)).status).toBe(400);
    expect((await t().folio.auth.users.get(admin.userId)).isActive).toBe(true);
  });
});

describeEachDatabase('roles, permissions, tokens and the audit log through the Admin API', (t) => {
  beforeAll(async () => {
    // Permissions name content types of the catalogue: the article they grant must exist.
    await applyTestSchema(t().folio, blogSchema);
  });

  it('creates, renames and deletes a custom role; built-in roles cannot be deleted', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const created = await admin.post('/admin-api/roles', { name: 'Reviewer', description: 'Reads everything' });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect((await admin.put(`/admin-api/roles/${id}`, { name: 'Senior reviewer' })).body.data.name).toBe(
      'Senior reviewer',
    );
    const perms = await admin.put(`/admin-api/roles/${id}/permissions`, {
      permissions: [
        {
          action: 'read',
          subject: 'article',
          fields: ['title'],
          conditions: { builtins: ['isCreator'], query: { 'category.slug': { $in: ['news'] } } },
        },
      ],
    });
    expect(perms.status).toBe(200);
    expect((await admin.get(`/admin-api/roles/${id}/permissions`)).body.data).toEqual([
      {
        action: 'read',
        subject: 'article',
        fields: ['title'],
        conditions: { builtins: ['isCreator'], query: { 'category.slug': { $in: ['news'] } } },
      },
    ]);
    const bad = await admin.put(`/admin-api/roles/${id}/permissions`, {
      permissions: [{ action: 'read', subject: 'article', conditions: { query: { title: { $where: 'x' } } } }],
    });
    expect(bad.status).toBe(400);
    expect((await admin.delete(`/admin-api/roles/${id}`)).status).toBe(200);
    expect(await t().db('folio_roles').where({ id }).first()).toBeUndefined();
    const editor = (await t().folio.access.roleByCode('editor'))!;
    expect((await admin.delete(`/admin-api/roles/${editor.id}`)).status).toBe(400);
    const actions = (await t().db('folio_audit_log').where({ subject: 'roles' }).select('action')).map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['roles.create', 'roles.update', 'permissions.update', 'roles.delete']),
    );
  });

  it('shows a new API token once, lists it without the secret, and revokes it', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const created = await admin.post('/admin-api/api-tokens', {
      name: 'site',
      type: 'custom',
      allow: ['article.find', 'article.findOne'],
      durationDays: 30,
    });
    expect(created.status).toBe(201);
    const key: string = created.body.data.accessKey;
    expect(key).toMatch(/^folio_/);
    const list = await admin.get('/admin-api/api-tokens');
    expect(JSON.stringify(list.body)).not.toContain(key);
    const row = await t().db('folio_api_tokens').where({ name: 'site' }).first();
    expect(row.digest).not.toBe(key);
    expect(row.digest).toMatch(/^[0-9a-f]{64}$/);
    const revoked = await admin.delete(`/admin-api/api-tokens/${created.body.data.id}`);
    expect(revoked.body.data.revokedAt).toEqual(expect.any(String));
    expect(await t().folio.apiTokens.resolve(key)).toBeNull();
  });

  it('sets the Public role permissions', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const res = await admin.put('/admin-api/public-permissions', { allow: ['article.find', 'article.findOne'] });
    expect(res.body.data.allow).toEqual(['article.find', 'article.findOne']);
    expect((await admin.put('/admin-api/public-permissions', { allow: ['article.destroy'] })).status).toBe(400);
    expect((await admin.get('/admin-api/public-permissions')).body.data.allow).toEqual([
      'article.find',
      'article.findOne',
    ]);
  });

  it('lists and filters the audit log for Super Admins; the audit log cannot be granted to a role', async () => {
    const admin = await signedIn(t(), ['super-admin']);
    const res = await admin.get('/admin-api/audit-log?filters[action]=auth.login&pageSize=5');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((e: { action: string }) => e.action === 'auth.login')).toBe(true);
    expect(res.body.meta.pagination).toMatchObject({ page: 1, pageSize: 5 });
    expect((await admin.get('/admin-api/audit-log?filters[nope]=1')).status).toBe(400);
    const role = await t().folio.access.createRole({ name: 'Auditor' });
    expect(
      (
        await admin.put(`/admin-api/roles/${role.id}/permissions`, {
          permissions: [{ action: 'read', subject: 'audit-log' }],
        })
      ).status,
    ).toBe(400);
  });
});
