// Sign-in with OAuth providers (issue 23): the one-time grants of the flow. A `state` lives from
// /api/connect/:provider to the provider's return (with the PKCE verifier and OIDC nonce); a
// `code` from that return to the site's /api/auth/:provider/callback (it names the member signed
// in). Each is stored as a digest, taken once (deleted as it is used), and expires in minutes.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('folio_member_oauth_grants', (t) => {
    t.string('digest', 64).primary();
    t.string('kind', 16).notNullable();
    t.string('provider', 32).notNullable();
    t.text('payload').notNullable();
    t.bigInteger('expires_at').notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('folio_member_oauth_grants');
}
