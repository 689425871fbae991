// Members' JWTs (HS256, jose), what Strapi's users-permissions issues on login: `{ id }` plus, here,
// `typ: "member"` (the Bearer dispatch tells signed tokens apart by it) and `ver`, the member's
// token version when it was signed: a block or a password change bumps the version, and every token
// signed before is refused (MemberService.tokenState, checked with the access freshness). Signed with
// the member key derived from FOLIO_SECRET (auth/keys.ts), so a preview token is never a member's.
import { z } from 'zod';
import { keyFor } from '../auth/keys.js';
import { signToken, verifyToken } from '../auth/signed-tokens.js';

export const MEMBER_TOKEN_TYPE = 'member';

const claimsSchema = z.object({
  typ: z.literal(MEMBER_TOKEN_TYPE),
  sub: z.string().min(1),
  id: z.number().int().positive(),
  ver: z.number().int().min(0),
});

export interface MemberClaims {
  id: number;
  /**
   * The member's documentId (the JWT's `sub`): random, never reused, so that a token of a deleted
   * member can never open an account that later takes its numeric id.
   */
  documentId: string;
  ver: number;
}

export class MemberTokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = keyFor(secret, 'memberToken');
  }

  /** A token valid `ttlSeconds` from `now` (days without refresh tokens, minutes with them). */
  issue(claims: MemberClaims, ttlSeconds: number, now = Date.now()): Promise<string> {
    return signToken(
      this.key,
      { typ: MEMBER_TOKEN_TYPE, id: claims.id, ver: claims.ver },
      { ttlSeconds, subject: claims.documentId, now },
    );
  }

  /** The claims of a valid member token; undefined when expired, tampered, or signed for another purpose. */
  async verify(token: string): Promise<MemberClaims | undefined> {
    const claims = await verifyToken(this.key, token, claimsSchema);
    return claims && { id: claims.id, documentId: claims.sub, ver: claims.ver };
  }
}
