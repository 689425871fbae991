// Preview tokens: short-lived JWTs (HS256, jose) that let a site read ONE document's draft through the
// Content API, in one locale. They travel in the same `Authorization: Bearer` header as API tokens and
// are told apart by format (bearerKind): an API token is one base64url word, a JWT has three
// dot-separated parts and carries `typ: "preview"`. Signed with the preview key derived from
// FOLIO_SECRET (keys.ts), so a JWT signed for any other purpose fails verification.
//
// Nothing is stored: a preview token lives until it expires (default one hour, PREVIEW_TOKEN_TTL).
import { z } from 'zod';
import type { DocumentScope } from '../access/caller.js';
import { keyFor } from './keys.js';
import { signToken, verifyToken } from './signed-tokens.js';

/** What a preview token lets its holder read: one document of one type, in one locale. */
export type PreviewScope = DocumentScope;

export interface IssuedPreviewToken {
  token: string;
  expiresAt: string;
}

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
    const token = await signToken(
      this.key,
      { typ: PREVIEW_TOKEN_TYPE, ...scope },
      { ttlSeconds: this.ttlSeconds, now },
    );
    const expiresAt = (Math.floor(now / 1000) + this.ttlSeconds) * 1000;
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The scope of a valid token; undefined when it is expired, tampered, or not a preview token. */
  async verify(token: string): Promise<PreviewScope | undefined> {
    const claims = await verifyToken(this.key, token, claimsSchema);
    return claims && { uid: claims.uid, documentId: claims.documentId, locale: claims.locale };
  }
}
