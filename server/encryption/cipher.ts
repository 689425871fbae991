// The installation's field cipher: encrypts and decrypts the values of `encrypted: true` attributes
// (docs/encryption.md). Envelope encryption: each value is sealed under a data key (AES-256-GCM); the
// data keys are stored in folio_encryption_keys, each sealed under a master key of
// FOLIO_ENCRYPTION_KEYS (never stored). The newest data key seals new values; `folio keys rotate`
// adds a new one and re-seals every value under it (rotation.ts).
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { ApplicationError } from '../errors.js';
import { formatEnvelope, open, parseEnvelope, seal } from './envelope.js';
import type { MasterKey } from './keyring.js';

export const DATA_KEYS_TABLE = 'folio_encryption_keys';
/** How long the newest data key is taken as known before the table is asked again (another process may rotate). */
const FRESH_MS = 1000;

interface DataKeyRow {
  id: string;
  master_key_id: string;
  wrapped: string;
  created_at: number | string;
}

/** An encrypted value cannot be read or written: keys missing, or the value was altered. */
export class EncryptionError extends ApplicationError {}

export class FieldCipher {
  private readonly dataKeys = new Map<string, Buffer>();
  private newest?: string;
  private checkedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly masters: MasterKey[],
  ) {}

  /** Whether FOLIO_ENCRYPTION_KEYS holds at least one key. */
  get configured(): boolean {
    return this.masters.length > 0;
  }

  /** The id of the master key that wraps new data keys. */
  get wrappingKeyId(): string {
    return this.primaryMaster().id;
  }

  private primaryMaster(): MasterKey {
    const master = this.masters[0];
    if (!master)
      throw new EncryptionError(
        'encrypted attributes need FOLIO_ENCRYPTION_KEYS (id:base64key, see docs/encryption.md), which is not set',
      );
    return master;
  }

  private unwrap(row: DataKeyRow): Buffer {
    const master = this.masters.find((m) => m.id === row.master_key_id);
    if (!master)
      throw new EncryptionError(
        `data key ${row.id} is wrapped by the master key "${row.master_key_id}", which FOLIO_ENCRYPTION_KEYS ` +
          `does not hold: add it back (after the new one) until \`folio keys rotate\` has run`,
      );
    try {
      return open(master.key, Buffer.from(row.wrapped, 'base64'));
    } catch {
      throw new EncryptionError(
        `data key ${row.id} does not open with the master key "${row.master_key_id}": the key material in ` +
          `FOLIO_ENCRYPTION_KEYS is not the one it was wrapped with`,
      );
    }
  }

  /** Reads and unwraps every data key (at start, and when one is missing). Throws EncryptionError. */
  async load(db: Knex = this.db): Promise<void> {
    // Without master keys nothing can be unwrapped: a value sealed before reads as an error then.
    if (!this.configured) return;
    const rows = (await db(DATA_KEYS_TABLE)
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])) as DataKeyRow[];
    for (const row of rows) if (!this.dataKeys.has(row.id)) this.dataKeys.set(row.id, this.unwrap(row));
    this.newest = rows.at(-1)?.id;
    this.checkedAt = Date.now();
  }

  /**
   * Picks up data keys another process added (a rotation), at most once per FRESH_MS. `db`: the
   * caller's connection or transaction (on SQLite a transaction holds the one connection).
   */
  async fresh(db: Knex = this.db): Promise<void> {
    if (!this.configured || Date.now() - this.checkedAt < FRESH_MS) return;
    // Not shared between callers: on SQLite, joining a read on another caller's connection while
    // holding the one connection in a transaction would wait forever.
    await this.load(db);
  }

  /** A new data key wrapped by the first master key: from now on it seals new values. */
  async addDataKey(db: Knex = this.db): Promise<string> {
    const master = this.primaryMaster();
    const id = randomBytes(8).toString('hex');
    const key = randomBytes(32);
    await db(DATA_KEYS_TABLE).insert({
      id,
      master_key_id: master.id,
      wrapped: seal(master.key, key).toString('base64'),
      created_at: Date.now(),
    });
    this.dataKeys.set(id, key);
    this.newest = id;
    this.checkedAt = Date.now();
    return id;
  }

  /** Re-wraps every data key under the first master key (rotation: older master keys can then go). */
  async rewrapDataKeys(db: Knex = this.db): Promise<number> {
    const master = this.primaryMaster();
    const rows = (await db(DATA_KEYS_TABLE).select('*')) as DataKeyRow[];
    let count = 0;
    for (const row of rows) {
      if (row.master_key_id === master.id) continue;
      const key = this.unwrap(row);
      await db(DATA_KEYS_TABLE)
        .where({ id: row.id, master_key_id: row.master_key_id })
        .update({ master_key_id: master.id, wrapped: seal(master.key, key).toString('base64') });
      count += 1;
    }
    return count;
  }

  /** The data key new values are sealed under (created on the first encrypted write). */
  async sealingKeyId(db: Knex = this.db): Promise<string> {
    this.primaryMaster();
    await this.fresh(db);
    if (this.newest && this.dataKeys.has(this.newest)) return this.newest;
    await this.load(db);
    return this.newest ?? this.addDataKey(db);
  }

  /** `plaintext` sealed under the data key `keyId` (known: see sealingKeyId). */
  encryptWith(keyId: string, plaintext: string): string {
    const key = this.dataKeys.get(keyId);
    if (!key) throw new EncryptionError(`unknown data key ${keyId}`);
    return formatEnvelope(keyId, seal(key, Buffer.from(plaintext, 'utf8')));
  }

  /** `plaintext` sealed under the current data key. */
  async encrypt(plaintext: string, db: Knex = this.db): Promise<string> {
    return this.encryptWith(await this.sealingKeyId(db), plaintext);
  }

  /**
   * The plaintext of `value` when it is an envelope this installation opens; undefined when it is
   * not ciphertext (a plain value: an attribute whose column is being rewritten holds both).
   * Throws EncryptionError for an envelope whose key is unknown or whose bytes were altered.
   */
  decrypt(value: unknown): string | undefined {
    const envelope = parseEnvelope(value);
    if (!envelope) return undefined;
    const key = this.dataKeys.get(envelope.keyId);
    if (!key)
      throw new EncryptionError(
        `a value is sealed under the data key ${envelope.keyId}, which this installation lacks`,
      );
    try {
      return open(key, envelope.payload).toString('utf8');
    } catch {
      throw new EncryptionError(`a value sealed under the data key ${envelope.keyId} does not open (altered?)`);
    }
  }

  /** A column value as a reader gets it: plaintext for ciphertext, anything else as it is. */
  reveal(value: unknown): unknown {
    return this.decrypt(value) ?? value;
  }
}
