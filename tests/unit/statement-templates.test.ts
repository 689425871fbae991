// runTemplate binds a run's values where the template had its slots, and only there.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import knexFactory, { type Knex } from 'knex';
import { filterShape, runTemplate, Slot, sortShape } from '../../server/content/query/statements.js';
import type { ColumnRef, Filter, Operator, SortItem, SqlValue } from '../../server/content/query/ast.js';
import type { RelationField } from '../../server/schema/model.js';
import type { SchemaModel } from '../../server/schema/model.js';

let db: Knex;
beforeAll(async () => {
  db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  await db.schema.createTable('items', (t) => {
    t.integer('id');
    t.integer('rank');
  });
  await db('items').insert([
    { id: 5, rank: 5 },
    { id: 7, rank: 5 },
    { id: 9, rank: 1 },
  ]);
});
afterAll(() => db.destroy());

describe('runTemplate', () => {
  it('keeps a constant equal to a value a constant when run with other values', async () => {
    const schema = {} as SchemaModel;
    const build = (slots: unknown[]) =>
      db('items')
        .select('id')
        .where('rank', 5)
        .whereIn('id', slots as Knex.Value[])
        .orderBy('id');
    expect(await runTemplate(db, 'sqlite', schema, 'rank-5', [5], build)).toEqual([{ id: 5 }]);
    expect(await runTemplate(db, 'sqlite', schema, 'rank-5', [7], build)).toEqual([{ id: 7 }]);
    expect(await runTemplate(db, 'sqlite', schema, 'rank-5', [9], build)).toEqual([]);
  });

  it('compiles again for another schema model', async () => {
    const build = (rank: number) => (slots: unknown[]) =>
      db('items')
        .select('id')
        .where('rank', rank)
        .whereIn('id', slots as Knex.Value[]);
    expect(await runTemplate(db, 'sqlite', {} as SchemaModel, 'same-key', [9], build(5))).toEqual([]);
    expect(await runTemplate(db, 'sqlite', {} as SchemaModel, 'same-key', [9], build(1))).toEqual([{ id: 9 }]);
  });

  it('refuses a builder that leaves a value unbound', async () => {
    const build = () => db('items').select('id');
    await expect(runTemplate(db, 'sqlite', {} as SchemaModel, 'unbound', [5], build)).rejects.toThrow(
      'bound 0 of its 1 values',
    );
  });
});

const views: ColumnRef = { name: 'views', column: 'views', type: 'integer' };
const compare = (op: Operator, value: SqlValue | SqlValue[]): Filter => ({ kind: 'compare', column: views, op, value });

describe('filterShape', () => {
  it('takes the values out as slots, in order, and keeps them out of the key', () => {
    const a = filterShape({ kind: 'and', items: [compare('$gt', 5), compare('$in', [1, 2])] });
    const b = filterShape({ kind: 'and', items: [compare('$gt', 9), compare('$in', [7, 8])] });
    expect(a?.values).toEqual([5, 1, 2]);
    expect(a?.key).toBe(b?.key);
    const items = (a?.filter as { items: Array<{ value: unknown }> }).items;
    expect(items[0].value).toEqual(new Slot(0));
    expect(items[1].value).toEqual([new Slot(1), new Slot(2)]);
  });

  it('gives lists of other lengths other keys', () => {
    expect(filterShape(compare('$in', [1, 2]))?.key).not.toBe(filterShape(compare('$in', [1, 2, 3]))?.key);
  });

  it('writes what decides the SQL into the key: a null, $null true or false', () => {
    expect(filterShape(compare('$eq', null))?.key).not.toBe(filterShape(compare('$eq', 3))?.key);
    expect(filterShape(compare('$null', true))?.key).not.toBe(filterShape(compare('$null', false))?.key);
    expect(filterShape(compare('$null', true))?.values).toEqual([]);
  });

  it('leaves filters whose SQL is written from their values to be compiled each time', () => {
    expect(filterShape(compare('$containsi', 'quokka'))).toBeUndefined();
    expect(filterShape(compare('$in', [1, null]))).toBeUndefined();
    expect(filterShape({ kind: 'or', items: [compare('$eq', 1), compare('$startsWith', 'a')] })).toBeUndefined();
  });
});

describe('sortShape', () => {
  const category = { name: 'category' } as RelationField;
  const bySlug = (where?: Array<Filter | null>): SortItem => ({
    via: [category],
    ...(where ? { where } : {}),
    column: { name: 'slug', column: 'slug', type: 'string' },
    direction: 'asc',
  });

  it('numbers the slots of its steps’ conditions after the values before them', () => {
    const shaped = sortShape([bySlug([compare('$eq', 4)])], 2);
    expect(shaped?.values).toEqual([4]);
    const where = shaped?.sort[0].where?.[0] as { value: unknown };
    expect(where.value).toEqual(new Slot(2));
    expect(filterShape(compare('$eq', 4), 3)?.filter).toMatchObject({ value: new Slot(3) });
  });

  it('keys a sort by its steps’ conditions, and one without them as before', () => {
    expect(sortShape([bySlug()], 0)).toEqual({ key: 'category.slug:asc', sort: [bySlug()], values: [] });
    const conditioned = sortShape([bySlug([compare('$eq', 4)])], 0)?.key;
    expect(conditioned).not.toBe('category.slug:asc');
    expect(sortShape([bySlug([compare('$eq', 9)])], 0)?.key).toBe(conditioned);
    expect(sortShape([bySlug([null])], 0)?.key).not.toBe(conditioned);
  });

  it('leaves a sort whose conditions write their SQL from their values to be compiled each time', () => {
    expect(sortShape([bySlug([compare('$in', [1, null])])], 0)).toBeUndefined();
  });
});
