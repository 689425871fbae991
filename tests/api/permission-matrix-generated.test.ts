// The Admin API against generated roles (fast-check): random roles built from the permission
// catalogue — actions, subjects, field allowlists, creator conditions — each held by a fresh
// signed-in admin who then calls every declared Admin API route and tries the escalations the
// security reviews found. Two properties must hold for every role:
//   1. no route answers 2xx to a caller whose permissions say no, and no escalation succeeds;
//   2. no content answer carries a field the caller may not read, on the type read or on a
//      related type shown through a relation.
// Routes join by being declared (server/routes/define.ts), so a route added later is covered.
import { beforeAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { declaredRoutes, type DeclaredRoute } from '../../server/routes/define.js';
import { permittedFields } from '../../server/access/ability.js';
import type { AbilityCaller } from '../../server/access/service.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { createAdmin, login, type AdminSession } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const CONTENT_TYPES = ['article', 'category', 'author', 'tag'] as const;
type ContentType = (typeof CONTENT_TYPES)[number];
const SYSTEM_SUBJECTS = ['upload', 'users', 'roles', 'api-tokens', 'webhooks', 'settings'] as const;
const CONTENT_ACTIONS = ['read', 'create', 'update', 'delete', 'publish'] as const;
const SYSTEM_ACTIONS = ['read', 'create', 'update', 'delete'] as const;
/** The relation each content type's routes are asked about (`:field`). */
const RELATION_OF: Record<ContentType, string> = {
  article: 'author',
  category: 'articles',
  author: 'profile',
  tag: 'articles',
};
const SYSTEM_KEYS = new Set([
  'id',
  'documentId',
  'locale',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  '__status',
  '__publishedAt',
  '__locales',
]);

interface PermissionRow {
  action: string;
  subject: string;
  fields: string[] | null;
  conditions: { builtins: ['isCreator'] } | null;
}

function fieldsOf(uid: ContentType): string[] {
  return Object.keys(blogSchema.contentTypes[uid].attributes);
}

const contentRow = (uid: ContentType): fc.Arbitrary<PermissionRow[]> =>
  fc
    .record({
      actions: fc.subarray([...CONTENT_ACTIONS]),
      fields: fc.option(fc.subarray(fieldsOf(uid), { minLength: 1 }), { nil: null }),
      creatorOnly: fc.boolean(),
    })
    .map(({ actions, fields, creatorOnly }) =>
      actions.map((action) => ({
        action,
        subject: uid,
        fields: action === 'delete' || action === 'publish' ? null : fields,
        conditions: creatorOnly ? { builtins: ['isCreator'] as ['isCreator'] } : null,
      })),
    );

const systemRow = (subject: string): fc.Arbitrary<PermissionRow[]> =>
  fc
    .subarray([...SYSTEM_ACTIONS])
    .map((actions) => actions.map((action) => ({ action, subject, fields: null, conditions: null })));

/** A role: any mix of the catalogue's content and system grants (the audit log cannot be granted). */
const roleArbitrary: fc.Arbitrary<PermissionRow[]> = fc
  .tuple(...CONTENT_TYPES.map(contentRow), ...SYSTEM_SUBJECTS.map(systemRow))
  .map((parts) => parts.flat());

const often = (weight: number) =>
  fc.oneof({ arbitrary: fc.constant(true), weight }, { arbitrary: fc.constant(false), weight: 1 });

/**
 * A reading role, weighted towards what leaks: most types readable, most of them with a field
 * allowlist, few creator conditions (an entry outside them shows nothing at all).
 */
const readerArbitrary: fc.Arbitrary<PermissionRow[]> = fc
  .tuple(
    ...CONTENT_TYPES.map((uid) =>
      fc
        .record({
          read: often(3),
          fields: fc.oneof(
            { arbitrary: fc.subarray(fieldsOf(uid), { minLength: 1 }), weight: 3 },
            { arbitrary: fc.constant(null), weight: 1 },
          ),
          creatorOnly: fc.oneof(
            { arbitrary: fc.constant(false), weight: 4 },
            { arbitrary: fc.constant(true), weight: 1 },
          ),
        })
        .map(({ read, fields, creatorOnly }): PermissionRow[] =>
          read
            ? [{ action: 'read', subject: uid, fields, conditions: creatorOnly ? { builtins: ['isCreator'] } : null }]
            : [],
        ),
    ),
  )
  .map((parts) => parts.flat());

interface Fixtures {
  superAdmin: { id: number };
  documents: Record<ContentType, string>;
  ids: Record<string, number>;
}

async function seedFixtures(t: TestFolio): Promise<Fixtures> {
  const { folio } = t;
  await applyTestSchema(folio, blogSchema);
  const superAdmin = await createAdmin(t, ['super-admin']);
  const write = { userId: superAdmin.id, status: 'draft' as const };
  const category = await folio.documents.create('category', { ...write, data: { name: 'Science' } });
  const tag = await folio.documents.create('tag', { ...write, data: { name: 'Physics' } });
  const author = await folio.documents.create('author', {
    ...write,
    data: { name: 'Ada Lovelace', email: 'ada@example.test' },
  });
  const article = await folio.documents.create('article', {
    ...write,
    data: {
      title: 'Analytical engines',
      views: 120,
      category: category.documentId,
      tags: [tag.documentId],
      author: author.documentId,
    },
  });
  const role = await folio.access.createRole({ name: 'Matrix fixture' });
  const victim = await folio.auth.users.create({
    email: 'generated-victim@example.test',
    password: 'victim-password',
    roles: ['author'],
  });
  const token = await folio.apiTokens.create({ name: 'generated matrix token', type: 'read-only' });
  return {
    superAdmin,
    documents: {
      article: article.documentId,
      category: category.documentId,
      tag: tag.documentId,
      author: author.documentId,
    },
    ids: { roles: role.id, users: victim.id, 'api-tokens': token.record.id },
  };
}

/** The (action, subject) a route requires of this caller, or null for routes open to any admin. */
function requiredPermission(route: DeclaredRoute, uid: ContentType): { action: string; subject: string } | null {
  const p = route.permission;
  if (typeof p === 'object') return p;
  if (typeof p === 'function') return p({ params: { uid } } as unknown as Parameters<typeof p>[0]);
  return null;
}

function concretePath(route: DeclaredRoute, uid: ContentType, f: Fixtures): string {
  const subject = route.path.split('/')[2];
  return route.path
    .replace(':id', String(f.ids[subject] ?? 1))
    .replace(':uid', uid)
    .replace(':documentId', f.documents[uid])
    .replace(':field', RELATION_OF[uid]);
}

function send(s: AdminSession, method: DeclaredRoute['method'], path: string, body: object = {}): supertest.Test {
  if (method === 'get') return s.get(path);
  if (method === 'delete') return s.delete(path);
  return s[method === 'patch' ? 'put' : method](path, body);
}

const is2xx = (status: number) => status >= 200 && status < 300;

/** Every attribute an answer shows must be readable: on the type, and on the type a relation shows. */
function leakedFields(caller: AbilityCaller, uid: ContentType, entry: Record<string, unknown>): string[] {
  const type = blogSchema.contentTypes[uid];
  const readable = new Set(permittedFields(caller.ability, 'read', uid, fieldsOf(uid)));
  const leaks: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (SYSTEM_KEYS.has(key)) continue;
    if (!readable.has(key)) leaks.push(`${uid}.${key}`);
    const attribute = type.attributes[key] as { type: string; target?: string } | undefined;
    if (attribute?.type !== 'relation' || !attribute.target || value === null || typeof value !== 'object') continue;
    const target = attribute.target as ContentType;
    if (!CONTENT_TYPES.includes(target)) continue;
    const targetReadable = new Set(
      caller.ability.can('read', target) ? permittedFields(caller.ability, 'read', target, fieldsOf(target)) : [],
    );
    for (const related of Array.isArray(value) ? value : [value]) {
      for (const relatedKey of Object.keys(related as object)) {
        if (!SYSTEM_KEYS.has(relatedKey) && !targetReadable.has(relatedKey))
          leaks.push(`${uid}.${key} → ${target}.${relatedKey}`);
      }
    }
  }
  return leaks;
}

/** Writes the reviews used to climb: each must fail for a caller that is not Super Admin. */
function escalations(
  s: AdminSession,
  roleId: number,
  f: Fixtures,
  superRoleId: number,
): { name: string; request: () => supertest.Test }[] {
  return [
    {
      name: 'grant manage all to its own role',
      request: () =>
        s.put(`/admin-api/roles/${roleId}/permissions`, { permissions: [{ action: 'manage', subject: 'all' }] }),
    },
    {
      name: 'give itself the Super Admin role',
      request: () => s.put(`/admin-api/users/${s.userId}`, { roles: [superRoleId] }),
    },
    {
      name: "change a Super Admin's email",
      request: () => s.put(`/admin-api/users/${f.superAdmin.id}`, { email: 'attacker@example.test' }),
    },
    {
      name: 'deactivate a Super Admin',
      request: () => s.put(`/admin-api/users/${f.superAdmin.id}`, { isActive: false }),
    },
    {
      name: 'invite a Super Admin',
      request: () => s.post('/admin-api/users', { email: `invitee-${s.userId}@example.test`, roles: [superRoleId] }),
    },
    {
      name: 'create a full-access token',
      request: () => s.post('/admin-api/api-tokens', { name: `climb ${s.userId}`, type: 'full-access' }),
    },
  ];
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
    'folio_webhooks',
  ]) {
    parts.push(
      await db(table)
        .select('*')
        .orderBy(table === 'folio_admin_user_roles' ? 'user_id' : 'id'),
    );
  }
  return JSON.stringify(parts);
}

describeEachDatabase('Admin API against generated roles', (t) => {
  let fixtures: Fixtures;
  let superRoleId: number;
  let guarded: DeclaredRoute[];

  beforeAll(async () => {
    fixtures = await seedFixtures(t());
    superRoleId = (await t().folio.access.roleByCode('super-admin'))!.id;
    guarded = declaredRoutes.filter(
      (r) => r.path.startsWith('/admin-api') && r.permission !== 'public' && !r.path.endsWith('/logout'),
    );
    expect(guarded.length).toBeGreaterThan(30);
  });

  // One account holds a role whose permissions each run replaces: a run costs a permission write,
  // not an account and a login (two password hashes).
  let holder: { session: AdminSession; userId: number; roleId: number } | undefined;

  async function holderOf(
    rows: PermissionRow[],
  ): Promise<{ session: AdminSession; caller: AbilityCaller; roleId: number }> {
    if (!holder) {
      const role = await t().folio.access.createRole({ name: 'generated role' });
      const account = await createAdmin(t(), [role.id]);
      holder = { session: await login(t(), account.email, account.password), userId: account.id, roleId: role.id };
    }
    await t().folio.access.setPermissions(holder.roleId, rows);
    const caller = await t().folio.auth.callerFor(await t().folio.auth.users.get(holder.userId));
    return { session: holder.session, caller, roleId: holder.roleId };
  }

  it('answers no denied route with 2xx, lets no escalation through and changes nothing when denying', async () => {
    await fc.assert(
      fc.asyncProperty(roleArbitrary, fc.constantFrom(...CONTENT_TYPES), async (rows, uid) => {
        const { session, caller, roleId } = await holderOf(rows);
        const before = await snapshot(t().db);
        for (const route of guarded) {
          const needed = requiredPermission(route, uid);
          if (!needed || caller.can(needed.action, needed.subject)) continue;
          const res = await send(session, route.method, concretePath(route, uid, fixtures));
          expect([route.method, route.path, uid, is2xx(res.status)]).toEqual([route.method, route.path, uid, false]);
        }
        for (const attempt of escalations(session, roleId, fixtures, superRoleId)) {
          const res = await attempt.request();
          expect([attempt.name, is2xx(res.status)]).toEqual([attempt.name, false]);
        }
        expect(await snapshot(t().db)).toBe(before);
      }),
      { numRuns: 8 },
    );
  }, 240_000);

  it('shows no field the caller may not read, on the type or through a relation', async () => {
    await fc.assert(
      fc.asyncProperty(readerArbitrary, async (rows) => {
        const { session, caller } = await holderOf(rows);
        for (const uid of CONTENT_TYPES) {
          if (!caller.can('read', uid)) continue;
          const list = await session.get(`/admin-api/content/${uid}`);
          expect([uid, list.status]).toEqual([uid, 200]);
          for (const entry of list.body.data as Record<string, unknown>[])
            expect(leakedFields(caller, uid, entry)).toEqual([]);
          const one = await session.get(`/admin-api/content/${uid}/${fixtures.documents[uid]}`);
          if (one.status === 200) expect(leakedFields(caller, uid, one.body.data)).toEqual([]);
          else expect([uid, one.status]).toEqual([uid, 404]); // outside its conditions
        }
      }),
      { numRuns: 15 },
    );
  }, 240_000);
});
