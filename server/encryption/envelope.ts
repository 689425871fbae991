// The stored form of an encrypted value (docs/encryption.md, "Format"):
//
//   fenc:v1:<data key id>:<base64url(iv ‖ ciphertext ‖ tag)>
//
// AES-256-GCM under one of the installation's data keys, a random 96-bit IV per value, the 128-bit
// tag last. The prefix is how a value says it is ciphertext: reads, the column rewrite of a schema
// step and key rotation tell encrypted from plain values by it (and by the tag checking out), so a
// rewrite stopped half-way can resume on a column that holds both.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ENVELOPE_PREFIX = 'fenc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE = /^fenc:v1:([a-f0-9]{1,64}):([A-Za-z0-9_-]+)$/;

export interface Envelope {
  keyId: string;
  payload: Buffer;
}

/** Seals `plaintext` under `key` (AES-256-GCM, random IV). */
export function seal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Opens what `seal` made; throws when the key is not the one or the bytes were altered. */
export function open(key: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

export function formatEnvelope(keyId: string, payload: Buffer): string {
  return `${ENVELOPE_PREFIX}${keyId}:${payload.toString('base64url')}`;
}

/** The envelope `value` holds, or undefined when it is not shaped like one (a plain value). */
export function parseEnvelope(value: unknown): Envelope | undefined {
  if (typeof value !== 'string' || !value.startsWith(ENVELOPE_PREFIX)) return undefined;
  const match = ENVELOPE.exec(value);
  return match ? { keyId: match[1], payload: Buffer.from(match[2], 'base64url') } : undefined;
}
