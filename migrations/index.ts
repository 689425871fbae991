// Every migration, in order. Listed statically (not discovered from the file system) so that the
// same list runs under tsx, the compiled build and jest alike. Add new files at the end.
import type { Knex } from 'knex';
import * as meta from './20261122_0001_meta.js';
import * as auth from './20261122_0100_auth.js';
import * as media from './20261122_0200_media.js';
import * as schema from './20261122_0300_schema.js';
import * as schemaLock from './20261122_0301_schema_lock.js';
import * as webhooks from './20261122_0400_webhooks.js';
import * as locales from './20261122_0500_locales.js';
import * as defaultLocale from './20261204_0100_default_locale.js';
import * as webhookGuards from './20261206_0400_webhook_guards.js';
import * as mediaEdits from './20261206_0600_media_edits.js';
import * as revisions from './20261206_0700_revisions.js';
import * as jobs from './20261206_0800_jobs.js';
import * as releases from './20261206_0900_releases.js';
import * as releasePermissions from './20261207_0000_release_permissions.js';
import * as encryption from './20261207_0100_encryption.js';
import * as members from './20261207_0200_members.js';
import * as memberOAuth from './20261207_0230_member_oauth.js';
import * as memberConditions from './20261207_0300_member_conditions.js';
import * as memberPermissionFields from './20261208_0100_member_permission_fields.js';
import * as memberSessions from './20261208_0200_member_sessions.js';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261122_0001_meta', meta],
  ['20261122_0100_auth', auth],
  ['20261122_0200_media', media],
  ['20261122_0300_schema', schema],
  ['20261122_0301_schema_lock', schemaLock],
  ['20261122_0400_webhooks', webhooks],
  ['20261122_0500_locales', locales],
  ['20261204_0100_default_locale', defaultLocale],
  ['20261206_0400_webhook_guards', webhookGuards],
  ['20261206_0600_media_edits', mediaEdits],
  ['20261206_0700_revisions', revisions],
  ['20261206_0800_jobs', jobs],
  ['20261206_0900_releases', releases],
  ['20261207_0000_release_permissions', releasePermissions],
  ['20261207_0100_encryption', encryption],
  ['20261207_0200_members', members],
  ['20261207_0230_member_oauth', memberOAuth],
  ['20261207_0300_member_conditions', memberConditions],
  ['20261208_0100_member_permission_fields', memberPermissionFields],
  ['20261208_0200_member_sessions', memberSessions],
];
