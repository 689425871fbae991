// Two processes on one SQLite file (a server and a CLI beside it): a transaction that read and then
// writes must not be failed by a write another process committed in between (SQLITE_BUSY_SNAPSHOT,
// which busy_timeout does not wait out). The "other process" is a second better-sqlite3 connection
// with no busy timeout, so a held lock shows as an immediate SQLITE_BUSY instead of a wait.
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { createDatabase } from '../../server/db/connection.js';
import { RUN_DIR } from '../helpers/env.js';

let db: Knex;
let other: BetterSqlite3.Database;

beforeEach(async () => {
  mkdirSync(RUN_DIR, { recursive: true });
  const file = path.join(mkdtempSync(path.join(RUN_DIR, 'sqlite-trx-')), 'folio.db');
  db = createDatabase(`sqlite:${file}`);
  await db.schema.createTable('counters', (t) => {
    t.string('name').primary();
    t.integer('value');
  });
  await db('counters').insert([
    { name: 'a', value: 0 },
    { name: 'b', value: 0 },
  ]);
  other = new BetterSqlite3(file, { timeout: 0 });
});

afterEach(async () => {
  other.close();
  await db.destroy();
});

describe('SQLite transactions beside another process', () => {
  it('hold the write lock from BEGIN, so another process cannot write between their read and write', async () => {
    let otherWrite: unknown;
    await db.transaction(async (trx) => {
      const row = (await trx('counters').where({ name: 'a' }).first()) as { value: number };
      try {
        other.prepare("UPDATE counters SET value = 10 WHERE name = 'b'").run();
      } catch (err) {
        otherWrite = err;
      }
      await trx('counters')
        .where({ name: 'a' })
        .update({ value: row.value + 1 });
    });
    expect((otherWrite as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(await db('counters').orderBy('name').pluck('value')).toEqual([1, 0]);
  });

  it('release the lock when they commit', async () => {
    await db.transaction(async (trx) => {
      await trx('counters').where({ name: 'a' }).update({ value: 1 });
    });
    other.prepare("UPDATE counters SET value = 10 WHERE name = 'b'").run();
    expect(await db('counters').orderBy('name').pluck('value')).toEqual([1, 10]);
  });

  it('release the lock when they roll back', async () => {
    await expect(
      db.transaction(async (trx) => {
        await trx('counters').where({ name: 'a' }).update({ value: 1 });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    other.prepare("UPDATE counters SET value = 10 WHERE name = 'b'").run();
    expect(await db('counters').orderBy('name').pluck('value')).toEqual([0, 10]);
  });
});
