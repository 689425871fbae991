// The pieces of encryption at rest that need no database: FOLIO_ENCRYPTION_KEYS parsing (errors name a
// key by its id, never its material) and the envelope (AES-256-GCM: an altered byte is refused).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../server/config.js';
import { formatEnvelope, open, parseEnvelope, seal } from '../../server/encryption/envelope.js';
import { parseKeyring } from '../../server/encryption/keyring.js';

const material = randomBytes(32).toString('base64');

describe('FOLIO_ENCRYPTION_KEYS', () => {
  it('reads id:base64key items in order, the first one wrapping', () => {
    const other = randomBytes(32).toString('base64');
    const keys = parseKeyring(`new:${material}, old:${other}`);
    expect(keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(keys[0].key.equals(Buffer.from(material, 'base64'))).toBe(true);
    expect(parseKeyring(undefined)).toEqual([]);
  });

  it.each([
    [`${material}`, /item 1 must be id:base64key/],
    [`a:${randomBytes(16).toString('base64')}`, /key "a" must be 32 bytes in base64/],
    [`a:${material},a:${material}`, /names the key "a" twice/],
  ])('refuses %s as a configuration error that does not print the key', (value, message) => {
    let error: Error | undefined;
    try {
      loadConfig({ FOLIO_ENCRYPTION_KEYS: value });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(material);
  });
});

describe('the envelope', () => {
  const key = randomBytes(32);

  it('round-trips a value, with a fresh IV each time', () => {
    const a = formatEnvelope('abc123', seal(key, Buffer.from('secret')));
    const b = formatEnvelope('abc123', seal(key, Buffer.from('secret')));
    expect(a).not.toBe(b);
    const parsed = parseEnvelope(a)!;
    expect(parsed.keyId).toBe('abc123');
    expect(open(key, parsed.payload).toString()).toBe('secret');
  });

  it('refuses an altered byte or another key', () => {
    const sealed = seal(key, Buffer.from('secret'));
    const altered = Buffer.from(sealed);
    altered[14] ^= 1;
    expect(() => open(key, altered)).toThrow();
    expect(() => open(randomBytes(32), sealed)).toThrow();
  });

  it('tells plain values from envelopes', () => {
    expect(parseEnvelope('hello')).toBeUndefined();
    expect(parseEnvelope('fenc:v1:nothex:abc')).toBeUndefined();
    expect(parseEnvelope(42)).toBeUndefined();
  });
});
