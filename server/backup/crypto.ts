// Archives encrypted with a passphrase (they hold password hashes and token digests): AES-256-GCM
// under a key derived with scrypt, streamed. Layout: MAGIC, salt (16), iv (12), the encrypted
// gzip stream, the GCM tag (16). The header is authenticated with the data. GCM's tag is only
// checked at the end of the stream: an import reads the whole archive once (checking the tag and
// every entry's checksum) before it changes anything, and checks each entry again as it loads.
import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
  type ScryptOptions,
} from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { ApplicationError } from '../errors.js';

const MAGIC = Buffer.from('FOLIOENC1\n');
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + IV_BYTES;
/** ~100 ms and 32 MB per derivation: slow for guessing, quick for one export. */
const SCRYPT: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const MIN_PASSPHRASE = 12;

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  if (passphrase.length < MIN_PASSPHRASE)
    throw new ApplicationError(`The passphrase needs at least ${MIN_PASSPHRASE} characters`);
  return new Promise((resolve, reject) =>
    scryptCallback(passphrase, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A transform that encrypts what passes through it into the layout above. */
export async function sealStream(passphrase: string): Promise<Transform> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, salt, iv]);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  cipher.setAAD(header);
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!started) this.push(header);
      started = true;
      done(null, cipher.update(chunk));
    },
    flush(done) {
      if (!started) this.push(header);
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

/** Whether the file starts as an encrypted archive does. */
export async function isSealed(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const start = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(start, 0, MAGIC.length, 0);
    return bytesRead === MAGIC.length && start.equals(MAGIC);
  } finally {
    await handle.close();
  }
}

/** The streams that give an encrypted archive's gzip bytes back (the file's, then the decipher). */
export async function openSealed(file: string, passphrase: string): Promise<[Readable, Transform]> {
  const { size } = await stat(file);
  if (size < HEADER_BYTES + TAG_BYTES) throw new ApplicationError(`${file} is a damaged encrypted archive`);
  const handle = await open(file, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const iv = header.subarray(MAGIC.length + SALT_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  return [createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }), decipher];
}
