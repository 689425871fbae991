// Restoring a revision: its data becomes the document's new draft (the single row of types without
// draft & publish) through the update operation, as the caller asking — its permission, field
// allowlists and row conditions apply, and the write records a 'restore' revision. The published
// version is untouched until published. What the schema or the content no longer has is left out
// and reported: attributes removed from the schema (skipped), related documents and media files
// deleted since (dropped). The data is computed inside the update's transaction, on its locked
// version, so a target deleted concurrently cannot slip through.
import type { Knex } from 'knex';
import { ValidationError } from '../../errors.js';
import type { ComponentModel, ContentTypeModel, Field, SchemaModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import type { DocumentEntry } from '../documents.js';
import type { OperationDeps } from '../operations/deps.js';
import { updateDocument } from '../operations/update-document.js';
import { historyScope, storedRevision, type HistoryRequest, type RevisionReadDeps } from './reading.js';
import type { RevisionData } from './snapshot.js';

/** A link the restore left out: a related document (documentId) or a media file (fileId) gone since. */
export interface DroppedLink {
  field: string;
  documentId?: string;
  fileId?: number;
}

export interface RestoreResult {
  entry: DocumentEntry;
  skipped: string[];
  dropped: DroppedLink[];
}

type Model = ContentTypeModel | ComponentModel;

interface Walk {
  trx: Knex.Transaction;
  schema: SchemaModel;
  skipped: string[];
  dropped: DroppedLink[];
}

async function existingDocuments(walk: Walk, target: string, ids: string[]): Promise<Set<string>> {
  const type = walk.schema.contentTypes.get(target);
  if (!type || !ids.length) return new Set();
  const rows = await walk.trx(type.table).whereIn(S.documentId, ids).distinct<{ document_id: string }[]>(S.documentId);
  return new Set(rows.map((r) => String((r as Record<string, unknown>)[S.documentId])));
}

async function existingFiles(walk: Walk, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await walk.trx('folio_files').whereIn('id', ids).select<{ id: number }[]>('id');
  return new Set(rows.map((r) => Number(r.id)));
}

/** The ids of `value` (one or many) still present, the others reported as dropped from `path`. */
async function keptLinks(walk: Walk, field: Field, path: string, value: unknown): Promise<unknown> {
  const many = Array.isArray(value);
  const ids = (many ? value : [value]) as unknown[];
  if (field.kind === 'relation') {
    const present = await existingDocuments(walk, field.target, ids.map(String));
    const kept = ids.map(String).filter((id) => present.has(id) || !walk.dropped.push({ field: path, documentId: id }));
    return many ? kept : (kept[0] ?? null);
  }
  const present = await existingFiles(walk, ids.map(Number));
  const kept = ids.map(Number).filter((id) => present.has(id) || !walk.dropped.push({ field: path, fileId: id }));
  return many ? kept : (kept[0] ?? null);
}

async function restoredComponent(walk: Walk, uid: string, item: unknown, path: string): Promise<RevisionData | null> {
  const model = walk.schema.components.get(uid);
  if (!model || typeof item !== 'object' || item === null) return null;
  return restoredBody(walk, model, item as RevisionData, `${path}.`);
}

async function restoredValue(walk: Walk, field: Field, value: unknown, path: string): Promise<unknown> {
  if (value === null || value === undefined) return value;
  switch (field.kind) {
    case 'scalar':
      return value;
    case 'relation':
    case 'media':
      return keptLinks(walk, field, path, value);
    case 'component': {
      if (!Array.isArray(value)) return restoredComponent(walk, field.component, value, path);
      const items = await Promise.all(value.map((v) => restoredComponent(walk, field.component, v, path)));
      return items.filter((v) => v !== null);
    }
    case 'dynamiczone': {
      const out: RevisionData[] = [];
      for (const item of value as RevisionData[]) {
        const uid = String(item.__component);
        // A component the zone no longer takes is an attribute gone from the schema.
        if (!field.components.includes(uid)) {
          walk.skipped.push(`${path}.${uid}`);
          continue;
        }
        const body = await restoredComponent(walk, uid, item, path);
        if (body) out.push({ __component: uid, ...body });
      }
      return out;
    }
  }
}

/** The revision's data as a write body of `model` today. */
async function restoredBody(walk: Walk, model: Model, data: RevisionData, prefix = ''): Promise<RevisionData> {
  const out: RevisionData = {};
  for (const [name, value] of Object.entries(data)) {
    if (name === '__component') continue;
    const field = model.fields.get(name);
    if (!field) {
      walk.skipped.push(`${prefix}${name}`);
      continue;
    }
    out[name] = await restoredValue(walk, field, value, `${prefix}${name}`);
  }
  return out;
}

export interface RestoreRequest extends HistoryRequest {
  id: number;
  ip?: string;
}

/** Brings revision `id` back as the new draft, as `caller`. */
export async function restoreRevision(
  deps: RevisionReadDeps & OperationDeps,
  request: RestoreRequest,
): Promise<RestoreResult> {
  const { caller, uid, documentId } = request;
  const scope = await historyScope(deps, request);
  const revision = await storedRevision(deps.db, scope, request.id);
  let walk: Walk | undefined;
  const entry = await updateDocument(deps, {
    caller,
    ip: request.ip,
    uid,
    documentId,
    locale: scope.type.localized ? scope.locale : undefined,
    operation: 'restore',
    data: async (version) => {
      walk = { trx: version.trx, schema: version.schema, skipped: [], dropped: [] };
      const body = await restoredBody(walk, version.type, revision.data);
      if (!Object.keys(body).length) throw new ValidationError('The revision has nothing the type still has');
      return body;
    },
  });
  // Set by the update's data function, which ran (the update succeeded).
  const { skipped, dropped } = walk ?? { skipped: [], dropped: [] };
  return { entry, skipped: [...new Set(skipped)], dropped };
}
