// A role's CASL conditions → Filter nodes of the query AST (server/access/conditions-filter.ts), compiled
// by the one compiler (content/query/compile.ts) against real tables on SQLite and MySQL: for every rule
// set, the rows the SQL returns must be exactly the rows CASL itself allows in memory.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { subject as tag } from '@casl/ability';
import { roleFilter, UnknownConditionFieldError } from '../../server/access/conditions-filter.js';
import {
  buildAdminAbility,
  createAppAbility,
  type AppAbility,
  type PermissionRow,
} from '../../server/access/ability.js';
import { queryProblems } from '../../server/access/conditions.js';
import { NO_ROW } from '../../server/content/query/ast.js';
import { applyRowFilter } from '../../server/content/query/compile.js';
import { buildModel } from '../../server/schema/model.js';
import { describeEachTestDatabase } from '../helpers/databases.js';

const schema = buildModel({
  contentTypes: {
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'cond-articles', displayName: 'Article' },
      options: { draftAndPublish: false },
      attributes: {
        title: { type: 'string' },
        views: { type: 'integer' },
        stage: { type: 'string' },
        category: { type: 'relation', relation: 'manyToOne', target: 'category' },
      },
    },
    category: {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'cond-categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: { slug: { type: 'string' } },
    },
  },
  components: {},
});
const article = schema.contentTypes.get('article')!;

interface Row {
  id: number;
  document_id: string;
  title: string;
  views: number | null;
  stage: string | null;
  created_by_id: number | null;
}

const ROWS: Row[] = [
  { id: 1, document_id: 'd1', title: 'a', views: 5, stage: 'draft', created_by_id: 1 },
  { id: 2, document_id: 'd2', title: 'b', views: 50, stage: 'review', created_by_id: 2 },
  { id: 3, document_id: 'd3', title: 'c', views: null, stage: 'draft', created_by_id: 3 },
  { id: 4, document_id: 'd4', title: 'd', views: 500, stage: 'done', created_by_id: null },
  { id: 5, document_id: 'd5', title: 'e', views: 50, stage: null, created_by_id: 1 },
];

// The same entries as CASL sees them in memory.
function inMemory(r: Row) {
  const entry: { [field: string]: unknown } = {
    id: r.id,
    documentId: r.document_id,
    title: r.title,
    views: r.views,
    stage: r.stage,
    createdBy: r.created_by_id,
  };
  return tag('article', entry);
}

const perm = (p: Partial<PermissionRow> & { action: string }): PermissionRow => ({
  subject: 'article',
  fields: null,
  conditions: null,
  ...p,
});
const query = (q: Record<string, unknown>) => perm({ action: 'read', conditions: { query: q } });
const me = { id: 1, sameRoleUserIds: [1] };
const roles = (rows: PermissionRow[], user = me) => buildAdminAbility(rows, user, false);
type RawRule = Parameters<typeof createAppAbility>[0][number];
const rules = (...list: RawRule[]) => createAppAbility(list);
/** A raw CASL rule on articles: `can` read, or `cannot` read (inverted), with what `extra` adds. */
const can = (extra: Partial<RawRule> = {}): RawRule => ({ action: 'read', subject: 'article', ...extra });
const cannot = (extra: Partial<RawRule> = {}): RawRule => can({ ...extra, inverted: true });
const isCreator = perm({ action: 'read', conditions: { builtins: ['isCreator'] } });

const CASES: Array<{ name: string; ids: number[]; ability: AppAbility }> = [
  {
    name: 'isCreator (createdBy, the created_by column)',
    ids: [1, 5],
    ability: roles([isCreator]),
  },
  {
    name: 'hasSameRoleAsCreator',
    ids: [1, 2, 5],
    ability: roles([perm({ action: 'read', conditions: { builtins: ['hasSameRoleAsCreator'] } })], {
      id: 1,
      sameRoleUserIds: [1, 2],
    }),
  },
  { name: '$eq shorthand', ids: [1, 3], ability: roles([query({ stage: 'draft' })]) },
  { name: '$eq is exact, as in memory (no case folding)', ids: [], ability: roles([query({ title: 'A' })]) },
  { name: '$eq null matches a missing value', ids: [5], ability: roles([query({ stage: { $eq: null } })]) },
  { name: '$ne: a missing value counts as not equal', ids: [1, 3, 4], ability: roles([query({ views: { $ne: 50 } })]) },
  {
    name: '$ne on text: NULL is not equal either',
    ids: [2, 4, 5],
    ability: roles([query({ stage: { $ne: 'draft' } })]),
  },
  { name: '$ne null: only present values', ids: [1, 2, 3, 4], ability: roles([query({ stage: { $ne: null } })]) },
  {
    name: '$in and $nin',
    ids: [3, 4],
    ability: roles([query({ stage: { $in: ['draft', 'done'] }, views: { $nin: [5] } })]),
  },
  {
    name: '$in with null matches missing values too',
    ids: [1, 3, 5],
    ability: roles([query({ stage: { $in: ['draft', null] } })]),
  },
  { name: '$in of nothing matches nothing', ids: [], ability: roles([query({ stage: { $in: [] } })]) },
  {
    name: '$nin: a missing value is not in the list',
    ids: [2, 4, 5],
    ability: roles([query({ stage: { $nin: ['draft'] } })]),
  },
  {
    name: '$nin with null excludes missing values',
    ids: [2, 4],
    ability: roles([query({ stage: { $nin: ['draft', null] } })]),
  },
  {
    name: '$nin of nothing matches everything',
    ids: [1, 2, 3, 4, 5],
    ability: roles([query({ stage: { $nin: [] } })]),
  },
  {
    name: '$lt $lte $gt $gte',
    ids: [1, 2, 4, 5],
    ability: roles([query({ views: { $gt: 5, $lte: 500 } }), query({ views: { $lt: 6, $gte: 5 } })]),
  },
  { name: '$exists false', ids: [3], ability: roles([query({ views: { $exists: false } })]) },
  { name: '$exists true', ids: [1, 2, 3, 4], ability: roles([query({ stage: { $exists: true } })]) },
  {
    name: '$or and $and',
    ids: [2, 4],
    ability: roles([query({ $or: [{ stage: 'review' }, { $and: [{ stage: 'done' }, { views: { $gte: 100 } }] }] })]),
  },
  { name: '$nor', ids: [2, 4, 5], ability: roles([query({ $nor: [{ stage: 'draft' }] })]) },
  {
    name: 'id and documentId',
    ids: [2, 4],
    ability: roles([query({ $or: [{ id: 2 }, { documentId: { $in: ['d4'] } }] })]),
  },
  {
    name: 'builtin ANDed with a custom query',
    ids: [5],
    ability: roles([perm({ action: 'read', conditions: { builtins: ['isCreator'], query: { views: 50 } } })]),
  },
  {
    name: 'several permissions ORed',
    ids: [1, 2, 5],
    ability: roles([isCreator, query({ stage: 'review' })]),
  },
  { name: 'unconditional', ids: [1, 2, 3, 4, 5], ability: roles([perm({ action: 'read' })]) },
  { name: 'no permission for the action', ids: [], ability: roles([perm({ action: 'update' })]) },
  {
    name: 'the wildcard subject',
    ids: [1, 5],
    ability: roles([{ action: 'read', subject: '*', fields: null, conditions: { builtins: ['isCreator'] } }]),
  },
  {
    name: 'cannot with conditions over can: the later rule wins where both match',
    ids: [2, 4],
    ability: rules(can(), cannot({ conditions: { stage: { $in: ['draft', null] } } })),
  },
  {
    name: 'cannot over a conditional can',
    ids: [5],
    ability: rules(can({ conditions: { createdBy: 1 } }), cannot({ conditions: { stage: 'draft' } })),
  },
  {
    name: 'a can above a cannot is not denied by it',
    ids: [1, 3, 4, 5],
    ability: rules(
      cannot({ conditions: { stage: 'review' } }),
      can({ conditions: { views: { $ne: 50 } } }),
      can({ conditions: { createdBy: 1 } }),
    ),
  },
  {
    name: 'an unconditional cannot shadows every can below it',
    ids: [2],
    ability: rules(can(), cannot(), can({ conditions: { stage: 'review' } })),
  },
  {
    name: 'a cannot naming fields hides fields, not rows',
    ids: [1, 2, 3, 4, 5],
    ability: rules(can(), cannot({ fields: ['title'], conditions: { stage: 'draft' } })),
  },
];

describeEachTestDatabase('conditions → Filter → SQL', (database) => {
  let db: Knex;
  beforeAll(async () => {
    db = database().db;
    await db.schema.createTable(article.table, (t) => {
      t.integer('id').primary();
      t.string('document_id', 20);
      t.string('title', 50);
      t.integer('views').nullable();
      t.string('stage', 20).nullable();
      t.integer('created_by_id').nullable();
    });
    await db(article.table).insert(ROWS);
  });

  async function idsBy(ability: AppAbility): Promise<{ ids: number[]; count: number }> {
    const filter = roleFilter(ability, 'read', article);
    const rows = db.from({ t0: article.table }).select('t0.id').orderBy('t0.id');
    const count = db.from({ t0: article.table }).count({ n: '*' });
    if (filter) for (const qb of [rows, count]) applyRowFilter(db, schema, qb, filter, 't0');
    return { ids: (await rows).map((r: { id: number }) => Number(r.id)), count: Number((await count)[0].n) };
  }

  for (const c of CASES) {
    it(`returns exactly the rows CASL allows: ${c.name}`, async () => {
      const expected = ROWS.filter((r) => c.ability.can('read', inMemory(r))).map((r) => r.id);
      expect(expected).toEqual(c.ids); // CASL agrees with the hand-computed answer
      expect(await idsBy(c.ability)).toEqual({ ids: expected, count: expected.length });
    });
  }
});

describe('roleFilter', () => {
  it('is null (no restriction) for an unconditional grant, NO_ROW when no rule grants', () => {
    expect(roleFilter(roles([perm({ action: 'read' })]), 'read', article)).toBeNull();
    expect(roleFilter(roles([perm({ action: 'update' })]), 'read', article)).toBe(NO_ROW);
  });

  it("translates createdBy to a comparison of the created_by column with the user's id", () => {
    expect(roleFilter(roles([isCreator], { id: 7, sameRoleUserIds: [7] }), 'read', article)).toEqual({
      kind: 'compare',
      column: { name: 'createdBy', column: 'created_by_id', type: 'integer' },
      op: '$eq',
      value: 7,
    });
  });

  it('refuses a field it cannot compile: a relation path, an unknown attribute', () => {
    const relationPath = roles([query({ 'category.slug': 'news' })]);
    expect(() => roleFilter(relationPath, 'read', article)).toThrow(UnknownConditionFieldError);
    expect(() => roleFilter(roles([query({ nope: 1 })]), 'read', article)).toThrow(UnknownConditionFieldError);
  });

  it('keeps the wildcard off system subjects', () => {
    const ability = buildAdminAbility([{ action: 'read', subject: '*', fields: null, conditions: null }], me, false);
    expect(ability.can('read', 'article')).toBe(true);
    expect(ability.can('read', 'users')).toBe(false);
  });
});

describe('custom condition validation', () => {
  it('accepts the supported operators', () => {
    const supported = {
      'category.slug': { $in: ['news'] },
      $or: [{ views: { $gt: 1 } }, { status: { $exists: true } }],
    };
    expect(queryProblems(supported)).toEqual([]);
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
    const limited = buildAdminAbility([perm({ action: 'update', fields: ['title', 'views'] })], me, false);
    expect(permittedFields(limited, 'update', 'article', all)).toEqual(['title', 'views']);
    expect(limited.can('update', 'article', 'body')).toBe(false);
    expect(limited.can('update', 'article', 'title')).toBe(true);
    const full = buildAdminAbility([perm({ action: 'update' })], me, false);
    expect(permittedFields(full, 'update', 'article', all)).toEqual(all);
    expect(permittedFields(full, 'delete', 'article', all)).toEqual([]);
  });
});
