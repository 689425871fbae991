// The schema registry (`folio.schema`): the schema document in force, stored in folio_schema with a
// version counter, and the one way to change it (plan → apply). Every process keeps the built model
// in memory and checks the version (one indexed single-row read) at each `current()` call, so a
// schema applied by another process (the CLI, another instance) is picked up at the next request.
// The public Content API accepts a model checked up to a second ago (`current(maxAgeMs)`): the check
// was a third to a half of its statements. An apply in this process is seen at once, and
// `onApplied` listeners tell the other instances (through Redis, see folio.ts).
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DialectName } from '../db/connection.js';
import { ApplicationError, ConflictError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { executeSteps, ownedTables, rowCounter, SchemaStepError, type VersionReshaper } from './apply.js';
import { introspect } from './introspect.js';
import { buildModel, type SchemaModel, type SchemaSource } from './model.js';
import { canonicalJson, planSchema, type PlannedStep, type Rename, type SchemaPlan } from './plan.js';
import type { SchemaDocument, SchemaFile } from './types.js';
import { EncryptionError, type FieldCipher } from '../encryption/cipher.js';
import { assertEncryptionReady, encryptedAttributes } from '../encryption/readiness.js';
import type { RewriteProgress } from '../encryption/rewrite.js';
import { assertValidDocument, parseSchemaFile, validateRenames, type RenameSource } from './validate.js';

export const SCHEMA_TABLE = 'folio_schema';
/** How long an apply may hold the lease (a dead holder's lease expires), and how long to wait for it. */
const LOCK_LEASE_MS = 10 * 60 * 1000;
const LOCK_WAIT_MS = 15 * 1000;

export interface ApplyOptions {
  /** Allow steps that destroy data (columns, tables, links holding rows). */
  force?: boolean;
  /** `--rename type.old=new`: renames are never guessed. */
  renames?: Rename[];
  /** Plan only: nothing is changed. */
  dryRun?: boolean;
  /**
   * Run the plan's suggested steps too: the default indexes (docs/schema.md) of attributes that
   * existed before them. Without it they are only listed (`plan.suggested`).
   */
  acceptSuggested?: boolean;
  /** Who sent the renames, for the wording and path of their errors (default: the CLI's flags). */
  renameSource?: RenameSource;
  /** After each batch of a column rewrite (`encrypted` turned on or off): the CLI prints it. */
  onProgress?: (progress: RewriteProgress) => void;
}

export interface ApplyResult {
  plan: SchemaPlan;
  /** Steps that ran (none for a dry run or a no-op). */
  applied: PlannedStep[];
  dryRun: boolean;
  /** Nothing to do: the database and the stored document already match the file. */
  noop: boolean;
  /** The schema version after the call. */
  version: number;
}

interface StoredSchema {
  version: number;
  document: SchemaDocument;
}

export class SchemaRegistry implements SchemaSource {
  /** The model in force, with the time its version was last confirmed against the database. */
  private cache?: { version: number; model: SchemaModel; checkedAt: number };
  private readonly appliedListeners = new Set<() => void>();
  private loading?: Promise<SchemaModel>;
  private versionRead?: Promise<number>;
  private nextVersionRead?: Promise<number>;

  constructor(
    private readonly db: Knex,
    private readonly dialect: DialectName,
    private readonly logger: Logger,
    /**
     * The document engine, for data steps (draft & publish or localization turned on or off). A
     * function, because the engine reads its model from this registry and is built after it.
     */
    private readonly reshaper: () => VersionReshaper,
    /** Seals and opens values when an attribute's `encrypted` option changes (server/encryption/). */
    private readonly cipher?: FieldCipher,
  ) {}

  /**
   * The model in force; rebuilt only when another apply bumped the version. `maxAgeMs`: a model
   * whose version was confirmed at most that long ago is answered without asking the database.
   */
  async current(maxAgeMs = 0): Promise<SchemaModel> {
    if (this.cache && maxAgeMs > 0 && Date.now() - this.cache.checkedAt <= maxAgeMs) return this.cache.model;
    const asked = Date.now();
    const version = await this.version();
    if (this.cache && this.cache.version === version) {
      this.cache.checkedAt = Math.max(this.cache.checkedAt, asked);
      return this.cache.model;
    }
    if (!this.loading) {
      this.loading = this.read()
        .then(({ version: v, document }) => {
          const model = buildModel(document);
          this.cache = { version: v, model, checkedAt: asked };
          return model;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  /**
   * The stored schema version. Concurrent callers share reads (every public request asks, and under
   * load this check was half of a list request's statements): a caller joins the next read that
   * starts after it asked, never one already under way, so an apply committed before the call is
   * always seen.
   */
  version(): Promise<number> {
    if (!this.versionRead) {
      this.versionRead = this.readVersion().finally(() => {
        this.versionRead = undefined;
      });
      return this.versionRead;
    }
    if (!this.nextVersionRead) {
      this.nextVersionRead = this.versionRead
        .catch(() => undefined)
        .then(() => {
          this.nextVersionRead = undefined;
          return this.version();
        });
    }
    return this.nextVersionRead;
  }

  /** The next `current()` asks the database, whatever age it accepts (another instance applied). */
  forget(): void {
    if (this.cache) this.cache.checkedAt = 0;
  }

  /** Called after every apply that changed something in this process (not after a dry run). */
  onApplied(listener: () => void): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  private applied(): void {
    this.forget();
    for (const listener of this.appliedListeners) listener();
  }

  private async readVersion(): Promise<number> {
    const row = (await this.db(SCHEMA_TABLE).select('version').where({ id: 1 }).first()) as
      { version: number } | undefined;
    return Number(row?.version ?? 0);
  }

  /** The stored document, as `schema export` prints it. */
  async document(): Promise<SchemaDocument> {
    return (await this.read()).document;
  }

  private async read(): Promise<StoredSchema> {
    const row = (await this.db(SCHEMA_TABLE).select('version', 'document').where({ id: 1 }).first()) as
      { version: number; document: string } | undefined;
    if (!row) return { version: 0, document: { contentTypes: {}, components: {} } };
    return { version: Number(row.version), document: JSON.parse(row.document) as SchemaDocument };
  }

  /** What `apply` would do, without doing it. Throws ValidationError for an invalid file. */
  async plan(file: unknown, options: ApplyOptions = {}): Promise<SchemaPlan> {
    return (await this.prepare(file, options)).plan;
  }

  private async prepare(file: unknown, options: ApplyOptions): Promise<{ plan: SchemaPlan; stored: StoredSchema }> {
    const parsed: SchemaFile = parseSchemaFile(file);
    const stored = await this.read();
    const renames = options.renames ?? [];
    validateRenames(stored.document, parsed, renames, options.renameSource);
    const plan = await planSchema({
      stored: stored.document,
      file: parsed,
      renames,
      actual: await introspect(this.db, this.dialect),
      owned: await ownedTables(this.db),
      force: options.force === true,
      acceptSuggested: options.acceptSuggested === true,
      counter: rowCounter(this.db),
    });
    return { plan, stored };
  }

  /**
   * Makes the database and the stored document match the file (the desired state of the types and
   * components it names). Refuses, changing nothing, when a step would lose data and `force` is
   * not set. A step that fails stops the apply: the steps before it stay applied and recorded, the
   * stored document takes only the types whose steps all ran, and the next apply repairs the rest.
   */
  async apply(file: unknown, options: ApplyOptions = {}): Promise<ApplyResult> {
    if (options.dryRun === true) return this.applyLocked(file, options);
    const token = await this.lock();
    try {
      return await this.applyLocked(file, options);
    } finally {
      await this.db(SCHEMA_TABLE).where({ id: 1, lock_token: token }).update({ lock_token: null, locked_until: null });
    }
  }

  /** Takes the apply lease (waits up to `LOCK_WAIT_MS` for another apply to finish). */
  private async lock(): Promise<string> {
    const token = randomUUID();
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const now = new Date();
      const taken = await this.db(SCHEMA_TABLE)
        .where({ id: 1 })
        .andWhere((q) => void q.whereNull('locked_until').orWhere('locked_until', '<', now))
        .update({ lock_token: token, locked_until: new Date(now.getTime() + LOCK_LEASE_MS) });
      if (taken === 1) return token;
      if (Date.now() > deadline)
        throw new ConflictError('another schema apply is running; try again when it has finished');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async applyLocked(file: unknown, options: ApplyOptions): Promise<ApplyResult> {
    const { plan, stored } = await this.prepare(file, options);
    const dryRun = options.dryRun === true;
    const noop = plan.steps.length === 0 && !plan.documentChanged;
    if (dryRun || noop) return { plan, applied: [], dryRun, noop, version: stored.version };
    if (plan.blocked.length > 0) {
      throw new ValidationError(`the data does not allow this schema: ${plan.blocked.join('; ')}`, {
        blocked: plan.blocked,
      });
    }
    // Refused before any step: encrypted attributes need the keys (and the stored data keys must open).
    if (this.cipher) await assertEncryptionReady(this.cipher, plan.model);
    else if (encryptedAttributes(plan.model).length > 0)
      throw new EncryptionError('this installation has no field cipher: encrypted attributes cannot be applied');
    if (plan.refused.length > 0) {
      const what = plan.refused.map((s) => s.description);
      throw new ApplicationError(`refused: ${what.join('; ')} — this would lose data; apply with --force to accept`, {
        refused: what,
      });
    }

    const result = await executeSteps(this.db, this.dialect, plan.steps, {
      reshaper: this.reshaper(),
      model: plan.model,
      cipher: this.cipher,
      logger: this.logger,
      rewrite: { onBatch: options.onProgress },
    });
    if (result.failed) {
      const partial = partialDocument(stored.document, plan, result.applied);
      let version = stored.version;
      if (result.applied.length > 0) version = await this.store(partial ?? stored.document);
      this.logger.error(
        { step: result.failed.step.description, error: result.failed.error },
        'schema apply failed part-way',
      );
      throw new SchemaStepError(
        `schema apply stopped at step ${result.applied.length + 1}/${plan.steps.length} (` +
          `${result.failed.step.description}): ${result.failed.error}. ` +
          `${result.applied.length} step(s) were applied; fix the cause and apply again to finish`,
        { applied: result.applied.map((s) => s.description), failed: result.failed.step.description, version },
      );
    }
    const version = await this.store(plan.document);
    this.logger.info({ steps: plan.steps.length, version }, 'schema applied');
    return { plan, applied: result.applied, dryRun, noop: false, version };
  }

  private async store(document: SchemaDocument): Promise<number> {
    await this.db(SCHEMA_TABLE)
      .where({ id: 1 })
      .update({
        document: JSON.stringify(document, null, 2),
        updated_at: new Date(),
        version: this.db.raw('?? + 1', ['version']),
      });
    this.applied();
    return this.version();
  }
}

/**
 * After a failure: the stored document with the new definitions of the types and components whose
 * every step ran; undefined when that mix is not a valid document (then the old one stays).
 */
function partialDocument(stored: SchemaDocument, plan: SchemaPlan, applied: PlannedStep[]): SchemaDocument | undefined {
  const done = new Set(applied);
  const pending = new Set(plan.steps.filter((s) => !done.has(s)).flatMap((s) => s.uids));
  const take = <T>(from: Record<string, T>, to: Record<string, T>): Record<string, T> => {
    const result: Record<string, T> = {};
    for (const uid of new Set([...Object.keys(from), ...Object.keys(to)])) {
      const value = pending.has(uid) ? from[uid] : to[uid];
      if (value !== undefined) result[uid] = value;
    }
    return result;
  };
  const partial = {
    contentTypes: take(stored.contentTypes, plan.document.contentTypes),
    components: take(stored.components, plan.document.components),
  };
  try {
    assertValidDocument(partial);
  } catch {
    return undefined;
  }
  return canonicalJson(partial) === canonicalJson(stored) ? stored : partial;
}
