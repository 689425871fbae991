// Encrypted attributes in archives (docs/encryption.md, "Backups"). By default their values travel as
// stored (sealed) with the wrapped data keys, so an archive holds no plaintext and opens only where
// FOLIO_ENCRYPTION_KEYS holds the master key that wraps them. `folio export --decrypt` writes them
// in the clear instead, without the data keys (a move to an installation with other keys); import
// seals any plain value of an encrypted attribute under the target's own data key.
import type { Knex } from 'knex';
import { DATA_KEYS_TABLE, EncryptionError, type FieldCipher } from '../encryption/cipher.js';
import { ENVELOPE_PREFIX } from '../encryption/envelope.js';
import { encryptedColumns } from '../encryption/rotation.js';
import { buildModel } from '../schema/model.js';
import type { SchemaDocument } from '../schema/types.js';
import type { Row } from './values.js';

/** Table → its columns holding encrypted attributes, for the document the archive carries. */
export function encryptedColumnsOf(document: SchemaDocument): Map<string, string[]> {
  const byTable = new Map<string, string[]>();
  for (const [table, column] of encryptedColumns(buildModel(document)))
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  return byTable;
}

/** `row` with the sealed values of `columns` opened (export --decrypt). */
export function openedRow(cipher: FieldCipher, columns: readonly string[] | undefined, row: Row): Row {
  if (!columns) return row;
  const out = { ...row };
  for (const column of columns) {
    const plaintext = cipher.decrypt(out[column]);
    if (plaintext !== undefined) out[column] = plaintext;
  }
  return out;
}

/**
 * After an import's rows are in (inside its transaction `trx`): every data key the archive brought
 * must open with this installation's master keys (else the import rolls back, naming the key), and
 * every plain value of an encrypted attribute (an archive written with --decrypt) is sealed.
 */
export async function sealImported(
  trx: Knex.Transaction,
  cipher: FieldCipher,
  document: SchemaDocument,
  pageRows: number,
): Promise<number> {
  const columns = encryptedColumnsOf(document);
  const keys = await trx(DATA_KEYS_TABLE).first<{ id: string } | undefined>('id');
  if ((keys || columns.size > 0) && !cipher.configured)
    throw new EncryptionError(
      'the archive holds encrypted attributes and FOLIO_ENCRYPTION_KEYS is not set: set it (for a sealed ' +
        'archive, with the master key of the installation that wrote it)',
    );
  if (!cipher.configured) return 0;
  await cipher.load(trx);
  let sealed = 0;
  for (const [table, names] of columns) {
    for (const column of names) {
      let lastId = 0;
      for (;;) {
        const rows = (await trx(table)
          .select('id', column)
          .where('id', '>', lastId)
          .whereNotNull(column)
          .whereNot(column, 'like', `${ENVELOPE_PREFIX}%`)
          .orderBy('id')
          .limit(pageRows)) as Array<Record<string, unknown>>;
        if (rows.length === 0) break;
        const keyId = await cipher.sealingKeyId(trx);
        for (const row of rows) {
          const value = row[column];
          const plaintext = typeof value === 'string' ? value : JSON.stringify(value);
          await trx(table)
            .where({ id: row.id as number })
            .update({ [column]: cipher.encryptWith(keyId, plaintext) });
        }
        sealed += rows.length;
        lastId = Number(rows[rows.length - 1].id);
      }
    }
  }
  return sealed;
}
