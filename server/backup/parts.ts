// Which tables an archive holds, grouped in the parts `--only`/`--exclude` name. Folio's own tables
// are listed here by name (a new system table is a decision about backups, not an accident); content
// tables come from the schema document, the way the schema module names them.
import { buildModel } from '../schema/model.js';
import { physicalSchema } from '../schema/physical.js';
import type { SchemaDocument } from '../schema/types.js';
import { FILE_LINK_TABLE } from '../schema/naming.js';
import { ApplicationError } from '../errors.js';
import { DATA_KEYS_TABLE } from '../encryption/cipher.js';

export const PARTS = ['settings', 'users', 'media', 'content'] as const;
export type Part = (typeof PARTS)[number];

export interface TableEntry {
  name: string;
  part: Part;
  /** The columns rows are ordered and paged by (a primary key). */
  key: string[];
}

/**
 * Parents before children, so that rows load in an order their foreign keys accept. Left out on
 * purpose (LEFT_OUT_TABLES): migrations, schema steps and the schema row (the archive carries the
 * schema document), meta (the access version, the demo marker), sessions, password-reset links,
 * rate limits, the audit log, the outbox, deliveries and dispatchers: state of a running
 * installation, not of its content. Jobs, the schedules they run and releases are left out too for
 * now: a restored schedule would need its job re-queued with fresh claims, which import does not do
 * yet, so scheduled publications and releases are set again after an import (docs/backups.md).
 */
const SYSTEM_TABLES: Record<Exclude<Part, 'content'>, TableEntry[]> = {
  settings: [
    { name: 'folio_roles', part: 'settings', key: ['id'] },
    { name: 'folio_permissions', part: 'settings', key: ['id'] },
    { name: 'folio_member_roles', part: 'settings', key: ['id'] },
    { name: 'folio_member_permissions', part: 'settings', key: ['id'] },
    { name: 'folio_member_settings', part: 'settings', key: ['id'] },
    { name: 'folio_locales', part: 'settings', key: ['id'] },
    { name: 'folio_webhooks', part: 'settings', key: ['id'] },
    { name: 'folio_api_tokens', part: 'settings', key: ['id'] },
  ],
  users: [
    { name: 'folio_admin_users', part: 'users', key: ['id'] },
    { name: 'folio_admin_user_roles', part: 'users', key: ['user_id', 'role_id'] },
    { name: 'folio_members', part: 'users', key: ['id'] },
  ],
  media: [
    { name: 'folio_folders', part: 'media', key: ['id'] },
    { name: 'folio_files', part: 'media', key: ['id'] },
  ],
};

/** Folio's own tables that are never in an archive (the reasons above SYSTEM_TABLES). */
export const LEFT_OUT_TABLES: readonly string[] = [
  'folio_migrations',
  'folio_migrations_lock',
  'folio_meta',
  'folio_schema',
  'folio_schema_steps',
  'folio_sessions',
  'folio_auth_links',
  'folio_rate_limits',
  'folio_audit_log',
  'folio_outbox',
  'folio_webhook_deliveries',
  'folio_dispatchers',
  'folio_jobs',
  'folio_schedules',
  'folio_releases',
  'folio_release_actions',
  // The progress of a column rewrite or key rotation under way: state of a running installation.
  'folio_encryption_tasks',
  // OAuth sign-in's one-time states and codes, minutes long.
  'folio_member_oauth_grants',
  // Members' refresh tokens: sign-ins of this installation, re-made by signing in again.
  'folio_member_refresh_tokens',
];

/** Every folio_* table an archive holds, whatever the parts (a test checks this covers every table). */
export const ARCHIVED_SYSTEM_TABLES: readonly string[] = [
  ...Object.values(SYSTEM_TABLES).flatMap((tables) => tables.map((t) => t.name)),
  FILE_LINK_TABLE,
  'folio_revisions',
  DATA_KEYS_TABLE,
];

/** Rows that refer to a replaced part's rows and make no sense without them: cleared with it. */
export const DEPENDENT_STATE: Record<Part, string[]> = {
  settings: ['folio_webhook_deliveries'],
  // A session or reset link of a replaced account must not open the account that now has its id.
  users: ['folio_sessions', 'folio_auth_links', 'folio_member_oauth_grants', 'folio_member_refresh_tokens'],
  media: [],
  content: [],
};

/** The content tables of a schema document: types, components, relation links, component links. */
export function contentTables(document: SchemaDocument): TableEntry[] {
  const tables = physicalSchema(buildModel(document)).map((t) => ({
    name: t.name,
    part: 'content' as const,
    key: ['id'],
  }));
  return [...tables, { name: 'folio_revisions', part: 'content', key: ['id'] }];
}

/**
 * The content part's tables with the data keys first: the values of encrypted attributes travel
 * sealed, with the data keys (wrapped by FOLIO_ENCRYPTION_KEYS, which never travels) that open them.
 */
function contentPart(document: SchemaDocument): TableEntry[] {
  return [{ name: DATA_KEYS_TABLE, part: 'content', key: ['id'] }, ...contentTables(document)];
}

/**
 * Every table of the selected parts, in load order. Media links join entries to files: they are
 * kept only when both content and media are.
 */
export function tablesOf(parts: ReadonlySet<Part>, document: SchemaDocument): TableEntry[] {
  const tables: TableEntry[] = [];
  for (const part of PARTS) {
    if (!parts.has(part)) continue;
    tables.push(...(part === 'content' ? contentPart(document) : SYSTEM_TABLES[part]));
  }
  if (parts.has('content') && parts.has('media')) tables.push({ name: FILE_LINK_TABLE, part: 'content', key: ['id'] });
  return tables;
}

function parsePartList(values: string[], flag: string): Part[] {
  const items = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(PARTS as readonly string[]).includes(item))
      throw new ApplicationError(`${flag}: unknown part "${item}" (parts: ${PARTS.join(', ')})`);
  }
  return items as Part[];
}

/** `--only` and `--exclude` → the parts to export (every part by default). */
export function selectParts(only: string[] = [], exclude: string[] = []): Set<Part> {
  const chosen = only.length > 0 ? parsePartList(only, '--only') : [...PARTS];
  const left = new Set(parsePartList(exclude, '--exclude'));
  const parts = new Set(chosen.filter((p) => !left.has(p)));
  if (parts.size === 0) throw new ApplicationError('Nothing to export: --only/--exclude leave no part');
  return parts;
}
