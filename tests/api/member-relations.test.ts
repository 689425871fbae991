// Relations to the site members (docs/schema.md, "Relations to the site members"): besides the owner,
// a type may relate an entry to a member (`review.reviewer`), which admins set in the dashboard and
// /api callers holding users.find set by id; /api answers the id, or the member in Strapi's user shape
// with populate — only for callers holding users.find, like filters through the member's fields.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { tokenHttp, type Http } from '../helpers/callers.js';
import type { SchemaDocument } from '../../server/schema/types.js';

const reviewSchema: SchemaDocument = {
  contentTypes: {
    review: {
      kind: 'collectionType',
      info: { singularName: 'review', pluralName: 'reviews', displayName: 'Review' },
      options: { draftAndPublish: false, owner: 'author' },
      attributes: {
        body: { type: 'text', required: true },
        author: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
        reviewer: { type: 'relation', relation: 'manyToOne', target: 'folio::member' },
      },
    },
  },
  components: {},
};

const USER_KEYS = [
  'id',
  'documentId',
  'username',
  'email',
  'provider',
  'confirmed',
  'blocked',
  'createdAt',
  'updatedAt',
  'publishedAt',
];

describeEachDatabase('relations to the site members', (t) => {
  let admin: AdminSession;
  let token: Http;
  let ada: number;
  let bob: number;
  let reviewId: string;
  const read = (query: string) => t().http().get(`/api/reviews?${query}`);
  const publicMay = async (allow: string[]) => {
    const res = await admin.put('/admin-api/public-permissions', { allow });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    await applyTestSchema(t().folio, reviewSchema);
    admin = await signedIn(t(), ['super-admin']);
    token = await tokenHttp(t(), 'full-access');
    const { members, roles } = t().folio.members;
    const roleId = (await roles.resolve('authenticated')).id;
    [ada, bob] = await t().folio.db.transaction(async (trx) => {
      const add = async (username: string) =>
        Number(
          (
            await members.createIn(trx, {
              username,
              email: `${username}@example.test`,
              passwordHash: null,
              roleId,
              confirmed: true,
            })
          ).id,
        );
      return [await add('ada'), await add('bob')];
    });
    const created = await admin.post('/admin-api/content/review', { body: 'Fine work', reviewer: bob });
    expect(created.status).toBe(201);
    reviewId = created.body.data.documentId as string;
    // The owner is set by the server when a member creates the entry (member-owner.test.ts): here
    // it is written directly, to read it back without signing a member in.
    await t().folio.db('reviews').where({ document_id: reviewId }).update({ author: ada });
    await publicMay(['review.find', 'review.findOne']);
  });

  describe('writing a member relation', () => {
    it('stores the member an admin picked, answered as its id on /api', async () => {
      const res = await read('');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([expect.objectContaining({ body: 'Fine work', author: ada, reviewer: bob })]);
    });

    it('takes { connect: [id] } from an /api caller holding users.find', async () => {
      const res = await token()
        .put(`/api/reviews/${reviewId}`)
        .send({ data: { reviewer: { connect: [ada] } } });
      expect(res.status).toBe(200);
      expect(res.body.data.reviewer).toBe(ada);
      await token()
        .put(`/api/reviews/${reviewId}`)
        .send({ data: { reviewer: bob } })
        .expect(200);
    });

    it('takes the dashboard’s change ({ connect, disconnect }) and shows the member it picked', async () => {
      const res = await admin.put(`/admin-api/content/review/${reviewId}`, {
        reviewer: { connect: [String(ada)], disconnect: [String(bob)] },
      });
      expect(res.status).toBe(200);
      expect(res.body.data.reviewer).toBe(ada);
      const shown = await admin.get(`/admin-api/members/${ada}`);
      expect(shown.body.data).toMatchObject({ id: ada, username: 'ada', email: 'ada@example.test' });
      expect(shown.body.data.password_hash).toBeUndefined();
      const types = await admin.get('/admin-api/content/content-types');
      expect(types.body.data.contentTypes.find((c: { uid: string }) => c.uid === 'review').owner).toBe('author');
      await admin
        .put(`/admin-api/content/review/${reviewId}`, { reviewer: bob })
        .then((r) => expect(r.status).toBe(200));
    });

    it('is a 403 for an /api caller without users.find, changing nothing', async () => {
      const { token: custom } = await t().folio.apiTokens.create({
        name: 'reviews only',
        type: 'custom',
        allow: ['review.find', 'review.update'],
      });
      const res = await t()
        .http()
        .put(`/api/reviews/${reviewId}`)
        .set('Authorization', `Bearer ${custom}`)
        .send({ data: { reviewer: ada } });
      expect(res.status).toBe(403);
      const row = await t().folio.db('reviews').where({ document_id: reviewId }).first('reviewer');
      expect(Number(row.reviewer)).toBe(bob);
    });

    it('refuses a member that does not exist (400), changing nothing', async () => {
      const res = await admin.put(`/admin-api/content/review/${reviewId}`, { reviewer: 999_999 });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0]).toMatchObject({
        path: ['reviewer'],
        message: 'reviewer names no member',
      });
      const row = await t().folio.db('reviews').where({ document_id: reviewId }).first('reviewer');
      expect(Number(row.reviewer)).toBe(bob);
    });
  });

  describe('populating members', () => {
    it('is a 403 without users.find; populate=* then leaves the ids', async () => {
      expect((await read('populate=owner')).status).toBe(400); // not a field of reviews
      expect((await read('populate=author')).status).toBe(403);
      expect((await read('populate[reviewer]=true')).status).toBe(403);
      const all = await read('populate=*');
      expect(all.status).toBe(200);
      expect(all.body.data[0]).toMatchObject({ author: ada, reviewer: bob });
    });

    it('answers the members in Strapi’s user shape with users.find, never a password or code', async () => {
      await publicMay(['review.find', 'review.findOne', 'users.find']);
      try {
        const res = await read('populate[0]=author&populate[1]=reviewer');
        expect(res.status).toBe(200);
        const { author, reviewer } = res.body.data[0];
        expect(Object.keys(author).sort()).toEqual([...USER_KEYS].sort());
        expect(author).toMatchObject({ id: ada, username: 'ada', email: 'ada@example.test', provider: 'local' });
        expect(reviewer).toMatchObject({ id: bob, username: 'bob' });
        const one = await t().http().get(`/api/reviews/${reviewId}?populate=*`);
        expect(one.body.data.author.username).toBe('ada');
        expect(one.headers['cache-control']).toMatch(/no-store/);
      } finally {
        await publicMay(['review.find', 'review.findOne']);
      }
    });
  });

  it('keeps a member field outside the field allowlist hidden: named, a 400; under populate=*, absent', async () => {
    await publicMay(['review.find(body,author)', 'review.findOne', 'users.find']);
    try {
      const named = await read('populate=reviewer');
      expect(named.status).toBe(400);
      expect(named.body.error.message).toMatch(/reviewer/);
      const all = await read('populate=*');
      expect(all.status).toBe(200);
      expect(all.body.data[0].author).toMatchObject({ id: ada, username: 'ada' });
      expect(all.body.data[0]).not.toHaveProperty('reviewer');
      expect((await read('filters[reviewer][username][$eq]=bob')).status).toBe(400);
    } finally {
      await publicMay(['review.find', 'review.findOne']);
    }
  });

  describe('filtering through members', () => {
    it('selects entries by their member’s fields with users.find', async () => {
      await publicMay(['review.find', 'users.find']);
      try {
        const byName = await read('filters[author][username][$eq]=ada');
        expect(byName.body.data.map((r: { documentId: string }) => r.documentId)).toEqual([reviewId]);
        expect((await read('filters[reviewer][email][$startsWith]=ada')).body.data).toEqual([]);
        expect((await read(`filters[author][$eq]=${ada}&filters[reviewer][username]=bob`)).body.data).toHaveLength(1);
        const hidden = await read('filters[author][password][$null]=false');
        expect(hidden.status).toBe(400);
        expect(hidden.body.error.message).toMatch(/Invalid key password/);
      } finally {
        await publicMay(['review.find', 'review.findOne']);
      }
    });

    it('is a 400 without users.find, so a member’s fields cannot be guessed', async () => {
      const res = await read('filters[author][email][$startsWith]=a');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Invalid key author/);
    });
  });
});
