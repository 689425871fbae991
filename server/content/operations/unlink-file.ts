// Deleting a file with force removes its link rows: each entry losing the file is updated. The
// caller must be allowed to update every one of them — its type, the field, and that row under the
// role's conditions (published rows count: they are entries readers see) — or nothing happens and
// the answer (409) says how many entries block the delete, naming none of them. Allowed, each entry
// version changed is audited as `content.update` and announced as `entry.update`, in the delete's
// transaction (MediaService.delete's `beforeUnlink`).
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import type { DocumentEvent } from '../documents.js';
import { ConflictError } from '../../errors.js';
import type { FileLink, UnlinkHook } from '../../media/service.js';
import type { ComponentModel, ContentTypeModel, SchemaModel, SchemaSource } from '../../schema/model.js';
import { COMPONENT_LINK_COLUMNS as CL, SYSTEM_COLUMNS as S, componentLinkTable } from '../../schema/naming.js';
import { rowPermits, writableFields } from './permissions.js';
import { originOf, type OperationDeps } from './deps.js';

/** A content-type row losing the file, through which of its top-level fields. */
interface LinkedRow {
  type: ContentTypeModel;
  rowId: number;
  fields: Set<string>;
}

type Model = ContentTypeModel | ComponentModel;

function holds(model: Model, component: string): boolean {
  return [...model.fields.values()].some(
    (f) =>
      (f.kind === 'component' && f.component === component) ||
      (f.kind === 'dynamiczone' && f.components.includes(component)),
  );
}

/**
 * The content-type rows a link row belongs to: itself, or the entries holding the component
 * instance (nested components walked up). A row of a table the schema no longer has is nobody's.
 */
export async function ownersOf(
  trx: Knex,
  schema: SchemaModel,
  table: string,
  rowId: number,
  field: string,
): Promise<Array<{ type: ContentTypeModel; rowId: number; field: string }>> {
  const type = [...schema.contentTypes.values()].find((t) => t.table === table);
  if (type) return [{ type, rowId, field }];
  const component = [...schema.components.values()].find((c) => c.table === table);
  if (!component) return [];
  const out: Array<{ type: ContentTypeModel; rowId: number; field: string }> = [];
  for (const model of [...schema.contentTypes.values(), ...schema.components.values()]) {
    if (!holds(model, component.uid)) continue;
    const links = await trx(componentLinkTable(model.table))
      .where({ [CL.componentType]: component.uid, [CL.componentId]: rowId })
      .select<Array<Record<string, unknown>>>(CL.entityId, CL.field);
    for (const link of links)
      out.push(...(await ownersOf(trx, schema, model.table, Number(link[CL.entityId]), String(link[CL.field]))));
  }
  return out;
}

async function linkedRows(
  trx: Knex.Transaction,
  schema: SchemaModel,
  links: readonly FileLink[],
): Promise<LinkedRow[]> {
  const rows = new Map<string, LinkedRow>();
  for (const link of links) {
    for (const owner of await ownersOf(trx, schema, link.entityTable, link.entityId, link.field)) {
      const key = `${owner.type.uid}\u0000${owner.rowId}`;
      const row = rows.get(key) ?? { type: owner.type, rowId: owner.rowId, fields: new Set<string>() };
      row.fields.add(owner.field);
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}

async function mayUpdate(trx: Knex.Transaction, schema: SchemaModel, caller: Caller, row: LinkedRow): Promise<boolean> {
  if (!caller.can('update', row.type.uid)) return false;
  const writable = writableFields(caller, 'update', row.type);
  if ([...row.fields].some((f) => !writable.has(f))) return false;
  return rowPermits(trx, schema, caller, 'update', row.type, row.rowId);
}

/** The schema is read before the delete's transaction opens (on SQLite that holds the one connection). */
export async function unlinkAsUpdates(
  deps: OperationDeps & { schema: SchemaSource },
  caller: Caller,
  fileId: number,
  ip?: string,
): Promise<UnlinkHook> {
  const schema = await deps.schema.current();
  return async (trx, links) => {
    const rows = await linkedRows(trx, schema, links);
    const versions = [];
    const blocked = new Set<string>();
    for (const row of rows) {
      const version = (await trx(row.type.table).where(S.id, row.rowId).first()) as Record<string, unknown> | undefined;
      if (!version) continue;
      if (!(await mayUpdate(trx, schema, caller, row)))
        blocked.add(`${row.type.uid}\u0000${String(version[S.documentId])}`);
      versions.push({ row, version });
    }
    if (blocked.size) {
      const n = blocked.size;
      throw new ConflictError(
        `The file is used by ${n} ${n === 1 ? 'entry' : 'entries'} you may not update; it was not deleted`,
        { blockingEntries: n },
      );
    }
    for (const { row, version } of versions) {
      const entry = deps.documents.entryOf(row.type, version);
      const fields = [...row.fields];
      await deps.audit.record(
        {
          actor: caller,
          action: 'content.update',
          subject: row.type.uid,
          entityId: entry.documentId,
          ip,
          details: {
            ...(entry.locale ? { locale: entry.locale } : {}),
            status: entry.status,
            fields,
            unlinkedFile: fileId,
          },
        },
        trx,
      );
      const event: DocumentEvent = {
        action: 'update',
        uid: row.type.uid,
        documentId: entry.documentId,
        locale: entry.locale,
      };
      const origin = originOf('update', caller);
      for (const hook of deps.documents.inTransaction) await hook(trx, [event], entry, schema, origin);
    }
  };
}
