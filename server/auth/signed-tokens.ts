// The JWTs Folio signs for the Content API (preview tokens, members' tokens): HS256 through jose,
// one issuer and audience, and a `typ` claim naming the purpose. Each purpose has its own key derived
// from FOLIO_SECRET (keys.ts), so a token signed for one purpose never verifies as another's; the
// `typ` claim lets the Bearer dispatch pick the verifier without trying each in turn.
import { jwtVerify, SignJWT, errors as joseErrors, type JWTPayload } from 'jose';
import type { z } from 'zod';

const ISSUER = 'folio';
const AUDIENCE = 'folio:content-api';

/** Signs `claims` (with their `typ`) for `ttlSeconds` from `now`; `subject` becomes `sub`. */
export function signToken(
  key: Uint8Array,
  claims: JWTPayload,
  options: { ttlSeconds: number; subject?: string; now?: number },
): Promise<string> {
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds);
  return (options.subject === undefined ? jwt : jwt.setSubject(options.subject)).sign(key);
}

/** The claims of a valid token of this shape; undefined when expired, tampered or of another purpose. */
export async function verifyToken<T>(key: Uint8Array, token: string, claims: z.ZodType<T>): Promise<T | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['exp'],
    });
    const parsed = claims.safeParse(payload);
    return parsed.success ? parsed.data : undefined;
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return undefined;
    throw err;
  }
}
