// Wires the access and auth services onto a Folio: one call from openFolio().
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { InvalidationBus } from '../access/bus.js';
import { AccessService } from '../access/service.js';
import type { TypeAttributes } from '../access/member-grants.js';
import { AuditLog } from '../events/audit.js';
import type { Logger } from '../logger.js';
import { ApiTokenService } from './api-tokens.js';
import { Mailer } from './mailer.js';
import { DatabaseRateLimitStore, RedisRateLimitStore, type RateLimitStore } from './rate-limit.js';
import {
  DatabaseWindowCounterStore,
  RedisWindowCounterStore,
  type WindowCounterStore,
} from '../limits/window-counters.js';
import { AuthService } from './service.js';
import { MemberAuth } from '../members/auth.js';

export interface AccessServices {
  access: AccessService;
  auth: AuthService;
  apiTokens: ApiTokenService;
  audit: AuditLog;
  /** Request-rate counters (server/limits/), in the same home as the lockout's. */
  rateCounters: WindowCounterStore;
  /** Site members: accounts, roles, sign-in and their JWTs (server/members/). */
  members: MemberAuth;
}

export function createAccessServices(o: {
  db: Knex;
  secret: string;
  publicUrl: string;
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  logger: Logger;
  /** The content types' singularNames in force, for the permission catalogue. */
  contentTypes: () => Promise<string[]>;
  /** Each content type's attribute names in schema order, for member field allowlists. */
  contentAttributes: () => Promise<TypeAttributes>;
}): AccessServices & { close(): Promise<void> } {
  const bus = new InvalidationBus(o.redisUrl, o.logger);
  let redis: Redis | undefined;
  let rateLimitStore: RateLimitStore;
  let rateCounters: WindowCounterStore;
  if (o.redisUrl) {
    redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 2 });
    redis.on('error', (err) => o.logger.warn({ err }, 'redis (rate limits) error'));
    rateLimitStore = new RedisRateLimitStore(redis);
    rateCounters = new RedisWindowCounterStore(redis);
  } else {
    rateLimitStore = new DatabaseRateLimitStore(o.db);
    rateCounters = new DatabaseWindowCounterStore(o.db, (err) =>
      o.logger.warn({ err }, 'could not purge ended rate-limit windows'),
    );
  }
  const access = new AccessService(o.db, bus, o.contentTypes, o.contentAttributes);
  const audit = new AuditLog(o.db);
  const mailer = new Mailer({ smtpUrl: o.smtpUrl, from: o.mailFrom, logger: o.logger });
  const auth = new AuthService({
    db: o.db,
    secret: o.secret,
    publicUrl: o.publicUrl,
    logger: o.logger,
    access,
    audit,
    mailer,
    rateLimitStore,
    rateCounters,
  });
  const apiTokens = new ApiTokenService(o.db, o.secret, access);
  const members = new MemberAuth({
    db: o.db,
    secret: o.secret,
    publicUrl: o.publicUrl,
    access,
    audit,
    mailer,
    rateLimitStore,
    rateCounters,
    logger: o.logger,
  });
  return {
    access,
    auth,
    apiTokens,
    audit,
    rateCounters,
    members,
    async close() {
      await mailer.close();
      await bus.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
