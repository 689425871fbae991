// Field allowlists of member roles (docs/members.md, "Field allowlists"): `article.find(title,summary)`
// opens those attributes only. Reads answer the allowed fields (also of populated types, by the
// caller's rules for them); naming a hidden field in `fields`, `filters` or `sort`, through relations
// too, is a 400 so that its value cannot be inferred; a write naming a field outside the write
// allowlist is a 403 and changes nothing; the lists round-trip through the Admin API.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase, testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { applyTestSchema } from '../helpers/schema.js';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { setMemberRolePermissions } from '../../server/access/operations/public-permissions.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { permissionFingerprint } from '../../server/cache/index.js';

const schema: SchemaDocument = {
  contentTypes: {
    category: {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string' }, note: { type: 'text' } },
    },
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      options: { draftAndPublish: false },
      attributes: {
        title: { type: 'string', required: true },
        summary: { type: 'text' },
        premium: { type: 'text' },
        category: { type: 'relation', relation: 'manyToOne', target: 'category' },
      },
    },
  },
  components: {},
};

const PUBLIC = [
  'article.find(title,summary,category)',
  'article.findOne(title,summary,category)',
  'article.create(title,summary)',
  'category.find(name)',
];
const AUTHENTICATED = ['article.find', 'article.findOne', 'category.find'];

describeEachDatabase(
  'field allowlists of member roles',
  (t) => {
    let admin: AdminSession;
    let authenticatedId: number;
    let jwt: string;
    let articleId: string;
    const asPublic = (path: string) => t().http().get(path);
    const asMember = (path: string) => t().http().get(path).set('Authorization', `Bearer ${jwt}`);

    beforeAll(async () => {
      await applyTestSchema(t().folio, schema);
      admin = await signedIn(t(), ['super-admin']);
      authenticatedId = (await t().folio.members.roles.byCode('authenticated'))!.id;
      for (const [role, allow] of [
        ['public', PUBLIC],
        ['authenticated', AUTHENTICATED],
      ] as const)
        await setMemberRolePermissions(t().folio, { caller: SYSTEM_CALLER, role, allow });
      const category = await t().folio.documents.create('category', { data: { name: 'News', note: 'internal' } });
      const article = await t().folio.documents.create('article', {
        data: { title: 'Hello', summary: 'Short', premium: 'For members', category: category.documentId },
      });
      articleId = article.documentId;
      const res = await t()
        .http()
        .post('/api/auth/local/register')
        .send({ username: 'reader', email: 'reader@example.test', password: 'correct-horse-42' });
      expect(res.status).toBe(200);
      jwt = res.body.jwt as string;
    });

    describe('on reads', () => {
      it('hide a field from the Public role that Authenticated members read', async () => {
        const anonymous = await asPublic('/api/articles');
        expect(anonymous.status).toBe(200);
        expect(anonymous.body.data[0]).toMatchObject({ title: 'Hello', summary: 'Short' });
        expect(anonymous.body.data[0]).not.toHaveProperty('premium');
        const member = await asMember('/api/articles');
        expect(member.body.data[0]).toMatchObject({ title: 'Hello', premium: 'For members' });
      });

      it('hide it from a findOne, and keep the two answers apart in the response cache', async () => {
        const anonymous = await asPublic(`/api/articles/${articleId}`);
        const member = await asMember(`/api/articles/${articleId}`);
        const again = await asPublic(`/api/articles/${articleId}`);
        expect(anonymous.body.data).not.toHaveProperty('premium');
        expect(member.body.data.premium).toBe('For members');
        expect(again.body).toEqual(anonymous.body);
      });

      it('let the members of a role without own reads share one response cache entry', async () => {
        const fingerprint = async (id: number) =>
          permissionFingerprint(await t().folio.access.memberCaller({ id, roleId: authenticatedId }));
        expect(await fingerprint(1)).toBe(await fingerprint(2));
      });

      it('hide the fields of a populated type by the caller’s rules for that type', async () => {
        const anonymous = await asPublic('/api/articles?populate=category');
        expect(anonymous.body.data[0].category).toMatchObject({ name: 'News' });
        expect(anonymous.body.data[0].category).not.toHaveProperty('note');
        const member = await asMember('/api/articles?populate=category');
        expect(member.body.data[0].category).toMatchObject({ name: 'News', note: 'internal' });
      });

      it.each([
        ['a filter', 'filters[premium][$eq]=For%20members', /premium/],
        ['a filter through a relation', 'filters[category][note][$eq]=internal', /note/],
        ['a sort', 'sort=premium', /premium/],
        ['a sort through a relation', 'sort=category.note', /note/],
        ['a field selection', 'fields[0]=premium', /premium/],
        ['a field selection of a populated type', 'populate[category][fields][0]=note', /note/],
      ])('refuse %s naming a hidden field (400), so that its value cannot be inferred', async (_, query, message) => {
        const res = await asPublic(`/api/articles?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(message) });
        expect((await asMember(`/api/articles?${query}`)).status).toBe(200);
      });
    });

    describe('on writes', () => {
      it('refuse a body naming a field outside the write allowlist (403), and write nothing', async () => {
        const res = await t()
          .http()
          .post('/api/articles')
          .send({ data: { title: 'Sneaky', premium: 'Free for all' } });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/premium/);
        expect(await t().folio.db('articles').where({ title: 'Sneaky' }).first()).toBeUndefined();
      });

      it('answer only the fields the caller reads', async () => {
        const res = await t()
          .http()
          .post('/api/articles')
          .send({ data: { title: 'Open', summary: 'Anyone' } });
        expect(res.status).toBe(201);
        expect(res.body.data).toMatchObject({ title: 'Open', summary: 'Anyone' });
        expect(res.body.data).not.toHaveProperty('premium');
      });
    });

    describe('in the Admin API', () => {
      it('answers an allowlist in the schema attribute order, as the role holds it', async () => {
        const allow = [...AUTHENTICATED, 'article.update(premium,title)'];
        const res = await admin.put(`/admin-api/member-roles/${authenticatedId}/permissions`, { allow });
        expect(res.status).toBe(200);
        expect(res.body.data.allow).toContain('article.update(title,premium)');
        const roles = await admin.get('/admin-api/member-roles');
        const authenticated = roles.body.data.find((r: { id: number }) => r.id === authenticatedId);
        expect(authenticated.allow).toEqual(res.body.data.allow);
        expect((await admin.get('/admin-api/public-permissions')).body.data.allow).toEqual([...PUBLIC].sort());
      });

      it('refuses unknown fields with a 400 naming them, and keeps the role as it was', async () => {
        const before = await t().folio.access.getMemberRolePermissions(authenticatedId);
        const res = await admin.put(`/admin-api/member-roles/${authenticatedId}/permissions`, {
          allow: ['article.find(title,secret)'],
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/secret/);
        expect(await t().folio.access.getMemberRolePermissions(authenticatedId)).toEqual(before);
      });

      it('refuses an owner limit on the Public role (400)', async () => {
        const res = await admin.put('/admin-api/public-permissions', { allow: [...PUBLIC, 'article.find:own'] });
        expect(res.status).toBe(400);
      });

      it('lets an admin grant the fields it may read, and no more (403)', async () => {
        const role = await t().folio.access.createRole({ name: 'Title reader' });
        await t().folio.access.setPermissions(role.id, [
          { action: 'read', subject: 'article', fields: ['title', 'summary'] },
          { action: 'read', subject: 'roles' },
          { action: 'update', subject: 'roles' },
        ]);
        const keeper = await signedIn(t(), [role.id]);
        const custom = await admin.post('/admin-api/member-roles', { name: 'Readers of titles' });
        const path = `/admin-api/member-roles/${custom.body.data.id}/permissions`;
        expect((await keeper.put(path, { allow: ['article.find(title)'] })).status).toBe(200);
        expect((await keeper.put(path, { allow: ['article.find(title,premium)'] })).status).toBe(403);
        expect((await keeper.put(path, { allow: ['article.find'] })).status).toBe(403);
      });

      it('are granted by the CLI, a field list kept whole', async () => {
        const env = testEnv(t().database.url);
        const role = await admin.post('/admin-api/member-roles', { name: 'CLI readers' });
        const code = `member:${role.body.data.type as string}`;
        const allow = 'article.find(summary,title),category.find';
        const granted = await runCli(['permissions', 'grant', '--role', code, '--allow', allow], env);
        expect(granted).toMatchObject({ code: 0, stdout: 'article.find(title,summary)\ncategory.find\n' });
      });
    });
  },
  { TRUST_PROXY: 'true' },
);
