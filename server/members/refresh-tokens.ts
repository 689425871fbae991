// Rotating refresh tokens, the optional refresh mode of members' sign-in (Strapi's
// `jwtManagement: 'refresh'`): a sign-in starts a family; each POST /api/auth/refresh spends the
// token it presents and answers the family's next one. A refresh token is opaque (random) and
// stored as an HMAC digest only. Presenting a spent token means two parties hold the family — the
// member and whoever copied its token — so the whole family is revoked, the newest token included,
// and the reuse is logged and audited (RFC 9700's refresh token rotation with reuse detection).
import type { Knex } from 'knex';
import { dialectOf } from '../db/connection.js';
import { digest, randomToken } from '../auth/crypto.js';
import type { AuditLog } from '../events/audit.js';
import type { Logger } from '../logger.js';

const TABLE = 'folio_member_refresh_tokens';

interface RefreshTokenRow {
  digest: string;
  family_id: string;
  member_id: number;
  expires_at: number | string;
  used_at: number | string | null;
  revoked_at: number | string | null;
}

/** Revokes every family of `memberId` in `trx` (a block, a password change). */
export async function revokeMemberFamiliesIn(trx: Knex, memberId: number): Promise<void> {
  await trx(TABLE).where({ member_id: memberId }).whereNull('revoked_at').update({ revoked_at: Date.now() });
}

export class RefreshTokens {
  constructor(private readonly o: { db: Knex; secret: string; logger: Logger; audit: AuditLog }) {}

  private digestOf(token: string): string {
    return digest(this.o.secret, 'member-refresh', token);
  }

  private async insert(db: Knex, familyId: string, memberId: number, lifetimeDays: number): Promise<string> {
    const token = randomToken();
    const now = Date.now();
    await db(TABLE).insert({
      digest: this.digestOf(token),
      family_id: familyId,
      member_id: memberId,
      created_at: now,
      expires_at: now + lifetimeDays * 86_400_000,
    });
    return token;
  }

  /** The first token of a new family (a sign-in); the member's expired tokens go meanwhile. */
  async start(memberId: number, lifetimeDays: number): Promise<string> {
    await this.o.db(TABLE).where({ member_id: memberId }).andWhere('expires_at', '<', Date.now()).delete();
    return this.insert(this.o.db, randomToken(16), memberId, lifetimeDays);
  }

  /**
   * Spends `token` and answers the member and the family's next token; null when the token is
   * unknown, expired, revoked, or spent already — the last revokes its family (committed, though
   * the caller answers a 401).
   */
  async rotate(token: string, lifetimeDays: number, ip?: string): Promise<{ memberId: number; token: string } | null> {
    if (token.length > 200) return null;
    const tokenDigest = this.digestOf(token);
    return this.o.db.transaction(async (trx) => {
      const query = trx(TABLE).where({ digest: tokenDigest }).first<RefreshTokenRow | undefined>();
      if (dialectOf(trx) === 'mysql') query.forUpdate();
      const row = await query;
      if (!row || row.revoked_at !== null || Number(row.expires_at) <= Date.now()) return null;
      // The conditional update is the claim: of two requests presenting one token, one spends it.
      const claimed =
        row.used_at === null &&
        (await trx(TABLE).where({ digest: tokenDigest }).whereNull('used_at').update({ used_at: Date.now() })) > 0;
      if (!claimed) {
        await this.revokeReusedFamily(trx, row, ip);
        return null;
      }
      return {
        memberId: Number(row.member_id),
        token: await this.insert(trx, row.family_id, row.member_id, lifetimeDays),
      };
    });
  }

  private async revokeReusedFamily(trx: Knex.Transaction, row: RefreshTokenRow, ip?: string): Promise<void> {
    await trx(TABLE).where({ family_id: row.family_id }).whereNull('revoked_at').update({ revoked_at: Date.now() });
    this.o.logger.warn(
      { memberId: Number(row.member_id), family: row.family_id, ip },
      'a spent member refresh token was presented again: its family is revoked',
    );
    await this.o.audit.record(
      {
        actor: { kind: 'member', id: Number(row.member_id) },
        action: 'members.refresh-reuse',
        subject: 'members',
        entityId: Number(row.member_id),
        ip,
        details: { family: row.family_id },
      },
      trx,
    );
  }

  /** Revokes the family of `token` when it is `memberId`'s (or anyone's, without a member); whether it did. */
  async revokeFamilyOf(token: string, memberId?: number): Promise<boolean> {
    if (token.length > 200) return false;
    const row = await this.o
      .db(TABLE)
      .where({ digest: this.digestOf(token) })
      .first<RefreshTokenRow | undefined>();
    if (!row || (memberId !== undefined && Number(row.member_id) !== memberId)) return false;
    await this.o
      .db(TABLE)
      .where({ family_id: row.family_id })
      .whereNull('revoked_at')
      .update({ revoked_at: Date.now() });
    return true;
  }

  /** Revokes every family of the member (logout without a refresh token). */
  revokeMember(memberId: number): Promise<void> {
    return revokeMemberFamiliesIn(this.o.db, memberId);
  }
}
