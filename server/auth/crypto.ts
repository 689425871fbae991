// Secrets handled by the auth module: random tokens, their HMAC digests, password hashes.
// Session ids, API tokens and one-time links are high-entropy random values: an HMAC-SHA256 keyed by
// the Folio secret is the right digest for them (fast to check on every request, useless without
// the secret). Passwords are low-entropy: argon2id.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function digest(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${value}`).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** argon2id's cost: memory in KiB, passes over it, lanes (threads). */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * The cost of new hashes, for the whole process: password hashing is reached from several services
 * (accounts, the CLI, password attributes) that have no reason to carry the configuration, and the
 * cost is a property of the machine the process runs on, like its thread pool. openFolio sets it
 * from the configuration; until then it is the argon2 library's default, also the configuration's.
 */
let hashing: PasswordHashing = { memoryCost: 64 * 1024, timeCost: 3, parallelism: 4 };

// Verified when the email is unknown, so that an unknown email takes as long as a wrong password:
// made at the current cost.
let dummyHash: Promise<string> | undefined;

export function setPasswordHashing(cost: PasswordHashing): void {
  hashing = { ...cost };
  dummyHash = undefined;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...hashing });
}

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword(randomToken());
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
