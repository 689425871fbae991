// Running a scheduled release when it is due: a job of the job queue (server/jobs/queue.ts), run once.
//
// The release is published as the system caller, bounded by the rights of the admin who scheduled it
// as they are now: that admin must still exist, be active, hold `publish` on releases, and may
// publish every entry (checked on each locked draft, in the release's transaction). The job's fence
// (`hold`) is taken in that same transaction: a runner whose claim was taken over rolls the whole
// release back, and a runner taking the job over after a crash finds the release either published
// (nothing to do) or untouched (it publishes it) — never half of it.
//
// A refusal (the admin gone or without the right, an entry invalid or gone) fails the release
// visibly, in one transaction: status `failed` with the reason, an audit row `release.publishFailed`,
// a webhook event `release.publish-failed`. A failed release can be fixed and released or scheduled
// again.
import type { Knex } from 'knex';
import { SYSTEM_CALLER, type Caller } from '../../access/caller.js';
import { enqueue } from '../../events/outbox.js';
import { ConflictError, FolioError, ServiceUnavailableError } from '../../errors.js';
import { JobRefusal, type ClaimedJob, type JobKind } from '../../jobs/queue.js';
import { publishRelease, type ReleasePublishDeps } from './publish.js';
import { RELEASE_ACTIONS_TABLE, RELEASES_TABLE, releaseRow } from './store.js';

export type ReleaseRunDeps = ReleasePublishDeps & {
  /** The admin's caller if they exist and are active, else null. */
  activeAdmin: (userId: number) => Promise<Caller | null>;
};

export interface ReleaseJobPayload {
  releaseId: number;
}

/** The job kind that publishes a scheduled release. */
export const RELEASE_JOB = 'content.release';

async function run(deps: ReleaseRunDeps, job: ClaimedJob<ReleaseJobPayload>): Promise<void> {
  const release = await releaseRow(deps.db, job.payload.releaseId);
  // Deleted, unscheduled or published meanwhile (its job cancelled with it): nothing left to do.
  if (!release || release.status !== 'scheduled' || Number(release.job_id) !== job.id) return;
  const authorId = Number(release.scheduled_by);
  const author = await deps.activeAdmin(authorId);
  if (!author) throw new JobRefusal(`The admin who scheduled this (id ${authorId}) no longer exists or is deactivated`);
  if (!author.can('publish', 'releases'))
    throw new JobRefusal(`The admin who scheduled this (id ${authorId}) may no longer publish releases`);
  try {
    await publishRelease(deps, Number(release.id), {
      caller: SYSTEM_CALLER,
      onBehalfOf: author,
      releasedBy: authorId,
      auditDetails: { scheduledBy: authorId },
      inTransaction: (trx) => job.complete(trx),
    });
  } catch (err) {
    // A database gone for a while is worth a retry; a conflict means another run published it.
    if (err instanceof ServiceUnavailableError) throw err;
    if (err instanceof ConflictError) return;
    if (err instanceof FolioError) throw new JobRefusal(err.message);
    throw err;
  }
}

/** The failure, where people see it: on the release, in the audit log, as a webhook event. */
async function failed(deps: ReleaseRunDeps, trx: Knex.Transaction, releaseId: number, jobId: number, reason: string) {
  const release = await releaseRow(trx, releaseId);
  if (!release || release.status !== 'scheduled' || Number(release.job_id) !== jobId) return;
  const releasedBy = Number(release.scheduled_by);
  await trx(RELEASES_TABLE)
    .where('id', releaseId)
    .update({ status: 'failed', reason, job_id: null, updated_at: Date.now() });
  const [{ n }] = await trx(RELEASE_ACTIONS_TABLE).where('release_id', releaseId).count({ n: '*' });
  await deps.audit.record(
    {
      actor: SYSTEM_CALLER,
      action: 'release.publishFailed',
      subject: 'release',
      entityId: releaseId,
      details: { name: release.name, reason, scheduledBy: releasedBy },
    },
    trx,
  );
  await enqueue(trx, {
    event: 'release.publish-failed',
    createdAt: new Date().toISOString(),
    release: { id: releaseId, name: release.name, actions: Number(n), releasedBy, reason },
  });
}

export function releaseJobKind(deps: ReleaseRunDeps): JobKind<ReleaseJobPayload> {
  return {
    run: (job) => run(deps, job),
    failed: (trx, job, reason) => failed(deps, trx, job.payload.releaseId, job.id, reason),
  };
}
