// selectRows: compiled SELECTs run on the pool's driver connection, on SQLite and MySQL, answering
// what knex would, visible to knex's query listeners, inside a transaction on its connection, and
// giving every connection back to the pool.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { selectRows } from '../../server/db/driver.js';
import { createTable, type ColumnType } from '../../server/schema/physical.js';
import { describeEachTestDatabase } from '../helpers/databases.js';

const ROWS = [
  { id: 1, title: 'first', featured: true, day: '2026-01-02' },
  { id: 2, title: 'second', featured: false, day: '2026-03-04' },
  { id: 3, title: 'third', featured: true, day: '2026-05-06' },
];

describeEachTestDatabase('selectRows', (t, dialect) => {
  let db: Knex;
  const SQL = 'SELECT id, title FROM driver_rows WHERE featured = ? AND id >= ? ORDER BY id';

  beforeAll(async () => {
    db = t().db;
    await db.schema.createTable('driver_rows', (table) => {
      table.integer('id').primary();
      table.string('title', 50);
      table.boolean('featured');
      table.date('day');
    });
    await db('driver_rows').insert(ROWS);
  });

  it('answers the rows knex answers for the same statement and values', async () => {
    const viaKnex = await db('driver_rows').select('id', 'title', 'day').where('featured', true).orderBy('id');
    const { sql, bindings } = db('driver_rows')
      .select('id', 'title', 'day')
      .where('featured', true)
      .orderBy('id')
      .toSQL();
    const rows = await selectRows(db, dialect, sql, bindings);
    expect(rows).toEqual(viaKnex);
    expect(rows.map((r) => r.title)).toEqual(['first', 'third']);
  });

  it('reads every column type Folio stores as knex reads it, nulls included', async () => {
    // Whatever protocol the driver path speaks (prepared statements answer in MySQL's binary one), it must read what
    // knex reads.
    const types: Record<string, ColumnType> = {
      label: { kind: 'string', length: 255 },
      body: { kind: 'text' },
      data: { kind: 'json' },
      count: { kind: 'integer' },
      big: { kind: 'bigInteger' },
      ratio: { kind: 'double' },
      price: { kind: 'decimal', precision: 10, scale: 2 },
      flag: { kind: 'boolean' },
      day: { kind: 'date' },
      at: { kind: 'time' },
      stamp: { kind: 'datetime' },
    };
    await createTable(
      db,
      {
        name: 'driver_types',
        role: 'component',
        owner: 'test.types',
        indexes: [],
        foreignKeys: [],
        columns: [
          { name: 'id', type: { kind: 'increments' }, nullable: false },
          ...Object.entries(types).map(([name, type]) => ({ name, type, nullable: true })),
        ],
      },
      dialect,
    );
    await db('driver_types').insert([
      {
        label: 'ünïcode ✓',
        body: 'x'.repeat(70_000),
        data: JSON.stringify({ a: [1, 'b'] }),
        count: -7,
        big: 9_007_199_254_740_000,
        ratio: 0.1,
        price: 1234.5,
        flag: true,
        day: '2026-02-28',
        at: '13:45:07',
        stamp: new Date('2026-03-01T12:34:56.789Z'),
      },
      {},
    ]);
    const query = db('driver_types').select('*').where('id', '>=', 1).orderBy('id').limit(5).offset(0);
    const { sql, bindings } = query.toSQL();
    expect(await selectRows(db, dialect, sql, bindings)).toEqual(await query);
    expect((await selectRows(db, dialect, sql, bindings))[0]).toMatchObject({
      ratio: 0.1,
      price: 1234.5,
      day: '2026-02-28',
      at: '13:45:07',
    });
  });

  it('binds booleans and numbers as knex does', async () => {
    expect((await selectRows(db, dialect, SQL, [false, 1])).map((r) => Number(r.id))).toEqual([2]);
    expect((await selectRows(db, dialect, SQL, [true, 2])).map((r) => Number(r.id))).toEqual([3]);
    expect(
      (await selectRows(db, dialect, `${SQL} LIMIT ? OFFSET ?`, [true, 1, 1, 1])).map((r) => Number(r.id)),
    ).toEqual([3]);
  });

  it("is seen by knex's query listeners with its SQL and values", async () => {
    const seen: Array<{ sql: string; bindings: unknown[] }> = [];
    const listener = (q: { sql: string; bindings: unknown[] }) => seen.push(q);
    db.on('query', listener);
    try {
      await selectRows(db, dialect, SQL, [true, 1]);
    } finally {
      db.off('query', listener);
    }
    expect(seen).toEqual([expect.objectContaining({ sql: SQL, bindings: [true, 1] })]);
  });

  it("reads a transaction's own uncommitted writes on the transaction's connection", async () => {
    await db
      .transaction(async (trx) => {
        await trx('driver_rows').insert({ id: 4, title: 'fourth', featured: true, day: '2026-07-08' });
        expect((await selectRows(trx, dialect, SQL, [true, 4])).map((r) => r.title)).toEqual(['fourth']);
        await trx.rollback();
      })
      .catch(() => undefined);
    expect(await selectRows(db, dialect, SQL, [true, 4])).toEqual([]);
  });

  it('gives its connection back to the pool, also when the statement fails', async () => {
    // Far more runs than the pool has connections: a leaked one would time the later runs out.
    for (let i = 0; i < 30; i += 1) {
      // better-sqlite3's errors come from another realm than jest's Error: matched by message.
      await expect(selectRows(db, dialect, 'SELECT no_such_column FROM driver_rows', [])).rejects.toMatchObject({
        message: expect.stringMatching(/no_such_column/),
      });
    }
    const runs = await Promise.all(
      Array.from({ length: 30 }, (_, i) => selectRows(db, dialect, SQL, [true, (i % 3) + 1])),
    );
    expect(runs.map((rows) => rows.length)).toEqual(Array.from({ length: 30 }, (_, i) => [2, 1, 1][i % 3]));
  });
});
