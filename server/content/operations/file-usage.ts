// "Used by": the entries a media file is linked from, as the caller asking may see them. Each link
// row (an entry version, or a component instance inside entries) is walked up to its entries; those
// the caller may read — its type, and that row under the role's conditions, compiled by the one
// compiler — are named (type, title when its main field is readable, locale); the others are only
// counted, so that an editor knows why a file "in use" shows fewer entries.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import type { MediaService } from '../../media/service.js';
import type { ContentTypeModel, SchemaModel, SchemaSource } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { columnText } from '../query/serialize.js';
import { labelColumn, readFilter, restricted } from './home-summary.js';
import { ownersOf } from './unlink-file.js';

export interface FileUse {
  uid: string;
  displayName: string;
  kind: ContentTypeModel['kind'];
  documentId: string;
  /** The entry's title (its main field), null when the caller may not read it or it is empty. */
  label: string | null;
  locale: string | null;
  /** The entry's fields holding the file (top-level: a component's field shows as the component). */
  fields: string[];
}

export interface FileUsage {
  entries: FileUse[];
  /** Entries using the file that the caller may not read. */
  hidden: number;
}

interface Owner {
  type: ContentTypeModel;
  rowId: number;
  field: string;
}

/** The owning row as the caller may read it, or null when its role may not. */
async function readableRow(
  db: Knex,
  schema: SchemaModel,
  caller: Caller,
  owner: Owner,
): Promise<Record<string, unknown> | null> {
  const filter = caller.can('read', owner.type.uid) ? readFilter(caller, owner.type) : undefined;
  if (filter === undefined) return null;
  const label = labelColumn(owner.type, caller);
  const qb = db
    .from({ t0: owner.type.table })
    .where(`t0.${S.id}`, owner.rowId)
    .first(`t0.${S.documentId} as document_id`, `t0.${S.locale} as locale`);
  if (label) qb.select(`t0.${label} as label`);
  return ((await restricted(db, schema, qb, filter)) as Record<string, unknown> | undefined) ?? null;
}

/** The entry an owner row belongs to, named for the caller; its document id alone when unreadable. */
async function useOf(db: Knex, schema: SchemaModel, caller: Caller, owner: Owner): Promise<FileUse | string | null> {
  const row = await readableRow(db, schema, caller, owner);
  if (!row) {
    const any = await db(owner.type.table)
      .where(S.id, owner.rowId)
      .first<Record<string, string | null> | undefined>(S.documentId, S.locale);
    return any ? `${owner.type.uid}\u0000${any[S.documentId]}\u0000${any[S.locale] ?? ''}` : null;
  }
  const label = row.label === undefined || row.label === null || row.label === '' ? null : columnText(row.label);
  return {
    uid: owner.type.uid,
    displayName: owner.type.displayName,
    kind: owner.type.kind,
    documentId: String(row.document_id),
    label,
    locale: owner.type.localized ? String(row.locale) : null,
    fields: [owner.field],
  };
}

/** The entries using file `fileId` (404 when there is no such file), each once whatever its versions. */
export async function fileUsage(
  deps: { db: Knex; schema: SchemaSource; media: MediaService },
  caller: Caller,
  fileId: number,
): Promise<FileUsage> {
  await deps.media.get(fileId);
  const schema = await deps.schema.current();
  const entries = new Map<string, FileUse>();
  const hidden = new Set<string>();
  for (const link of await deps.media.linksOfFile(fileId)) {
    for (const owner of await ownersOf(deps.db, schema, link.entityTable, link.entityId, link.field)) {
      const use = await useOf(deps.db, schema, caller, owner);
      if (use === null) continue;
      if (typeof use === 'string') {
        hidden.add(use);
        continue;
      }
      const key = `${use.uid}\u0000${use.documentId}\u0000${use.locale ?? ''}`;
      const seen = entries.get(key);
      if (seen) seen.fields = [...new Set([...seen.fields, ...use.fields])];
      else entries.set(key, use);
    }
  }
  // A version the caller may read names the entry: its other, hidden versions are no other entry.
  for (const key of entries.keys()) hidden.delete(key);
  const sorted = [...entries.values()].sort(
    (a, b) => a.displayName.localeCompare(b.displayName) || (a.label ?? '').localeCompare(b.label ?? ''),
  );
  return { entries: sorted, hidden: hidden.size };
}
