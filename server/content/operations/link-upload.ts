// Uploading files with `ref`/`refId`/`field` links them to an entry's media field: an update of
// that entry by the uploader (updateDocument: its type, field and row-condition checks, audit row
// and `entry.update` event), on the entry's editable version only. The files' rows are written in
// that update's transaction, so a refused link leaves no file behind.
//   Content API callers (Public role, API tokens) need the Content API action `update` on the type;
//   admins the admin `update`, with its field allowlist and conditions.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import { ValidationError } from '../../errors.js';
import type { FileRecordWriter } from '../../media/service.js';
import type { SchemaSource } from '../../schema/model.js';
import { FILE_LINK_COLUMNS as FL, FILE_LINK_TABLE } from '../../schema/naming.js';
import { mediaFieldOf, refEntryOf } from '../media-refs.js';
import { checkWritableFields } from './permissions.js';
import { updateDocument, type OperationDeps } from './update-document.js';

export interface UploadLinkRequest {
  caller: Caller;
  ref: string;
  refId: string;
  field: string;
  /** How many files the upload carries. */
  count: number;
  ip?: string;
}

export interface UploadLink {
  /** The field's `allowedTypes`, checked before the files are processed. */
  allowedTypes?: readonly string[];
  /** Writes the files' rows and links them, in the entry update's transaction. */
  write: FileRecordWriter;
}

async function linkedFiles(
  trx: Knex.Transaction,
  entityTable: string,
  entityId: number,
  field: string,
): Promise<number[]> {
  const rows = await trx(FILE_LINK_TABLE)
    .where({ [FL.entityTable]: entityTable, [FL.entityId]: entityId, [FL.field]: field })
    .orderBy([{ column: FL.position }, { column: 'id' }])
    .select<Array<Record<string, unknown>>>(FL.fileId);
  return rows.map((r) => Number(r[FL.fileId]));
}

/**
 * Checks what can be checked before the upload is processed (the field exists, the caller may
 * update it, the entry exists, how many files it takes) and answers how to link. The row
 * conditions are checked in the write itself.
 */
export async function prepareUploadLink(
  deps: OperationDeps & { db: Knex; schema: SchemaSource },
  request: UploadLinkRequest,
): Promise<UploadLink> {
  const { caller, field: name } = request;
  const { type, field } = mediaFieldOf(await deps.schema.current(), request.ref, name);
  if (!field.multiple && request.count > 1) {
    throw ValidationError.fromErrors([{ path: [name], message: `"${name}" holds one file`, name: 'ValidationError' }]);
  }
  checkWritableFields(caller, 'update', type, { [name]: null });
  const entry = await refEntryOf(deps.db, type, request.refId);
  return {
    allowedTypes: field.attribute.allowedTypes,
    write: (record) =>
      updateDocument(deps, {
        caller,
        uid: type.uid,
        documentId: entry.documentId,
        locale: entry.locale,
        ip: request.ip,
        data: async (version) => {
          const ids = await record(version.trx);
          if (!field.multiple) return { [name]: ids[0] };
          const current = version.row ? await linkedFiles(version.trx, type.table, version.row.id, name) : [];
          return { [name]: [...current, ...ids] };
        },
      }),
  };
}
