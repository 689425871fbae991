// `folio import --from-strapi <archive>` (docs/migrating-from-strapi.md): a Strapi 5 export brought
// into Folio. As `folio import` does with Folio's own archives: pass 1 reads the whole archive (every
// JSONL line parsed and checked, nothing changed); the archive's schemas are then applied (DDL, which
// MySQL cannot take back, so it comes before the data); pass 2 loads everything in ONE transaction,
// line by line, and a failure rolls the rows back and removes the media files it stored.
//
// Strapi's rows become Folio's with their ids kept: Strapi 5, like Folio, stores one row per
// (document, locale, draft|published), so an entity's id is a Folio row id, a component's id a
// component row id, and a link (row → row) is resolved to Folio's (row → document) by reading the
// target row's documentId in the same transaction — no map of the archive is held in memory.
import type { Knex } from 'knex';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ApplicationError } from '../errors.js';
import type { Folio } from '../folio.js';
import { assertForeignKeys, clearTables, tablesHoldingData } from '../backup/import.js';
import { contentTables } from '../backup/parts.js';
import { NO_PROGRESS, type Progress } from '../backup/progress.js';
import { readAll } from '../backup/archive.js';
import { coerceScalar } from '../content/input.js';
import { newDocumentId, DOCUMENT_ID_FORMAT } from '../content/document-id.js';
import { isSafeKey } from '../media/storage.js';
import type { MediaFormat } from '../media/shape.js';
import type { ComponentField, ComponentModel, DynamicZoneField, Model, SchemaModel } from '../schema/model.js';
import { COMPONENT_LINK_COLUMNS as CL, FILE_LINK_TABLE, RELATION_LINK_COLUMNS as RL } from '../schema/naming.js';
import { jsonLines, readStrapiArchive, type StrapiEntry } from './archive.js';
import { convertSchemas } from './schemas.js';
import { LocatedError, RowBatches } from './rows.js';
import { unsupportedKeys } from '../schema/strapi-keys.js';
import { StrapiMembers } from './members.js';

export interface StrapiImportOptions {
  /** Replace the content and media the database holds; without it, a database holding any is refused. */
  replace?: boolean;
  /** The key the archive was exported with (`strapi export --key`). */
  key?: string;
  /** `keep`: leave Folio's schema as it is (types it lacks are skipped); `apply` (default): apply the archive's. */
  schema?: 'apply' | 'keep';
  progress?: Progress;
}

export interface Skipped {
  what: string;
  count: number;
  why: string;
}

export interface StrapiImportResult {
  strapiVersion: string;
  schemaApplied: boolean;
  /** Keys of the applied definitions Folio keeps without acting on them (as `schema apply` lists them). */
  unsupportedKeys: string[];
  /** What was imported, by kind ("article entries", "components", "relations", "media files", …). */
  imported: Record<string, number>;
  skipped: Skipped[];
}

type Json = Record<string, unknown>;

// The shapes of the data-transfer types (packages/core/data-transfer/types: IEntity, ILink, IConfiguration).
const entitySchema = z.object({
  type: z.string(),
  id: z.number().int().positive(),
  data: z.record(z.string(), z.unknown()),
});
const linkEnd = z.object({
  type: z.string(),
  ref: z.number().int().positive(),
  field: z.string().optional(),
  pos: z.number().optional().nullable(),
});
const linkSchema = z.object({
  kind: z.string(),
  relation: z.string().optional(),
  left: linkEnd.extend({ field: z.string() }),
  right: linkEnd,
});
const configurationSchema = z.object({ type: z.string(), value: z.unknown() });
const metadataSchema = z.object({ strapi: z.object({ version: z.string() }) }).loose();
type Entity = z.infer<typeof entitySchema>;
type Link = z.infer<typeof linkSchema>;

const LINE_SCHEMAS = {
  schemas: z.record(z.string(), z.unknown()),
  entities: entitySchema,
  links: linkSchema,
  configuration: configurationSchema,
} as const;

/** Why whole types of Strapi's are not brought over. */
function skipReason(type: string): string {
  if (type.startsWith('plugin::users-permissions.'))
    return "only roles, their permissions on content types and users have an equivalent (Folio's members)";
  if (type.startsWith('plugin::content-releases.')) return 'releases are not imported (set them again in Folio)';
  if (type.startsWith('plugin::review-workflows.')) return 'Folio has no review workflows';
  if (type.startsWith('admin::')) return 'admin users, roles and tokens are not imported: invite the users again';
  if (type.startsWith('api::')) return "no such content type in Folio's schema (--schema=keep)";
  if (!type.includes('::')) return "no such component in Folio's schema (--schema=keep)";
  return 'a plugin Folio does not have';
}

interface Scan {
  strapiVersion: string;
  schemas: Json[];
  items: number;
}

/** Pass 1: the archive read whole, every line parsed and checked; nothing is changed. */
async function scanArchive(file: string, key: string | undefined): Promise<Scan> {
  const schemas: Json[] = [];
  let metadata: z.infer<typeof metadataSchema> | undefined;
  let items = 0;
  for await (const entry of readStrapiArchive(file, key)) {
    if (entry.kind === 'metadata') {
      const text = (await readAll(entry.body)).toString('utf8');
      const parsed = metadataSchema.safeParse(safeJson(text));
      if (!parsed.success) throw new ApplicationError(`${file}: metadata.json is not a Strapi export's`);
      metadata = parsed.data;
    } else if (entry.kind === 'jsonl') {
      let line = 0;
      for await (const value of jsonLines(entry.name, entry.body)) {
        line += 1;
        const parsed = LINE_SCHEMAS[entry.folder].safeParse(value);
        if (!parsed.success)
          throw new ApplicationError(
            `${entry.name}, item ${line}: not a Strapi ${entry.folder} item (${parsed.error.issues[0].message})`,
          );
        if (entry.folder === 'schemas') schemas.push(parsed.data);
        else items += 1;
      }
    } else if (entry.kind === 'asset') {
      items += 1;
    }
  }
  if (!metadata) throw new ApplicationError(`${file} is not a Strapi export: it has no metadata.json`);
  const major = Number.parseInt(metadata.strapi.version, 10);
  if (major !== 5)
    throw new ApplicationError(
      `${file} was exported by Strapi ${metadata.strapi.version}; ` +
        'Folio imports Strapi 5 exports (migrate to Strapi 5 first)',
    );
  if (schemas.length === 0) throw new ApplicationError(`${file} holds no schemas: not a Strapi export`);
  return { strapiVersion: metadata.strapi.version, schemas, items };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A string value of the archive's, or the fallback when it holds none. */
const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

function toDate(value: unknown, what: string): Date | null {
  if (value === null || value === undefined) return null;
  const date = new Date(value as string);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new Error(`${what}: not a date-time`);
  return date;
}

/**
 * Positions in link tables are 1..n integers; Strapi's order columns may hold fractions (after a
 * reorder), so a to-many link is stored at its order ×1000 and renumbered once all are in (finish).
 */
const scaledPosition = (pos: number) => Math.round(pos * 1000);

/** Links are written this many at a time: their ends checked, and targets resolved, in a few queries. */
const LINK_BATCH = 500;

/** One end of a link: the Folio table and row id it names, and how the archive names it (for errors). */
interface LinkEnd {
  table: string;
  type: string;
  id: number;
}

interface PendingRelation {
  where: string;
  owner: LinkEnd;
  target: LinkEnd;
  linkTable: string;
  position: number;
}

/** A link to a user: the member's id (Strapi's user id, kept) in a column of the entry's row. */
interface PendingMember {
  where: string;
  owner: LinkEnd;
  member: LinkEnd;
  column: string;
}

/** Strapi's users, Folio's members. */
const STRAPI_USER = 'plugin::users-permissions.user';

interface PendingMedia {
  where: string;
  file: LinkEnd;
  owner: LinkEnd;
  field: string;
  position: number;
}

const linkWhere = (left: Link['left'], right: Link['right']) =>
  `${left.type} ${left.ref} .${left.field} → ${right.type} ${right.ref}`;

class StrapiLoader {
  readonly imported = new Map<string, number>();
  private readonly skipped = new Map<string, Skipped>();
  /** Keys stored by this import: removed again when it fails. */
  readonly created: string[] = [];
  /** Media keys (hash + ext, the main file's and each format's) → their type, from the file rows. */
  private readonly mimes = new Map<string, string>();
  /** Of those, the ones whose bytes were stored. */
  private readonly stored = new Set<string>();
  private readonly touchedLinkTables = new Set<string>();
  /** users-permissions: roles, permissions, users and settings → Folio's members. */
  private readonly members: StrapiMembers;
  private defaultLocale: string | undefined;
  private readonly rows: RowBatches;
  /** Links whose ends are checked, and targets resolved, a batch at a time. */
  private relationLinks: PendingRelation[] = [];
  private readonly memberLinks: PendingMember[] = [];
  private mediaLinks: PendingMedia[] = [];

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly folio: Folio,
    private readonly model: SchemaModel,
    /** Strapi uid → Folio name, for the project's types and components. */
    private readonly names: ReadonlyMap<string, string>,
    private readonly progress: Progress,
  ) {
    this.rows = new RowBatches(trx);
    this.members = new StrapiMembers(trx, folio, (uid) => this.modelOf(uid), {
      count: (what, by) => this.count(what, by),
      skip: (what, why) => this.skip(what, why),
    });
  }

  private count(what: string, by = 1): void {
    this.imported.set(what, (this.imported.get(what) ?? 0) + by);
  }

  skip(what: string, why: string): void {
    const known = this.skipped.get(what);
    if (known) known.count += 1;
    else this.skipped.set(what, { what, count: 1, why });
  }

  skippedList(): Skipped[] {
    return [...this.skipped.values()];
  }

  private modelOf(uid: string): Model | undefined {
    const name = this.names.get(uid) ?? (uid.startsWith('api::') ? uid.split('.').pop() : uid);
    if (name === undefined) return undefined;
    return this.model.contentTypes.get(name) ?? this.model.components.get(name);
  }

  async entity(entity: Entity): Promise<void> {
    const where = `${entity.type} ${entity.id}`;
    try {
      if (entity.type === 'plugin::upload.file') await this.file(entity);
      else if (entity.type === 'plugin::upload.folder') await this.folder(entity);
      else if (entity.type === 'plugin::i18n.locale') await this.locale(entity);
      else if (entity.type === 'plugin::users-permissions.permission') this.members.permission(entity.id, entity.data);
      else if (entity.type === 'plugin::users-permissions.role') await this.members.role(entity.id, entity.data);
      else if (entity.type === 'plugin::users-permissions.user') await this.members.user(entity.id, entity.data);
      else {
        const model = this.modelOf(entity.type);
        if (model?.modelKind === 'contentType') await this.entry(model, entity);
        else this.skip(entity.type, skipReason(entity.type));
      }
    } catch (err) {
      if (err instanceof LocatedError) throw err;
      throw new Error(`entities: ${where}: ${(err as Error).message}`, { cause: err });
    }
    this.progress.advance(1);
  }

  private async entry(model: Extract<Model, { modelKind: 'contentType' }>, { id, data }: Entity): Promise<void> {
    const documentId = data.documentId;
    if (typeof documentId !== 'string' || !DOCUMENT_ID_FORMAT.test(documentId))
      throw new Error('it has no valid documentId');
    const createdAt = toDate(data.createdAt, 'createdAt') ?? new Date();
    const publishedAt = toDate(data.publishedAt, 'publishedAt');
    // Types without draft & publish keep one published row (Strapi 5 sets their publishedAt too).
    const status = !model.draftAndPublish || publishedAt ? 'published' : 'draft';
    const locale = model.localized ? text(data.locale, this.defaultLocale ?? 'en') : '';
    const row: Json = {
      id,
      document_id: documentId,
      locale,
      status,
      created_at: createdAt,
      updated_at: toDate(data.updatedAt, 'updatedAt') ?? createdAt,
      published_at: status === 'published' ? (publishedAt ?? createdAt) : null,
      ...this.scalars(model, data),
    };
    await this.rows.add(model.table, row);
    await this.componentsOf(model, id, data);
    this.count(`${model.uid} entries`);
  }

  /** The column values of a model's scalar attributes, checked as the Content API checks them. */
  private scalars(model: Model, data: Json): Json {
    const columns: Json = {};
    for (const field of model.scalars) {
      const value = data[field.name];
      // Every column named, null when absent: the rows of a table go into one multi-row INSERT.
      columns[field.column] = null;
      if (value === undefined || value === null) continue;
      const coerced = coerceScalar(field, value);
      if ('error' in coerced) throw new Error(`${field.name} ${coerced.error}`);
      columns[field.column] = coerced.value;
    }
    return columns;
  }

  /** Components and dynamic zones, which Strapi's export carries inline with their ids. */
  private async componentsOf(owner: Model, ownerId: number, data: Json): Promise<void> {
    for (const field of owner.fields.values()) {
      if (field.kind !== 'component' && field.kind !== 'dynamiczone') continue;
      const value = data[field.name];
      const items = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
      for (const [index, item] of items.entries()) await this.component(field, ownerId, item, index + 1);
    }
  }

  private async component(
    field: ComponentField | DynamicZoneField,
    ownerId: number,
    item: unknown,
    position: number,
  ): Promise<void> {
    if (typeof item !== 'object' || item === null) throw new Error(`${field.name}: a component is not an object`);
    const data = item as Json;
    const uid = field.kind === 'dynamiczone' ? data.__component : field.component;
    if (typeof uid !== 'string') throw new Error(`${field.name}: a dynamic-zone item has no __component`);
    if (field.kind === 'dynamiczone' && !field.components.includes(uid))
      throw new Error(`${field.name}: ${uid} is not one of the zone's components`);
    const component: ComponentModel | undefined = this.model.components.get(uid);
    if (!component) throw new Error(`${field.name}: no component ${uid} in the schema`);
    if (typeof data.id !== 'number') throw new Error(`${field.name}: a component has no id`);
    await this.rows.add(component.table, { id: data.id, ...this.scalars(component, data) });
    await this.rows.add(field.linkTable, {
      [CL.entityId]: ownerId,
      [CL.field]: field.name,
      [CL.componentType]: uid,
      [CL.componentId]: data.id,
      [CL.position]: position,
    });
    await this.componentsOf(component, data.id, data);
    this.count('components');
  }

  private async file({ id, data }: Entity): Promise<void> {
    const storage = this.folio.media.storage;
    const hash = text(data.hash, '');
    const ext = text(data.ext, '');
    const mime = text(data.mime, 'application/octet-stream');
    if (!isSafeKey(`${hash}${ext}`)) throw new Error(`unsafe file name ${JSON.stringify(hash + ext)}`);
    this.mimes.set(`${hash}${ext}`, mime);
    const formats = (typeof data.formats === 'object' && data.formats !== null ? data.formats : null) as Record<
      string,
      MediaFormat
    > | null;
    const rehomed = formats
      ? Object.fromEntries(
          Object.entries(formats).map(([name, f]) => {
            this.mimes.set(`${f.hash}${f.ext}`, f.mime);
            return [name, { ...f, url: storage.url(`${f.hash}${f.ext}`) }];
          }),
        )
      : null;
    const createdAt = toDate(data.createdAt, 'createdAt') ?? new Date();
    await this.rows.add('folio_files', {
      id,
      document_id: typeof data.documentId === 'string' ? data.documentId : newDocumentId(),
      name: text(data.name, `${hash}${ext}`),
      alternative_text: data.alternativeText ?? null,
      caption: data.caption ?? null,
      width: data.width ?? null,
      height: data.height ?? null,
      formats: rehomed ? JSON.stringify(rehomed) : null,
      hash,
      ext,
      mime,
      size: Number(data.size ?? 0),
      url: storage.url(`${hash}${ext}`),
      preview_url: data.previewUrl ?? null,
      provider: storage.name,
      provider_metadata: data.provider_metadata ? JSON.stringify(data.provider_metadata) : null,
      created_at: createdAt,
      updated_at: toDate(data.updatedAt, 'updatedAt') ?? createdAt,
    });
    this.count('media files (entries)');
  }

  private async folder({ id, data }: Entity): Promise<void> {
    const createdAt = toDate(data.createdAt, 'createdAt') ?? new Date();
    await this.rows.add('folio_folders', {
      id,
      document_id: typeof data.documentId === 'string' ? data.documentId : newDocumentId(),
      name: text(data.name, `folder ${id}`),
      // Folio's path is of folder ids (Strapi's of pathIds): made once the parents are known (finish).
      path: `/${id}`,
      created_at: createdAt,
      updated_at: toDate(data.updatedAt, 'updatedAt') ?? createdAt,
    });
    this.count('media folders');
  }

  private async locale({ data }: Entity): Promise<void> {
    const code = text(data.code, '');
    if (!/^[A-Za-z0-9-]{1,16}$/.test(code)) throw new Error(`not a locale code: ${JSON.stringify(code)}`);
    const now = Date.now();
    const name = text(data.name, code);
    const existing = await this.trx('folio_locales').where({ code }).first<{ id: number } | undefined>('id');
    if (existing) await this.trx('folio_locales').where({ code }).update({ name, updated_at: now });
    else await this.trx('folio_locales').insert({ code, name, created_at: now, updated_at: now, is_default: false });
    this.count('locales');
  }

  async asset(filename: string, body: Readable): Promise<void> {
    if (!isSafeKey(filename)) throw new Error(`assets: unsafe file name ${JSON.stringify(filename)}`);
    const mime = this.mimes.get(filename);
    if (mime === undefined) {
      body.resume();
      this.skip('asset files without a file entry', 'the archive has no plugin::upload.file entity for them');
    } else {
      const storage = this.folio.media.storage;
      if (!(await storage.exists(filename))) this.created.push(filename);
      await storage.put(filename, body, mime);
      this.stored.add(filename);
      this.count('media files (bytes)');
    }
    this.progress.advance(1);
  }

  async link(link: Link): Promise<void> {
    const { left, right } = link;
    const where = `${left.type} ${left.ref} .${left.field} → ${right.type} ${right.ref}`;
    try {
      if (left.type === 'plugin::upload.file' && left.field === 'related') await this.mediaLink(link);
      else if (left.type === 'plugin::upload.file' && left.field === 'folder')
        await this.setParent('folio_files', 'folder_id', left.ref, right.ref);
      else if (left.type === 'plugin::upload.folder' && left.field === 'parent')
        await this.setParent('folio_folders', 'parent_id', left.ref, right.ref);
      else if (!this.members.link(left, right)) await this.relationLink(link);
    } catch (err) {
      if (err instanceof LocatedError) throw err;
      throw new Error(`links: ${where}: ${(err as Error).message}`, { cause: err });
    }
    this.progress.advance(1);
  }

  private async relationLink({ left, right }: Link): Promise<void> {
    const owner = this.modelOf(left.type);
    const field = owner?.fields.get(left.field);
    if (owner && field?.kind === 'scalar' && field.member && right.type === STRAPI_USER) {
      // Its column is set once the entry's row is written (finish): rows are inserted in batches.
      this.memberLinks.push({
        where: linkWhere(left, right),
        owner: { table: owner.table, type: left.type, id: left.ref },
        member: { table: 'folio_members', type: right.type, id: right.ref },
        column: field.column,
      });
      return;
    }
    if (!owner || field?.kind !== 'relation' || !field.owner) {
      this.skip(`${left.type}.${left.field}`, skipReason(owner ? right.type : left.type));
      return;
    }
    const target = this.model.contentTypes.get(field.target);
    if (!target) throw new Error(`no content type ${field.target}`);
    this.relationLinks.push({
      where: linkWhere(left, right),
      owner: { table: owner.table, type: left.type, id: left.ref },
      target: { table: target.table, type: right.type, id: right.ref },
      linkTable: field.linkTable,
      // A to-one link has no order in Strapi: its only position is 1.
      position: typeof left.pos === 'number' ? scaledPosition(left.pos) : 1,
    });
    if (typeof left.pos === 'number') this.touchedLinkTables.add(field.linkTable);
    if (this.relationLinks.length >= LINK_BATCH) await this.writeRelationLinks();
  }

  private async mediaLink({ left, right }: Link): Promise<void> {
    const owner = this.modelOf(right.type);
    if (!owner || right.field === undefined || owner.fields.get(right.field)?.kind !== 'media') {
      this.skip(`media of ${right.type}`, skipReason(right.type));
      return;
    }
    this.mediaLinks.push({
      where: linkWhere(left, right),
      file: { table: 'folio_files', type: left.type, id: left.ref },
      owner: { table: owner.table, type: right.type, id: right.ref },
      field: right.field,
      position: Math.max(1, Math.round(right.pos ?? 1)),
    });
    if (this.mediaLinks.length >= LINK_BATCH) await this.writeMediaLinks();
  }

  /**
   * The rows `ends` name, by table and id (with their document_id when `documents`); an end the
   * archive does not hold fails the import, naming its link.
   */
  private async resolve(
    ends: Array<{ where: string; end: LinkEnd }>,
    documents = false,
  ): Promise<Map<string, Map<number, string | null>>> {
    await this.rows.flush();
    const wanted = new Map<string, Set<number>>();
    for (const { end } of ends) wanted.set(end.table, (wanted.get(end.table) ?? new Set<number>()).add(end.id));
    const found = new Map<string, Map<number, string | null>>();
    for (const [table, ids] of wanted) {
      const rows = await this.trx(table)
        .whereIn('id', [...ids])
        .select<Array<{ id: number; document_id?: string }>>(documents ? ['id', 'document_id'] : ['id']);
      found.set(table, new Map(rows.map((r) => [r.id, r.document_id ?? null])));
    }
    for (const { where, end } of ends) {
      if (!found.get(end.table)?.has(end.id))
        throw new LocatedError(`links: ${where}: the archive holds no ${end.type} ${end.id}`);
    }
    return found;
  }

  private async writeRelationLinks(): Promise<void> {
    const batch = this.relationLinks;
    this.relationLinks = [];
    if (batch.length === 0) return;
    await this.resolve(batch.map((l) => ({ where: l.where, end: l.owner })));
    const targets = await this.resolve(
      batch.map((l) => ({ where: l.where, end: l.target })),
      true,
    );
    for (const link of batch) {
      await this.rows.add(link.linkTable, {
        [RL.entityId]: link.owner.id,
        [RL.targetDocumentId]: targets.get(link.target.table)!.get(link.target.id),
        [RL.position]: link.position,
      });
    }
    await this.rows.flush();
    this.count('relations', batch.length);
  }

  /** Sets each entry's member relations; every entry and member named must be in the archive. */
  private async writeMemberLinks(): Promise<void> {
    if (this.memberLinks.length === 0) return;
    await this.resolve(this.memberLinks.map((l) => ({ where: l.where, end: l.owner })));
    await this.resolve(this.memberLinks.map((l) => ({ where: l.where, end: l.member })));
    for (const link of this.memberLinks)
      await this.trx(link.owner.table)
        .where({ id: link.owner.id })
        .update({ [link.column]: link.member.id });
    this.count('member relations', this.memberLinks.length);
  }

  private async writeMediaLinks(): Promise<void> {
    const batch = this.mediaLinks;
    this.mediaLinks = [];
    if (batch.length === 0) return;
    await this.resolve(
      batch.flatMap((l) => [
        { where: l.where, end: l.file },
        { where: l.where, end: l.owner },
      ]),
    );
    for (const link of batch) {
      await this.rows.add(FILE_LINK_TABLE, {
        file_id: link.file.id,
        entity_table: link.owner.table,
        entity_id: link.owner.id,
        field: link.field,
        position: link.position,
      });
    }
    await this.rows.flush();
    this.count('media links', batch.length);
  }

  private async setParent(table: string, column: string, id: number, parent: number): Promise<void> {
    await this.rows.flush();
    if (!(await this.trx('folio_folders').where('id', parent).first('id')))
      throw new Error(`the archive holds no plugin::upload.folder ${parent}`);
    const updated = await this.trx(table)
      .where('id', id)
      .update({ [column]: parent });
    if (updated === 0) throw new Error(`the archive holds no row ${id} of ${table}`);
  }

  configuration(type: string, value: unknown): void {
    const item = (typeof value === 'object' && value !== null ? value : {}) as Json;
    if (type === 'core-store' && this.members.configuration(item.key, item.value)) {
      // users-permissions' advanced settings: written to the member settings at finish.
    } else if (type === 'core-store' && item.key === 'plugin_i18n_default_locale' && typeof item.value === 'string') {
      this.defaultLocale = item.value;
      this.count('default locale');
    } else if (type === 'webhook') {
      this.skip('webhooks', 'Strapi webhooks are not imported: add them again in Settings › Webhooks');
    } else {
      this.skip(`configuration (${type})`, 'Strapi settings (core store) have no Folio equivalent');
    }
    this.progress.advance(1);
  }

  /** What can only be done once every line is in: orders, folder paths, locales, member roles. */
  async finish(): Promise<void> {
    await this.rows.flush();
    await this.writeRelationLinks();
    await this.writeMemberLinks();
    await this.writeMediaLinks();
    // Strapi exports a file row whose bytes it could not find, and warns: its URL answers 404 here too.
    for (const key of this.mimes.keys())
      if (!this.stored.has(key))
        this.skip('media file bytes', "not in the archive (Strapi's export warned of them): upload them again");
    for (const table of this.touchedLinkTables) await this.renumber(table);
    await this.folderPaths();
    await this.locales();
    await this.members.finish();
  }

  /** Link positions become 1..n per row, in Strapi's order. */
  private async renumber(table: string): Promise<void> {
    let last = 0;
    for (;;) {
      const entities = (await this.trx(table)
        .distinct(RL.entityId)
        .where(RL.entityId, '>', last)
        .orderBy(RL.entityId)
        .limit(500)
        .pluck(RL.entityId)) as number[];
      if (entities.length === 0) return;
      const links = await this.trx(table)
        .whereIn(RL.entityId, entities)
        .orderBy([RL.entityId, RL.position, RL.id])
        .select<Array<{ id: number; entity_id: number }>>(RL.id, RL.entityId);
      let current = -1;
      let position = 0;
      for (const link of links) {
        position = link.entity_id === current ? position + 1 : 1;
        current = link.entity_id;
        await this.trx(table)
          .where(RL.id, link.id)
          .update({ [RL.position]: position });
      }
      last = entities[entities.length - 1];
    }
  }

  private async folderPaths(): Promise<void> {
    const folders = await this.trx('folio_folders').select<Array<{ id: number; parent_id: number | null }>>(
      'id',
      'parent_id',
    );
    const parent = new Map(folders.map((f) => [f.id, f.parent_id]));
    for (const { id } of folders) {
      const chain: number[] = [];
      for (let at: number | null | undefined = id; at != null; at = parent.get(at)) {
        if (chain.includes(at)) throw new Error(`folders: folder ${id} is inside itself`);
        chain.unshift(at);
      }
      await this.trx('folio_folders')
        .where({ id })
        .update({ path: `/${chain.join('/')}` });
    }
  }

  /** Every locale a row is in is one of Folio's; the archive's default becomes Folio's. */
  private async locales(): Promise<void> {
    const now = Date.now();
    for (const type of this.model.contentTypes.values()) {
      if (!type.localized) continue;
      const used = (await this.trx(type.table).distinct('locale').pluck('locale')) as string[];
      for (const code of used) {
        if (await this.trx('folio_locales').where({ code }).first('id')) continue;
        await this.trx('folio_locales').insert({
          code,
          name: code,
          created_at: now,
          updated_at: now,
          is_default: false,
        });
        this.count('locales');
      }
    }
    if (this.defaultLocale && (await this.trx('folio_locales').where({ code: this.defaultLocale }).first('id'))) {
      await this.trx('folio_locales').update({ is_default: false });
      await this.trx('folio_locales').where({ code: this.defaultLocale }).update({ is_default: true });
    }
  }
}

/** The archive's schema in force, as `folio schema apply` would put it (the types it names; others stay). */
async function applyArchiveSchema(folio: Folio, schemas: Json[], replace: boolean) {
  const converted = convertSchemas(schemas);
  try {
    await folio.schema.apply(converted.file, { force: replace });
  } catch (err) {
    if (err instanceof ApplicationError) throw err;
    throw new ApplicationError(`The archive's schema could not be applied: ${(err as Error).message}`);
  }
  return converted;
}

async function refuseNonEmpty(folio: Folio): Promise<void> {
  const holding = await tablesHoldingData(folio, new Set(['content', 'media']));
  // Admin users are always there; members are what an import would replace.
  if (await folio.db('folio_members').first('id')) holding.push('folio_members');
  if (holding.length > 0)
    throw new ApplicationError(
      `The database already holds data (${holding.join(', ')}); import into an empty database, or pass --replace ` +
        'to replace its content, media and members with the archive',
    );
}

async function loadEntry(loader: StrapiLoader, entry: StrapiEntry): Promise<void> {
  if (entry.kind === 'jsonl') {
    for await (const value of jsonLines(entry.name, entry.body)) {
      if (entry.folder === 'entities') await loader.entity(entitySchema.parse(value));
      else if (entry.folder === 'links') await loader.link(linkSchema.parse(value));
      else if (entry.folder === 'configuration') {
        const item = configurationSchema.parse(value);
        loader.configuration(item.type, item.value);
      }
    }
  } else if (entry.kind === 'asset') {
    await loader.asset(entry.filename, entry.body);
  }
}

export async function importStrapiArchive(
  folio: Folio,
  file: string,
  options: StrapiImportOptions = {},
): Promise<StrapiImportResult> {
  const progress = options.progress ?? NO_PROGRESS;
  const scan = await scanArchive(file, options.key);
  if (!options.replace) await refuseNonEmpty(folio);
  const skipped: Skipped[] = [];
  let names = new Map<string, string>();
  let unsupported: string[] = [];
  if (options.schema !== 'keep') {
    const converted = await applyArchiveSchema(folio, scan.schemas, options.replace === true);
    names = converted.names;
    unsupported = unsupportedKeys(converted.file);
    skipped.push(...converted.skipped.map((what) => ({ what, count: 1, why: 'attribute left out of the schema' })));
  }
  const model = await folio.schema.current();
  const document = await folio.schema.document();

  progress.start('import', scan.items);
  let loader: StrapiLoader | undefined;
  try {
    await folio.db.transaction(async (trx) => {
      if (folio.dialect === 'sqlite') await trx.raw('PRAGMA defer_foreign_keys = ON');
      loader = new StrapiLoader(trx, folio, model, names, progress);
      const cleared = [
        FILE_LINK_TABLE,
        ...contentTables(document)
          .map((t) => t.name)
          .reverse(),
        'folio_files',
        'folio_folders',
      ];
      await clearTables(trx, cleared);
      for await (const entry of readStrapiArchive(file, options.key)) await loadEntry(loader, entry);
      await loader.finish();
      await assertForeignKeys(trx, folio.dialect);
    });
  } catch (err) {
    for (const key of loader?.created ?? []) await folio.media.storage.delete(key).catch(() => {});
    if (err instanceof ApplicationError) throw err;
    throw new ApplicationError(`The import failed and was rolled back: ${(err as Error).message}`);
  } finally {
    progress.stop();
  }
  await folio.access.invalidate();
  folio.schema.forget();
  // Entries, media, locales and the default locale all changed: every instance drops its cached reads.
  folio.cache.settingsChanged();
  return {
    strapiVersion: scan.strapiVersion,
    schemaApplied: options.schema !== 'keep',
    unsupportedKeys: unsupported,
    imported: Object.fromEntries(loader!.imported),
    skipped: [...skipped, ...loader!.skippedList()],
  };
}
