// Site members (issue 23): end-user accounts of the Content API, their roles and settings.
// The Public role of the Content API becomes the member role `public`: its permissions, kept until
// now in folio_public_permissions (one list, no role), move into folio_member_permissions under that
// role, and the old table goes. `authenticated` is any signed-in member's role; custom roles follow.
// Times are epoch milliseconds (bigInteger), as in the other tables.
import type { Knex } from 'knex';

const BUILTIN_ROLES = [
  { code: 'public', name: 'Public', description: 'Default role given to unauthenticated user.' },
  { code: 'authenticated', name: 'Authenticated', description: 'Default role given to authenticated user.' },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_member_roles', (t) => {
    t.increments('id').primary();
    t.string('document_id', 64).notNullable().unique();
    /** Strapi's role `type`: `public`, `authenticated`, or a custom role's slug. */
    t.string('code', 191).notNullable().unique();
    t.string('name', 191).notNullable().unique();
    t.string('description', 1000).notNullable().defaultTo('');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('folio_member_permissions', (t) => {
    t.increments('id').primary();
    t.integer('role_id').unsigned().notNullable().references('id').inTable('folio_member_roles').onDelete('CASCADE');
    t.string('subject', 191).notNullable();
    t.string('action', 64).notNullable();
    t.unique(['role_id', 'subject', 'action']);
  });

  await knex.schema.createTable('folio_members', (t) => {
    t.increments('id').primary();
    t.string('document_id', 64).notNullable().unique();
    t.string('username', 191).notNullable().unique();
    t.string('email', 191).notNullable().unique();
    t.string('provider', 32).notNullable().defaultTo('local');
    t.string('password_hash', 255).nullable();
    t.boolean('confirmed').notNullable().defaultTo(false);
    t.boolean('blocked').notNullable().defaultTo(false);
    t.integer('role_id').unsigned().notNullable().references('id').inTable('folio_member_roles');
    /** Bumped when the member is blocked or changes its password: every JWT signed before dies. */
    t.integer('token_version').notNullable().defaultTo(0);
    /** Digests (HMAC, keyed by the Folio secret) of the one-time codes mailed; never the codes. */
    t.string('confirmation_digest', 64).nullable().unique();
    t.string('reset_digest', 64).nullable().unique();
    t.bigInteger('reset_expires_at').nullable();
    /** The registration's allowlisted extra fields (settings `allowedFields`), JSON. */
    t.text('profile').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['role_id']);
  });

  /** One row (id 1): the members settings as JSON, validated by server/members/settings.ts. */
  await knex.schema.createTable('folio_member_settings', (t) => {
    t.integer('id').primary();
    t.text('value').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  const now = Date.now();
  for (const [i, role] of BUILTIN_ROLES.entries()) {
    await knex('folio_member_roles').insert({
      ...role,
      document_id: `builtin${role.code}role${i}`.slice(0, 24),
      created_at: now,
      updated_at: now,
    });
  }
  const publicRole = await knex('folio_member_roles').where({ code: 'public' }).first<{ id: number }>('id');
  const existing = await knex<{ subject: string; action: string }>('folio_public_permissions').select(
    'subject',
    'action',
  );
  if (existing.length) {
    await knex('folio_member_permissions').insert(
      existing.map((p) => ({ role_id: Number(publicRole.id), subject: p.subject, action: p.action })),
    );
  }
  await knex.schema.dropTable('folio_public_permissions');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_public_permissions', (t) => {
    t.increments('id').primary();
    t.string('subject', 191).notNullable();
    t.string('action', 64).notNullable();
    t.unique(['subject', 'action']);
  });
  const rows = await knex('folio_member_permissions as p')
    .join('folio_member_roles as r', 'r.id', 'p.role_id')
    .where('r.code', 'public')
    .select<{ subject: string; action: string }[]>('p.subject', 'p.action');
  if (rows.length) await knex('folio_public_permissions').insert(rows);
  for (const table of ['folio_member_settings', 'folio_members', 'folio_member_permissions', 'folio_member_roles'])
    await knex.schema.dropTableIfExists(table);
}
