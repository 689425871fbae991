// `folio keys rotate` (docs/encryption.md, "Rotating keys"): every data key is re-wrapped under the
// first master key of FOLIO_ENCRYPTION_KEYS, a new data key is made, and every value of every
// encrypted attribute is re-sealed under it, column by column in batches (rewrite.ts). The run's data
// key is recorded (task `rotate`), so a run stopped by a crash resumes with the same key and after
// the last committed batch. Plain values found in an encrypted column (written by a process still on
// the schema before `encrypted` was turned on) are sealed too.
import type { Knex } from 'knex';
import type { SchemaModel } from '../schema/model.js';
import { isEncrypted } from '../schema/text-attributes.js';
import type { FieldCipher } from './cipher.js';
import { parseEnvelope } from './envelope.js';
import { rewriteColumn, TASKS_TABLE, type RewriteOptions } from './rewrite.js';

const ROTATE_TASK = 'rotate';

export interface RotationResult {
  dataKeyId: string;
  /** The master key (the first of FOLIO_ENCRYPTION_KEYS) every data key is now wrapped by. */
  masterKeyId: string;
  /** Data keys moved to the first master key. */
  rewrapped: number;
  /** `table.column` → rows looked at. */
  columns: Record<string, number>;
  resumed: boolean;
}

/** Every column of an encrypted attribute: `[table, column]`. */
export function encryptedColumns(model: SchemaModel): Array<[table: string, column: string]> {
  const columns: Array<[string, string]> = [];
  for (const m of [...model.contentTypes.values(), ...model.components.values()]) {
    for (const field of m.scalars) if (isEncrypted(field.attribute)) columns.push([m.table, field.column]);
  }
  return columns;
}

export async function rotateKeys(
  db: Knex,
  cipher: FieldCipher,
  model: SchemaModel,
  options: RewriteOptions = {},
): Promise<RotationResult> {
  await cipher.load();
  const rewrapped = await cipher.rewrapDataKeys();
  const header = (await db(TASKS_TABLE).where({ task: ROTATE_TASK }).first()) as
    { data_key_id: string | null } | undefined;
  let dataKeyId = header?.data_key_id ?? undefined;
  if (!dataKeyId) {
    // A crash between these two leaves a data key no run names: it is stored, so it stays usable.
    dataKeyId = await cipher.addDataKey();
    await db(TASKS_TABLE).insert({
      task: ROTATE_TASK,
      data_key_id: dataKeyId,
      last_id: 0,
      done: 0,
      updated_at: Date.now(),
    });
  }
  const target = dataKeyId;
  options.logger?.info({ dataKeyId: target, rewrapped, resumed: header !== undefined }, 'rotating encryption keys');
  const reseal = (value: unknown): string | undefined => {
    if (value === null || value === undefined) return undefined;
    if (parseEnvelope(value)?.keyId === target) return undefined;
    const plaintext = cipher.decrypt(value) ?? (typeof value === 'string' ? value : JSON.stringify(value));
    return cipher.encryptWith(target, plaintext);
  };
  const columns: Record<string, number> = {};
  for (const [table, column] of encryptedColumns(model)) {
    columns[`${table}.${column}`] = await rewriteColumn(
      db,
      `${ROTATE_TASK}:${table}.${column}`,
      table,
      column,
      reseal,
      options,
    );
  }
  await db(TASKS_TABLE).where({ task: ROTATE_TASK }).delete();
  return { dataKeyId: target, masterKeyId: cipher.wrappingKeyId, rewrapped, columns, resumed: header !== undefined };
}
