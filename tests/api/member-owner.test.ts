// Owner permissions of member roles (docs/members.md, "Owner permissions"): a type names a to-one
// relation to the members (Strapi's `plugin::users-permissions.user`) as its owner; the server sets
// it on create from the member asking, never from a body; `type.update:own` and `type.delete:own`
// hold on the member's own entries only, compiled into the write's SQL row check (others: 404).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { setMemberRolePermissions } from '../../server/access/operations/public-permissions.js';
import { duplicateDocument } from '../../server/content/operations/duplicate-document.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { permissionFingerprint } from '../../server/cache/index.js';

const commentSchema: SchemaDocument = {
  contentTypes: {
    comment: {
      kind: 'collectionType',
      info: { singularName: 'comment', pluralName: 'comments', displayName: 'Comment' },
      options: { draftAndPublish: false, owner: 'author' },
      attributes: {
        body: { type: 'text', required: true },
        author: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
      },
    },
    diary: {
      kind: 'collectionType',
      info: { singularName: 'diary', pluralName: 'diaries', displayName: 'Diary' },
      options: { draftAndPublish: true, owner: 'writer' },
      attributes: {
        title: { type: 'string', required: true },
        writer: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
        comments: { type: 'relation', relation: 'oneToMany', target: 'comment' },
      },
    },
  },
  components: {},
};

describeEachDatabase(
  'owner permissions of member roles',
  (t) => {
    let counter = 0;
    const register = async () => {
      counter += 1;
      const res = await t()
        .http()
        .post('/api/auth/local/register')
        .set('X-Forwarded-For', `10.1.0.${counter}`)
        .send({ username: `owner${counter}`, email: `owner${counter}@example.test`, password: 'correct-horse-42' });
      expect(res.status).toBe(200);
      return { jwt: res.body.jwt as string, id: res.body.user.id as number };
    };
    const as = (jwt: string | undefined) => {
      const http = t().http();
      const auth = <R extends { set(k: string, v: string): R }>(req: R) =>
        jwt ? req.set('Authorization', `Bearer ${jwt}`) : req;
      return {
        post: (path: string, body: object) => auth(http.post(path)).send(body),
        put: (path: string, body: object) => auth(http.put(path)).send(body),
        get: (path: string) => auth(http.get(path)),
        del: (path: string) => auth(http.delete(path)),
      };
    };
    const ownerOf = async (documentId: string) => {
      const row = await t().folio.db('comments').where({ document_id: documentId }).first('author');
      if (!row) return undefined;
      return row.author === null ? null : Number(row.author);
    };
    const write = async (jwt: string, body = 'Hello') => {
      const res = await as(jwt).post('/api/comments', { data: { body } });
      expect(res.status).toBe(201);
      return res.body.data.documentId as string;
    };

    beforeAll(async () => {
      await applyTestSchema(t().folio, commentSchema);
      await setMemberRolePermissions(t().folio, {
        caller: SYSTEM_CALLER,
        role: 'authenticated',
        allow: [
          'comment.find:own',
          'comment.findOne:own',
          'comment.create',
          'comment.update:own',
          'comment.delete:own',
          'diary.find',
          'diary.findDrafts:own',
          'diary.create',
        ],
      });
    });

    describe('the owner', () => {
      it('is the member creating the entry', async () => {
        const ada = await register();
        expect(await ownerOf(await write(ada.jwt))).toBe(ada.id);
      });

      it('cannot be set through the body on create (400), and nothing is written', async () => {
        const [ada, bob] = [await register(), await register()];
        const res = await as(ada.jwt).post('/api/comments', { data: { body: 'As Bob', author: bob.id } });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/author/);
        expect(await t().folio.db('comments').where({ body: 'As Bob' }).first()).toBeUndefined();
      });

      it('cannot be changed through the body on update (400)', async () => {
        const [ada, bob] = [await register(), await register()];
        const mine = await write(ada.jwt);
        const res = await as(ada.jwt).put(`/api/comments/${mine}`, { data: { author: bob.id } });
        expect(res.status).toBe(400);
        expect(await ownerOf(mine)).toBe(ada.id);
      });
    });

    it('is not copied by a duplicate: an admin’s copy of a member’s entry has no owner', async () => {
      const ada = await register();
      const adas = await write(ada.jwt, 'Original');
      const { entry } = await duplicateDocument(t().folio, { caller: SYSTEM_CALLER, uid: 'comment', documentId: adas });
      expect(entry.documentId).not.toBe(adas);
      expect(await ownerOf(entry.documentId)).toBeNull();
    });

    it('is left out of the OpenAPI write bodies and described in reads', async () => {
      const ada = await register();
      const res = await t().http().get('/api/openapi.json').set('Authorization', `Bearer ${ada.jwt}`);
      expect(res.status).toBe(200);
      const schemas = res.body.components.schemas;
      expect(schemas['CommentInput.create'].properties.data.properties).not.toHaveProperty('author');
      expect(schemas['CommentInput.create'].properties.data.properties).toHaveProperty('body');
      expect(schemas.Comment.properties.author).toMatchObject({ type: ['integer', 'null'] });
    });

    describe('update own and delete own', () => {
      it('lets a member update its own entry, and answers 404 on another’s, left unchanged', async () => {
        const [ada, bob] = [await register(), await register()];
        const adas = await write(ada.jwt, 'First');
        const ok = await as(ada.jwt).put(`/api/comments/${adas}`, { data: { body: 'Edited' } });
        expect(ok.status).toBe(200);
        expect(ok.body.data.body).toBe('Edited');
        const res = await as(bob.jwt).put(`/api/comments/${adas}`, { data: { body: 'Defaced' } });
        expect(res.status).toBe(404);
        const row = await t().folio.db('comments').where({ document_id: adas }).first('body');
        expect(row.body).toBe('Edited');
      });

      it('lets a member delete its own entry, and answers 404 on another’s, left in place', async () => {
        const [ada, bob] = [await register(), await register()];
        const adas = await write(ada.jwt);
        expect((await as(bob.jwt).del(`/api/comments/${adas}`)).status).toBe(404);
        expect(await ownerOf(adas)).toBe(ada.id);
        expect((await as(ada.jwt).del(`/api/comments/${adas}`)).status).toBe(204);
        expect(await ownerOf(adas)).toBeUndefined();
      });

      it('does not reach entries without an owner (created by an admin)', async () => {
        const ada = await register();
        const entry = await t().folio.documents.create('comment', { data: { body: 'Staff' } });
        const res = await as(ada.jwt).put(`/api/comments/${entry.documentId}`, { data: { body: 'Mine now' } });
        expect(res.status).toBe(404);
      });
    });

    describe('read own', () => {
      const bodiesOf = (res: { body: { data: { body: string }[] } }) => res.body.data.map((c) => c.body).sort();

      it('lists only the member’s own entries', async () => {
        const [ada, bob] = [await register(), await register()];
        await write(ada.jwt, 'Ada one');
        await write(bob.jwt, 'Bob one');
        await write(ada.jwt, 'Ada two');
        const res = await as(ada.jwt).get('/api/comments?pagination[pageSize]=100');
        expect(res.status).toBe(200);
        expect(bodiesOf(res)).toEqual(['Ada one', 'Ada two']);
        expect(res.body.meta.pagination.total).toBe(2);
      });

      it('answers 404 for another’s entry, as for one that does not exist', async () => {
        const [ada, bob] = [await register(), await register()];
        const bobs = await write(bob.jwt, 'Private');
        expect((await as(ada.jwt).get(`/api/comments/${bobs}`)).status).toBe(404);
        expect((await as(bob.jwt).get(`/api/comments/${bobs}`)).body.data.body).toBe('Private');
      });

      it('never answers one member what the response cache kept for another of the same role', async () => {
        const [ada, bob] = [await register(), await register()];
        await write(ada.jwt, 'Cached for Ada');
        await write(bob.jwt, 'Cached for Bob');
        const path = '/api/comments?sort=body&pagination[pageSize]=100';
        const first = await as(ada.jwt).get(path);
        const second = await as(bob.jwt).get(path);
        expect(bodiesOf(first)).toEqual(['Cached for Ada']);
        expect(bodiesOf(second)).toEqual(['Cached for Bob']);
        const roleId = await t().folio.access.memberRoleId('authenticated');
        const fingerprint = async (id: number) =>
          permissionFingerprint(await t().folio.access.memberCaller({ id, roleId }));
        expect(await fingerprint(ada.id)).not.toBe(await fingerprint(bob.id));
      });

      it('reads only own drafts with status=draft, and published entries of everyone', async () => {
        const [ada, bob] = [await register(), await register()];
        const draft = async (jwt: string, title: string) =>
          expect((await as(jwt).post('/api/diaries?status=draft', { data: { title } })).status).toBe(201);
        await draft(ada.jwt, 'Ada draft');
        await draft(bob.jwt, 'Bob draft');
        await t().folio.documents.create('diary', { data: { title: 'Staff' }, status: 'published' });
        const titles = async (path: string) =>
          ((await as(ada.jwt).get(path)).body.data as { title: string }[]).map((d) => d.title).sort();
        expect(await titles('/api/diaries?status=draft&pagination[pageSize]=100')).toEqual(['Ada draft']);
        expect(await titles('/api/diaries?pagination[pageSize]=100')).toEqual(['Staff']);
      });

      it('populates only own entries of a type read own', async () => {
        const [ada, bob] = [await register(), await register()];
        const comments = [await write(ada.jwt, 'Ada on it'), await write(bob.jwt, 'Bob on it')];
        const diary = await t().folio.documents.create('diary', {
          data: { title: 'Linked', comments },
          status: 'published',
        });
        const res = await as(ada.jwt).get(
          `/api/diaries?filters[documentId][$eq]=${diary.documentId}&populate=comments`,
        );
        expect(res.status).toBe(200);
        expect(res.body.data[0].comments.map((c: { body: string }) => c.body)).toEqual(['Ada on it']);
      });
    });

    describe('the Public role', () => {
      it('cannot be given an owner permission (400)', async () => {
        await expect(
          setMemberRolePermissions(t().folio, { caller: SYSTEM_CALLER, role: 'public', allow: ['comment.update:own'] }),
        ).rejects.toMatchObject({ status: 400 });
      });

      it('cannot update or delete what a member owns', async () => {
        const ada = await register();
        const adas = await write(ada.jwt);
        expect((await as(undefined).put(`/api/comments/${adas}`, { data: { body: 'x' } })).status).toBe(403);
        expect((await as(undefined).del(`/api/comments/${adas}`)).status).toBe(403);
      });
    });
  },
  { TRUST_PROXY: 'true' },
);
