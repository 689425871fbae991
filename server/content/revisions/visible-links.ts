// What a revision shows of its relations: the documentIds it stored, held to the same rule as the
// entry's populated relations (read-as-editor.ts). Through a field the caller may write (the link
// right) every target is shown, as the picker lists them; otherwise only the targets the caller may
// read under its role's conditions, at the version the edit form would show — a target it may not
// read is left out (null for a to-one), as it is from the entry itself. Restoring still reads the
// stored data in full: a restore is an update by its caller, with that operation's own checks.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import type { ComponentModel, ContentTypeModel, SchemaModel } from '../../schema/model.js';
import { SYSTEM_COLUMNS as S } from '../../schema/naming.js';
import { editableStatus } from '../documents.js';
import { mayLinkThrough, rowFilter } from '../operations/permissions.js';
import { applyRowFilter, versionOf } from '../query/compile.js';
import type { RevisionData } from './snapshot.js';

interface Scope {
  schema: SchemaModel;
  type: ContentTypeModel;
  /** '' for types that are not localized. */
  locale: string;
  defaultLocale: string;
}

/** A relation value to filter: its target, and where it goes once the readable targets are known. */
interface Pending {
  target: ContentTypeModel;
  ids: string[];
  apply(shown: (id: string) => boolean): void;
}

/** The relation values of `data` (a `model`'s values, reached through `owner` in a component) to check. */
function collect(
  scope: Scope,
  caller: Caller,
  model: ContentTypeModel | ComponentModel,
  data: RevisionData,
  owner: string | undefined,
  out: Pending[],
): void {
  for (const [name, value] of Object.entries(data)) {
    const field = model.fields.get(name);
    if (!field || value === null || value === undefined) continue;
    if (field.kind === 'relation') {
      const target = scope.schema.contentTypes.get(field.target);
      if (!target || mayLinkThrough(caller, scope.type, [owner ?? name])) continue;
      const ids = (Array.isArray(value) ? value : [value]).map(String);
      out.push({
        target,
        ids,
        apply: (shown) => {
          data[name] = Array.isArray(value) ? ids.filter(shown) : shown(ids[0]) ? value : null;
        },
      });
    } else if (field.kind === 'component' || field.kind === 'dynamiczone') {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item !== 'object' || item === null) continue;
        const values = item as RevisionData;
        const uid = field.kind === 'component' ? field.component : String(values.__component);
        const component = scope.schema.components.get(uid);
        if (component) collect(scope, caller, component, values, owner ?? name, out);
      }
    }
  }
}

/** The documentIds among `ids` of `target` the caller may read, at the version an edit form shows. */
async function readableOf(
  db: Knex,
  scope: Scope,
  caller: Caller,
  target: ContentTypeModel,
  ids: string[],
): Promise<Set<string>> {
  if (!caller.can('read', target.uid)) return new Set();
  const filter = rowFilter(caller, 'read', target);
  if (filter === null) return new Set(ids);
  const version = versionOf(target, { status: editableStatus(scope.type), ...scope });
  const qb = db
    .from({ t0: target.table })
    .whereIn(`t0.${S.documentId}`, ids)
    .where(`t0.${S.status}`, version.status)
    .where(`t0.${S.locale}`, version.locale)
    .distinct(`t0.${S.documentId}`);
  applyRowFilter(db, scope.schema, qb, filter, 't0');
  const rows = (await qb) as Array<Record<string, unknown>>;
  return new Set(rows.map((r) => String(r[S.documentId])));
}

/** `data` (a copy of a revision's, changed in place) with its relations as the caller may see them. */
export async function visibleLinks(db: Knex, scope: Scope, caller: Caller, data: RevisionData): Promise<RevisionData> {
  const pending: Pending[] = [];
  collect(scope, caller, scope.type, data, undefined, pending);
  const byTarget = new Map<string, Pending[]>();
  for (const p of pending) byTarget.set(p.target.uid, [...(byTarget.get(p.target.uid) ?? []), p]);
  // One statement per target type, whatever the number of fields and components linking it.
  for (const group of byTarget.values()) {
    const ids = [...new Set(group.flatMap((p) => p.ids))];
    const readable = await readableOf(db, scope, caller, group[0].target, ids);
    for (const p of group) p.apply((id) => readable.has(id));
  }
  return data;
}
