// Secrets keyed by FOLIO_SECRET, when an archive made under one secret is imported under another.
//
//   webhook signing secrets  AES-256-GCM under a key derived from the secret (events/webhooks.ts):
//                            with the source secret they are opened and sealed again under this
//                            installation's; without it they cannot be opened, so each such webhook
//                            is disabled and its secret removed (it would otherwise fail at every
//                            delivery, or, enabled without a secret, send unsigned deliveries).
//   API token digests        HMAC-SHA256 of the token under the secret (auth/crypto.ts): a digest
//                            cannot be re-derived without the token itself, which Folio never stores,
//                            so no secret re-keys them. Each live token is revoked: it could never
//                            match again, and revoked is how the dashboard shows a dead token.
//   sessions, reset links    never in an archive (a `users` import ends every one).
//   preview tokens, image    signed on demand, never stored: links issued by the source stop
//   transform signatures     working, new ones are signed with this installation's secret.
//
// Every webhook and token touched is named (id and name) in the import's result and its log line:
// never a silent break.
import type { Knex } from 'knex';
import { ApplicationError } from '../errors.js';
import { SecretBox } from '../events/webhooks.js';
import type { Manifest } from './archive.js';
import { secretFingerprint } from './export.js';
import type { Part } from './parts.js';

export interface Named {
  id: number;
  name: string;
}

/** What the import did about secrets keyed by another FOLIO_SECRET. */
export interface SecretsOutcome {
  /** Must be issued again: tokens revoked, webhooks disabled with their secret removed. */
  reissue: { tokens: Named[]; webhooks: Named[] };
  /** Webhook secrets opened with the source secret and sealed again under this installation's. */
  rekeyed: { webhooks: Named[] };
}

export const NOTHING_TO_REKEY: SecretsOutcome = { reissue: { tokens: [], webhooks: [] }, rekeyed: { webhooks: [] } };

/** Whether the archive's secrets were keyed by another secret than `targetSecret`. */
export function madeUnderAnotherSecret(manifest: Manifest, parts: ReadonlySet<Part>, targetSecret: string): boolean {
  return parts.has('settings') && manifest.secretFingerprint !== secretFingerprint(targetSecret);
}

/** Refuses a source secret that is not the archive's (checked before anything changes). */
export function assertSourceSecret(manifest: Manifest, sourceSecret: string | undefined): void {
  if (sourceSecret === undefined || secretFingerprint(sourceSecret) === manifest.secretFingerprint) return;
  throw new ApplicationError(
    'The source secret is not the FOLIO_SECRET this archive was made under (its fingerprint differs); ' +
      'nothing was imported',
  );
}

const named = (row: { id: number | string; name: string }): Named => ({ id: Number(row.id), name: row.name });

/** Re-keys or retires, in the import's transaction, what the source's secret keyed. */
export async function rekeyIn(
  trx: Knex.Transaction,
  secrets: { target: string; source?: string },
  now = Date.now(),
): Promise<SecretsOutcome> {
  const tokens = (
    await trx('folio_api_tokens')
      .whereNull('revoked_at')
      .andWhere((q) => void q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .orderBy('id')
      .select<Array<{ id: number | string; name: string }>>('id', 'name')
  ).map(named);
  if (tokens.length > 0)
    await trx('folio_api_tokens')
      .whereIn(
        'id',
        tokens.map((t) => t.id),
      )
      .update({ revoked_at: now });

  const signed = await trx('folio_webhooks')
    .whereNotNull('secret')
    .orderBy('id')
    .select<Array<{ id: number | string; name: string; secret: string }>>('id', 'name', 'secret');
  const outcome: SecretsOutcome = { reissue: { tokens, webhooks: [] }, rekeyed: { webhooks: [] } };
  if (signed.length === 0) return outcome;
  const target = new SecretBox(secrets.target);
  const source = secrets.source === undefined ? undefined : new SecretBox(secrets.source);
  for (const row of signed) {
    if (source) {
      const resealed = target.seal(source.open(row.secret));
      await trx('folio_webhooks').where('id', row.id).update({ secret: resealed });
      outcome.rekeyed.webhooks.push(named(row));
    } else {
      await trx('folio_webhooks').where('id', row.id).update({ secret: null, enabled: false, updated_at: now });
      outcome.reissue.webhooks.push(named(row));
    }
  }
  return outcome;
}
