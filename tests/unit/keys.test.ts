// Keys derived from FOLIO_SECRET (server/auth/keys.ts): one per purpose, the same on every instance
// and after every restart, and never the same for two purposes or two secrets.
import { describe, expect, it } from '@jest/globals';
import { deriveKey, KEY_LABELS, keyFor } from '../../server/auth/keys.js';

const SECRET = 'a-secret-of-the-installation-0123456789abcdef';
const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');

describe('keys derived from the secret', () => {
  it('gives a 256-bit key that is stable for the same secret and label', () => {
    const key = deriveKey(SECRET, 'folio preview-token v1');
    expect(key).toHaveLength(32);
    expect(hex(deriveKey(SECRET, 'folio preview-token v1'))).toBe(hex(key));
  });

  it('keeps the preview key of a secret across releases (a changed label or salt kills every token)', () => {
    // Known answer: HKDF-SHA256(secret, salt "folio/keys", info "folio preview-token v1", 32 bytes).
    expect(KEY_LABELS.previewToken).toBe('folio preview-token v1');
    expect(hex(keyFor(SECRET, 'previewToken'))).toBe(
      'ee759fbc1d2555c68f2835f52ea48ce48cdb4a8f59ffd86fd6dccecb2610ebf4',
    );
  });

  it('gives distinct keys for distinct labels and distinct secrets', () => {
    const keys = [
      deriveKey(SECRET, 'folio preview-token v1'),
      deriveKey(SECRET, 'folio member-token v1'),
      deriveKey(`${SECRET}x`, 'folio preview-token v1'),
    ].map(hex);
    expect(new Set(keys).size).toBe(3);
  });
});
