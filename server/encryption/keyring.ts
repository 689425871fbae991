// FOLIO_ENCRYPTION_KEYS: the master keys that wrap the installation's data keys (docs/encryption.md).
// `id1:base64key,id2:base64key`: each key is 32 random bytes in base64; the first one wraps new data
// keys, the others only unwrap data keys wrapped before a rotation. They live in the environment
// only: the database holds data keys wrapped by them, never a master key.

export interface MasterKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const KEY_BYTES = 32;

/** A malformed FOLIO_ENCRYPTION_KEYS (config.ts reports it as a configuration error). */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** The master keys of `text`, first the one that wraps; [] when unset. Throws KeyringError when malformed. */
export function parseKeyring(text: string | undefined): MasterKey[] {
  if (text === undefined || text.trim() === '') return [];
  const keys: MasterKey[] = [];
  for (const [index, item] of text.split(',').entries()) {
    const entry = item.trim();
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    // The key itself never appears in the message: only its position and id.
    if (!KEY_ID.test(id))
      throw new KeyringError(
        `FOLIO_ENCRYPTION_KEYS item ${index + 1} must be id:base64key ` + `(the id in letters, digits, _ . -)`,
      );
    const encoded = entry.slice(colon + 1);
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES)
      throw new KeyringError(
        `FOLIO_ENCRYPTION_KEYS key "${id}" must be ${KEY_BYTES} bytes in base64 ` + `(openssl rand -base64 32)`,
      );
    if (keys.some((k) => k.id === id)) throw new KeyringError(`FOLIO_ENCRYPTION_KEYS names the key "${id}" twice`);
    keys.push({ id, key });
  }
  return keys;
}
