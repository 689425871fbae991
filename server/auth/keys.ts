// Keys derived from FOLIO_SECRET, one per purpose, by HKDF-SHA256 (RFC 5869): a token signed for one
// purpose (a preview token, later a member's JWT) can never be replayed as another, and leaking one
// derived key reveals neither the secret nor the other keys. Each purpose has its own label here, in
// one place, so that no two features pick the same one.
//
// Older digests (sessions, API tokens, one-time links: crypto.ts `digest`) keep their HMAC keyed by
// the raw secret: changing them would invalidate every stored token and session.
import { hkdfSync } from 'node:crypto';

/** The HKDF `info` label of each purpose. Never change one: every token signed with its key dies. */
export const KEY_LABELS = {
  previewToken: 'folio preview-token v1',
  memberToken: 'folio member-token v1',
  memberOAuthSecret: 'folio member-oauth-secret v1',
  memberOAuthState: 'folio member-oauth-state v1',
} as const;
export type KeyPurpose = keyof typeof KEY_LABELS;

// A fixed, public salt: FOLIO_SECRET is already high-entropy (48 random bytes when generated), so
// the salt only separates Folio's derivations from any other use of the same secret.
const SALT = 'folio/keys';

/** The 256-bit key of `label`, derived from `secret`: the same inputs always give the same key. */
export function deriveKey(secret: string, label: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, SALT, label, 32));
}

/** The key of one of Folio's purposes. */
export function keyFor(secret: string, purpose: KeyPurpose): Uint8Array {
  return deriveKey(secret, KEY_LABELS[purpose]);
}
