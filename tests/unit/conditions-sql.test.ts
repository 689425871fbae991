// CASL conditions → knex WHERE, checked against real tables on SQLite and MySQL: for every query the
// rows SQL returns must be exactly the rows CASL itself allows in memory.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { subject as tag } from '@casl/ability';
import { applyAbility, abilityQuery, contentRowResolver, type FieldResolver } from '../../server/access/conditions-sql.js';
import { buildAdminAbility, type PermissionRow } from '../../server/access/ability.js';
import { queryProblems } from '../../server/access/conditions.js';
import { describeEachTestDatabase } from '../helpers/databases.js';

interface Row {
  id: number;
  title: string;
  views: number | null;
  status: string;
  created_by_id: number | null;
  category_id: number | null;
}

const ROWS: Row[] = [
  { id: 1, title: 'a', views: 5, status: 'draft', created_by_id: 1, category_id: 1 },
  { id: 2, title: 'b', views: 50, status: 'review', created_by_id: 2, category_id: 2 },
  { id: 3, title: 'c', views: null, status: 'draft', created_by_id: 3, category_id: null },
  { id: 4, title: 'd', views: 500, status: 'done', created_by_id: null, category_id: 1 },
  { id: 5, title: 'e', views: 50, status: 'done', created_by_id: 1, category_id: 2 },
];
const CATEGORIES = [
  { id: 1, slug: 'news' },
  { id: 2, slug: 'blog' },
];

// The resolver the content engine would pass: plain columns, and a relation field behind a join hook.
const resolver: FieldResolver = contentRowResolver('cond_articles', (path) => {
  if (['title', 'views', 'status'].includes(path)) return { column: `cond_articles.${path}` };
  if (path === 'category.slug') {
    return {
      column: 'c.slug',
      wrap: (qb, apply) =>
        qb.whereExists(function (this: Knex.QueryBuilder) {
          this.select(1).from('cond_categories as c').whereRaw('c.id = cond_articles.category_id').where((inner) => apply(inner));
        }),
    };
  }
  throw new Error(`unknown field ${path}`);
});

// The same entries as CASL sees them in memory.
function inMemory(r: Row) {
  const entry: { [field: string]: unknown } = { id: r.id, title: r.title, views: r.views, status: r.status, createdBy: r.created_by_id, category: { slug: CATEGORIES.find((c) => c.id === r.category_id)?.slug ?? null } };
  return tag('article', entry);
}

const perm = (p: Partial<PermissionRow> & { action: string }): PermissionRow => ({ subject: 'article', fields: null, conditions: null, ...p });

const CASES: { name: string; ids: number[]; rows: PermissionRow[]; user?: { id: number; sameRoleUserIds: number[] } }[] = [
  { name: 'isCreator', ids: [1, 5], rows: [perm({ action: 'read', conditions: { builtins: ['isCreator'] } })] },
  { name: 'hasSameRoleAsCreator', ids: [1, 2, 5], rows: [perm({ action: 'read', conditions: { builtins: ['hasSameRoleAsCreator'] } })], user: { id: 1, sameRoleUserIds: [1, 2] } },
  { name: '$eq shorthand', ids: [1, 3], rows: [perm({ action: 'read', conditions: { query: { status: 'draft' } } })] },
  { name: '$ne (null counts as not equal)', ids: [1, 3, 4], rows: [perm({ action: 'read', conditions: { query: { views: { $ne: 50 } } } })] },
  { name: '$in and $nin', ids: [3, 4, 5], rows: [perm({ action: 'read', conditions: { query: { status: { $in: ['draft', 'done'] }, views: { $nin: [5] } } } })] },
  { name: '$lt $lte $gt $gte', ids: [1, 2, 4, 5], rows: [perm({ action: 'read', conditions: { query: { views: { $gt: 5, $lte: 500 } } } }), perm({ action: 'read', conditions: { query: { views: { $lt: 6, $gte: 5 } } } })] },
  { name: '$exists', ids: [3], rows: [perm({ action: 'read', conditions: { query: { views: { $exists: false } } } })] },
  { name: '$or and $and', ids: [2, 4], rows: [perm({ action: 'read', conditions: { query: { $or: [{ status: 'review' }, { $and: [{ status: 'done' }, { views: { $gte: 100 } }] }] } } })] },
  { name: 'a relation field through the join hook', ids: [1, 4], rows: [perm({ action: 'read', conditions: { query: { 'category.slug': { $in: ['news'] } } } })] },
  { name: 'builtin ANDed with a custom query', ids: [5], rows: [perm({ action: 'read', conditions: { builtins: ['isCreator'], query: { status: 'done' } } })] },
  { name: 'several permissions ORed', ids: [1, 2, 5], rows: [perm({ action: 'read', conditions: { builtins: ['isCreator'] } }), perm({ action: 'read', conditions: { query: { status: 'review' } } })] },
  { name: 'unconditional', ids: [1, 2, 3, 4, 5], rows: [perm({ action: 'read' })] },
  { name: 'no permission for the action', ids: [], rows: [perm({ action: 'update' })] },
  { name: 'the wildcard subject', ids: [1, 5], rows: [{ action: 'read', subject: '*', fields: null, conditions: { builtins: ['isCreator'] } }] },
];

describeEachTestDatabase('conditions → SQL', (database) => {
  let db: Knex;
  beforeAll(async () => {
    db = database().db;
    await db.schema.createTable('cond_categories', (t) => {
      t.integer('id').primary();
      t.string('slug', 50);
    });
    await db.schema.createTable('cond_articles', (t) => {
      t.integer('id').primary();
      t.string('title', 50);
      t.integer('views').nullable();
      t.string('status', 20);
      t.integer('created_by_id').nullable();
      t.integer('category_id').nullable();
    });
    await db('cond_categories').insert(CATEGORIES);
    await db('cond_articles').insert(ROWS);
  });

  for (const c of CASES) {
    it(`returns exactly the rows CASL allows: ${c.name}`, async () => {
      const ability = buildAdminAbility(c.rows, c.user ?? { id: 1, sameRoleUserIds: [1] }, false);
      const expected = ROWS.filter((r) => ability.can('read', inMemory(r))).map((r) => r.id);
      expect(expected).toEqual(c.ids); // CASL agrees with the hand-computed answer
      const qb = db('cond_articles').select('cond_articles.id').orderBy('cond_articles.id');
      applyAbility(qb, ability, 'read', 'article', resolver);
      const got = (await qb).map((r: { id: number }) => Number(r.id));
      expect(got).toEqual(expected);
      const countQb = db('cond_articles').count({ n: '*' });
      applyAbility(countQb, ability, 'read', 'article', resolver);
      expect(Number((await countQb)[0].n)).toBe(expected.length);
    });
  }

  it('keeps the wildcard off system subjects', () => {
    const ability = buildAdminAbility([{ action: 'read', subject: '*', fields: null, conditions: null }], { id: 1, sameRoleUserIds: [1] }, false);
    expect(ability.can('read', 'article')).toBe(true);
    expect(ability.can('read', 'users')).toBe(false);
    expect(abilityQuery(ability, 'read', 'roles')).toBeNull();
  });
});

describe('custom condition validation', () => {
  it('accepts the supported operators', () => {
    expect(queryProblems({ 'category.slug': { $in: ['news'] }, $or: [{ views: { $gt: 1 } }, { status: { $exists: true } }] })).toEqual([]);
  });

  it('refuses operators SQL cannot compile, and odd field paths', () => {
    expect(queryProblems({ title: { $regex: 'x' } })).toEqual([expect.stringContaining('$regex')]);
    expect(queryProblems({ $where: 'x' })).toEqual([expect.stringContaining('$where')]);
    expect(queryProblems({ 'a;drop': 1 })).toEqual([expect.stringContaining('invalid field path')]);
  });
});

describe('field allowlists', () => {
  it('gives the allowed fields, all of them when a rule has no allowlist', async () => {
    const { permittedFields } = await import('../../server/access/ability.js');
    const all = ['title', 'body', 'views'];
    const limited = buildAdminAbility([perm({ action: 'update', fields: ['title', 'views'] })], { id: 1, sameRoleUserIds: [1] }, false);
    expect(permittedFields(limited, 'update', 'article', all)).toEqual(['title', 'views']);
    expect(limited.can('update', 'article', 'body')).toBe(false);
    expect(limited.can('update', 'article', 'title')).toBe(true);
    const full = buildAdminAbility([perm({ action: 'update' })], { id: 1, sameRoleUserIds: [1] }, false);
    expect(permittedFields(full, 'update', 'article', all)).toEqual(all);
    expect(permittedFields(full, 'delete', 'article', all)).toEqual([]);
  });
});
