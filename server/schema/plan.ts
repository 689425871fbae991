// Diff → plan: from the schema in force (the stored document), the requested change (a schema file)
// and what the database really holds, the ordered DDL/data steps that make the database match.
//
// Order (MySQL DDL is not transactional, so a failure part-way must leave a usable schema):
//   1. additive: create tables, add columns           (the old model still works against them)
//   2. drop indexes that are no longer wanted          (harmless to data)
//   3. renames: tables, columns, field names in link tables
//   4. type changes (lossless ALTER; lossy only with force); `encrypted` turned on or off (the
//      column's values rewritten in batches, resumably)
//   5. create missing indexes
//   6. data: trim to-one links; reshape versions and locales when draftAndPublish or localized
//      changed (through the document engine, one transaction each)
//   7. destructive: delete links, drop columns, drop link tables, drop tables (only with force when
//      they hold data)
//   8. layouts: a changed view layout (types.ts `layout`) is a step of its own that runs no SQL, so
//      that the plan says what the change does
// Every step is planned against the real database (introspect.ts), so the next apply after an
// interrupted one plans exactly what is still missing.
import type { SchemaModel, Field } from './model.js';
import { buildModel } from './model.js';
import { FILE_LINK_COLUMNS, FILE_LINK_TABLE, COMPONENT_LINK_COLUMNS } from './naming.js';
import type { ActualSchema } from './introspect.js';
import {
  isLosslessChange,
  physicalSchema,
  signature,
  type ColumnSpec,
  type IndexSpec,
  type TableSpec,
} from './physical.js';
import { assertValidDocument } from './validate.js';
import type { ComponentDefinition, ContentTypeDefinition, SchemaDocument, SchemaFile } from './types.js';

export interface Rename {
  /** Content type uid or component uid (`category.name`). */
  type: string;
  from: string;
  to: string;
}

export type Step =
  | { action: 'createTable'; table: TableSpec }
  | { action: 'addColumn'; table: string; column: ColumnSpec }
  | { action: 'dropIndex'; table: string; index: string }
  | { action: 'renameTable'; from: string; to: string }
  | { action: 'renameColumn'; table: string; from: string; to: string }
  | { action: 'renameField'; table: string; column: string; from: string; to: string; where?: Record<string, string> }
  | { action: 'alterColumn'; table: string; column: ColumnSpec; from: string }
  | { action: 'recreateColumn'; table: string; column: ColumnSpec; from: string }
  | { action: 'createIndex'; table: string; index: IndexSpec }
  | { action: 'renameIndex'; table: string; from: string; index: IndexSpec }
  | { action: 'trimLinks'; table: string }
  | { action: 'clearTable'; table: string }
  | {
      action: 'deleteComponentLinks';
      table: string;
      field: string;
      componentTables: Record<string, string>;
      tree?: ComponentTree;
      onlyTypes?: string[];
    }
  | { action: 'deleteFileLinks'; entityTable: string; field?: string }
  | { action: 'reshapeVersions'; table: string; uid: string; draftAndPublish: boolean }
  | { action: 'reshapeLocales'; table: string; uid: string; localized: boolean }
  | { action: 'dropColumn'; table: string; column: string }
  | { action: 'dropTable'; table: string }
  | { action: 'changeLayout'; table: string; uid: string }
  /**
   * `encrypted` turned on (seal) or off (open) for an attribute: the column's values are rewritten
   * in batches, resumably (server/encryption/rewrite.ts). Sealing first makes the column text;
   * opening gives it its attribute's type back after the rewrite.
   */
  | { action: 'sealColumn' | 'openColumn'; table: string; column: ColumnSpec; from: string };

/**
 * What a component instance owns, per component uid, so that deleting instances deletes what hangs
 * under them too: nested components (through the component's own `_cmps` table), relation links
 * and media links.
 */
export type ComponentTree = Record<
  string,
  { table: string; linkTable?: string; relationLinkTables: string[]; media: boolean }
>;

export function componentTree(model: SchemaModel): ComponentTree {
  const tree: ComponentTree = {};
  for (const [uid, component] of model.components) {
    const fields = [...component.fields.values()];
    const nested = fields.find((f) => f.kind === 'component' || f.kind === 'dynamiczone');
    tree[uid] = {
      table: component.table,
      linkTable:
        nested && (nested.kind === 'component' || nested.kind === 'dynamiczone') ? nested.linkTable : undefined,
      relationLinkTables: fields
        .filter((f) => f.kind === 'relation' && f.owner)
        .map((f) => (f as { linkTable: string }).linkTable),
      media: fields.some((f) => f.kind === 'media'),
    };
  }
  return tree;
}

export interface PlannedStep {
  step: Step;
  /** One line for the dry run and the steps log. */
  description: string;
  /** The content types / components whose stored definition depends on this step. */
  uids: string[];
  /** Rows whose data this step destroys (0 when nothing is lost). */
  rowsAtStake: number;
  /** Whether the step can lose data (then `rowsAtStake` > 0 needs force). */
  lossy: boolean;
}

export interface SchemaPlan {
  /** The stored document after the whole plan is applied. */
  document: SchemaDocument;
  model: SchemaModel;
  steps: PlannedStep[];
  /** Whether the stored document changes (a plan may change definitions without DDL). */
  documentChanged: boolean;
  /** Steps refused because they would lose data and force was not given. */
  refused: PlannedStep[];
  /** Changes the data does not allow, force or not (e.g. unique on duplicated values). */
  blocked: string[];
  /**
   * Steps proposed, not planned: the default indexes (physical.ts `effectiveIndex`) of attributes that
   * existed before without them. They run only when the apply accepts them (`acceptSuggested`), so
   * that an upgrade never builds an index on a large table unasked; accepted, they are in `steps`.
   */
  suggested: PlannedStep[];
}

/** Row counts the planner needs to name what a step would destroy. */
export interface RowCounter {
  rows(table: string): Promise<number>;
  nonNull(table: string, column: string): Promise<number>;
  where(table: string, where: Record<string, string>): Promise<number>;
  /** Entities holding more than one link in a relation link table (to-many → to-one). */
  overfull(table: string): Promise<number>;
  /** Values (non-null in the first column) that occur more than once over these columns. */
  duplicates(table: string, columns: string[]): Promise<number>;
  /** Drafts edited after their document's published version (unpublished changes). */
  modifiedDrafts(table: string): Promise<number>;
  /** Rows in a locale other than the default one (and other than '', non-localized). */
  otherLocales(table: string): Promise<number>;
}

export interface PlanInput {
  stored: SchemaDocument;
  file: SchemaFile;
  renames: Rename[];
  actual: ActualSchema;
  /** Tables Folio created in earlier applies (folio_schema_steps), for repairs. */
  owned: Set<string>;
  force: boolean;
  /** Run the suggested steps too (default indexes an existing installation lacks). */
  acceptSuggested?: boolean;
  counter: RowCounter;
}

/** The stored document with the file's definitions put in (null removes a type or component). */
export function mergeDocument(stored: SchemaDocument, file: SchemaFile): SchemaDocument {
  const contentTypes: Record<string, ContentTypeDefinition> = { ...stored.contentTypes };
  for (const [uid, def] of Object.entries(file.contentTypes ?? {})) {
    if (def === null) delete contentTypes[uid];
    else contentTypes[uid] = def;
  }
  const components: Record<string, ComponentDefinition> = { ...stored.components };
  for (const [uid, def] of Object.entries(file.components ?? {})) {
    if (def === null) delete components[uid];
    else components[uid] = def;
  }
  return { contentTypes: sortKeys(contentTypes), components: sortKeys(components) };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** A stable JSON text, so that equal documents compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function fieldOf(model: SchemaModel, uid: string, name: string): Field | undefined {
  return (model.contentTypes.get(uid) ?? model.components.get(uid))?.fields.get(name);
}

function modelOf(model: SchemaModel, uid: string) {
  return model.contentTypes.get(uid) ?? model.components.get(uid);
}

export async function planSchema(input: PlanInput): Promise<SchemaPlan> {
  const { stored, file, renames, actual, owned, counter } = input;
  const document = mergeDocument(stored, file);
  assertValidDocument(document);
  const oldModel = buildModel(stored);
  const newModel = buildModel(document);
  const oldTables = new Map(physicalSchema(oldModel).map((t) => [t.name, t]));
  const newTables = physicalSchema(newModel);

  /** new field name → old field name, per uid. */
  const renamedFrom = new Map<string, Map<string, string>>();
  for (const r of renames) {
    if (!renamedFrom.has(r.type)) renamedFrom.set(r.type, new Map());
    renamedFrom.get(r.type)!.set(r.to, r.from);
  }
  const oldNameOf = (uid: string, field: string) => renamedFrom.get(uid)?.get(field) ?? field;
  const renamedAway = (uid: string, oldField: string) => [...(renamedFrom.get(uid)?.values() ?? [])].includes(oldField);

  /** The old table a new table continues (same owner, role and — for links — field). */
  const originOf = (t: TableSpec): TableSpec | undefined => {
    for (const old of oldTables.values()) {
      if (old.owner !== t.owner || old.role !== t.role) continue;
      if (t.role === 'relationLink' && old.field !== oldNameOf(t.owner, t.field as string)) continue;
      return old;
    }
    return undefined;
  };

  const blocked: string[] = [];
  const phases: PlannedStep[][] = [[], [], [], [], [], [], [], [], []];
  const suggested: PlannedStep[] = [];
  const [additive, dropIndexes, renaming, altering, indexing, trimming, deleting, dropping, layouts] = phases;
  const add = (phase: PlannedStep[], step: Step, description: string, uids: string[], rowsAtStake = 0, lossy = false) =>
    phase.push({ step, description, uids, rowsAtStake, lossy });

  const continued = new Set<string>(); // old tables that live on (possibly renamed)
  for (const table of newTables) {
    const origin = originOf(table);
    let current = table.name; // the name the table has in the database before this plan
    if (!actual.has(table.name)) {
      if (origin && origin.name !== table.name && actual.has(origin.name)) {
        add(
          renaming,
          { action: 'renameTable', from: origin.name, to: table.name },
          `rename table ${origin.name} to ${table.name}`,
          [table.owner],
        );
        if ((table.role === 'contentType' || table.role === 'component') && actual.has(FILE_LINK_TABLE)) {
          const c = FILE_LINK_COLUMNS.entityTable;
          add(
            altering,
            { action: 'renameField', table: FILE_LINK_TABLE, column: c, from: origin.name, to: table.name },
            `point the media links of ${origin.name} at ${table.name}`,
            [table.owner],
          );
        }
        current = origin.name;
      } else {
        add(additive, { action: 'createTable', table }, `create table ${table.name} (${describeTable(table)})`, [
          table.owner,
        ]);
        if (origin) continued.add(origin.name);
        continue;
      }
    } else if (!oldTables.has(table.name) && !owned.has(table.name)) {
      // A table Folio did not create holds the name: the step fails and names it, changing nothing.
      add(additive, { action: 'createTable', table }, `create table ${table.name} (${describeTable(table)})`, [
        table.owner,
      ]);
      continue;
    }
    if (origin) continued.add(origin.name);
    const have = actual.get(current)!;
    const model = modelOf(newModel, table.owner)!;

    // Relation links whose meaning changed.
    if (table.role === 'relationLink' && origin) {
      const newField = fieldOf(newModel, table.owner, table.field as string);
      const oldField = fieldOf(oldModel, table.owner, origin.field as string);
      if (newField?.kind === 'relation' && oldField?.kind === 'relation') {
        if (newField.target !== oldField.target) {
          const rows = await counter.rows(current);
          add(
            deleting,
            { action: 'clearTable', table: table.name },
            `remove the ${rows} link(s) of ${table.owner}.${table.field} (its target changes from ` +
              `${oldField.target} to ${newField.target})`,
            [table.owner],
            rows,
            true,
          );
        } else if (oldField.toMany && !newField.toMany) {
          const rows = await counter.overfull(current);
          add(
            trimming,
            { action: 'trimLinks', table: table.name },
            `keep only the first link of ${table.owner}.${table.field} per entry (${rows} entr` +
              `${rows === 1 ? 'y holds' : 'ies hold'} more than one)`,
            [table.owner],
            rows,
            true,
          );
        }
      }
    }

    // Columns: added, renamed, retyped.
    const wanted = new Set<string>();
    const renamedColumns = new Map<string, string>(); // old column name → new
    for (const column of table.columns) {
      wanted.add(column.name);
      let from = column.name;
      if (column.attribute !== undefined) {
        const oldField = fieldOf(oldModel, table.owner, oldNameOf(table.owner, column.attribute));
        if (oldField?.kind === 'scalar') from = oldField.column;
      }
      const oldColumn = origin?.columns.find((c) => c.name === from);
      if (from !== column.name) renamedColumns.set(from, column.name);
      if (!have.columns.has(column.name)) {
        if (from !== column.name && have.columns.has(from)) {
          add(
            renaming,
            { action: 'renameColumn', table: table.name, from, to: column.name },
            `rename column ${table.name}.${from} to ${column.name}`,
            [table.owner],
          );
        } else {
          add(
            additive,
            { action: 'addColumn', table: current, column },
            `add column ${table.name}.${column.name} ${signature(column.type)}`,
            [table.owner],
          );
          continue;
        }
      }
      const toggled = encryptionToggle(oldModel, newModel, table.owner, column.attribute, oldNameOf);
      if (oldColumn && toggled) {
        const rows = await counter.nonNull(current, from);
        add(
          altering,
          { action: toggled, table: table.name, column, from: signature(oldColumn.type) },
          `${toggled === 'sealColumn' ? 'encrypt' : 'decrypt'} the ${rows} value(s) of ${table.owner}.` +
            `${column.attribute as string} (column ${table.name}.${column.name}, in batches, resumable)`,
          [table.owner],
        );
        continue;
      }
      if (oldColumn && signature(oldColumn.type) !== signature(column.type)) {
        const fromSig = signature(oldColumn.type);
        if (isLosslessChange(oldColumn.type, column.type)) {
          add(
            altering,
            { action: 'alterColumn', table: table.name, column, from: fromSig },
            `change column ${table.name}.${column.name} from ${fromSig} to ${signature(column.type)} (lossless)`,
            [table.owner],
          );
        } else {
          const rows = await counter.nonNull(current, from);
          add(
            altering,
            { action: 'recreateColumn', table: table.name, column, from: fromSig },
            `change column ${table.name}.${column.name} from ${fromSig} to ${signature(column.type)}: not ` +
              `lossless, the column is recreated empty (${rows} value(s) lost)`,
            [table.owner],
            rows,
            true,
          );
        }
      }
    }

    // Columns no longer wanted: only those the old definition stored (never a column Folio does not know).
    for (const column of origin?.columns ?? []) {
      if (wanted.has(column.name) || !have.columns.has(column.name)) continue;
      if (column.attribute !== undefined && renamedAway(table.owner, column.attribute)) continue;
      const rows = await counter.nonNull(current, column.name);
      add(
        dropping,
        { action: 'dropColumn', table: table.name, column: column.name },
        `drop column ${table.name}.${column.name} (${rows} row(s) with a value)`,
        [table.owner],
        rows,
        true,
      );
    }

    // Indexes. One whose table or columns were renamed is renamed too (MySQL will not drop an
    // index a foreign key needs); others are dropped before and created after the column changes.
    const wantedIndexes = new Set(table.indexes.map((i) => i.name));
    const known = new Set([...(origin?.indexes.map((i) => i.name) ?? [])]);
    const shapeOf = (unique: boolean, cols: string[], desc: string[] = []) =>
      `${unique}|${cols.map((c) => (desc.includes(c) ? `${c} desc` : c)).join(',')}`;
    const renamableIndexes = new Map<string, string>(); // shape (in new column names) → old index name
    for (const old of origin?.indexes ?? []) {
      if (have.indexes.has(old.name) && !wantedIndexes.has(old.name)) {
        renamableIndexes.set(
          shapeOf(
            old.unique,
            old.columns.map((c) => renamedColumns.get(c) ?? c),
            old.descending?.map((c) => renamedColumns.get(c) ?? c),
          ),
          old.name,
        );
      }
    }
    // Default indexes the old definition would have had too: the attribute existed without one.
    const defaultedBefore = new Set(
      (origin?.indexes ?? [])
        .filter((old) => old.byDefault)
        .map((old) =>
          shapeOf(
            old.unique,
            old.columns.map((c) => renamedColumns.get(c) ?? c),
            old.descending?.map((c) => renamedColumns.get(c) ?? c),
          ),
        ),
    );
    const renamedIndexes = new Set<string>();
    for (const index of table.indexes) {
      if (have.indexes.has(index.name)) continue;
      const from = renamableIndexes.get(shapeOf(index.unique, index.columns, index.descending));
      if (from && !renamedIndexes.has(from)) {
        renamedIndexes.add(from);
        add(
          altering,
          { action: 'renameIndex', table: table.name, from, index },
          `rename index ${from} to ${index.name}`,
          [table.owner],
        );
      } else {
        if (index.unique) {
          const before = new Map([...renamedColumns].map(([o, n]) => [n, o]));
          const existing = index.columns.map((c) => before.get(c) ?? c);
          if (existing.every((c) => have.columns.has(c))) {
            const dups = await counter.duplicates(current, existing);
            if (dups > 0)
              blocked.push(
                `cannot make ${table.name}.${index.columns[0]} unique: ${dups} value(s) occur more than once ` +
                  `(per locale and status)`,
              );
          }
        }
        const suggestion =
          index.byDefault === true &&
          !input.acceptSuggested &&
          defaultedBefore.has(shapeOf(index.unique, index.columns, index.descending));
        add(
          suggestion ? suggested : indexing,
          { action: 'createIndex', table: table.name, index },
          `create ${index.unique ? 'unique ' : ''}index ${index.name} on ${table.name} (` +
            `${index.columns.map((c) => (index.descending?.includes(c) ? `${c} DESC` : c)).join(', ')})`,
          [table.owner],
        );
      }
    }
    for (const name of have.indexes) {
      if (wantedIndexes.has(name) || renamedIndexes.has(name)) continue;
      if (known.has(name) || (name.startsWith(`${current}_`) && /_(idx|unq)$/.test(name))) {
        add(dropIndexes, { action: 'dropIndex', table: current, index: name }, `drop index ${name} on ${current}`, [
          table.owner,
        ]);
      }
    }

    // Field names stored in link rows (components in `_cmps`, media in folio_file_links).
    if (table.role === 'contentType' || table.role === 'component') {
      for (const field of model.fields.values()) {
        const from = oldNameOf(table.owner, field.name);
        if (from === field.name) continue;
        if (field.kind === 'component' || field.kind === 'dynamiczone') {
          add(
            altering,
            {
              action: 'renameField',
              table: field.linkTable,
              column: COMPONENT_LINK_COLUMNS.field,
              from,
              to: field.name,
            },
            `rename field ${from} to ${field.name} in ${field.linkTable}`,
            [table.owner],
          );
        }
        if (field.kind === 'media' && actual.has(FILE_LINK_TABLE)) {
          add(
            altering,
            {
              action: 'renameField',
              table: FILE_LINK_TABLE,
              column: FILE_LINK_COLUMNS.field,
              from,
              to: field.name,
              where: { [FILE_LINK_COLUMNS.entityTable]: table.name },
            },
            `rename field ${from} to ${field.name} of ${table.name} in ${FILE_LINK_TABLE}`,
            [table.owner],
          );
        }
      }
    }
  }

  // Fields removed from models that stay: their component and media links.
  for (const [uid, oldM] of [...oldModel.contentTypes, ...oldModel.components]) {
    const newM = modelOf(newModel, uid);
    if (!newM) continue;
    for (const field of oldM.fields.values()) {
      const kept = newM.fields.get(field.name);
      // A dynamic zone that stays but no longer allows some components: their items go.
      if (field.kind === 'dynamiczone' && kept?.kind === 'dynamiczone' && actual.has(field.linkTable)) {
        const dropped = field.components.filter((c) => !kept.components.includes(c));
        if (dropped.length) {
          const where = { [COMPONENT_LINK_COLUMNS.field]: field.name };
          let rows = 0;
          for (const c of dropped)
            rows += await counter.where(field.linkTable, { ...where, [COMPONENT_LINK_COLUMNS.componentType]: c });
          const componentTables = Object.fromEntries(
            dropped.map((c): [string, string] => [c, oldModel.components.get(c)?.table ?? '']).filter(([, t]) => t),
          );
          add(
            deleting,
            {
              action: 'deleteComponentLinks',
              table: field.linkTable,
              field: field.name,
              componentTables,
              tree: componentTree(oldModel),
              onlyTypes: dropped,
            },
            `delete the ${rows} ${dropped.join(', ')} item(s) of ${uid}.${field.name} (no longer allowed in the ` +
              `dynamic zone)`,
            [uid],
            rows,
            true,
          );
        }
      }
      if (renamedAway(uid, field.name) || kept?.kind === field.kind) continue;
      if ((field.kind === 'component' || field.kind === 'dynamiczone') && actual.has(field.linkTable)) {
        const where = { [COMPONENT_LINK_COLUMNS.field]: field.name };
        const rows = await counter.where(field.linkTable, where);
        const comps = field.kind === 'component' ? [field.component] : field.components;
        const componentTables = Object.fromEntries(
          comps.map((c): [string, string] => [c, oldModel.components.get(c)?.table ?? '']).filter(([, t]) => t),
        );
        add(
          deleting,
          {
            action: 'deleteComponentLinks',
            table: field.linkTable,
            field: field.name,
            componentTables,
            tree: componentTree(oldModel),
          },
          `delete the ${rows} component(s) of ${uid}.${field.name}`,
          [uid],
          rows,
          true,
        );
      }
      if (field.kind === 'media' && actual.has(FILE_LINK_TABLE)) {
        const rows = await counter.where(FILE_LINK_TABLE, {
          [FILE_LINK_COLUMNS.entityTable]: oldM.table,
          [FILE_LINK_COLUMNS.field]: field.name,
        });
        add(
          deleting,
          { action: 'deleteFileLinks', entityTable: oldM.table, field: field.name },
          `delete the ${rows} media link(s) of ${uid}.${field.name}`,
          [uid],
          rows,
          true,
        );
      }
    }
  }

  // Options that change what the rows mean: draft & publish, localization.
  for (const [uid, type] of newModel.contentTypes) {
    const before = oldModel.contentTypes.get(uid);
    if (!before || !actual.has(before.table)) continue;
    if (before.draftAndPublish !== type.draftAndPublish) {
      if (type.draftAndPublish) {
        add(
          trimming,
          { action: 'reshapeVersions', table: type.table, uid, draftAndPublish: true },
          `give every published ${uid} entry a draft to edit (draft & publish turned on)`,
          [uid],
        );
      } else {
        const rows = await counter.modifiedDrafts(before.table);
        add(
          trimming,
          { action: 'reshapeVersions', table: type.table, uid, draftAndPublish: false },
          `keep one version per ${uid} entry (draft & publish turned off): the published one, or the draft of ` +
            `never-published entries` +
            ` (${rows} draft(s) with unpublished changes are dropped)`,
          [uid],
          rows,
          true,
        );
      }
    }
    if (before.localized !== type.localized) {
      if (type.localized) {
        add(
          trimming,
          { action: 'reshapeLocales', table: type.table, uid, localized: true },
          `put every ${uid} entry in the default locale (localization turned on)`,
          [uid],
        );
      } else {
        const rows = await counter.otherLocales(before.table);
        add(
          trimming,
          { action: 'reshapeLocales', table: type.table, uid, localized: false },
          `keep the default locale's version of each ${uid} entry (localization turned off; ${rows} row(s) in ` +
            `other locales are deleted)`,
          [uid],
          rows,
          true,
        );
      }
    }
  }

  // Tables no longer wanted: link tables first (their foreign keys name the others).
  const gone = [...oldTables.values()].filter((t) => !continued.has(t.name) && actual.has(t.name));
  gone.sort(
    (a, b) =>
      (a.role === 'relationLink' || a.role === 'componentLink' ? 0 : 1) -
      (b.role === 'relationLink' || b.role === 'componentLink' ? 0 : 1),
  );
  for (const table of gone) {
    if (newTables.some((t) => t.name === table.name)) continue;
    const rows = await counter.rows(table.name);
    if (table.role === 'contentType' && actual.has(FILE_LINK_TABLE)) {
      const links = await counter.where(FILE_LINK_TABLE, { [FILE_LINK_COLUMNS.entityTable]: table.name });
      add(
        deleting,
        { action: 'deleteFileLinks', entityTable: table.name },
        `delete the ${links} media link(s) of ${table.owner}`,
        [table.owner],
        links,
        true,
      );
    }
    add(
      dropping,
      { action: 'dropTable', table: table.name },
      `drop table ${table.name} (${rows} row(s))`,
      [table.owner],
      rows,
      true,
    );
  }

  for (const { uid, table } of changedLayouts(stored, document, newModel)) {
    add(
      layouts,
      { action: 'changeLayout', table, uid },
      `change the view layout of ${uid} (field order, widths, sections, list columns: no database change)`,
      [uid],
    );
  }

  const steps = phases.flat();
  const refused = input.force ? [] : steps.filter((s) => s.lossy && s.rowsAtStake > 0);
  return {
    document,
    model: newModel,
    steps,
    documentChanged: canonicalJson(document) !== canonicalJson(stored),
    refused,
    blocked,
    suggested,
  };
}

/** The types and components (kept or new) whose `layout` differs from the stored one. */
function changedLayouts(
  stored: SchemaDocument,
  document: SchemaDocument,
  model: SchemaModel,
): Array<{ uid: string; table: string }> {
  const changed: Array<{ uid: string; table: string }> = [];
  const compare = (before: Record<string, { layout?: unknown }>, after: Record<string, { layout?: unknown }>) => {
    for (const [uid, def] of Object.entries(after)) {
      const old = Object.hasOwn(before, uid) ? before[uid].layout : undefined;
      if (canonicalJson(old ?? null) === canonicalJson(def.layout ?? null)) continue;
      const table = modelOf(model, uid)?.table;
      if (table) changed.push({ uid, table });
    }
  };
  compare(stored.contentTypes, document.contentTypes);
  compare(stored.components, document.components);
  return changed;
}

/** Whether `uid.attribute` (its old name through renames) has `encrypted` turned on or off. */
function encryptionToggle(
  oldModel: SchemaModel,
  newModel: SchemaModel,
  uid: string,
  attribute: string | undefined,
  oldNameOf: (uid: string, field: string) => string,
): 'sealColumn' | 'openColumn' | undefined {
  if (attribute === undefined) return undefined;
  const before = fieldOf(oldModel, uid, oldNameOf(uid, attribute));
  const after = fieldOf(newModel, uid, attribute);
  if (before?.kind !== 'scalar' || after?.kind !== 'scalar') return undefined;
  const was = before.attribute.encrypted === true;
  const is = after.attribute.encrypted === true;
  return was === is ? undefined : is ? 'sealColumn' : 'openColumn';
}

function describeTable(table: TableSpec): string {
  return table.columns.map((c) => c.name).join(', ');
}
