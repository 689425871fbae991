// Plan → database: runs each planned step, one DDL/data change at a time, and records it in
// folio_schema_steps (applied, failed, or conflict when a table Folio did not create holds a name).
// On SQLite each step runs in a transaction (SQLite DDL is transactional); on MySQL each statement
// commits on its own, which is why plan.ts orders the steps to be safe to stop between any two.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DialectName } from '../db/connection.js';
import { ApplicationError } from '../errors.js';
import {
  COMPONENT_LINK_COLUMNS,
  FILE_LINK_COLUMNS,
  FILE_LINK_TABLE,
  RELATION_LINK_COLUMNS,
  SYSTEM_COLUMNS,
  indexName,
} from './naming.js';
import { addColumn, createIndexSql, createTable, signature, type ColumnSpec, type IndexSpec } from './physical.js';
import type { FieldCipher } from '../encryption/cipher.js';
import { parseEnvelope } from '../encryption/envelope.js';
import { rewriteColumn, type RewriteOptions } from '../encryption/rewrite.js';
import type { Logger } from '../logger.js';
import type { ComponentTree, PlannedStep, RowCounter, Step } from './plan.js';
import type { SchemaModel } from './model.js';

/**
 * Data steps need the document engine (row copies with their links and components): it is handed
 * in, with the model the plan leads to, so that the schema module does not depend on it.
 */
export interface VersionReshaper {
  reshapeVersions(trx: Knex.Transaction, schema: SchemaModel, uid: string, draftAndPublish: boolean): Promise<void>;
  reshapeLocales(trx: Knex.Transaction, schema: SchemaModel, uid: string, localized: boolean): Promise<void>;
}

export interface DataStepContext {
  reshaper?: VersionReshaper;
  model: SchemaModel;
  /** Seals and opens values for the sealColumn / openColumn steps. */
  cipher?: FieldCipher;
  logger?: Logger;
  /** Batch size and progress of the column rewrites (tests stop one after a batch to play a crash). */
  rewrite?: Pick<RewriteOptions, 'batchSize' | 'onBatch'>;
}

export const STEPS_TABLE = 'folio_schema_steps';

export class SchemaStepError extends ApplicationError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

class TableConflict extends Error {}

async function createIndex(db: Knex, dialect: DialectName, table: string, index: IndexSpec): Promise<void> {
  if (index.unique) {
    const [{ n }] = await db
      .from(
        db(table)
          .select(index.columns)
          .whereNotNull(index.columns[0])
          .groupBy(index.columns)
          .havingRaw('COUNT(*) > 1')
          .as('d'),
      )
      .count<Array<{ n: number | string }>>({ n: '*' });
    if (Number(n) > 0) {
      throw new SchemaStepError(`cannot make ${table}.${index.columns[0]} unique: ${n} value(s) occur more than once`);
    }
  }
  // On MySQL/MariaDB the index is built online (writes go on while it builds): see createIndexSql.
  if (index.descending?.length || dialect === 'mysql') {
    await createIndexSql(db, table, index, { online: dialect === 'mysql' });
    return;
  }
  await db.schema.alterTable(table, (t) => {
    if (index.unique) t.unique(index.columns, { indexName: index.name });
    else t.index(index.columns, index.name);
  });
}

async function dropIndex(db: Knex, dialect: DialectName, table: string, name: string): Promise<void> {
  if (dialect === 'mysql') await db.raw('ALTER TABLE ?? DROP INDEX ??', [table, name]);
  else await db.raw('DROP INDEX ??', [name]);
}

async function indexesOn(db: Knex, dialect: DialectName, table: string, column: string): Promise<IndexSpec[]> {
  if (dialect === 'mysql') {
    const [rows] = (await db.raw(
      'SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col, COLLATION AS dir FROM ' +
        'information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ' +
        'INDEX_NAME, SEQ_IN_INDEX',
      [table],
    )) as [Array<{ name: string; nonUnique: number; col: string; dir: string | null }>];
    const byName = new Map<string, IndexSpec>();
    for (const r of rows) {
      if (r.name === 'PRIMARY') continue;
      if (!byName.has(r.name)) byName.set(r.name, { name: r.name, columns: [], unique: Number(r.nonUnique) === 0 });
      const spec = byName.get(r.name)!;
      spec.columns.push(r.col);
      if (r.dir === 'D') spec.descending = [...(spec.descending ?? []), r.col];
    }
    return [...byName.values()].filter((i) => i.columns.includes(column));
  }
  const list = await db.raw<Array<{ name: string; u: number; origin: string }>>(
    'SELECT name, "unique" AS u, origin FROM pragma_index_list(?)',
    [table],
  );
  const result: IndexSpec[] = [];
  for (const index of list) {
    if (index.origin === 'pk') continue;
    const cols = await db.raw<Array<{ name: string; d: number }>>(
      'SELECT name, "desc" AS d FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno',
      [index.name],
    );
    const descending = cols.filter((c) => c.d === 1).map((c) => c.name);
    const spec: IndexSpec = {
      name: index.name,
      columns: cols.map((c) => c.name),
      unique: index.u === 1,
      ...(descending.length ? { descending } : {}),
    };
    if (spec.columns.includes(column)) result.push(spec);
  }
  return result;
}

/**
 * MySQL keeps a renamed table's foreign-key names, and those names are unique per database: give
 * them the new table's names so that a later table may take the old ones.
 */
async function renameForeignKeys(db: Knex, table: string): Promise<void> {
  const [fks] = (await db.raw(
    `SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS ref, ` +
      `k.REFERENCED_COLUMN_NAME AS refCol, r.DELETE_RULE AS del
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r ` +
      `ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
      WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL`,
    [table],
  )) as [Array<{ name: string; col: string; ref: string; refCol: string; del: string }>];
  for (const fk of fks) {
    const name = indexName(table, [fk.col], 'fk');
    if (fk.name === name || fk.del !== 'CASCADE') continue;
    await db.raw(
      'ALTER TABLE ?? DROP FOREIGN KEY ??, ADD CONSTRAINT ?? FOREIGN KEY (??) REFERENCES ?? (??) ON DELETE CASCADE',
      [table, fk.name, name, fk.col, fk.ref, fk.refCol],
    );
  }
}

/**
 * Deletes component rows with everything they own, depth first: their nested components (through
 * their own `_cmps` table), relation links and media links. Batched per level.
 */
async function deleteComponentInstances(
  db: Knex,
  tree: ComponentTree,
  uid: string,
  table: string,
  ids: number[],
): Promise<void> {
  const node = tree[uid];
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    if (node?.linkTable && (await db.schema.hasTable(node.linkTable))) {
      const c = COMPONENT_LINK_COLUMNS;
      const children = await db(node.linkTable)
        .whereIn(c.entityId, batch)
        .select<Array<{ component_type: string; component_id: number }>>(c.componentType, c.componentId);
      const byType = new Map<string, number[]>();
      for (const child of children)
        byType.set(child.component_type, [...(byType.get(child.component_type) ?? []), Number(child.component_id)]);
      for (const [childUid, childIds] of byType) {
        const childTable = tree[childUid]?.table;
        if (childTable && (await db.schema.hasTable(childTable)))
          await deleteComponentInstances(db, tree, childUid, childTable, childIds);
      }
      await db(node.linkTable).whereIn(c.entityId, batch).delete();
    }
    for (const linkTable of node?.relationLinkTables ?? []) {
      if (await db.schema.hasTable(linkTable))
        await db(linkTable).whereIn(RELATION_LINK_COLUMNS.entityId, batch).delete();
    }
    if (node?.media && (await db.schema.hasTable(FILE_LINK_TABLE))) {
      await db(FILE_LINK_TABLE)
        .where(FILE_LINK_COLUMNS.entityTable, table)
        .whereIn(FILE_LINK_COLUMNS.entityId, batch)
        .delete();
    }
    await db(table).whereIn('id', batch).delete();
  }
}

/** Runs one step. Exported for tests that need a step to run alone. */
export async function executeStep(db: Knex, dialect: DialectName, step: Step, data?: DataStepContext): Promise<void> {
  switch (step.action) {
    case 'reshapeVersions':
    case 'reshapeLocales': {
      const reshaper = data?.reshaper;
      if (!reshaper)
        throw new SchemaStepError('this step needs the document engine, which is not wired to the schema registry');
      const run = (trx: Knex.Transaction) =>
        step.action === 'reshapeVersions'
          ? reshaper.reshapeVersions(trx, data.model, step.uid, step.draftAndPublish)
          : reshaper.reshapeLocales(trx, data.model, step.uid, step.localized);
      // Row changes only: one transaction on both databases (SQLite's per-step one included).
      if (db.isTransaction) await run(db as Knex.Transaction);
      else await db.transaction(run);
      return;
    }
    case 'createTable':
      if (await db.schema.hasTable(step.table.name)) {
        throw new TableConflict(`table ${step.table.name} already exists and was not created by Folio`);
      }
      await createTable(db, step.table, dialect);
      return;
    case 'addColumn':
      await db.schema.alterTable(step.table, (t) => void addColumn(t, step.column, dialect));
      return;
    case 'dropIndex':
      await dropIndex(db, dialect, step.table, step.index);
      return;
    case 'renameTable':
      await db.schema.renameTable(step.from, step.to);
      if (dialect === 'mysql') await renameForeignKeys(db, step.to);
      return;
    case 'renameColumn':
      await db.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', [step.table, step.from, step.to]);
      return;
    case 'renameField':
      await db(step.table)
        .where({ ...(step.where ?? {}), [step.column]: step.from })
        .update({ [step.column]: step.to });
      return;
    case 'alterColumn':
      await db.schema.alterTable(step.table, (t) => void addColumn(t, step.column, dialect).alter());
      return;
    case 'recreateColumn': {
      // Dropping a column silently shrinks multi-column indexes on MySQL: drop and rebuild them.
      const indexes = await indexesOn(db, dialect, step.table, step.column.name);
      for (const index of indexes) await dropIndex(db, dialect, step.table, index.name);
      await db.raw('ALTER TABLE ?? DROP COLUMN ??', [step.table, step.column.name]);
      await db.schema.alterTable(step.table, (t) => void addColumn(t, step.column, dialect));
      for (const index of indexes) await createIndex(db, dialect, step.table, index);
      return;
    }
    case 'createIndex':
      await createIndex(db, dialect, step.table, step.index);
      return;
    case 'renameIndex':
      if (dialect === 'mysql')
        await db.raw('ALTER TABLE ?? RENAME INDEX ?? TO ??', [step.table, step.from, step.index.name]);
      else {
        await dropIndex(db, dialect, step.table, step.from);
        await createIndex(db, dialect, step.table, step.index);
      }
      return;
    case 'trimLinks': {
      const c = RELATION_LINK_COLUMNS;
      await db.raw(
        `DELETE FROM ?? WHERE ?? NOT IN (SELECT id FROM (SELECT l.?? AS id FROM ?? l WHERE NOT EXISTS (
           SELECT 1 FROM ?? o WHERE o.?? = l.?? AND (o.?? < l.?? OR (o.?? = l.?? AND o.?? < l.??)))) keep)`,
        [
          step.table,
          c.id,
          c.id,
          step.table,
          step.table,
          c.entityId,
          c.entityId,
          c.position,
          c.position,
          c.position,
          c.position,
          c.id,
          c.id,
        ],
      );
      return;
    }
    case 'clearTable':
      await db(step.table).delete();
      return;
    case 'deleteComponentLinks': {
      const c = COMPONENT_LINK_COLUMNS;
      const links = () => {
        const q = db(step.table).where(c.field, step.field);
        if (step.onlyTypes) q.whereIn(c.componentType, step.onlyTypes);
        return q;
      };
      for (const [uid, componentTable] of Object.entries(step.componentTables)) {
        if (!(await db.schema.hasTable(componentTable))) continue;
        const ids = (await links().clone().where(c.componentType, uid).pluck(c.componentId)) as number[];
        await deleteComponentInstances(db, step.tree ?? {}, uid, componentTable, ids);
      }
      await links().delete();
      return;
    }
    case 'deleteFileLinks': {
      const q = db(FILE_LINK_TABLE).where(FILE_LINK_COLUMNS.entityTable, step.entityTable);
      if (step.field) q.andWhere(FILE_LINK_COLUMNS.field, step.field);
      await q.delete();
      return;
    }
    case 'dropColumn':
      // Native DROP COLUMN on both: knex's SQLite rebuild would drop the table, and with it (foreign
      // keys on) cascade-delete its relation links.
      await db.raw('ALTER TABLE ?? DROP COLUMN ??', [step.table, step.column]);
      return;
    case 'dropTable':
      await db.schema.dropTable(step.table);
      return;
    case 'changeLayout':
      // Nothing in the database: the layout lives in the stored document, written after the steps.
      return;
    case 'sealColumn':
    case 'openColumn':
      await rewriteEncryption(db, dialect, step, data);
      return;
  }
}

/**
 * `encrypted` turned on: the column becomes text (an envelope is longer than its plaintext and is
 * not JSON), then each plain value is sealed. Turned off: each sealed value is opened, then the column
 * gets its attribute's type back. Both resume from the task's last committed batch, and a value
 * already in the wanted form is left as it is, so running the step again is safe.
 */
async function rewriteEncryption(
  db: Knex,
  dialect: DialectName,
  step: Extract<Step, { action: 'sealColumn' | 'openColumn' }>,
  data: DataStepContext | undefined,
): Promise<void> {
  const cipher = data?.cipher;
  if (!cipher?.configured)
    throw new SchemaStepError('encrypting or decrypting a column needs FOLIO_ENCRYPTION_KEYS, which is not set');
  const text: ColumnSpec = { ...step.column, type: { kind: 'text' } };
  const retype = async (column: ColumnSpec) =>
    db.schema.alterTable(step.table, (t) => void addColumn(t, column, dialect).alter());
  const options = { ...data?.rewrite, logger: data?.logger };
  const task = `${step.action === 'sealColumn' ? 'encrypt' : 'decrypt'}:${step.table}.${step.column.name}`;
  if (step.action === 'sealColumn') {
    if (step.from !== signature(text.type)) await retype(text);
    const keyId = await cipher.sealingKeyId(db);
    await rewriteColumn(
      db,
      task,
      step.table,
      step.column.name,
      (value) => {
        if (value === null || value === undefined || parseEnvelope(value)) return undefined;
        return cipher.encryptWith(keyId, typeof value === 'string' ? value : JSON.stringify(value));
      },
      options,
    );
    return;
  }
  await cipher.load(db);
  await rewriteColumn(db, task, step.table, step.column.name, (value) => cipher.decrypt(value), options);
  if (signature(step.column.type) !== signature(text.type)) await retype(step.column);
}

function targetTable(step: Step): string | null {
  switch (step.action) {
    case 'createTable':
      return step.table.name;
    case 'renameTable':
      return step.to;
    case 'deleteFileLinks':
      return FILE_LINK_TABLE;
    default:
      return step.table;
  }
}

export interface ExecutionResult {
  applyId: string;
  applied: PlannedStep[];
  failed?: { step: PlannedStep; error: string };
}

/**
 * Steps not wrapped in a transaction on SQLite: knex's ALTER (a table rebuild that must switch
 * foreign keys off, which SQLite ignores inside a transaction), and the column rewrites, whose
 * batches commit one by one so that a crash keeps the work done.
 */
const OWN_TRANSACTIONS = new Set<Step['action']>(['alterColumn', 'sealColumn', 'openColumn']);

/** Runs the steps in order and stops at the first failure; every step is recorded. */
export async function executeSteps(
  db: Knex,
  dialect: DialectName,
  steps: PlannedStep[],
  data?: DataStepContext,
): Promise<ExecutionResult> {
  const applyId = randomUUID();
  const applied: PlannedStep[] = [];
  for (const [position, planned] of steps.entries()) {
    const record = (status: string, error: string | null) =>
      db(STEPS_TABLE).insert({
        apply_id: applyId,
        position,
        action: planned.step.action,
        target_table: targetTable(planned.step),
        description: planned.description,
        status,
        error,
        applied_at: new Date(),
      });
    try {
      // SQLite: a transaction per step, except for OWN_TRANSACTIONS.
      if (dialect === 'sqlite' && !OWN_TRANSACTIONS.has(planned.step.action))
        await db.transaction((trx) => executeStep(trx, dialect, planned.step, data));
      else await executeStep(db, dialect, planned.step, data);
    } catch (err) {
      const message = (err as Error).message;
      await record(err instanceof TableConflict ? 'conflict' : 'failed', message);
      return { applyId, applied, failed: { step: planned, error: message } };
    }
    await record('applied', null);
    applied.push(planned);
  }
  return { applyId, applied };
}

/** Tables Folio created in earlier applies (an interrupted create counts: the repair finishes it). */
export async function ownedTables(db: Knex): Promise<Set<string>> {
  const rows = (await db(STEPS_TABLE)
    .distinct('target_table')
    .whereIn('action', ['createTable', 'renameTable'])
    .whereIn('status', ['applied', 'failed'])) as Array<{ target_table: string | null }>;
  return new Set(rows.map((r) => r.target_table).filter((t): t is string => t !== null));
}

export function rowCounter(db: Knex): RowCounter {
  const S = SYSTEM_COLUMNS;
  const count = async (q: Knex.QueryBuilder): Promise<number> => {
    const [row] = await q.count<Array<{ n: number | string }>>({ n: '*' });
    return Number(row?.n ?? 0);
  };
  return {
    rows: (table) => count(db(table)),
    nonNull: (table, column) => count(db(table).whereNotNull(column)),
    where: (table, where) => count(db(table).where(where)),
    duplicates: (table, columns) =>
      count(
        db.from(db(table).select(columns).whereNotNull(columns[0]).groupBy(columns).havingRaw('COUNT(*) > 1').as('d')),
      ),
    overfull: (table) =>
      count(
        db.from(
          db(table)
            .select(RELATION_LINK_COLUMNS.entityId)
            .groupBy(RELATION_LINK_COLUMNS.entityId)
            .havingRaw('COUNT(*) > 1')
            .as('o'),
        ),
      ),
    modifiedDrafts: (table) =>
      count(
        db({ d: table })
          .join({ p: table }, (j) => {
            j.on(`d.${S.documentId}`, `p.${S.documentId}`).andOn(`d.${S.locale}`, `p.${S.locale}`);
          })
          .where(`d.${S.status}`, 'draft')
          .andWhere(`p.${S.status}`, 'published')
          .andWhereRaw('?? > ??', [`d.${S.updatedAt}`, `p.${S.updatedAt}`]),
      ),
    // Versions in a locale other than the default one (Settings › Locales).
    otherLocales: (table) =>
      count(
        db(table)
          .whereNot(S.locale, '')
          .whereNotIn(S.locale, db('folio_locales').where('is_default', true).select('code')),
      ),
  };
}
