// API tokens for the Content API: read-only, full-access, or custom (a list of type.action).
// Stored as HMAC-SHA256 digests keyed by the Folio secret (checked on every request, so a fast
// keyed digest, never a password hash); shown once at creation; optional expiry; revocable;
// last use recorded at most once a minute.
//
// A resolved token is trusted for the access freshness (AccessService.freshnessMs, 1 s) before it is
// read again: a site polling with one token no longer pays a statement per request. A revoke bumps
// the access version, so this instance and every instance sharing Redis forget their tokens at once;
// another process without Redis sees it within the freshness, like a permission change.
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { parseAllowList, type AccessService } from '../access/service.js';
import { digest, randomToken } from './crypto.js';
import { dialectOf } from '../db/connection.js';

export const TOKEN_TYPES = ['read-only', 'full-access', 'custom'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
const LAST_USED_EVERY_MS = 60_000;

export interface ApiToken {
  id: number;
  name: string;
  description: string;
  type: TokenType;
  allow: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const createTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(191),
    description: z.string().max(1000).optional(),
    type: z.enum(TOKEN_TYPES),
    allow: z.array(z.string()).optional(),
    durationDays: z.number().int().min(1).max(36500).nullable().optional(),
  })
  .strict();
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

interface TokenRow {
  id: number;
  name: string;
  description: string;
  type: TokenType;
  allow: string | null;
  created_at: number | string;
  expires_at: number | string | null;
  revoked_at: number | string | null;
  last_used_at: number | string | null;
}

const iso = (v: number | string | null) => (v === null ? null : new Date(Number(v)).toISOString());

function toToken(r: TokenRow): ApiToken {
  return {
    id: Number(r.id),
    name: r.name,
    description: r.description,
    type: r.type,
    allow: r.allow ? (JSON.parse(r.allow) as string[]) : [],
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
  };
}

/** What the token cache needs of the AccessService: its freshness, and its invalidation on every instance. */
export type TokenFreshness = Pick<AccessService, 'freshnessMs' | 'invalidate' | 'onInvalidate'>;

export class ApiTokenService {
  /** Rows by digest (an unknown digest as null), with when they were read. */
  private readonly resolved = new LRUCache<string, { row: TokenRow | null; readAt: number }>({ max: 1000 });

  constructor(
    private readonly db: Knex,
    private readonly secret: string,
    private readonly freshness?: TokenFreshness,
  ) {
    freshness?.onInvalidate(() => this.resolved.clear());
  }

  private digestOf(token: string): string {
    return digest(this.secret, 'api-token', token);
  }

  /** Creates a token, unchecked (fixtures); callers go through access/operations/api-tokens.ts. */
  create(input: CreateTokenInput): Promise<{ token: string; record: ApiToken }> {
    return this.db.transaction((trx) => this.createIn(trx, input));
  }

  /** Writes a new token in `trx`; answers it (shown this once) with its record. */
  async createIn(trx: Knex.Transaction, input: CreateTokenInput): Promise<{ token: string; record: ApiToken }> {
    const allow =
      input.type === 'custom' ? parseAllowList(input.allow ?? []).map((p) => `${p.subject}.${p.action}`) : [];
    if (input.type === 'custom' && !allow.length)
      throw new ValidationError('A custom token needs at least one permission (e.g. article.find)');
    if (input.type !== 'custom' && input.allow?.length)
      throw new ValidationError('Only custom tokens take a permission list');
    if (await trx('folio_api_tokens').where({ name: input.name }).first())
      throw new ConflictError(`A token named "${input.name}" already exists`);
    const token = `folio_${randomToken(32)}`;
    const now = Date.now();
    const [id] = await trx('folio_api_tokens').insert({
      name: input.name,
      description: input.description ?? '',
      type: input.type,
      digest: this.digestOf(token),
      allow: allow.length ? JSON.stringify(allow) : null,
      created_at: now,
      expires_at: input.durationDays ? now + input.durationDays * 86_400_000 : null,
    });
    return { token, record: await this.get(Number(id), trx) };
  }

  async get(id: number, db: Knex = this.db): Promise<ApiToken> {
    const row = await db('folio_api_tokens').where({ id }).first<TokenRow | undefined>();
    if (!row) throw new NotFoundError('API token not found');
    return toToken(row);
  }

  async list(): Promise<ApiToken[]> {
    return (await this.db('folio_api_tokens').orderBy('id')).map(toToken);
  }

  /** Revokes a token, unchecked (fixtures); callers go through access/operations/api-tokens.ts. */
  async revoke(where: { id: number } | { name: string }): Promise<ApiToken> {
    const { record, revoked } = await this.db.transaction((trx) => this.revokeIn(trx, where));
    if (revoked) await this.forget();
    return record;
  }

  /**
   * Revokes a token in `trx` (its row locked on MySQL, so it is revoked once); `revoked` says
   * whether this call did it: then `forget()` once the transaction has committed.
   */
  async revokeIn(
    trx: Knex.Transaction,
    where: { id: number } | { name: string },
  ): Promise<{ record: ApiToken; revoked: boolean }> {
    const query = trx('folio_api_tokens').where(where).first<TokenRow | undefined>();
    if (dialectOf(trx) === 'mysql') query.forUpdate();
    const row = await query;
    if (!row) throw new NotFoundError('API token not found');
    if (row.revoked_at === null) await trx('folio_api_tokens').where({ id: row.id }).update({ revoked_at: Date.now() });
    return { record: await this.get(Number(row.id), trx), revoked: row.revoked_at === null };
  }

  /** A token was revoked: this instance and every instance sharing Redis forget the tokens they resolved. */
  async forget(): Promise<void> {
    await this.freshness?.invalidate(); // clears `resolved` here (onInvalidate) and on every instance sharing Redis
  }

  /** The live token behind a bearer value, or null (unknown, expired or revoked). */
  async resolve(token: string): Promise<ApiToken | null> {
    if (!token || token.length > 200) return null;
    const row = await this.rowOf(this.digestOf(token));
    if (!row || row.revoked_at !== null) return null;
    const now = Date.now();
    if (row.expires_at !== null && Number(row.expires_at) <= now) return null;
    if (row.last_used_at === null || now - Number(row.last_used_at) >= LAST_USED_EVERY_MS) {
      await this.db('folio_api_tokens').where({ id: row.id }).update({ last_used_at: now });
      row.last_used_at = now;
    }
    return toToken(row);
  }

  private async rowOf(digestValue: string): Promise<TokenRow | null> {
    const now = Date.now();
    const cached = this.resolved.get(digestValue);
    if (cached && now - cached.readAt < (this.freshness?.freshnessMs ?? 0)) return cached.row;
    const row = await this.db('folio_api_tokens').where({ digest: digestValue }).first<TokenRow | undefined>();
    this.resolved.set(digestValue, { row: row ?? null, readAt: now });
    return row ?? null;
  }
}
