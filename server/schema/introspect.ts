// What the database really holds: tables, their columns and index names. The planner compares the
// desired tables with this (not only with the stored document), so that an apply interrupted half
// way (MySQL DDL is not transactional) is repaired by the next one.
import type { Knex } from 'knex';
import type { DialectName } from '../db/connection.js';

export interface ActualTable {
  columns: Set<string>;
  indexes: Set<string>;
}

export type ActualSchema = Map<string, ActualTable>;

export async function introspect(db: Knex, dialect: DialectName): Promise<ActualSchema> {
  const result: ActualSchema = new Map();
  if (dialect === 'mysql') {
    const [columns] = (await db.raw(
      'SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
    )) as [Array<{ t: string; c: string }>];
    for (const { t, c } of columns) {
      if (!result.has(t)) result.set(t, { columns: new Set(), indexes: new Set() });
      result.get(t)!.columns.add(c);
    }
    const [indexes] = (await db.raw(
      'SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS WHERE ' +
        'TABLE_SCHEMA = DATABASE()',
    )) as [Array<{ t: string; i: string }>];
    for (const { t, i } of indexes) result.get(t)?.indexes.add(i);
    return result;
  }
  const tables = await db.raw<Array<{ name: string }>>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  for (const { name } of tables) {
    const columns = await db.raw<Array<{ name: string }>>('SELECT name FROM pragma_table_info(?)', [name]);
    const indexes = await db.raw<Array<{ name: string }>>('SELECT name FROM pragma_index_list(?)', [name]);
    result.set(name, { columns: new Set(columns.map((c) => c.name)), indexes: new Set(indexes.map((i) => i.name)) });
  }
  return result;
}
