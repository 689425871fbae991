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
      await t().folio.documents.create('article', {
        data: { title: 'Hello', summary: 'Short', premium: 'For members', category: category.documentId },
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
