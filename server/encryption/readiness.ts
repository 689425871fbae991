// The rule checked at start and at every schema apply: a schema with encrypted attributes needs
// FOLIO_ENCRYPTION_KEYS, and every stored data key must open with one of its keys. Refusing early
// beats a first write (or read) failing with the data already half there.
import type { SchemaModel } from '../schema/model.js';
import { isEncrypted } from '../schema/text-attributes.js';
import { EncryptionError, type FieldCipher } from './cipher.js';

/** `type.attribute` of every encrypted attribute of `model` (content types and components). */
export function encryptedAttributes(model: SchemaModel): string[] {
  const names: string[] = [];
  for (const m of [...model.contentTypes.values(), ...model.components.values()]) {
    for (const field of m.scalars) if (isEncrypted(field.attribute)) names.push(`${m.uid}.${field.name}`);
  }
  return names;
}

/** Throws EncryptionError naming what is missing; loads the data keys otherwise. */
export async function assertEncryptionReady(cipher: FieldCipher, model: SchemaModel): Promise<void> {
  const encrypted = encryptedAttributes(model);
  if (encrypted.length > 0 && !cipher.configured) {
    throw new EncryptionError(
      `the schema has encrypted attributes (${encrypted.join(', ')}) and FOLIO_ENCRYPTION_KEYS is not set: ` +
        `set it to id:base64key (openssl rand -base64 32; docs/encryption.md)`,
    );
  }
  // Unwraps every stored data key: a missing or wrong master key is named now, not at a read.
  await cipher.load();
}
