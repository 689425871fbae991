// Environment → typed, validated configuration.
// Every variable of the README's "Configuration" table is read here and nowhere else, so that a bad value
// stops the start with one line naming the variable instead of failing later, deep inside a request.
import { z } from 'zod';
import { parseAllowedHost } from './events/destinations.js';
import type { PasswordHashing } from './auth/crypto.js';
import { KeyringError, parseKeyring, type MasterKey } from './encryption/keyring.js';

const bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), {
      message: `${name} must be true or false`,
    })
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, {
      message: `${name} must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const databaseUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(v), {
      message: `${name} must start with sqlite: or mysql://`,
    });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  DATABASE_URL: databaseUrl('DATABASE_URL').default('sqlite:./data/folio.db'),
  DATABASE_READ_URLS: list.pipe(z.array(databaseUrl('DATABASE_READ_URLS'))).optional(),
  DATABASE_POOL_MAX: int('DATABASE_POOL_MAX', 1, 1000).default(10),
  PORT: int('PORT', 0, 65535).default(1337),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ message: 'PUBLIC_URL must be an absolute URL' }).optional(),
  /** `id:base64key,…`: master keys of encrypted attributes, the first wraps (docs/encryption.md). */
  FOLIO_ENCRYPTION_KEYS: z.string().optional(),
  FOLIO_SECRET: z.string().min(32, { message: 'FOLIO_SECRET must be at least 32 characters' }).optional(),
  FOLIO_DEMO: bool('FOLIO_DEMO').default(true),
  UPLOADS_DIR: z.string().trim().min(1).default('./uploads'),
  UPLOAD_MAX_BYTES: int('UPLOAD_MAX_BYTES', 1, Number.MAX_SAFE_INTEGER).default(50 * 1024 * 1024),
  BACKUP_UPLOAD_MAX_BYTES: int('BACKUP_UPLOAD_MAX_BYTES', 1, Number.MAX_SAFE_INTEGER).default(10 * 1024 ** 3),
  S3_BUCKET: z.string().trim().min(1).optional(),
  S3_REGION: z.string().trim().min(1).optional(),
  S3_ENDPOINT: z.url({ message: 'S3_ENDPOINT must be an absolute URL' }).optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => /^rediss?:\/\//.test(v), {
      message: 'REDIS_URL must start with redis:// or rediss://',
    })
    .optional(),
  CACHE: z.enum(['on', 'off'], { message: 'CACHE must be on or off' }).default('on'),
  CACHE_MAX_MB: int('CACHE_MAX_MB', 1, 65536).default(64),
  CACHE_TTL: int('CACHE_TTL', 0, 31_536_000).default(300),
  QUERY_ADVISOR: z.enum(['on', 'off'], { message: 'QUERY_ADVISOR must be on or off' }).default('on'),
  QUERY_ADVISOR_SLOW_MS: int('QUERY_ADVISOR_SLOW_MS', 0, 3_600_000).default(20),
  REVISIONS: z.enum(['on', 'off'], { message: 'REVISIONS must be on or off' }).default('on'),
  REVISIONS_KEEP: int('REVISIONS_KEEP', 0, 1_000_000).default(0),
  REVISIONS_MAX_AGE_DAYS: int('REVISIONS_MAX_AGE_DAYS', 0, 36_500).default(0),
  JOBS_POLL_MS: int('JOBS_POLL_MS', 10, 3_600_000).default(1000),
  JOBS_LEASE_MS: int('JOBS_LEASE_MS', 50, 86_400_000).default(30_000),
  JOBS_CLAIM_MS: int('JOBS_CLAIM_MS', 50, 86_400_000).default(120_000),
  API_MAX_PAGE_SIZE: int('API_MAX_PAGE_SIZE', 1, 10000).default(100),
  PREVIEW_TOKEN_TTL: int('PREVIEW_TOKEN_TTL', 1, 604_800).default(3600),
  CORS_ORIGINS: list.optional(),
  TRUST_PROXY: bool('TRUST_PROXY').default(false),
  TRUST_PROXY_HOPS: int('TRUST_PROXY_HOPS', 1, 10).default(1),
  SMTP_URL: z
    .string()
    .trim()
    .refine((v) => /^smtps?:\/\//.test(v), {
      message: 'SMTP_URL must start with smtp:// or smtps://',
    })
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default('Folio <folio@localhost>'),
  MEDIA_TRANSFORM_SIZES: list
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^\d{1,4}$/, { message: 'MEDIA_TRANSFORM_SIZES must be a comma list of pixel sizes' })
            .transform(Number)
            .refine((n) => n >= 1 && n <= 8192, { message: 'MEDIA_TRANSFORM_SIZES must be sizes from 1 to 8192' }),
        )
        .min(1),
    )
    .optional(),
  MEDIA_TRANSFORM_FORMATS: list
    .pipe(
      z
        .array(
          z.enum(['webp', 'avif', 'jpeg', 'png'], {
            message: 'MEDIA_TRANSFORM_FORMATS must be a comma list of webp, avif, jpeg, png',
          }),
        )
        .min(1),
    )
    .optional(),
  MEDIA_TRANSFORM_QUALITIES: list
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^\d{1,3}$/, { message: 'MEDIA_TRANSFORM_QUALITIES must be a comma list of qualities' })
            .transform(Number)
            .refine((n) => n >= 1 && n <= 100, {
              message: 'MEDIA_TRANSFORM_QUALITIES must be qualities from 1 to 100',
            }),
        )
        .min(1),
    )
    .optional(),
  MEDIA_TRANSFORM_MAX_VARIANTS: int('MEDIA_TRANSFORM_MAX_VARIANTS', 1, 100_000).default(50),
  MEDIA_TRANSFORM_QUEUE: int('MEDIA_TRANSFORM_QUEUE', 1, 10_000).default(8),
  MEDIA_TRANSFORM_RATE: int('MEDIA_TRANSFORM_RATE', 1, 1_000_000).default(60),
  MEDIA_MAX_PIXELS: int('MEDIA_MAX_PIXELS', 1, 1_000_000_000).default(100_000_000),
  MEDIA_IMAGE_CONCURRENCY: int('MEDIA_IMAGE_CONCURRENCY', 1, 16).default(2),
  WEBHOOK_ALLOWED_HOSTS: list
    .pipe(
      z.array(
        z.string().refine((entry) => parseAllowedHost(entry) !== null, {
          message: 'WEBHOOK_ALLOWED_HOSTS must be a comma list of host names, IP addresses or CIDR ranges',
        }),
      ),
    )
    .optional(),
  PASSWORD_HASH_MEMORY_KIB: int('PASSWORD_HASH_MEMORY_KIB', 1024, 4 * 1024 * 1024).default(64 * 1024),
  PASSWORD_HASH_PASSES: int('PASSWORD_HASH_PASSES', 1, 20).default(3),
  PASSWORD_HASH_PARALLELISM: int('PASSWORD_HASH_PARALLELISM', 1, 16).default(4),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  HTTP_HEADERS_TIMEOUT: int('HTTP_HEADERS_TIMEOUT', 1, 600).default(20),
  HTTP_IDLE_TIMEOUT: int('HTTP_IDLE_TIMEOUT', 1, 3600).default(30),
  HTTP_KEEP_ALIVE_TIMEOUT: int('HTTP_KEEP_ALIVE_TIMEOUT', 1, 3600).default(65),
  HTTP_MAX_CONNECTIONS_PER_IP: int('HTTP_MAX_CONNECTIONS_PER_IP', 0, 100_000).default(64),
});

export interface Config {
  databaseUrl: string;
  databaseReadUrls: string[];
  /** Connections per MySQL pool (the primary's, and each replica's). */
  databasePoolMax: number;
  port: number;
  host: string;
  publicUrl: string;
  /** Undefined until resolveSecret() has read or generated it. */
  secret?: string;
  /** FOLIO_ENCRYPTION_KEYS parsed: the first wraps new data keys; [] when unset. */
  encryptionKeys: MasterKey[];
  demo: boolean;
  uploadsDir: string;
  uploadMaxBytes: number;
  /** The largest backup archive the dashboard's import accepts (docs/backups.md). */
  backupUploadMaxBytes: number;
  s3?: { bucket: string; region: string; endpoint?: string; accessKeyId?: string; secretAccessKey?: string };
  redisUrl?: string;
  /** The response cache of public reads (server/cache/): on/off, its memory bound and entry lifetime. */
  cache: boolean;
  cacheMaxBytes: number;
  /** 0: entries live until a write, a schema or permission change, or eviction drops them. */
  cacheTtlSeconds: number;
  /** The query advisor (server/performance/): on/off, and the duration from which a list read's plan is read. */
  queryAdvisor: { enabled: boolean; slowMs: number };
  /**
   * Content history: recorded at all (off: no write records a revision), and the installation's
   * retention (server/content/revisions/retention.ts), 0 being no limit; a type may set its own.
   */
  revisions: { enabled: boolean; keep: number; maxAgeDays: number };
  apiMaxPageSize: number;
  /** Lifetime (seconds) of a preview token (server/auth/preview-tokens.ts). */
  previewTokenTtlSeconds: number;
  corsOrigins: string[];
  trustProxy: boolean;
  /**
   * With trustProxy: how many proxies of ours append to X-Forwarded-For. The client's address is the
   * entry that many from the right; entries left of it are whatever the client sent.
   */
  trustProxyHops: number;
  smtpUrl?: string;
  mailFrom: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** argon2id's cost for new password hashes (a hash keeps the cost it was made with). */
  passwordHashing: PasswordHashing;
  /** Hosts, addresses and ranges webhooks may reach besides public addresses (server/events/destinations.ts). */
  webhookAllowedHosts: string[];
  /**
   * The job runner (server/jobs/runner.ts): how often it looks for due work, after how long without a
   * heartbeat an instance counts as gone (its claims are released; heartbeats go every leaseMs / 6),
   * and how long a claim lasts at most.
   */
  jobs: { pollMs: number; leaseMs: number; claimMs: number };
  /** The HTTP server's protection against slow and greedy clients (server/server.ts). */
  http: {
    /** The whole request head must arrive within this. */
    headersTimeoutMs: number;
    /** A connection with no byte in either direction for this long is closed (a stalled body included). */
    idleTimeoutMs: number;
    /** How long a kept-alive connection waits for its next request. */
    keepAliveTimeoutMs: number;
    /** Open connections one client address may hold at once; 0: no cap. */
    maxConnectionsPerIp: number;
  };
  /** Media library: transform allowlist (defaults when unset), pixel limit, images processed at once. */
  media: {
    transformSizes?: number[];
    transformFormats?: Array<'webp' | 'avif' | 'jpeg' | 'png'>;
    transformQualities?: number[];
    /** Stored variants per file past which unsigned URLs may not add one. */
    transformMaxVariants: number;
    /** Transform generations admitted at once (running or waiting); past it, 503. */
    transformQueue: number;
    /** Generations of new variants one IP may ask for per minute through unsigned URLs. */
    transformRatePerMinute: number;
    maxInputPixels: number;
    imageConcurrency: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Empty strings count as unset, as a shell `FOO= npm start` means. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const got = env[variable];
    throw new ConfigError(
      `Invalid configuration: ` +
        `${issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`}` +
        `${got !== undefined ? ` (got ${JSON.stringify(got)})` : ''}`,
    );
  }
  const e = parsed.data;
  let encryptionKeys: MasterKey[];
  try {
    encryptionKeys = parseKeyring(e.FOLIO_ENCRYPTION_KEYS);
  } catch (err) {
    if (err instanceof KeyringError) throw new ConfigError(`Invalid configuration: ${err.message}`);
    throw err;
  }
  if (e.S3_BUCKET && !e.S3_REGION)
    throw new ConfigError('Invalid configuration: S3_REGION is required when S3_BUCKET is set');
  return {
    databaseUrl: e.DATABASE_URL,
    databaseReadUrls: e.DATABASE_READ_URLS ?? [],
    databasePoolMax: e.DATABASE_POOL_MAX,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    secret: e.FOLIO_SECRET,
    encryptionKeys,
    demo: e.FOLIO_DEMO,
    uploadsDir: e.UPLOADS_DIR,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    backupUploadMaxBytes: e.BACKUP_UPLOAD_MAX_BYTES,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          region: e.S3_REGION as string,
          endpoint: e.S3_ENDPOINT,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        }
      : undefined,
    redisUrl: e.REDIS_URL,
    cache: e.CACHE === 'on',
    cacheMaxBytes: e.CACHE_MAX_MB * 1024 * 1024,
    cacheTtlSeconds: e.CACHE_TTL,
    queryAdvisor: { enabled: e.QUERY_ADVISOR === 'on', slowMs: e.QUERY_ADVISOR_SLOW_MS },
    revisions: { enabled: e.REVISIONS === 'on', keep: e.REVISIONS_KEEP, maxAgeDays: e.REVISIONS_MAX_AGE_DAYS },
    apiMaxPageSize: e.API_MAX_PAGE_SIZE,
    previewTokenTtlSeconds: e.PREVIEW_TOKEN_TTL,
    corsOrigins: e.CORS_ORIGINS ?? [],
    trustProxy: e.TRUST_PROXY,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    passwordHashing: {
      memoryCost: e.PASSWORD_HASH_MEMORY_KIB,
      timeCost: e.PASSWORD_HASH_PASSES,
      parallelism: e.PASSWORD_HASH_PARALLELISM,
    },
    webhookAllowedHosts: e.WEBHOOK_ALLOWED_HOSTS ?? [],
    jobs: { pollMs: e.JOBS_POLL_MS, leaseMs: e.JOBS_LEASE_MS, claimMs: e.JOBS_CLAIM_MS },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT * 1000,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT * 1000,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT * 1000,
      maxConnectionsPerIp: e.HTTP_MAX_CONNECTIONS_PER_IP,
    },
    media: {
      transformSizes: e.MEDIA_TRANSFORM_SIZES,
      transformFormats: e.MEDIA_TRANSFORM_FORMATS,
      transformQualities: e.MEDIA_TRANSFORM_QUALITIES,
      transformMaxVariants: e.MEDIA_TRANSFORM_MAX_VARIANTS,
      transformQueue: e.MEDIA_TRANSFORM_QUEUE,
      transformRatePerMinute: e.MEDIA_TRANSFORM_RATE,
      maxInputPixels: e.MEDIA_MAX_PIXELS,
      imageConcurrency: e.MEDIA_IMAGE_CONCURRENCY,
    },
  };
}
