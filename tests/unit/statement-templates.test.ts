// runTemplate binds a run's values where the template had its slots, and only there.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import knexFactory, { type Knex } from 'knex';
import { runTemplate } from '../../server/content/query/statements.js';
import type { SchemaModel } from '../../server/schema/model.js';

let db: Knex;
beforeAll(async () => {
  db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  await db.schema.createTable('items', (t) => {
    t.integer('id');
    t.integer('rank');
  });
  await db('items').insert([{ id: 5, rank: 5 }, { id: 7, rank: 5 }, { id: 9, rank: 1 }]);
});
afterAll(() => db.destroy());

describe('runTemplate', () => {
  it('keeps a constant equal to a value a constant when run with other values', async () => {
    const schema = {} as SchemaModel;
    const build = (slots: unknown[]) => db('items').select('id').where('rank', 5).whereIn('id', slots as Knex.Value[]).orderBy('id');
    expect(await runTemplate(db, 'sqlite', schema, 'rank-5', [5], build)).toEqual([{ id: 5 }]);
    expect(await runTemplate(db, 'sqlite', schema, 'rank-5', [7], build)).toEqual([{ id: 7 }]);
    expect(await runTemplate(db, 'sqlite', schema, 'rank-5', [9], build)).toEqual([]);
  });

  it('compiles again for another schema model', async () => {
    const build = (rank: number) => (slots: unknown[]) => db('items').select('id').where('rank', rank).whereIn('id', slots as Knex.Value[]);
    expect(await runTemplate(db, 'sqlite', {} as SchemaModel, 'same-key', [9], build(5))).toEqual([]);
    expect(await runTemplate(db, 'sqlite', {} as SchemaModel, 'same-key', [9], build(1))).toEqual([{ id: 9 }]);
  });

  it('refuses a builder that leaves a value unbound', async () => {
    const build = () => db('items').select('id');
    await expect(runTemplate(db, 'sqlite', {} as SchemaModel, 'unbound', [5], build)).rejects.toThrow('bound 0 of its 1 values');
  });
});
