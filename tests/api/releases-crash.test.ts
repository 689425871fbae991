// The acceptance test of issue 21's releases under a crash: a server process killed (SIGKILL) in the
// middle of a scheduled release leaves all or nothing, and the release completes once another
// process takes the job over.
//
// MySQL only: the crash is put deterministically in the middle of the release's transaction by
// holding the last entry's rows in a transaction of the test, until the server's release is seen
// waiting for them (with the first entries already written, uncommitted). SQLite runs one writer at
// a time: the release could not start while the test held the lock, so there is no "middle" to kill.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';
import { startTestFolio, testEnv, type TestFolio } from '../helpers/folio.js';
import { someoneWaitsFor } from '../helpers/mysql-locks.js';
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

(MYSQL_AVAILABLE ? describe : describe.skip)('A release killed mid-transaction [mysql]', () => {
  let t: TestFolio;
  let admin: AdminSession;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    t = await startTestFolio('mysql');
    await applyTestSchema(t.folio, SCHEMA);
    admin = await signedIn(t, ['super-admin']);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await t.close();
  });

  const server = async () => {
    const env = testEnv(t.database.url, { JOBS_POLL_MS: '50', JOBS_LEASE_MS: '3000' });
    const started = await startServerProcess(env, serverCommand());
    servers.push(started);
    return started;
  };
  const published = async () =>
    (await t.db('notes').where('status', 'published').orderBy('id').pluck('document_id')) as string[];

  it('publishes nothing when killed in the middle, and all of it after the takeover', async () => {
    const ids: string[] = [];
    const release = await admin.post('/admin-api/releases', { name: 'Crash test' });
    expect(release.status).toBe(201);
    const releaseId = release.body.data.id as number;
    for (let i = 0; i < 3; i += 1) {
      const created = await admin.post('/admin-api/content/note', { title: `Front page ${i}` });
      ids.push(created.body.data.id as string);
      const added = await admin.post(`/admin-api/releases/${releaseId}/actions`, {
        uid: 'note',
        documentId: ids[i],
        action: 'publish',
      });
      expect(added.status).toBe(200);
    }
    // The last entry's rows are held: the release will publish the first two, then wait.
    const holder = await t.db.transaction();
    const crashing = await server();
    try {
      await holder('notes').where('document_id', ids[2]).forUpdate().select('id');
      const scheduled = await admin.put(`/admin-api/releases/${releaseId}/schedule`, {
        at: new Date(Date.now() + 500).toISOString(),
      });
      expect(scheduled.status).toBe(200);
      await someoneWaitsFor(t.db, 'notes');
      // The server's transaction has written (the release row, the first entries: the test's holder
      // wrote nothing), and none of it is visible outside it.
      const [trx] = (await t.db.raw('SELECT MAX(trx_rows_modified) AS m FROM information_schema.INNODB_TRX')) as [
        Array<{ m: number | string | null }>,
      ];
      expect(Number(trx[0].m)).toBeGreaterThan(2);
      const [{ n }] = await t.db('folio_audit_log').where('action', 'content.publish').count({ n: '*' });
      expect(Number(n)).toBe(0);
      crashing.kill();
      await crashing.result;
    } finally {
      await holder.rollback();
    }

    expect(await published()).toEqual([]);
    expect(await t.db('folio_releases').where('id', releaseId).first('status')).toEqual({ status: 'scheduled' });

    // Another process (this host: the dead pid's claims are released at once) takes the job over.
    await server();
    const status = async () => (await t.db('folio_releases').where('id', releaseId).first('status'))?.status;
    for (const deadline = Date.now() + 30_000; (await status()) !== 'published' && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await status()).toBe('published');
    expect((await published()).sort()).toEqual([...ids].sort());
    const count = async (where: Record<string, unknown>) =>
      Number((await t.db('folio_audit_log').where(where).count({ n: '*' }))[0].n);
    expect(await count({ action: 'release.publish', entity_id: String(releaseId) })).toBe(1);
    for (const documentId of ids) expect(await count({ action: 'content.publish', entity_id: documentId })).toBe(1);
  }, 90_000);
});
