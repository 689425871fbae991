// A revision's data: one version of a document read in full — every attribute but passwords,
// relations as documentIds, media as file ids, components and dynamic zones with their own fields —
// in the shape a write body takes, so that restoring it is an update with that body. Read through the
// query engine that answers the APIs, on the write's transaction (on SQLite it holds the one connection).
import type { Knex } from 'knex';
import type { DialectName } from '../../db/connection.js';
import type { ComponentModel, ContentTypeModel, Field, SchemaModel } from '../../schema/model.js';
import type { DocumentEntry } from '../documents.js';
import { readDefaultLocale } from '../locale-service.js';
import { selectPrivate } from '../operations/read-as-editor.js';
import { QueryEngine } from '../query/execute.js';
import { DEFAULT_LIMITS, parseContentQuery } from '../query/parse.js';
import type { Entry } from '../query/serialize.js';

type Model = ContentTypeModel | ComponentModel;
export type RevisionData = Record<string, unknown>;

/**
 * How deep components nested in components are read. The schema sets no limit; a level deeper than
 * this (no real model nests ten components) would be recorded without its own nested components.
 */
const SNAPSHOT_DEPTH = 10;

/** Populate spec of everything a version holds: owned relations (documentIds), media, components. */
function populateAll(schema: SchemaModel, model: Model, depth = 1): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > SNAPSHOT_DEPTH) return out;
  const nested = (uid: string) => {
    const component = schema.components.get(uid);
    return component ? { populate: populateAll(schema, component, depth + 1) } : undefined;
  };
  for (const field of model.fields.values()) {
    if (field.kind === 'relation') {
      // The inverse side belongs to the other document's versions: restoring this one must not move it.
      if (field.owner && schema.contentTypes.has(field.target)) out[field.name] = { fields: ['documentId'] };
    } else if (field.kind === 'media') out[field.name] = { fields: ['name'] };
    else if (field.kind === 'component') out[field.name] = nested(field.component) ?? {};
    else if (field.kind === 'dynamiczone') {
      const on: Record<string, unknown> = {};
      for (const uid of field.components) {
        const spec = nested(uid);
        if (spec) on[uid] = spec;
      }
      out[field.name] = { on };
    }
  }
  return out;
}

const documentIdOf = (value: unknown) => String((value as Entry).documentId);
const fileIdOf = (value: unknown) => Number((value as Entry).id);

/** A field's value as a write body gives it. */
function bodyValue(schema: SchemaModel, field: Field, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (field.kind) {
    case 'scalar':
      return value;
    case 'relation':
      return Array.isArray(value) ? value.map(documentIdOf) : documentIdOf(value);
    case 'media':
      return Array.isArray(value) ? value.map(fileIdOf) : fileIdOf(value);
    case 'component': {
      const model = schema.components.get(field.component);
      if (!model) return undefined;
      return Array.isArray(value)
        ? value.map((v) => bodyOf(schema, model, v as Entry))
        : bodyOf(schema, model, value as Entry);
    }
    case 'dynamiczone':
      return (value as Entry[]).map((item) => {
        const uid = String(item.__component);
        const model = schema.components.get(uid);
        return { __component: uid, ...(model ? bodyOf(schema, model, item) : {}) };
      });
  }
}

/** An entry (or component instance) read by the engine, as a write body: ids and system fields left out. */
function bodyOf(schema: SchemaModel, model: Model, entry: Entry): RevisionData {
  const out: RevisionData = {};
  for (const field of model.fields.values()) {
    if (field.kind === 'scalar' && field.attribute.type === 'password') continue;
    if (field.kind === 'relation' && !field.owner) continue;
    if (!Object.hasOwn(entry, field.name)) continue;
    const value = bodyValue(schema, field, entry[field.name]);
    if (value !== undefined) out[field.name] = value;
  }
  return out;
}

/**
 * The document of `entry` in full, read through `trx`: its editable version (the draft, which a
 * publish has just copied; the one row of types without draft & publish) with every link by
 * documentId — targets are read as drafts, so a link to a document not yet published is kept.
 */
export async function snapshotOf(
  trx: Knex.Transaction,
  dialect: DialectName,
  schema: SchemaModel,
  type: ContentTypeModel,
  entry: DocumentEntry,
): Promise<RevisionData> {
  // Links of a type without locales reach localized targets in the default locale, as reads do.
  const defaultLocale = type.localized ? entry.locale : await readDefaultLocale(trx);
  const query = parseContentQuery(
    type,
    { status: 'draft', ...(type.localized ? { locale: entry.locale } : {}), populate: populateAll(schema, type) },
    {
      schema,
      limits: { ...DEFAULT_LIMITS, populateDepth: SNAPSHOT_DEPTH },
      defaultLocale,
      canRead: () => true,
      forbidden: (uid) => new Error(`A revision reads every type (${uid})`),
    },
    { single: true },
  );
  selectPrivate(query.selection, type, new Set(type.fields.keys()));
  const engine = new QueryEngine({ db: trx, dialect, schema, defaultLocale });
  const read = await engine.findOne(query, entry.documentId);
  return read ? bodyOf(schema, type, read) : {};
}
