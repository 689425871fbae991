// Publishing a release: every action in ONE transaction (DocumentService.batch), all or nothing.
//
// Each action goes through the publishing operation (operations/publishing.ts) with the release's
// transaction: the caller's checks on the locked draft, the audit row, the outbox event and the
// revision of each entry, as a publish of its own would have them. The release is marked published
// first — a conditional UPDATE of its row that also serializes a concurrent release of it, and adding
// an entry meanwhile (operations/releases.ts touches the same row) — and its entries are read after,
// in the transaction: what is published is exactly what the release holds at the commit. Then its
// audit row `release.publish` and its webhook event `release.publish`.
//
// Before the transaction opens, every entry is checked the way a publish would (required values,
// unique values, the draft exists): a release with any invalid entry is refused (400) naming them
// all, and nothing is published. An entry that became invalid in between fails inside the
// transaction, which rolls everything back, and is named the same way.
//
// After the commit the DocumentService's per-commit hooks run once, with every entry's event: the
// response cache is invalidated once (folio.ts), so sites see the whole release change at once.
import type { Knex } from 'knex';
import type { Caller } from '../../access/caller.js';
import { enqueue } from '../../events/outbox.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type BodyErrorItem,
  type FolioError,
} from '../../errors.js';
import type { SchemaSource } from '../../schema/model.js';
import { NO_LOCALE } from '../locales.js';
import type { OperationDeps } from '../operations/deps.js';
import { publishDocument, unpublishDocument } from '../operations/publishing.js';
import { draftsOf } from '../operations/schedules.js';
import { actionRows, markPublished, requireReleaseRow, type ReleaseActionRow, type ReleaseRow } from './store.js';

export type ReleasePublishDeps = OperationDeps & { db: Knex; schema: SchemaSource };

export interface ReleaseRun {
  /** Who writes: the admin releasing now, or the system for a scheduled release. */
  caller: Caller;
  /** A scheduled release: the admin who scheduled it, whose rights bound every write. */
  onBehalfOf?: Caller;
  /** The admin recorded as having released it. */
  releasedBy: number;
  ip?: string;
  /** Work that commits with the release, or neither does (a scheduled run's job fence). */
  inTransaction?: (trx: Knex.Transaction) => Promise<void>;
  /** More for the audit rows (a scheduled run: its admin). */
  auditDetails?: Record<string, unknown>;
}

const OPERATIONS = { publish: publishDocument, unpublish: unpublishDocument } as const;

/** How an entry is named to editors: type, documentId and locale. */
export function entryLabel(action: Pick<ReleaseActionRow, 'content_type' | 'document_id' | 'locale'>): string {
  const locale = action.locale === NO_LOCALE ? '' : ` (${action.locale})`;
  return `${action.content_type} ${action.document_id}${locale}`;
}

/**
 * Why this action would be refused now, or null: for a publish the checks a publish makes; for
 * an unpublish, that the draft still exists.
 */
export async function actionProblem(deps: ReleasePublishDeps, action: ReleaseActionRow): Promise<string | null> {
  const type = (await deps.schema.current()).contentTypes.get(action.content_type);
  if (!type?.draftAndPublish) return `The content type ${action.content_type} no longer has draft & publish`;
  const locale = action.locale === NO_LOCALE ? undefined : action.locale;
  if (action.action === 'unpublish') {
    const drafts = await draftsOf(deps.db, type, action.document_id, action.locale);
    return drafts.length ? null : 'The entry no longer exists';
  }
  try {
    const problem = await deps.documents.publishProblem(action.content_type, action.document_id, locale);
    return problem ? problemText(problem) : null;
  } catch (err) {
    if (err instanceof NotFoundError) return 'The entry no longer exists';
    throw err;
  }
}

function problemText(err: FolioError): string {
  const errors = (err.details as { errors?: BodyErrorItem[] }).errors;
  if (!errors?.length) return err.message;
  return errors.map((e) => (e.path.length ? `${e.path.join('.')} ${e.message}` : e.message)).join('; ');
}

/** The refusal naming each invalid entry: details.errors[] has one item per entry, path ['actions', id]. */
function invalidRelease(problems: { action: ReleaseActionRow; message: string }[]): ValidationError {
  const errors: BodyErrorItem[] = problems.map(({ action, message }) => ({
    path: ['actions', String(action.id)],
    message: `${entryLabel(action)}: ${message}`,
    name: 'ValidationError',
  }));
  const names = problems.map(({ action }) => entryLabel(action)).join(', ');
  return ValidationError.fromErrors(errors, `The release has entries that cannot be released: ${names}`);
}

/** Every entry that would be refused, with why. */
export async function invalidActions(
  deps: ReleasePublishDeps,
  actions: readonly ReleaseActionRow[],
): Promise<{ action: ReleaseActionRow; message: string }[]> {
  const problems: { action: ReleaseActionRow; message: string }[] = [];
  for (const action of actions) {
    const message = await actionProblem(deps, action);
    if (message) problems.push({ action, message });
  }
  return problems;
}

/** An entry's refusal inside the transaction, named: the release as a whole is refused. */
function entryRefusal(err: unknown, action: ReleaseActionRow): unknown {
  if (err instanceof ValidationError) return invalidRelease([{ action, message: problemText(err) }]);
  if (err instanceof NotFoundError) return invalidRelease([{ action, message: 'The entry no longer exists' }]);
  if (err instanceof ForbiddenError) return new ForbiddenError(`${entryLabel(action)}: ${err.message}`);
  return err;
}

/** Publishes the release: all its actions in one transaction, or none. Answers its row afterwards. */
export async function publishRelease(
  deps: ReleasePublishDeps,
  releaseId: number,
  run: ReleaseRun,
): Promise<ReleaseRow> {
  const release = await requireReleaseRow(deps.db, releaseId);
  if (release.status === 'published') throw new ConflictError(`Release ${releaseId} is published already`);
  const listed = await actionRows(deps.db, releaseId);
  if (!listed.length) throw new ValidationError('The release has no entries');
  const problems = await invalidActions(deps, listed);
  if (problems.length) throw invalidRelease(problems);

  await deps.documents.batch(async (batch) => {
    const { trx } = batch;
    if (!(await markPublished(trx, releaseId, run.releasedBy)))
      throw new ConflictError(`Release ${releaseId} is published already`);
    await run.inTransaction?.(trx);
    const actions = await actionRows(trx, releaseId);
    for (const action of actions) {
      try {
        await OPERATIONS[action.action](deps, {
          caller: run.caller,
          onBehalfOf: run.onBehalfOf,
          uid: action.content_type,
          documentId: action.document_id,
          locale: action.locale === NO_LOCALE ? undefined : action.locale,
          ip: run.ip,
          batch,
          auditDetails: { releaseId, ...run.auditDetails },
        });
      } catch (err) {
        throw entryRefusal(err, action);
      }
    }
    await deps.audit.record(
      {
        actor: run.caller,
        action: 'release.publish',
        subject: 'release',
        entityId: releaseId,
        ip: run.ip,
        details: { name: release.name, actions: actions.length, releasedBy: run.releasedBy, ...run.auditDetails },
      },
      trx,
    );
    await enqueue(trx, {
      event: 'release.publish',
      createdAt: new Date().toISOString(),
      release: { id: releaseId, name: release.name, actions: actions.length, releasedBy: run.releasedBy },
    });
  });
  return requireReleaseRow(deps.db, releaseId);
}
