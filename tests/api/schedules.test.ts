// Scheduled publishing (issue 21, docs/admin-api.md "Schedules"): an admin
// who may publish an entry schedules its publish or unpublish; when due, the job runner publishes it
// once, as the system, after checking that the admin still exists, is active and may still publish
// it. Otherwise — or when the entry no longer validates — the schedule fails visibly: its status and
// reason, an audit row, a webhook event entry.publish-failed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookDispatcher } from '../../server/events/dispatcher.js';
import { JobRunner } from '../../server/jobs/runner.js';
import { JobQueue } from '../../server/jobs/queue.js';
import { SCHEDULE_JOB } from '../../server/content/operations/schedules.js';
import { scheduleJobKind } from '../../server/content/schedules/run.js';
import { silentLogger } from '../../server/logger.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SCHEMA = {
  contentTypes: {
    note: {
      kind: 'collectionType',
      info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
      options: { draftAndPublish: true },
      attributes: { title: { type: 'string', required: true } },
    },
    memo: {
      kind: 'collectionType',
      info: { singularName: 'memo', pluralName: 'memos', displayName: 'Memo' },
      options: { draftAndPublish: false },
      attributes: { title: { type: 'string' } },
    },
    story: {
      kind: 'collectionType',
      info: { singularName: 'story', pluralName: 'stories', displayName: 'Story' },
      options: { draftAndPublish: true },
      attributes: { title: { type: 'string', required: true } },
    },
    page: {
      kind: 'collectionType',
      info: { singularName: 'page', pluralName: 'pages', displayName: 'Page' },
      options: { draftAndPublish: true },
      pluginOptions: { i18n: { localized: true } },
      attributes: { title: { type: 'string', required: true } },
    },
  },
  components: {},
} as const;

const HOUR = 3_600_000;
const inAnHour = () => new Date(Date.now() + HOUR).toISOString();
/** A `now` past every schedule the tests make. */
const later = () => Date.now() + 2 * HOUR;

describeEachDatabase('Scheduled publishing', (t) => {
  let admin: AdminSession;
  let publisher: AdminSession;
  let writer: AdminSession;
  let receiver: WebhookReceiver;

  const db = () => t().db;
  const count = async (table: string, where: Record<string, unknown> = {}) =>
    Number((await db()(table).where(where).count({ n: '*' }))[0].n);
  const runDue = () => t().folio.jobs.queue.runOnce(later());

  const roleWith = async (name: string, actions: string[]) => {
    const role = await t().folio.access.createRole({ name: `${name} ${Math.random()}` });
    await t().folio.access.setPermissions(
      role.id,
      actions.map((action) => ({ action, subject: 'note' })),
    );
    return role.id;
  };
  const draft = async (data: Record<string, unknown>, uid = 'note', locale?: string) => {
    const res = await admin.post(`/admin-api/content/${uid}${locale ? `?locale=${locale}` : ''}`, data);
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };
  const schedule = (session: AdminSession, documentId: string, body: Record<string, unknown>, uid = 'note') =>
    session.post(`/admin-api/content/${uid}/${documentId}/schedules`, { action: 'publish', at: inAnHour(), ...body });
  const publishedTitles = async (uid = 'note', documentId?: string) => {
    const table = (await t().folio.schema.current()).contentTypes.get(uid)?.table ?? '';
    const q = db()(table).where('status', 'published');
    if (documentId) q.where('document_id', documentId);
    return (await q.orderBy('id').select('title')).map((r: { title: string }) => r.title);
  };

  beforeAll(async () => {
    await applyTestSchema(t().folio, SCHEMA);
    admin = await signedIn(t(), ['super-admin']);
    publisher = await signedIn(t(), [await roleWith('Publisher', ['read', 'create', 'update', 'publish'])]);
    writer = await signedIn(t(), [await roleWith('Writer', ['read', 'create', 'update'])]);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  afterEach(async () => {
    await db()('folio_schedules').delete();
    await db()('folio_jobs').delete();
    await db()('folio_outbox').delete();
    for (const w of await t().folio.webhooks.service.list()) await t().folio.webhooks.service.delete(w.id);
    receiver.received.length = 0;
  });

  it('schedules a publish at a later UTC time, given in any time zone', async () => {
    const documentId = await draft({ title: 'Tomorrow' });
    const at = new Date(Date.now() + HOUR);
    // 07:00 in UTC+02:00 is 05:00 UTC: the instant is kept, in UTC.
    const inParis = new Date(at.getTime() + 2 * HOUR).toISOString().replace('Z', '+02:00');
    const res = await schedule(publisher, documentId, { at: inParis });

    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      uid: 'note',
      documentId,
      locale: null,
      action: 'publish',
      at: at.toISOString(),
      status: 'pending',
      reason: null,
      createdBy: publisher.userId,
    });
    expect(await count('folio_jobs', { status: 'pending' })).toBe(1);
    expect(await count('folio_audit_log', { action: 'content.schedule', entity_id: documentId })).toBe(1);
    const listed = await publisher.get(`/admin-api/content/note/${documentId}/schedules`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([res.body.data]);
  });

  it('publishes once when due, as the system, with the audit row and event of a publish', async () => {
    const documentId = await draft({ title: 'On time' });
    const id = (await schedule(publisher, documentId, {})).body.data.id as number;

    expect(await t().folio.jobs.queue.runOnce()).toBe(0); // not due yet
    expect(await publishedTitles('note', documentId)).toEqual([]);
    expect(await runDue()).toBe(1);
    expect(await runDue()).toBe(0);

    expect(await publishedTitles('note', documentId)).toEqual(['On time']);
    const [row] = await db()('folio_schedules').where('id', id);
    expect(row).toMatchObject({ status: 'succeeded', reason: null });
    expect(await count('folio_jobs', { status: 'succeeded' })).toBe(1);
    const audits = await db()('folio_audit_log').where({ action: 'content.publish', entity_id: documentId });
    expect(audits).toEqual([expect.objectContaining({ actor_kind: 'system' })]);
    expect(JSON.parse(audits[0].details)).toEqual({ scheduleId: id, scheduledBy: publisher.userId });
    expect(await db()('folio_outbox').orderBy('id').pluck('topic')).toEqual(['entry.create', 'entry.publish']);
  });

  it('unpublishes when due', async () => {
    const documentId = await draft({ title: 'Going away' });
    expect((await admin.post(`/admin-api/content/note/${documentId}/actions/publish`)).status).toBe(200);
    await schedule(publisher, documentId, { action: 'unpublish' });
    await runDue();
    expect(await publishedTitles('note', documentId)).toEqual([]);
    expect(await count('folio_schedules', { status: 'succeeded' })).toBe(1);
  });

  it('publishes every locale of a document when scheduled for all of them', async () => {
    const documentId = await draft({ title: 'Hello' }, 'page');
    expect((await admin.put(`/admin-api/content/page/${documentId}?locale=fr`, { title: 'Bonjour' })).status).toBe(200);
    const res = await schedule(admin, documentId, { locale: '*' }, 'page');
    expect(res.status).toBe(201);
    expect(res.body.data.locale).toBe('*');

    await runDue();

    expect(await publishedTitles('page', documentId)).toEqual(expect.arrayContaining(['Hello', 'Bonjour']));
    expect(await publishedTitles('page', documentId)).toHaveLength(2);
    const [row] = await db()('folio_schedules');
    expect(row.status).toBe('succeeded');
    expect(JSON.parse(row.done_locales)).toEqual(['en', 'fr']);
  });

  it('two instances racing for due schedules publish each entry once', async () => {
    const { folio } = t();
    // Two instances' runners and queues on one database, each with its own identity, taking one
    // job at a time so that they interleave.
    const instance = () => {
      const runner = new JobRunner(db(), silentLogger());
      const queue = new JobQueue(db(), runner, silentLogger(), { batchSize: 1 });
      queue.define(
        SCHEDULE_JOB,
        scheduleJobKind({
          db: db(),
          schema: folio.schema,
          documents: folio.documents,
          audit: folio.audit,
          activeAdmin: (id: number) => folio.auth.activeAdminCaller(id),
        }),
      );
      return { runner, queue };
    };
    const [a, b] = [instance(), instance()];
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      ids.push(await draft({ title: `Race ${i}` }));
      expect((await schedule(publisher, ids[i], {})).status).toBe(201);
    }
    try {
      const ran = await Promise.all([a.queue.runOnce(later()), b.queue.runOnce(later())]);
      expect(ran[0] + ran[1]).toBe(6);
    } finally {
      await Promise.all([a.runner.stop(), b.runner.stop()]);
    }
    for (const documentId of ids) {
      expect(await count('folio_audit_log', { action: 'content.publish', entity_id: documentId })).toBe(1);
      expect(await count('folio_revisions', { document_id: documentId, operation: 'publish' })).toBe(1);
    }
    expect(await count('folio_schedules', { status: 'succeeded' })).toBe(6);
  });

  it('rolls the publish back when another instance took the job over meanwhile, and publishes it once', async () => {
    const { folio } = t();
    const kind = scheduleJobKind({
      db: db(),
      schema: folio.schema,
      documents: folio.documents,
      audit: folio.audit,
      activeAdmin: (id: number) => folio.auth.activeAdminCaller(id),
    });
    // This instance was judged gone while it ran: another one released and claimed the job.
    const runner = new JobRunner(db(), silentLogger());
    const judgedGone = new JobQueue(db(), runner, silentLogger());
    judgedGone.define<{ scheduleId: number }>(SCHEDULE_JOB, {
      run: async (job) => {
        await db()('folio_jobs').where('id', job.id).update({ claim: 'taken-over', claimed_by: 'someone-else' });
        await kind.run(job);
      },
      failed: (trx, job, reason) => kind.failed(trx, job, reason),
    });
    const documentId = await draft({ title: 'Once only' });
    const id = (await schedule(publisher, documentId, {})).body.data.id as number;
    try {
      await judgedGone.runOnce(later());
    } finally {
      await runner.stop();
    }
    expect(await publishedTitles('note', documentId)).toEqual([]);
    expect(await count('folio_audit_log', { action: 'content.publish', entity_id: documentId })).toBe(0);
    expect(await count('folio_schedules', { id, status: 'pending' })).toBe(1);

    // The new holder's claim runs out with no lease behind it; the server's own queue then runs it.
    await db()('folio_jobs').update({ claimed_until: Date.now() - 1 });
    await runDue();
    expect(await publishedTitles('note', documentId)).toEqual(['Once only']);
    expect(await count('folio_audit_log', { action: 'content.publish', entity_id: documentId })).toBe(1);
    expect(await count('folio_schedules', { id, status: 'succeeded' })).toBe(1);
  });

  it('is not held back by a webhook receiver that does not answer', async () => {
    const { folio } = t();
    const hook = await admin.post('/admin-api/webhooks', {
      name: `silent ${Math.random()}`,
      url: receiver.url,
      events: ['entry.create'],
    });
    expect(hook.status).toBe(201);
    receiver.hold = true;
    // One runner with both tasks, as in the server process.
    const runner = new JobRunner(db(), silentLogger());
    new WebhookDispatcher(db(), folio.webhooks.service, silentLogger(), { timeoutMs: 3000, maxAttempts: 1 }, runner);
    const queue = new JobQueue(db(), runner, silentLogger());
    queue.define(
      SCHEDULE_JOB,
      scheduleJobKind({ ...folio, activeAdmin: (id: number) => folio.auth.activeAdminCaller(id) }),
    );
    const documentId = await draft({ title: 'Not waiting' }); // its entry.create goes to the silent receiver
    await schedule(publisher, documentId, {});
    try {
      let passOver = false;
      const pass = runner.runOnce(later()).then(() => (passOver = true));
      const started = Date.now();
      const done = async () =>
        receiver.received.length > 0 && (await count('folio_schedules', { status: 'succeeded' })) > 0;
      while (!(await done()) && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
      // Published while the delivery still waits for its answer (the dispatcher gives up after 3 s).
      expect(await publishedTitles('note', documentId)).toEqual(['Not waiting']);
      expect(receiver.received).toHaveLength(1);
      expect(passOver).toBe(false);
      expect(Date.now() - started).toBeLessThan(2500);
      await pass;
    } finally {
      receiver.hold = false;
      await runner.stop();
    }
  });

  it('does not fire a cancelled schedule', async () => {
    const documentId = await draft({ title: 'Never mind' });
    const id = (await schedule(publisher, documentId, {})).body.data.id as number;

    const res = await publisher.delete(`/admin-api/content/note/${documentId}/schedules/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('cancelled');
    expect(await runDue()).toBe(0);

    expect(await publishedTitles('note', documentId)).toEqual([]);
    expect(await count('folio_jobs', { status: 'cancelled' })).toBe(1);
    expect(await count('folio_audit_log', { action: 'content.cancelSchedule', entity_id: documentId })).toBe(1);
    const again = await publisher.delete(`/admin-api/content/note/${documentId}/schedules/${id}`);
    expect(again.status).toBe(409);
    expect(again.body.error.name).toBe('ConflictError');
  });

  describe('fails visibly', () => {
    const subscribe = async () => {
      const res = await admin.post('/admin-api/webhooks', {
        name: `failures ${Math.random()}`,
        url: receiver.url,
        events: ['entry.publish-failed'],
      });
      expect(res.status).toBe(201);
    };
    const expectFailed = async (documentId: string, scheduleId: number, reason: RegExp, uid = 'note') => {
      const [row] = await db()('folio_schedules').where('id', scheduleId);
      expect(row.status).toBe('failed');
      expect(row.reason).toMatch(reason);
      expect(await count('folio_jobs', { status: 'failed' })).toBe(1);
      const [audit] = await db()('folio_audit_log').where({ action: 'content.scheduleFailed', entity_id: documentId });
      expect(audit).toMatchObject({ actor_kind: 'system', subject: uid });
      expect(JSON.parse(audit.details)).toMatchObject({ scheduleId, action: 'publish', reason: row.reason });
      await t().folio.webhooks.dispatcher.runOnce();
      expect(receiver.received.map((r) => r.json)).toEqual([
        expect.objectContaining({
          event: 'entry.publish-failed',
          uid,
          entry: { documentId },
          schedule: expect.objectContaining({ id: scheduleId, action: 'publish', reason: row.reason }),
        }),
      ]);
      expect(await publishedTitles(uid, documentId)).toEqual([]);
    };

    it('when the admin who scheduled it was deactivated', async () => {
      await subscribe();
      const author = await signedIn(t(), [await roleWith('Publisher', ['read', 'create', 'update', 'publish'])]);
      const documentId = await draft({ title: 'Orphaned' });
      const id = (await schedule(author, documentId, {})).body.data.id as number;
      await t().folio.auth.users.update(author.userId, { isActive: false });

      await runDue();

      await expectFailed(documentId, id, /deactivated/);
    });

    it('when the admin who scheduled it may no longer publish', async () => {
      await subscribe();
      const role = await roleWith('Publisher', ['read', 'create', 'update', 'publish']);
      const author = await signedIn(t(), [role]);
      const documentId = await draft({ title: 'Demoted' });
      const id = (await schedule(author, documentId, {})).body.data.id as number;
      await t().folio.access.setPermissions(role, [{ action: 'read', subject: 'note' }]);

      await runDue();

      await expectFailed(documentId, id, /may no longer publish/);
    });

    it('when the entry no longer validates', async () => {
      await subscribe();
      const documentId = await draft({ title: 'Valid for now' }, 'story');
      const id = (await schedule(admin, documentId, {}, 'story')).body.data.id as number;
      // The schema changes under the draft: stories need a summary from now on.
      const story = SCHEMA.contentTypes.story;
      await applyTestSchema(t().folio, {
        ...SCHEMA,
        contentTypes: {
          ...SCHEMA.contentTypes,
          story: { ...story, attributes: { ...story.attributes, summary: { type: 'string', required: true } } },
        },
      });

      await runDue();

      await expectFailed(documentId, id, /does not validate/, 'story');
    });
  });

  describe('refuses', () => {
    const snapshot = async () => ({
      schedules: await count('folio_schedules'),
      jobs: await count('folio_jobs'),
      audits: await count('folio_audit_log'),
    });

    it('a caller who may not publish the type: 403, nothing written', async () => {
      const documentId = await draft({ title: 'Not yours to publish' });
      const before = await snapshot();
      const res = await schedule(writer, documentId, {});
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('ForbiddenError');
      expect(await snapshot()).toEqual(before);
    });

    it('a caller who may not publish the type cannot cancel either', async () => {
      const documentId = await draft({ title: 'Mine' });
      const id = (await schedule(publisher, documentId, {})).body.data.id as number;
      expect((await writer.delete(`/admin-api/content/note/${documentId}/schedules/${id}`)).status).toBe(403);
      expect(await count('folio_schedules', { status: 'pending' })).toBe(1);
    });

    it('a type without draft & publish: 400, nothing written', async () => {
      const memo = await admin.post('/admin-api/content/memo', { title: 'Always live' });
      expect(memo.status).toBe(201);
      const res = await schedule(admin, memo.body.data.id as string, {}, 'memo');
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ApplicationError');
      expect(await count('folio_schedules')).toBe(0);
    });

    it('a malformed documentId or schedule id: 400', async () => {
      expect((await schedule(admin, 'not%20an%20id', {})).status).toBe(400);
      const documentId = await draft({ title: 'Fine' });
      const res = await admin.delete(`/admin-api/content/note/${documentId}/schedules/abc`);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
    });

    it('a document that does not exist: 404', async () => {
      const res = await schedule(publisher, 'nosuchdocument0000000000', {});
      expect(res.status).toBe(404);
      expect(await count('folio_schedules')).toBe(0);
    });

    it.each([
      ['a time in the past', { at: new Date(Date.now() - HOUR).toISOString() }, 'at'],
      ['a time without a zone', { at: '2030-01-01T07:00:00' }, 'at'],
      ['not a time', { at: 'tomorrow' }, 'at'],
      ['an unknown action', { action: 'explode' }, 'action'],
      ['an unknown key', { when: 'now' }, ''],
      ['a malformed locale', { locale: 'x!' }, 'locale'],
    ])('%s: 400 with the error envelope, nothing written', async (_name, body, path) => {
      const documentId = await draft({ title: 'Bad input' });
      const before = await snapshot();
      const res = await schedule(publisher, documentId, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
      const paths = (res.body.error.details.errors as Array<{ path: string[] }>).map((e) => e.path.join('.'));
      expect(paths).toContain(path);
      expect(await snapshot()).toEqual(before);
    });

    it('a malformed upcoming window: 400', async () => {
      const from = new Date().toISOString();
      for (const query of [`from=${from}&to=${from}`, 'from=yesterday', 'page=2', `to=${from}&to=${from}`]) {
        const res = await admin.get(`/admin-api/schedules?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('ValidationError');
      }
    });
  });

  it('lists upcoming schedules in a window, soonest first, only of readable types', async () => {
    const first = await draft({ title: 'First' });
    const second = await draft({ title: 'Second' });
    const page = await draft({ title: 'A page' }, 'page');
    await schedule(publisher, second, { at: new Date(Date.now() + 2 * HOUR).toISOString() });
    await schedule(publisher, first, {});
    await schedule(admin, page, {}, 'page');
    await schedule(publisher, first, { at: new Date(Date.now() + 48 * HOUR).toISOString() });

    const to = new Date(Date.now() + 24 * HOUR).toISOString();
    const res = await publisher.get(`/admin-api/schedules?to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    // The publisher reads notes only: the page's schedule is not theirs to see.
    expect(res.body.data.map((s: { documentId: string }) => s.documentId)).toEqual([first, second]);
    const all = await admin.get(`/admin-api/schedules?to=${encodeURIComponent(to)}`);
    expect(all.body.data).toHaveLength(3);
  });
});
