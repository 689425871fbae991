// The running Folio: configuration, database and logger, opened once and shared by the HTTP server,
// the CLI and the tests. Later concerns (schema, content engine, access, media, events) hang their
// services here, so that every entry point wires them the same way.
import { setPasswordHashing } from './auth/crypto.js';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import {
  createDatabase,
  dialectOf,
  ensureMySqlDatabase,
  pingDatabase,
  redactUrl,
  type DialectName,
} from './db/connection.js';
import { migrateLatest } from './db/migrate.js';
import type { Logger } from './logger.js';
import { resolveSecret } from './secret.js';
import { PreviewTokenService } from './auth/preview-tokens.js';
import { SchemaRegistry } from './schema/registry.js';
import { DocumentService } from './content/documents.js';
import { LocaleService } from './content/locale-service.js';
import { linkedFieldTypes } from './content/media-refs.js';
import { createMedia, type MediaServer, type MediaService } from './media/index.js';
import { createAccessServices, type AccessServices } from './auth/index.js';
import { WebhookService } from './events/webhooks.js';
import { WebhookDispatcher } from './events/dispatcher.js';
import { JobRunner } from './jobs/runner.js';
import { JobQueue } from './jobs/queue.js';
import { SCHEDULE_JOB } from './content/operations/schedules.js';
import { scheduleJobKind } from './content/schedules/run.js';
import { RELEASE_JOB, releaseJobKind } from './content/releases/run.js';
import { DestinationPolicy } from './events/destinations.js';
import { documentEventsToOutbox, mediaEventToOutbox } from './events/outbox.js';
import { ContentCache } from './cache/index.js';
import { ReadPool } from './db/read-pool.js';
import { recordRevisions } from './content/revisions/recording.js';
import { RevisionPruner, typeRetentionPolicies } from './content/revisions/retention.js';
import { QueryAdvisor } from './performance/advisor.js';
import { FieldCipher } from './encryption/cipher.js';
import { assertEncryptionReady } from './encryption/readiness.js';

export interface Folio {
  config: Config & { secret: string };
  db: Knex;
  dialect: DialectName;
  logger: Logger;
  /** The content-type schema in force (server/schema/registry.ts). */
  schema: SchemaRegistry;
  /** The document engine: every content write (server/content/documents.ts). */
  documents: DocumentService;
  /** The locales localized content may be written in (server/content/locale-service.ts). */
  locales: LocaleService;
  /** Roles, permissions, abilities and callers (server/access/). */
  access: AccessServices['access'];
  /** Admin accounts, sessions, login, password reset, invitations (server/auth/). */
  auth: AccessServices['auth'];
  /** Content API tokens (server/auth/api-tokens.ts). */
  apiTokens: AccessServices['apiTokens'];
  /** Site members: their accounts, roles, settings, sign-in and JWTs (server/members/). */
  members: AccessServices['members'];
  /** Preview tokens: a site's short-lived read of one draft (server/auth/preview-tokens.ts). */
  previewTokens: PreviewTokenService;
  /** The append-only audit log (server/events/audit.ts). */
  audit: AccessServices['audit'];
  /** Request-rate counters: a RequestRateLimiter (server/limits/request-rate.ts) counts on them. */
  rateCounters: AccessServices['rateCounters'];
  /** Webhooks: their configuration and the outbox's dispatcher (server/events/). */
  webhooks: { service: WebhookService; dispatcher: WebhookDispatcher };
  /**
   * Background work (server/jobs/): the process's one runner (started by the server process; it
   * runs the webhook dispatcher and the queue) and the queue of jobs due at a time (scheduled publishing).
   */
  jobs: { runner: JobRunner; queue: JobQueue };
  /** Response and count caches of public reads, with their invalidation (server/cache/). */
  cache: ContentCache;
  /** The primary and the read replicas (DATABASE_READ_URLS) public reads may use. */
  reads: ReadPool;
  /** The media library: upload, replace, delete, links, folders (server/media/). */
  media: MediaService;
  /** The file server answering /uploads, with its image transforms (server/media/serve.ts). */
  mediaServer: MediaServer;
  /** Content history's background pruning (started by the server process; server/content/revisions/). */
  revisions: { pruner: RevisionPruner };
  /** List shapes, their timings and plans, and the indexes that would serve them (server/performance/). */
  advisor: QueryAdvisor;
  /** Encrypts and decrypts the values of `encrypted: true` attributes (server/encryption/). */
  cipher: FieldCipher;
  close(): Promise<void>;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface OpenOptions {
  logger: Logger;
  /** Apply pending migrations (default). The `migrate` command turns it off to report them itself. */
  migrate?: boolean;
  /** An already-open knex instance (tests); Folio then does not destroy it on close. */
  db?: Knex;
}

async function connect(config: Config, logger: Logger): Promise<Knex> {
  try {
    await ensureMySqlDatabase(config.databaseUrl);
  } catch (err) {
    throw new StartupError(`Cannot reach the database at ${redactUrl(config.databaseUrl)}: ${(err as Error).message}`);
  }
  const db = createDatabase(config.databaseUrl, { poolMax: config.databasePoolMax, logger });
  const ping = await pingDatabase(db, 5000);
  if (!ping.ok) {
    await db.destroy();
    throw new StartupError(`Cannot reach the database at ${redactUrl(config.databaseUrl)}: ${ping.error}`);
  }
  return db;
}

export async function openFolio(config: Config, options: OpenOptions): Promise<Folio> {
  const secret = await resolveSecret(config.secret);
  setPasswordHashing(config.passwordHashing);
  const ownsDb = !options.db;
  const db = options.db ?? (await connect(config, options.logger));
  try {
    if (options.migrate !== false) {
      const applied = await migrateLatest(db);
      if (applied.length) options.logger.info({ applied }, 'applied database migrations');
    }
  } catch (err) {
    if (ownsDb) await db.destroy();
    throw err;
  }
  const dialect = dialectOf(db);
  // Each service is given its collaborators when it is built. The one cycle, schema registry ⇄
  // document engine (a schema change reshapes stored versions; the engine reads the model), is
  // closed by handing the registry a function that answers the engine once it exists.
  // Master keys from the environment only; the data keys they wrap are read (and checked) here.
  const cipher = new FieldCipher(db, config.encryptionKeys);
  const schema: SchemaRegistry = new SchemaRegistry(
    db,
    dialect,
    options.logger,
    (): DocumentService => documents,
    cipher,
  );
  try {
    // Without migrations (`folio migrate` reports them itself) the tables it reads may not exist yet.
    if (options.migrate !== false) await assertEncryptionReady(cipher, await schema.current());
  } catch (err) {
    if (ownsDb) await db.destroy();
    throw new StartupError((err as Error).message);
  }
  const locales = new LocaleService(db, schema);
  const accessServices = createAccessServices({
    db,
    secret,
    publicUrl: config.publicUrl,
    redisUrl: config.redisUrl,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    logger: options.logger,
    // The permission catalogue lists the live content types.
    contentTypes: async () => [...(await schema.current()).contentTypes.keys()],
    contentAttributes: async () =>
      new Map([...(await schema.current()).contentTypes].map(([uid, type]) => [uid, [...type.fields.keys()]])),
  });
  // Every content and media change records its webhook events in its own transaction; the
  // dispatcher (started by the server process) is woken after each commit instead of waiting a tick.
  // A webhook reads content with the rights of the admins who configured it (webhooks.ts).
  const activeAdmin = (userId: number) => accessServices.auth.activeAdminCaller(userId);
  const webhookService = new WebhookService(db, secret, new DestinationPolicy(config.webhookAllowedHosts), activeAdmin);
  const { pollMs, leaseMs, claimMs } = config.jobs;
  const runner = new JobRunner(db, options.logger, {
    pollMs,
    leaseMs,
    claimMs,
    heartbeatMs: Math.max(10, Math.floor(leaseMs / 6)),
  });
  const dispatcher = new WebhookDispatcher(db, webhookService, options.logger, { claimMs }, runner);
  const jobQueue = new JobQueue(db, runner, options.logger);
  const cache = new ContentCache({
    enabled: config.cache,
    maxBytes: config.cacheMaxBytes,
    ttlSeconds: config.cacheTtlSeconds,
    redisUrl: config.redisUrl,
    logger: options.logger,
  });
  const documents = new DocumentService(
    db,
    schema,
    locales,
    {
      onHookError: (err, event) => options.logger.error({ err, event }, 'afterCommit hook failed'),
      // Content history: each operation's write records the version written (content/revisions/),
      // unless the installation keeps none (REVISIONS=off: no hook, so a write pays nothing for it).
      inTransaction: config.revisions.enabled
        ? [documentEventsToOutbox, recordRevisions(dialect)]
        : [documentEventsToOutbox],
      afterCommit: [() => dispatcher.wake()],
      // One invalidation per commit, of every type it wrote: a release's documents change at once.
      committed: [(events) => cache.invalidate([...new Set(events.map((e) => e.uid))])],
    },
    cipher,
  );
  const media = createMedia({
    db,
    config: { ...config, secret },
    logger: options.logger,
    rateCounters: accessServices.rateCounters,
    linkedFieldTypes: linkedFieldTypes(schema),
    inTransaction: [mediaEventToOutbox],
    afterChange: [() => cache.mediaChanged()],
  });
  // Scheduled publishing: due schedules run as jobs of the queue (content/schedules/run.ts).
  jobQueue.define(SCHEDULE_JOB, scheduleJobKind({ db, schema, documents, audit: accessServices.audit, activeAdmin }));
  // Scheduled releases: the same queue, all of a release in one transaction (content/releases/run.ts).
  jobQueue.define(RELEASE_JOB, releaseJobKind({ db, schema, documents, audit: accessServices.audit, activeAdmin }));
  accessServices.access.onInvalidate(() => cache.permissionsChanged());
  const reads = new ReadPool(db, config.databaseReadUrls, { poolMax: config.databasePoolMax, logger: options.logger });
  cache.onInvalidate((i) => ('all' in i ? reads.writtenAll() : reads.written(i.tags)));
  // A new default locale or schema clears every cache, on every instance: the locale service's copy
  // of the default goes too, and the registry checks the schema version at the next read.
  schema.onApplied(() => cache.settingsChanged());
  cache.onInvalidate((i) => {
    if (!('all' in i)) return;
    locales.forget();
    schema.forget();
  });
  const pruner = new RevisionPruner(db, config.revisions, options.logger, {
    typePolicies: async () => typeRetentionPolicies(await schema.current()),
  });
  const folio: Folio = {
    config: { ...config, secret },
    db,
    dialect,
    logger: options.logger,
    schema,
    documents,
    locales,
    access: accessServices.access,
    auth: accessServices.auth,
    apiTokens: accessServices.apiTokens,
    members: accessServices.members,
    previewTokens: new PreviewTokenService(secret, config.previewTokenTtlSeconds),
    audit: accessServices.audit,
    rateCounters: accessServices.rateCounters,
    webhooks: { service: webhookService, dispatcher },
    jobs: { runner, queue: jobQueue },
    cache,
    reads,
    media: media.service,
    mediaServer: media.server,
    revisions: { pruner },
    advisor: new QueryAdvisor({ ...config.queryAdvisor, logger: options.logger }),
    cipher,
    async close() {
      await runner.stop();
      await pruner.stop();
      await accessServices.close();
      await cache.close();
      await reads.close();
      if (ownsDb) await db.destroy();
    },
  };
  return folio;
}
