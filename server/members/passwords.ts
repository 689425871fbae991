// Member passwords: argon2id (server/auth/crypto.ts), and the bcrypt hashes of members imported from
// Strapi (`folio import --from-strapi`), which Strapi's users-permissions stores. A bcrypt hash is
// verified as it is, then replaced by an argon2id hash on the member's first successful sign-in
// (upgradeHash): the plain password is only ever known at that moment.
import type { Knex } from 'knex';
import bcrypt from 'bcryptjs';
import { hashPassword, verifyPassword } from '../auth/crypto.js';

/** bcrypt's modular-crypt prefixes ($2a$ is what Strapi's bcryptjs writes). */
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export const isBcryptHash = (hash: string | null | undefined): hash is string =>
  typeof hash === 'string' && BCRYPT.test(hash);

/** Whether `password` is the member's: its argon2id hash, or an imported bcrypt one. */
export async function verifyMemberPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!isBcryptHash(hash)) return verifyPassword(hash, password);
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

/**
 * After a successful sign-in with an imported bcrypt hash: the member's hash becomes argon2id. Only
 * the hash changes (not the token version: the password is the same, its JWTs stay valid), and only
 * if it is still the hash that was verified (a concurrent password change wins).
 */
export async function upgradeHash(
  db: Knex,
  member: { id: number; password_hash: string | null },
  password: string,
): Promise<void> {
  if (!isBcryptHash(member.password_hash)) return;
  const passwordHash = await hashPassword(password);
  await db('folio_members')
    .where({ id: member.id, password_hash: member.password_hash })
    .update({ password_hash: passwordHash });
}
