// The row-condition checks of the write operations, run inside the write's transaction on the rows
// the DocumentService has just locked (its hooks' `check`/`prepare`): a concurrent change of a row
// cannot move it out of the caller's conditions between the check and the write. A row outside the
// conditions is a 404, as one that does not exist: existence does not leak.
import type { Caller } from '../../access/caller.js';
import { dialectOf } from '../../db/connection.js';
import { editableStatus, type DeletedVersions, type EditableVersion } from '../documents.js';
import { NotFoundError } from '../../errors.js';
import type { ContentTypeModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { restrict, rowPermits } from './permissions.js';

export function notFound(type: ContentTypeModel, documentId: string): NotFoundError {
  return new NotFoundError(`No ${type.singularName} with documentId "${documentId}"`);
}

/**
 * The caller's conditions for `action` allow the editable version acted on; for a locale the
 * document has no version in yet (an update creating it), some editable version of the document.
 */
export async function requirePermittedVersion(caller: Caller, action: string, version: EditableVersion): Promise<void> {
  const { trx, schema, type, documentId, row } = version;
  const qb = trx
    .from({ t0: type.table })
    .where(`t0.${S.documentId}`, documentId)
    .where(`t0.${S.status}`, editableStatus(type))
    .first(`t0.${S.id}`);
  if (row) qb.where(`t0.${S.id}`, row.id);
  restrict(trx, schema, qb, caller, action, type, 't0');
  // The document's rows are locked already (DocumentService.lockDocument); held until the commit
  // on MySQL (READ COMMITTED) all the same. SQLite writes one at a time.
  if (dialectOf(trx) === 'mysql') qb.forUpdate();
  if (!(await qb)) throw notFound(type, documentId);
}

/** The caller's conditions for `action` allow every editable version a delete removes. */
export async function requirePermittedDeletion(
  caller: Caller,
  action: string,
  versions: DeletedVersions,
): Promise<void> {
  const { trx, schema, type, documentId, rows } = versions;
  const editable = rows.filter((row) => row.status === editableStatus(type));
  if (!editable.length) throw notFound(type, documentId);
  for (const row of editable) {
    if (!(await rowPermits(trx, schema, caller, action, type, row.id))) throw notFound(type, documentId);
  }
}
