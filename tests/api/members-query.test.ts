// GET /api/users and /api/users/count with Strapi's query parameters (docs/members.md, "Routes"):
// filters with the Content API's operators on the members' public fields (and their role), sort,
// start/limit and pagination[page|pageSize], populate=role; a plain array as Strapi answers it; every
// malformed or hidden key a 400 in the error envelope.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { tokenHttp, type Http } from '../helpers/callers.js';

describeEachDatabase('the members list query', (t) => {
  let http: Http;
  const names = async (query: string) => {
    const res = await http().get(`/api/users?${query}`);
    expect(res.status).toBe(200);
    return (res.body as { username: string }[]).map((m) => m.username);
  };
  const refusal = async (path: string, name = 'ValidationError') => {
    const res = await http().get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe(name);
    return res.body.error.message as string;
  };

  beforeAll(async () => {
    const { members, roles } = t().folio.members;
    const authenticated = (await roles.resolve('authenticated')).id;
    await t().folio.db.transaction(async (trx) => {
      const editors = await roles.createIn(trx, { name: 'Editors' });
      const add = (username: string, roleId: number, confirmed: boolean, blocked = false) =>
        members.createIn(trx, {
          username,
          email: `${username}@example.test`,
          passwordHash: 'not-a-hash',
          roleId,
          confirmed,
          blocked,
        });
      await add('carol', authenticated, true);
      await add('alice', editors.id, true);
      await add('bob', authenticated, false, true);
      await add('dave', editors.id, false);
    });
    http = await tokenHttp(t(), 'read-only');
  });

  describe('filters', () => {
    it('selects members by their fields with the Content API operators', async () => {
      expect(await names('filters[username][$eq]=alice')).toEqual(['alice']);
      expect(await names('filters[confirmed][$eq]=true&sort=username')).toEqual(['alice', 'carol']);
      expect(await names('filters[email][$endsWith]=example.test&filters[blocked]=true')).toEqual(['bob']);
      expect(await names('filters[$or][0][username][$startsWith]=a&filters[$or][1][username][$eqi]=DAVE')).toEqual([
        'alice',
        'dave',
      ]);
    });

    it('selects members by their role', async () => {
      expect(await names('filters[role][name][$eq]=Editors&sort=username')).toEqual(['alice', 'dave']);
      expect(await names('filters[role][type][$ne]=authenticated&sort=username')).toEqual(['alice', 'dave']);
    });

    it('compares times as ISO dates', async () => {
      expect(await names('filters[createdAt][$gt]=2000-01-01&sort=username')).toEqual([
        'alice',
        'bob',
        'carol',
        'dave',
      ]);
      expect(await names('filters[createdAt][$lt]=2000-01-01')).toEqual([]);
    });

    it('never filters or sorts by the password or any field the answer hides (400)', async () => {
      expect(await refusal('/api/users?filters[password][$startsWith]=%24argon')).toMatch(/Invalid key password/);
      expect(await refusal('/api/users?filters[resetPasswordToken][$null]=false')).toMatch(/Invalid key/);
      expect(await refusal('/api/users/count?filters[password][$null]=true')).toMatch(/Invalid key password/);
      expect(await refusal('/api/users?sort=password')).toMatch(/Invalid sort key/);
    });

    it('refuses malformed filters with a 400', async () => {
      expect(await refusal('/api/users?filters[username][$like]=a')).toMatch(/Invalid operator/);
      expect(await refusal('/api/users?filters[confirmed][$eq]=perhaps')).toMatch(/true or false/);
      expect(await refusal('/api/users?filters[role][secret][$eq]=x')).toMatch(/Invalid key secret/);
      expect(await refusal('/api/users?status=draft')).toMatch(/Invalid query parameter status/);
    });
  });

  describe('sort and windows', () => {
    it('sorts by the members’ fields', async () => {
      expect(await names('sort=username:desc')).toEqual(['dave', 'carol', 'bob', 'alice']);
      expect(await names('sort[0]=confirmed:desc&sort[1]=username')).toEqual(['alice', 'carol', 'bob', 'dave']);
      expect(await refusal('/api/users?sort=role.name')).toMatch(/Invalid sort key role.name/);
    });

    it('windows with start/limit or pagination[page|pageSize], answering a plain array', async () => {
      expect(await names('sort=username&start=1&limit=2')).toEqual(['bob', 'carol']);
      expect(await names('sort=username&pagination[page]=2&pagination[pageSize]=3')).toEqual(['dave']);
      expect(await refusal('/api/users?start=1&pagination[page]=2', 'PaginationError')).toMatch(
        /Invalid pagination parameters/,
      );
      expect(await refusal('/api/users?limit=zero')).toMatch(/Invalid pagination\[limit\]/);
    });

    it('adds the role with populate=role, never the password', async () => {
      const res = await http().get('/api/users?filters[username]=alice&populate=role');
      expect(res.body).toEqual([
        expect.objectContaining({
          username: 'alice',
          confirmed: true,
          role: expect.objectContaining({ name: 'Editors' }),
        }),
      ]);
      expect(Object.keys(res.body[0])).not.toEqual(expect.arrayContaining(['password', 'password_hash']));
    });
  });

  describe('count', () => {
    it('counts the members a filter selects', async () => {
      expect((await http().get('/api/users/count')).body).toBe(4);
      expect((await http().get('/api/users/count?filters[role][name]=Editors&filters[confirmed]=false')).body).toBe(1);
      expect(await refusal('/api/users/count?sort=username')).toMatch(/Invalid query parameter sort/);
    });
  });
});
