// The documentId every entry and media file is known by: 24 random characters of [a-z0-9], drawn
// without modulo bias (a byte is used only below the largest multiple of the alphabet's length).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LENGTH = 24;
/** 252 = 7 × 36: bytes from here on would favour the alphabet's first letters. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/**
 * The documentIds Folio accepts from outside (paths, bodies, imports): wider than the ones it makes,
 * so that ids brought from elsewhere keep working.
 */
export const DOCUMENT_ID_FORMAT = /^[A-Za-z0-9_-]{1,64}$/;

/** 24 random characters of [a-z0-9], each equally likely. */
export function newDocumentId(): string {
  let id = '';
  while (id.length < LENGTH) {
    for (const byte of randomBytes(2 * LENGTH)) {
      if (byte >= UNBIASED_LIMIT) continue;
      id += ALPHABET[byte % ALPHABET.length];
      if (id.length === LENGTH) break;
    }
  }
  return id;
}
