// Rewrites one column in batches (a schema step turning `encrypted` on or off, `folio keys rotate`),
// each batch in its own transaction with the task's progress (folio_encryption_tasks): a run stopped
// by a crash resumes after the last batch it committed. A value is only replaced when it still holds
// what the batch read, so a write that raced the rewrite is never overwritten with an older value.
import type { Knex } from 'knex';
import { dialectOf } from '../db/connection.js';
import type { Logger } from '../logger.js';

export const TASKS_TABLE = 'folio_encryption_tasks';
export const DEFAULT_BATCH_SIZE = 500;

export interface RewriteProgress {
  task: string;
  table: string;
  column: string;
  /** Rows looked at so far (this run and the runs before it). */
  done: number;
  /** Rows of the table when this run started. */
  total: number;
  lastId: number;
}

export interface RewriteOptions {
  batchSize?: number;
  logger?: Logger;
  /** After each committed batch (progress bars; tests stop a run here to play a crash). */
  onBatch?: (progress: RewriteProgress) => void | Promise<void>;
}

/**
 * The new value of a column value, or undefined to leave it (already in the wanted form, or null).
 * May throw: the batch then rolls back and the run stops with the progress of the batches before.
 */
export type ValueTransform = (value: unknown) => string | undefined;

interface TaskRow {
  last_id: number | string;
  done: number | string;
}

/** Rewrites `table.column` with `transform`, resuming `task` where it stopped; answers the rows looked at. */
export async function rewriteColumn(
  db: Knex,
  task: string,
  table: string,
  column: string,
  transform: ValueTransform,
  options: RewriteOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const mysql = dialectOf(db) === 'mysql';
  const state = (await db(TASKS_TABLE).where({ task }).first()) as TaskRow | undefined;
  let lastId = Number(state?.last_id ?? 0);
  let done = Number(state?.done ?? 0);
  if (!state) await db(TASKS_TABLE).insert({ task, last_id: 0, done: 0, updated_at: Date.now() });
  const [{ n }] = await db(table).count<Array<{ n: number | string }>>({ n: '*' });
  const total = Number(n);
  if (state) options.logger?.info({ task, done, lastId }, 'resuming an encrypted column rewrite');
  for (;;) {
    const read = await db.transaction(async (trx) => {
      const q = trx(table).select('id', column).where('id', '>', lastId).orderBy('id').limit(batchSize);
      const rows = (await (mysql ? q.forUpdate() : q)) as Array<Record<string, unknown>>;
      for (const row of rows) {
        const next = transform(row[column]);
        if (next === undefined) continue;
        await trx(table)
          .where({ id: row.id as number })
          .andWhere(column, row[column] as string)
          .update({ [column]: next });
      }
      if (rows.length === 0) return 0;
      lastId = Number(rows[rows.length - 1].id);
      done += rows.length;
      await trx(TASKS_TABLE).where({ task }).update({ last_id: lastId, done, updated_at: Date.now() });
      return rows.length;
    });
    if (read === 0) break;
    const progress: RewriteProgress = { task, table, column, done, total, lastId };
    options.logger?.info({ task, done, total }, 'rewriting an encrypted column');
    await options.onBatch?.(progress);
    if (read < batchSize) break;
  }
  await db(TASKS_TABLE).where({ task }).delete();
  return done;
}
