// GET /admin-api/permissions/catalogue: what a role or the Public role can be granted, and — for the
// dashboard's permission matrix — each content type's display name and fields (field allowlists).
import { beforeAll, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

describeEachDatabase('GET /admin-api/permissions/catalogue', (t) => {
  let admin: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, {
      contentTypes: {
        article: {
          kind: 'collectionType',
          info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
          attributes: {
            title: { type: 'string' },
            cover: { type: 'media' },
            author: { type: 'relation', relation: 'manyToOne', target: 'writer' },
          },
        },
        writer: {
          kind: 'collectionType',
          info: { singularName: 'writer', pluralName: 'writers', displayName: 'Writer' },
          attributes: { name: { type: 'string' } },
        },
        homepage: {
          kind: 'singleType',
          info: { singularName: 'homepage', pluralName: 'homepages', displayName: 'Homepage' },
          attributes: { headline: { type: 'string' } },
        },
        comment: {
          kind: 'collectionType',
          info: { singularName: 'comment', pluralName: 'comments', displayName: 'Comment' },
          options: { owner: 'user' },
          attributes: {
            body: { type: 'text' },
            user: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
          },
        },
      },
      components: {},
    });
    admin = await signedIn(t(), ['super-admin']);
  });

  it('names every content type with its kind, route and fields, beside the grantable actions', async () => {
    const res = await admin.get('/admin-api/permissions/catalogue');
    expect(res.status).toBe(200);
    const { admin: grantable, contentApi, conditions, contentTypes } = res.body.data;
    expect(contentTypes).toEqual(
      expect.arrayContaining([
        {
          uid: 'article',
          displayName: 'Article',
          kind: 'collectionType',
          pluralName: 'articles',
          fields: ['title', 'cover', 'author'],
        },
        { uid: 'writer', displayName: 'Writer', kind: 'collectionType', pluralName: 'writers', fields: ['name'] },
        { uid: 'homepage', displayName: 'Homepage', kind: 'singleType', pluralName: 'homepages', fields: ['headline'] },
      ]),
    );
    expect(contentTypes).toHaveLength(4);
    expect(grantable).toEqual(
      expect.arrayContaining([
        { subject: 'article', kind: 'content', actions: ['read', 'create', 'update', 'delete', 'publish'] },
      ]),
    );
    expect(contentApi).toEqual(expect.arrayContaining(['article.find', 'homepage.find', 'upload.find']));
    expect(conditions).toEqual(['isCreator', 'hasSameRoleAsCreator']);
  });

  it('names the owner of a type that has one, for the members’ "own" grants', async () => {
    const { contentTypes } = (await admin.get('/admin-api/permissions/catalogue')).body.data;
    expect(contentTypes).toContainEqual({
      uid: 'comment',
      displayName: 'Comment',
      kind: 'collectionType',
      pluralName: 'comments',
      fields: ['body', 'user'],
      owner: 'user',
    });
  });

  it('is refused to a role that may not read roles', async () => {
    const author = await signedIn(t(), ['author']);
    expect((await author.get('/admin-api/permissions/catalogue')).status).toBe(403);
  });
});
