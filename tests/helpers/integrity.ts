// What "no half-written document" means in the tables, read straight from the database after a
// fault: every link and component row has its owner, every component row is owned, every published
// version has its draft. Derived from the schema in force, so a type or field added later is covered.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { SchemaModel } from '../../server/schema/model.js';

async function count(db: Knex, sql: string, bindings: readonly Knex.Value[] = []): Promise<number> {
  const result = (await db.raw(sql, bindings)) as unknown;
  // mysql2 answers [rows, fields]; better-sqlite3 answers the rows.
  const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Array<{ n: number }>;
  return Number(rows[0].n);
}

/** Every broken invariant, as a readable line (empty when the database is consistent). */
export async function integrityProblems(db: Knex, model: SchemaModel): Promise<string[]> {
  const problems: string[] = [];
  const expectNone = async (what: string, sql: string, bindings: readonly Knex.Value[] = []) => {
    const n = await count(db, sql, bindings);
    if (n > 0) problems.push(`${n} ${what}`);
  };
  const owners = [...model.contentTypes.values(), ...model.components.values()];
  for (const owner of owners) {
    for (const field of owner.fields.values()) {
      if (field.kind === 'relation' && field.owner) {
        const target = model.contentTypes.get(field.target);
        await expectNone(
          `link rows of ${owner.uid}.${field.name} without their owner row`,
          `SELECT COUNT(*) AS n FROM ?? l WHERE NOT EXISTS (SELECT 1 FROM ?? o WHERE o.id = l.entity_id)`,
          [field.linkTable, owner.table],
        );
        if (target)
          await expectNone(
            `link rows of ${owner.uid}.${field.name} to a document that does not exist`,
            'SELECT COUNT(*) AS n FROM ?? l ' +
              'WHERE NOT EXISTS (SELECT 1 FROM ?? t WHERE t.document_id = l.target_document_id)',
            [field.linkTable, target.table],
          );
      }
      if (field.kind === 'component' || field.kind === 'dynamiczone') {
        await expectNone(
          `component links of ${owner.uid}.${field.name} without their owner row`,
          'SELECT COUNT(*) AS n FROM ?? l ' +
            'WHERE l.field = ? AND NOT EXISTS (SELECT 1 FROM ?? o WHERE o.id = l.entity_id)',
          [field.linkTable, field.name, owner.table],
        );
        const kinds = field.kind === 'component' ? [field.component] : field.components;
        for (const uid of kinds) {
          const component = model.components.get(uid);
          if (!component) continue;
          await expectNone(
            `component links of ${owner.uid}.${field.name} to a missing ${uid} row`,
            'SELECT COUNT(*) AS n FROM ?? l WHERE l.field = ? AND l.component_type = ? ' +
              'AND NOT EXISTS (SELECT 1 FROM ?? c WHERE c.id = l.component_id)',
            [field.linkTable, field.name, uid, component.table],
          );
        }
      }
    }
  }
  // A component row belongs to exactly one owner's `_cmps` row, whichever table that is.
  const cmpsTables = [
    ...new Set(
      owners.flatMap((o) =>
        [...o.fields.values()].flatMap((f) =>
          f.kind === 'component' || f.kind === 'dynamiczone' ? [f.linkTable] : [],
        ),
      ),
    ),
  ];
  for (const component of model.components.values()) {
    const owned = cmpsTables.map(() => 'SELECT component_id FROM ?? WHERE component_type = ?').join(' UNION ALL ');
    const bindings = cmpsTables.flatMap((table) => [table, component.uid]);
    await expectNone(
      `${component.uid} rows that no owner links`,
      cmpsTables.length === 0
        ? 'SELECT COUNT(*) AS n FROM ??'
        : `SELECT COUNT(*) AS n FROM ?? c WHERE c.id NOT IN (SELECT component_id FROM (${owned}) owned)`,
      [component.table, ...bindings],
    );
  }
  for (const type of model.contentTypes.values()) {
    if (!type.draftAndPublish) continue;
    await expectNone(
      `published ${type.uid} rows without their draft`,
      "SELECT COUNT(*) AS n FROM ?? p WHERE p.status = 'published' AND NOT EXISTS " +
        "(SELECT 1 FROM ?? d WHERE d.document_id = p.document_id AND d.locale = p.locale AND d.status = 'draft')",
      [type.table, type.table],
    );
  }
  return problems;
}

/** The names of the database's own tables (content and Folio's), sorted. */
export async function tableNames(db: Knex): Promise<string[]> {
  if (db.client.config.client === 'mysql2') {
    const [rows] = (await db.raw(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES ' +
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
    )) as [Array<{ name: string }>];
    return rows.map((r) => r.name).sort();
  }
  const rows = await db.raw<Array<{ name: string }>>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  return rows.map((r) => r.name).sort();
}

/** A SHA-256 of every row of each table (read in primary-key order), to tell "unchanged". */
export async function tableChecksums(db: Knex, tables: string[]): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (const table of tables) {
    const rows: unknown[] = await db(table).select('*').orderByRaw('1');
    sums.set(table, createHash('sha256').update(JSON.stringify(rows)).digest('hex'));
  }
  return sums;
}

/** The tables whose checksum differs between two readings. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((table) => before.get(table) !== after.get(table));
}
