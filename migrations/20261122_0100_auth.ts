// Admin accounts, roles, permissions, sessions, one-time links (password reset, invitations), API
// tokens, the Public role's permissions, login-failure counters and the audit log.
// Times are stored as epoch milliseconds (bigInteger): compared in SQL the same way on SQLite and
// MySQL, with no time-zone conversion in between.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_admin_users', (t) => {
    t.increments('id').primary();
    t.string('email', 191).notNullable().unique();
    t.string('firstname', 191).notNullable().defaultTo('');
    t.string('lastname', 191).notNullable().defaultTo('');
    /** Null until an invited user has chosen a password. */
    t.string('password_hash', 255).nullable();
    t.boolean('is_active').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('folio_roles', (t) => {
    t.increments('id').primary();
    /** Stable identifier: super-admin, editor, author, or a slug for a custom role. */
    t.string('code', 191).notNullable().unique();
    t.string('name', 191).notNullable().unique();
    t.string('description', 1000).notNullable().defaultTo('');
    t.boolean('is_builtin').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('folio_admin_user_roles', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('folio_admin_users').onDelete('CASCADE');
    t.integer('role_id').unsigned().notNullable().references('id').inTable('folio_roles').onDelete('CASCADE');
    t.primary(['user_id', 'role_id']);
    t.index(['role_id']);
  });

  await knex.schema.createTable('folio_permissions', (t) => {
    t.increments('id').primary();
    t.integer('role_id').unsigned().notNullable().references('id').inTable('folio_roles').onDelete('CASCADE');
    t.string('action', 64).notNullable();
    /** A content type's singularName, a system subject, or '*' for every content type. */
    t.string('subject', 191).notNullable();
    /** JSON array of allowed fields; null means every field. */
    t.text('fields').nullable();
    /** JSON { builtins?: string[], query?: object }; null means unconditional. */
    t.text('conditions').nullable();
    t.index(['role_id']);
  });

  await knex.schema.createTable('folio_sessions', (t) => {
    t.increments('id').primary();
    /** HMAC-SHA256 of the cookie's random id: a leaked table opens no session. */
    t.string('digest', 64).notNullable().unique();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('folio_admin_users').onDelete('CASCADE');
    t.string('csrf_token', 64).notNullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 500).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['user_id']);
  });

  await knex.schema.createTable('folio_auth_links', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('folio_admin_users').onDelete('CASCADE');
    t.string('kind', 16).notNullable(); // reset | invite
    t.string('digest', 64).notNullable().unique();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.index(['user_id']);
  });

  await knex.schema.createTable('folio_api_tokens', (t) => {
    t.increments('id').primary();
    t.string('name', 191).notNullable().unique();
    t.string('description', 1000).notNullable().defaultTo('');
    t.string('type', 16).notNullable(); // read-only | full-access | custom
    t.string('digest', 64).notNullable().unique();
    /** JSON array of "type.action" for custom tokens. */
    t.text('allow').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').nullable();
    t.bigInteger('revoked_at').nullable();
    t.bigInteger('last_used_at').nullable();
  });

  await knex.schema.createTable('folio_public_permissions', (t) => {
    t.increments('id').primary();
    t.string('subject', 191).notNullable();
    t.string('action', 64).notNullable();
    t.unique(['subject', 'action']);
  });

  await knex.schema.createTable('folio_rate_limits', (t) => {
    t.string('key', 191).primary();
    t.integer('count').notNullable();
    t.bigInteger('last_at').notNullable();
    t.bigInteger('expires_at').notNullable();
  });

  await knex.schema.createTable('folio_audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('created_at').notNullable();
    t.string('actor_kind', 16).notNullable(); // admin | api-token | public | system
    t.integer('actor_id').nullable();
    t.string('actor_label', 191).nullable();
    t.string('action', 64).notNullable();
    t.string('subject', 191).nullable();
    t.string('entity_id', 191).nullable();
    t.string('ip', 64).nullable();
    t.text('details').nullable();
    t.index(['created_at']);
    t.index(['action']);
    t.index(['actor_id']);
  });

  const now = Date.now();
  await knex('folio_roles').insert([
    {
      code: 'super-admin',
      name: 'Super Admin',
      description: 'Everything, always',
      is_builtin: true,
      created_at: now,
      updated_at: now,
    },
    {
      code: 'editor',
      name: 'Editor',
      description: 'All content and media, can publish',
      is_builtin: true,
      created_at: now,
      updated_at: now,
    },
    {
      code: 'author',
      name: 'Author',
      description: 'Creates and edits own entries, cannot publish',
      is_builtin: true,
      created_at: now,
      updated_at: now,
    },
  ]);
  const roles = await knex('folio_roles').select<Array<{ id: number; code: string }>>('id', 'code');
  const id = (code: string) => roles.find((r) => r.code === code)!.id;
  const isCreator = JSON.stringify({ builtins: ['isCreator'] });
  const rows: { role_id: number; action: string; subject: string; conditions: string | null }[] = [];
  for (const action of ['read', 'create', 'update', 'delete', 'publish'])
    rows.push({ role_id: id('editor'), action, subject: '*', conditions: null });
  for (const action of ['read', 'create', 'update', 'delete'])
    rows.push({ role_id: id('editor'), action, subject: 'upload', conditions: null });
  rows.push({ role_id: id('author'), action: 'create', subject: '*', conditions: null });
  for (const action of ['read', 'update', 'delete'])
    rows.push({ role_id: id('author'), action, subject: '*', conditions: isCreator });
  for (const action of ['read', 'create'])
    rows.push({ role_id: id('author'), action, subject: 'upload', conditions: null });
  for (const action of ['update', 'delete'])
    rows.push({ role_id: id('author'), action, subject: 'upload', conditions: isCreator });
  await knex('folio_permissions').insert(rows);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'folio_audit_log',
    'folio_rate_limits',
    'folio_public_permissions',
    'folio_api_tokens',
    'folio_auth_links',
    'folio_sessions',
    'folio_permissions',
    'folio_admin_user_roles',
    'folio_roles',
    'folio_admin_users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
