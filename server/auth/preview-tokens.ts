// Preview tokens: short-lived JWTs (HS256, jose) that let a site read ONE document's draft through the
// Content API, in one locale. They travel in the same `Authorization: Bearer` header as API tokens and
// are told apart by format (bearerKind): an API token is one base64url word, a JWT has three
// dot-separated parts and carries `typ: "preview"`. Signed with the preview key derived from
// FOLIO_SECRET (keys.ts), so a JWT signed for any other purpose fails verification.
//
// Nothing is stored: a preview token lives until it expires (default one hour, PREVIEW_TOKEN_TTL).
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { z } from 'zod';
import type { DocumentScope } from '../access/caller.js';
import { keyFor } from './keys.js';

/** What a preview token lets its holder read: one document of one type, in one locale. */
export type PreviewScope = DocumentScope;

export interface IssuedPreviewToken {
  token: string;
  expiresAt: string;
}

const ISSUER = 'folio';
const AUDIENCE = 'folio:content-api';
export const PREVIEW_TOKEN_TYPE = 'preview';

const claimsSchema = z.object({
  typ: z.literal(PREVIEW_TOKEN_TYPE),
  uid: z.string().min(1),
  documentId: z.string().min(1),
  locale: z.string(),
});

/** Which kind of bearer token a header carries, by its format alone (never by trying each in turn). */
export function bearerKind(token: string): 'api-token' | 'jwt' {
  return token.includes('.') ? 'jwt' : 'api-token';
}

export class PreviewTokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    /** Lifetime of a new token, seconds. */
    readonly ttlSeconds: number,
  ) {
    this.key = keyFor(secret, 'previewToken');
  }

  async issue(scope: PreviewScope, now = Date.now()): Promise<IssuedPreviewToken> {
    const issuedAt = Math.floor(now / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ typ: PREVIEW_TOKEN_TYPE, ...scope })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  /** The scope of a valid token; undefined when it is expired, tampered, or not a preview token. */
  async verify(token: string): Promise<PreviewScope | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['exp'],
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return undefined;
      const { uid, documentId, locale } = claims.data;
      return { uid, documentId, locale };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return undefined;
      throw err;
    }
  }
}
