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
        allow: ['comment.find', 'comment.create', 'comment.update:own', 'comment.delete:own'],
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
