// The job runner and its queue (issue 21, docs/architecture.md "Background jobs"): several runners on
// one database never run a job twice, failures are retried with exponential backoff up to a limit,
// a crashed runner's claims come back after its lease, and a runner whose claim was taken over rolls
// its work back instead of doing it a second time.
import os from 'node:os';
import { afterEach, beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { JobRunner, type RunnerOptions } from '../../server/jobs/runner.js';
import { ClaimLostError, JobQueue, JobRefusal, type ClaimedJob, type QueueOptions } from '../../server/jobs/queue.js';
import { silentLogger } from '../../server/logger.js';
import { describeEachDatabase } from '../helpers/folio.js';

const KIND = 'test.job';

interface Payload {
  n: number;
}

/** A runner and its queue, with short leases; `run` is what the test job does. */
function makeQueue(
  db: Knex,
  run: (job: ClaimedJob<Payload>) => Promise<void>,
  options: { runner?: Partial<RunnerOptions>; queue?: Partial<QueueOptions> } = {},
) {
  const runner = new JobRunner(db, silentLogger(), { leaseMs: 300, heartbeatMs: 50, ...options.runner });
  const queue = new JobQueue(db, runner, silentLogger(), options.queue);
  const failures: Array<{ n: number; reason: string }> = [];
  queue.define<Payload>(KIND, {
    run,
    failed: (_trx, job, reason) => {
      failures.push({ n: job.payload.n, reason });
      return Promise.resolve();
    },
  });
  return { runner, queue, failures };
}

/** A job that notes its payload's number. */
const recordInto =
  (ran: number[]) =>
  (job: ClaimedJob<Payload>): Promise<void> => {
    ran.push(job.payload.n);
    return Promise.resolve();
  };

describeEachDatabase('Job runner', (t) => {
  const runners: JobRunner[] = [];
  const track = <T extends { runner: JobRunner }>(made: T): T => {
    runners.push(made.runner);
    return made;
  };
  const jobs = () => t().db('folio_jobs').orderBy('id').select('*');
  const enqueue = async (queue: JobQueue, n: number, runAt = Date.now()) => queue.enqueue(t().db, KIND, { n }, runAt);

  beforeAll(async () => {
    // The Folio's own queue is never started in tests; nothing else takes these jobs.
    await t().db('folio_jobs').delete();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await t().db('folio_jobs').delete();
    await t().db('folio_dispatchers').delete();
    await t().db('folio_meta').where('key', 'like', 'job-%').delete();
  });

  it('two runners on one database run each due job exactly once', async () => {
    const ran: number[] = [];
    const work = async (job: ClaimedJob<Payload>) => {
      ran.push(job.payload.n);
      await new Promise((resolve) => setTimeout(resolve, 2)); // let the other runner in between
    };
    const a = track(makeQueue(t().db, work, { queue: { batchSize: 1 } }));
    const b = track(makeQueue(t().db, work, { queue: { batchSize: 1 } }));
    for (let n = 1; n <= 20; n += 1) await enqueue(a.queue, n);

    const [byA, byB] = await Promise.all([a.queue.runOnce(), b.queue.runOnce()]);

    expect(byA + byB).toBe(20);
    expect([...ran].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await jobs()).map((j) => j.status)).toEqual(Array(20).fill('succeeded'));
  });

  it('does not run a job before its time', async () => {
    const ran: number[] = [];
    const { queue } = track(makeQueue(t().db, recordInto(ran)));
    await enqueue(queue, 1, Date.now() + 60_000);
    expect(await queue.runOnce()).toBe(0);
    expect(await queue.runOnce(Date.now() + 61_000)).toBe(1);
    expect(ran).toEqual([1]);
  });

  it('retries a failing job with exponential backoff, then fails it through its kind', async () => {
    let attempts = 0;
    const { queue, failures } = track(
      makeQueue(
        t().db,
        () => {
          attempts += 1;
          return Promise.reject(new Error(`attempt ${attempts} failed`));
        },
        { queue: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 60_000 } },
      ),
    );
    await enqueue(queue, 7);

    const before = Date.now();
    await queue.runOnce();
    let [job] = await jobs();
    expect(job).toMatchObject({ status: 'pending', last_error: 'attempt 1 failed', claim: null });
    expect(Number(job.attempts)).toBe(1);
    expect(Number(job.run_at) - before).toBeGreaterThanOrEqual(1000);
    expect(Number(job.run_at) - Date.now()).toBeLessThanOrEqual(1000);

    expect(await queue.runOnce()).toBe(0); // not due yet
    await queue.runOnce(Number(job.run_at));
    [job] = await jobs();
    // The second wait is twice the first.
    expect(Number(job.run_at) - Date.now()).toBeGreaterThan(1000);
    expect(Number(job.run_at) - Date.now()).toBeLessThanOrEqual(2000);

    await queue.runOnce(Number(job.run_at));
    [job] = await jobs();
    expect(job).toMatchObject({ status: 'failed', last_error: 'attempt 3 failed' });
    expect(attempts).toBe(3);
    expect(failures).toEqual([{ n: 7, reason: 'attempt 3 failed' }]);
    expect(await queue.runOnce(Date.now() + 3_600_000)).toBe(0); // given up
  });

  it('fails a refused job at once, without retries', async () => {
    const { queue, failures } = track(makeQueue(t().db, () => Promise.reject(new JobRefusal('no retry would help'))));
    await enqueue(queue, 3);
    await queue.runOnce();
    const [job] = await jobs();
    expect(job).toMatchObject({ status: 'failed', last_error: 'no retry would help' });
    expect(Number(job.attempts)).toBe(1);
    expect(failures).toEqual([{ n: 3, reason: 'no retry would help' }]);
  });

  it("takes over a crashed runner's claim once its lease has run out", async () => {
    const ran: number[] = [];
    const { queue } = track(makeQueue(t().db, recordInto(ran)));
    const id = await enqueue(queue, 1);
    const crashed = 'other-host:4242:dead';
    await t()
      .db('folio_dispatchers')
      .insert({ id: crashed, host: 'other-host', pid: 4242, process_started_at: 0, heartbeat_at: Date.now() });
    await t()
      .db('folio_jobs')
      .where('id', id)
      .update({ claim: 'theirs', claimed_by: crashed, claimed_until: Date.now() + 3_600_000 });

    expect(await queue.runOnce()).toBe(0); // its lease still runs
    await new Promise((resolve) => setTimeout(resolve, 400)); // leaseMs is 300 here
    expect(await queue.runOnce()).toBe(1);

    expect(ran).toEqual([1]);
    expect(await t().db('folio_dispatchers').where('id', crashed)).toEqual([]);
  });

  it('releases at start the claims an earlier process on this host left (a restart)', async () => {
    const ran: number[] = [];
    const { queue } = track(makeQueue(t().db, recordInto(ran), { runner: { leaseMs: 60_000 } }));
    const id = await enqueue(queue, 1);
    const host = os.hostname().slice(0, 100);
    const earlierSelf = `${host}:${process.pid}:before`;
    await t()
      .db('folio_dispatchers')
      .insert({ id: earlierSelf, host, pid: process.pid, process_started_at: 0, heartbeat_at: Date.now() });
    await t()
      .db('folio_jobs')
      .where('id', id)
      .update({ claim: 'earlier', claimed_by: earlierSelf, claimed_until: Date.now() + 3_600_000 });

    expect(await queue.runOnce()).toBe(1);
    expect(ran).toEqual([1]);
  });

  it('rolls back the work of a runner whose claim was taken over, and leaves the job to the new holder', async () => {
    let lost: unknown;
    const { queue } = track(
      makeQueue(t().db, async (job) => {
        // Meanwhile this runner was judged gone and another one claimed the job.
        await t().db('folio_jobs').where('id', job.id).update({ claim: 'taken-over', claimed_by: 'someone-else' });
        try {
          await t().db.transaction(async (trx) => {
            await trx('folio_meta').insert({ key: `job-${job.id}`, value: 'done' });
            await job.complete(trx);
          });
        } catch (err) {
          lost = err;
          throw err;
        }
      }),
    );
    const id = await enqueue(queue, 1);
    await queue.runOnce();

    expect(lost).toBeInstanceOf(ClaimLostError);
    expect(await t().db('folio_meta').where('key', `job-${id}`)).toEqual([]);
    const [job] = await jobs();
    expect(job).toMatchObject({ status: 'pending', claim: 'taken-over', claimed_by: 'someone-else' });
  });

  it('drops finished jobs after the retention time, never pending ones', async () => {
    const { queue } = track(makeQueue(t().db, recordInto([]), { queue: { retentionMs: 1000 } }));
    await enqueue(queue, 1);
    await enqueue(queue, 2, Date.now() + 3_600_000);
    await queue.runOnce();
    await t()
      .db('folio_jobs')
      .update({ updated_at: Date.now() - 2000 });
    await track(makeQueue(t().db, recordInto([]), { queue: { retentionMs: 1000 } })).queue.runOnce();
    expect((await jobs()).map((job) => JSON.parse(job.payload))).toEqual([{ n: 2 }]);
  });

  it('gives its claims back when stopped', async () => {
    const { queue, runner } = track(makeQueue(t().db, () => Promise.reject(new Error('never mind'))));
    await queue.runOnce();
    expect(await t().db('folio_dispatchers').where('id', runner.owner.id)).toHaveLength(1);
    await runner.stop();
    expect(await t().db('folio_dispatchers').where('id', runner.owner.id)).toEqual([]);
  });
});
