// The acceptance test of issue 21: scheduled publishes fire once with two real server processes on
// one database, both running the job runner (short poll and lease through JOBS_* settings), and a
// crashed instance's claim is taken over once its lease has run out.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase, testEnv } from '../helpers/folio.js';
import { serverCommand, startServerProcess, type ServerProcess } from '../helpers/process.js';
import { applyTestSchema } from '../helpers/schema.js';

const SCHEMA = {
  contentTypes: {
    note: {
      kind: 'collectionType',
      info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
      options: { draftAndPublish: true },
      attributes: { title: { type: 'string', required: true } },
    },
  },
  components: {},
} as const;

const DOCUMENTS = 8;

describeEachDatabase('Scheduled publishing with two server processes', (t) => {
  let admin: AdminSession;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    await applyTestSchema(t().folio, SCHEMA);
    admin = await signedIn(t(), ['super-admin']);
    const env = testEnv(t().database.url, { JOBS_POLL_MS: '50', JOBS_LEASE_MS: '3000' });
    const command = serverCommand();
    servers.push(...(await Promise.all([startServerProcess(env, command), startServerProcess(env, command)])));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('publishes each scheduled entry exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < DOCUMENTS; i += 1) {
      const created = await admin.post('/admin-api/content/note', { title: `Front page ${i}` });
      expect(created.status).toBe(201);
      ids.push(created.body.data.id as string);
    }
    // One due time for all, far enough ahead that every schedule is accepted on a busy machine; both
    // processes poll every 50 ms from then on.
    const at = new Date(Date.now() + 3_000).toISOString();
    const scheduled = await Promise.all(
      ids.map((id) => admin.post(`/admin-api/content/note/${id}/schedules`, { action: 'publish', at })),
    );
    expect(scheduled.map((res) => res.status)).toEqual(ids.map(() => 201));
    // Both processes hold a lease: both are running the runner.
    expect(Number((await t().db('folio_dispatchers').count({ n: '*' }))[0].n)).toBeGreaterThanOrEqual(2);

    const settled = async () =>
      Number((await t().db('folio_schedules').where('status', 'succeeded').count({ n: '*' }))[0].n);
    for (const deadline = Date.now() + 30_000; (await settled()) < DOCUMENTS && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // Time for a second run to happen, if anything would let one through.
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(await settled()).toBe(DOCUMENTS);
    for (const documentId of ids) {
      const audits = await t().db('folio_audit_log').where({ action: 'content.publish', entity_id: documentId });
      expect(audits).toEqual([expect.objectContaining({ actor_kind: 'system' })]);
      const revisions = await t().db('folio_revisions').where({ document_id: documentId, operation: 'publish' });
      expect(revisions).toHaveLength(1);
    }
    const published = await t().db('notes').where('status', 'published').count({ n: '*' });
    expect(Number(published[0].n)).toBe(DOCUMENTS);
  }, 60_000);

  it("publishes once a schedule whose claim a crashed instance held, when that instance's lease runs out", async () => {
    const created = await admin.post('/admin-api/content/note', { title: 'Left behind' });
    const documentId = created.body.data.id as string;
    const scheduled = await admin.post(`/admin-api/content/note/${documentId}/schedules`, {
      action: 'publish',
      at: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(scheduled.status).toBe(201);
    // An instance on another host claimed the job, then died: its lease stops being renewed.
    const crashed = 'crashed-host:4242:dead';
    const diedAt = Date.now();
    await t()
      .db('folio_dispatchers')
      .insert({ id: crashed, host: 'crashed-host', pid: 4242, process_started_at: 0, heartbeat_at: diedAt });
    const [{ job_id: jobId }] = await t().db('folio_schedules').where('id', scheduled.body.data.id).select('job_id');
    await t()
      .db('folio_jobs')
      .where('id', jobId)
      .update({ claim: 'theirs', claimed_by: crashed, claimed_until: diedAt + 3_600_000 });

    const status = () =>
      t().db('folio_schedules').where('id', scheduled.body.data.id).first<{ status: string }>('status');
    for (const deadline = Date.now() + 20_000; (await status())?.status === 'pending' && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await status()).toEqual({ status: 'succeeded' });
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(3_000); // not before the lease (JOBS_LEASE_MS) ran out
    expect(await t().db('folio_dispatchers').where('id', crashed)).toEqual([]);
    const audits = await t().db('folio_audit_log').where({ action: 'content.publish', entity_id: documentId });
    expect(audits).toHaveLength(1);
  }, 60_000);
});
