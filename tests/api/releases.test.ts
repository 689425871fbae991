// Releases (issue 21, docs/scheduled-publishing.md "Releases"): a named group of publish/unpublish
// actions over many documents and locales, published all at once in one transaction — now or at a
// scheduled time by the job runner, exactly once — or not at all.
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { JobRunner } from '../../server/jobs/runner.js';
import { JobQueue } from '../../server/jobs/queue.js';
import { RELEASE_JOB, releaseJobKind } from '../../server/content/releases/run.js';
import { releaseNow, type ReleaseDeps } from '../../server/content/operations/releases.js';
import type { AuditRecord } from '../../server/events/audit.js';
import { silentLogger } from '../../server/logger.js';
import type { Folio } from '../../server/folio.js';
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
      attributes: { title: { type: 'string', required: true }, slug: { type: 'string', unique: true } },
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
const later = () => Date.now() + 2 * HOUR;

const ALL_RELEASE_ACTIONS = ['read', 'create', 'update', 'delete', 'publish'];

describeEachDatabase('Releases', (t) => {
  let admin: AdminSession;
  let publisher: AdminSession;
  let writer: AdminSession;
  let receiver: WebhookReceiver;

  const db = () => t().db;
  const count = async (table: string, where: Record<string, unknown> = {}) =>
    Number((await db()(table).where(where).count({ n: '*' }))[0].n);
  /** A role with these actions on notes and these on releases (all of them unless told). */
  const roleWith = async (name: string, actions: string[], onReleases = ALL_RELEASE_ACTIONS) => {
    const role = await t().folio.access.createRole({ name: `${name} ${Math.random()}` });
    await t().folio.access.setPermissions(role.id, [
      ...actions.map((action) => ({ action, subject: 'note' })),
      ...onReleases.map((action) => ({ action, subject: 'releases' })),
    ]);
    return role.id;
  };
  const draft = async (data: Record<string, unknown>, uid = 'note', locale?: string) => {
    const res = await admin.post(`/admin-api/content/${uid}${locale ? `?locale=${locale}` : ''}`, data);
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };
  const release = async (session: AdminSession = admin, name = 'Front page') => {
    const res = await session.post('/admin-api/releases', { name });
    expect(res.status).toBe(201);
    return res.body.data.id as number;
  };
  const add = (session: AdminSession, releaseId: number, body: Record<string, unknown>) =>
    session.post(`/admin-api/releases/${releaseId}/actions`, { uid: 'note', action: 'publish', ...body });
  const publishedIds = async (uid = 'note') => {
    const table = (await t().folio.schema.current()).contentTypes.get(uid)?.table ?? '';
    return (await db()(table).where('status', 'published').orderBy('id').pluck('document_id')) as string[];
  };
  /** A release of `n` new drafts, added by the admin. */
  const releaseOf = async (n: number) => {
    const id = await release();
    const documentIds: string[] = [];
    for (let i = 0; i < n; i += 1) {
      documentIds.push(await draft({ title: `Piece ${i}` }));
      expect((await add(admin, id, { documentId: documentIds[i] })).status).toBe(200);
    }
    return { id, documentIds };
  };
  const deps = (): ReleaseDeps => ({
    db: db(),
    schema: t().folio.schema,
    documents: t().folio.documents,
    locales: t().folio.locales,
    audit: t().folio.audit,
    jobs: t().folio.jobs.queue,
  });

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
    // Each test starts with no documents: what it finds published, it published.
    for (const type of (await t().folio.schema.current()).contentTypes.values()) await db()(type.table).delete();
    await db()('folio_revisions').delete();
    await db()('folio_audit_log').where('action', 'like', 'content.%').delete();
    await db()('folio_release_actions').delete();
    await db()('folio_releases').delete();
    await db()('folio_jobs').delete();
    await db()('folio_outbox').delete();
    for (const w of await t().folio.webhooks.service.list()) await t().folio.webhooks.service.delete(w.id);
    receiver.received.length = 0;
  });

  it('creates, lists, renames and deletes a release', async () => {
    const id = await release(publisher, 'Monday');
    const listed = await publisher.get('/admin-api/releases');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id, name: 'Monday', status: 'open', actionCount: 0, createdBy: publisher.userId }),
    ]);
    const renamed = await publisher.put(`/admin-api/releases/${id}`, { name: 'Tuesday' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.name).toBe('Tuesday');
    expect((await publisher.delete(`/admin-api/releases/${id}`)).status).toBe(204);
    expect((await publisher.get(`/admin-api/releases/${id}`)).status).toBe(404);
    expect(await count('folio_audit_log', { action: 'release.delete', entity_id: String(id) })).toBe(1);
  });

  it('publishes all its entries, locales included, in one go', async () => {
    const { id, documentIds } = await releaseOf(2);
    const page = await draft({ title: 'Hello' }, 'page');
    expect((await admin.put(`/admin-api/content/page/${page}?locale=fr`, { title: 'Bonjour' })).status).toBe(200);
    expect((await add(admin, id, { uid: 'page', documentId: page })).status).toBe(200);
    expect((await add(admin, id, { uid: 'page', documentId: page, locale: 'fr' })).status).toBe(200);

    const res = await admin.post(`/admin-api/releases/${id}/actions/publish`);

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'published', releasedBy: admin.userId });
    expect(await publishedIds()).toEqual(documentIds);
    expect(await publishedIds('page')).toEqual([page, page]);
    expect(await count('folio_audit_log', { action: 'content.publish' })).toBeGreaterThanOrEqual(4);
    expect(await count('folio_audit_log', { action: 'release.publish', entity_id: String(id) })).toBe(1);
    const again = await admin.post(`/admin-api/releases/${id}/actions/publish`);
    expect(again.status).toBe(409);
  });

  it('lists the releases not yet published that hold a document, with its entries there', async () => {
    const page = await draft({ title: 'Hello' }, 'page');
    expect((await admin.put(`/admin-api/content/page/${page}?locale=fr`, { title: 'Bonjour' })).status).toBe(200);
    const monday = await release(admin, 'Monday');
    const tuesday = await release(admin, 'Tuesday');
    const done = await release(admin, 'Done');
    expect((await add(admin, monday, { uid: 'page', documentId: page })).status).toBe(200);
    expect((await add(admin, monday, { uid: 'page', documentId: page, locale: 'fr' })).status).toBe(200);
    expect((await add(admin, tuesday, { uid: 'page', documentId: page, action: 'unpublish' })).status).toBe(200);
    expect((await add(admin, done, { uid: 'page', documentId: page })).status).toBe(200);
    expect((await admin.post(`/admin-api/releases/${done}/actions/publish`)).status).toBe(200);

    const res = await admin.get(`/admin-api/releases/of/page/${page}`);

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        release: expect.objectContaining({ id: monday, name: 'Monday', status: 'open' }),
        actions: [
          { id: expect.any(Number), locale: 'en', action: 'publish' },
          { id: expect.any(Number), locale: 'fr', action: 'publish' },
        ],
      },
      {
        release: expect.objectContaining({ id: tuesday, name: 'Tuesday' }),
        actions: [{ id: expect.any(Number), locale: 'en', action: 'unpublish' }],
      },
    ]);
    // A role that may not read pages sees no entry of one (and no release through it).
    expect((await publisher.get(`/admin-api/releases/of/page/${page}`)).body.data).toEqual([]);
    expect((await admin.get('/admin-api/releases/of/page/not%20an%20id')).status).toBe(400);
  });

  it('publishes none of its entries when one fails in the middle of the transaction', async () => {
    const { id, documentIds } = await releaseOf(5);
    const { folio } = t();
    const record = folio.audit.record.bind(folio.audit);
    let publishes = 0;
    // The third entry's in-transaction audit row fails: everything before it must roll back.
    folio.audit.record = async (entry: AuditRecord, trx?: Parameters<typeof record>[1]) => {
      if (entry.action === 'content.publish' && ++publishes === 3) throw new Error('forced failure on the 3rd entry');
      return record(entry, trx);
    };
    try {
      await expect(releaseNow(deps(), { caller: await callerOf(folio, admin.userId), releaseId: id })).rejects.toThrow(
        'forced failure on the 3rd entry',
      );
    } finally {
      folio.audit.record = record;
    }
    expect(publishes).toBe(3);
    expect(await publishedIds()).toEqual([]);
    expect(await count('folio_audit_log', { action: 'content.publish' })).toBe(0);
    expect(await count('folio_outbox', { topic: 'entry.publish' })).toBe(0);
    expect(await count('folio_revisions', { operation: 'publish' })).toBe(0);
    expect(await count('folio_releases', { id, status: 'open' })).toBe(1);
    // Nothing was left half-done: the release goes through afterwards.
    expect((await admin.post(`/admin-api/releases/${id}/actions/publish`)).status).toBe(200);
    expect(await publishedIds()).toEqual(documentIds);
  });

  it('refuses a release with an invalid entry, names it, and publishes nothing', async () => {
    // "taken" is the slug of a published note; a draft with that slug cannot be published.
    const owner = await draft({ title: 'Owner', slug: 'taken' });
    expect((await admin.post(`/admin-api/content/note/${owner}/actions/publish`)).status).toBe(200);
    expect((await admin.put(`/admin-api/content/note/${owner}`, { slug: 'moved' })).status).toBe(200);
    const { id } = await releaseOf(2);
    const clash = await draft({ title: 'Clash', slug: 'taken' });
    const added = await add(admin, id, { documentId: clash });
    const before = await publishedIds();

    const shown = await admin.get(`/admin-api/releases/${id}`);
    expect(shown.body.data.actions.map((a: { valid: boolean }) => a.valid)).toEqual([true, true, false]);
    expect(shown.body.data.actions[2]).toMatchObject({ documentId: clash, problem: expect.stringMatching(/slug/) });

    const res = await admin.post(`/admin-api/releases/${id}/actions/publish`);

    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.message).toContain(`note ${clash}`);
    expect(res.body.error.details.errors).toEqual([
      expect.objectContaining({ path: ['actions', String(added.body.data.actions[2].id)] }),
    ]);
    expect(await publishedIds()).toEqual(before);
    expect(await count('folio_releases', { id, status: 'open' })).toBe(1);
  });

  it('shows an entry whose draft changed after it was added', async () => {
    const { id, documentIds } = await releaseOf(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await admin.put(`/admin-api/content/note/${documentIds[1]}`, { title: 'Edited' })).status).toBe(200);

    const res = await admin.get(`/admin-api/releases/${id}`);

    expect(res.status).toBe(200);
    expect(res.body.data.actions.map((a: { changedSinceAdded: boolean }) => a.changedSinceAdded)).toEqual([
      false,
      true,
    ]);
  });

  it('refuses to add an entry the caller may not publish: 403, nothing written', async () => {
    const id = await release(writer);
    const documentId = await draft({ title: 'Not yours' });
    const before = await count('folio_release_actions');
    const audits = await count('folio_audit_log');

    const res = await add(writer, id, { documentId });

    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('ForbiddenError');
    expect(await count('folio_release_actions')).toBe(before);
    expect(await count('folio_audit_log')).toBe(audits);
  });

  it('refuses to release now an entry the caller may not publish: 403 naming it, nothing published', async () => {
    const { id } = await releaseOf(2);
    const page = await draft({ title: 'Not a note' }, 'page');
    expect((await add(admin, id, { uid: 'page', documentId: page })).status).toBe(200);

    const res = await publisher.post(`/admin-api/releases/${id}/actions/publish`);

    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(`page ${page}`);
    expect(await publishedIds()).toEqual([]);
    expect(await publishedIds('page')).toEqual([]);
    expect(await count('folio_releases', { id, status: 'open' })).toBe(1);
  });

  it('unpublishes the entries it lists for unpublishing, with the others in the same commit', async () => {
    const live = await draft({ title: 'Yesterday' });
    expect((await admin.post(`/admin-api/content/note/${live}/actions/publish`)).status).toBe(200);
    const { id, documentIds } = await releaseOf(1);
    expect((await add(admin, id, { documentId: live, action: 'unpublish' })).status).toBe(200);

    expect((await admin.post(`/admin-api/releases/${id}/actions/publish`)).status).toBe(200);

    expect(await publishedIds()).toEqual(documentIds);
    expect(await count('folio_outbox', { topic: 'entry.unpublish' })).toBe(1);
  });

  it('refuses malformed input with a 400 envelope', async () => {
    const id = await release();
    for (const res of [
      await admin.post('/admin-api/releases', { name: '' }),
      await admin.post('/admin-api/releases', { name: 'x', extra: 1 }),
      await add(admin, id, { documentId: 'bad id!' }),
      await add(admin, id, { documentId: 'abc', action: 'delete' }),
      await admin.put(`/admin-api/releases/${id}/schedule`, { at: 'tomorrow' }),
      await admin.get('/admin-api/releases/0'),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
    }
  });

  it('invalidates the response cache once, after the commit', async () => {
    const { id } = await releaseOf(3);
    const invalidations: unknown[] = [];
    const stop = t().folio.cache.onInvalidate((i) => invalidations.push(i));
    try {
      expect((await admin.post(`/admin-api/releases/${id}/actions/publish`)).status).toBe(200);
    } finally {
      stop();
    }
    expect(invalidations).toEqual([{ tags: ['note'] }]);
  });

  it('sends release.publish and one event per entry', async () => {
    const res = await admin.post('/admin-api/webhooks', {
      name: `releases ${Math.random()}`,
      url: receiver.url,
      events: ['release.publish', 'entry.publish'],
    });
    expect(res.status).toBe(201);
    const { id, documentIds } = await releaseOf(2);

    expect((await admin.post(`/admin-api/releases/${id}/actions/publish`)).status).toBe(200);
    await t().folio.webhooks.dispatcher.runOnce();

    const received = receiver.received.map((r) => r.json);
    expect(
      received.filter((p) => p.event === 'entry.publish').map((p) => (p.entry as { documentId: string }).documentId),
    ).toEqual(expect.arrayContaining(documentIds));
    expect(received.filter((p) => p.event === 'release.publish')).toEqual([
      expect.objectContaining({ release: { id, name: 'Front page', actions: 2, releasedBy: admin.userId } }),
    ]);
    expect(received).toHaveLength(3);
  });

  it('publishes a scheduled release once, with two runners racing for it', async () => {
    const { folio } = t();
    const instance = () => {
      const runner = new JobRunner(db(), silentLogger());
      const queue = new JobQueue(db(), runner, silentLogger(), { batchSize: 1 });
      queue.define(
        RELEASE_JOB,
        releaseJobKind({
          db: db(),
          schema: folio.schema,
          documents: folio.documents,
          audit: folio.audit,
          activeAdmin: (id: number) => folio.auth.activeAdminCaller(id),
        }),
      );
      return { runner, queue };
    };
    const { id, documentIds } = await releaseOf(3);
    const scheduled = await publisher.put(`/admin-api/releases/${id}/schedule`, { at: inAnHour() });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.data).toMatchObject({ status: 'scheduled', scheduledBy: publisher.userId });
    const [a, b] = [instance(), instance()];
    try {
      const ran = await Promise.all([a.queue.runOnce(later()), b.queue.runOnce(later())]);
      expect(ran[0] + ran[1]).toBe(1);
    } finally {
      await Promise.all([a.runner.stop(), b.runner.stop()]);
    }
    expect(await publishedIds()).toEqual(documentIds);
    expect(await count('folio_audit_log', { action: 'release.publish', entity_id: String(id) })).toBe(1);
    for (const documentId of documentIds)
      expect(await count('folio_revisions', { document_id: documentId, operation: 'publish' })).toBe(1);
    const [row] = await db()('folio_releases').where('id', id);
    expect(row).toMatchObject({ status: 'published' });
    expect(Number(row.released_by)).toBe(publisher.userId);
    expect(await count('folio_jobs', { status: 'succeeded' })).toBe(1);
  });

  it('fails a scheduled release visibly when its admin was deactivated, publishing nothing', async () => {
    const hook = await admin.post('/admin-api/webhooks', {
      name: `failures ${Math.random()}`,
      url: receiver.url,
      events: ['release.publish-failed'],
    });
    expect(hook.status).toBe(201);
    const author = await signedIn(t(), [await roleWith('Publisher', ['read', 'create', 'update', 'publish'])]);
    const { id } = await releaseOf(2);
    expect((await author.put(`/admin-api/releases/${id}/schedule`, { at: inAnHour() })).status).toBe(200);
    await t().folio.auth.users.update(author.userId, { isActive: false });

    await t().folio.jobs.queue.runOnce(later());

    expect(await publishedIds()).toEqual([]);
    const shown = await admin.get(`/admin-api/releases/${id}`);
    expect(shown.body.data).toMatchObject({ status: 'failed', reason: expect.stringMatching(/deactivated/) });
    expect(await count('folio_audit_log', { action: 'release.publishFailed', entity_id: String(id) })).toBe(1);
    await t().folio.webhooks.dispatcher.runOnce();
    expect(receiver.received.map((r) => r.json)).toEqual([
      expect.objectContaining({
        event: 'release.publish-failed',
        release: expect.objectContaining({ id, reason: shown.body.data.reason }),
      }),
    ]);
  });

  it('opens each route by the releases permission: none, read only, everything but publish', async () => {
    const none = await signedIn(t(), [await roleWith('No releases', ['read', 'publish'], [])]);
    const reader = await signedIn(t(), [await roleWith('Release reader', ['read', 'publish'], ['read'])]);
    const editor = await signedIn(t(), [
      await roleWith('Release editor', ['read', 'publish'], ['read', 'create', 'update', 'delete']),
    ]);
    const { id, documentIds } = await releaseOf(1);

    expect((await none.get('/admin-api/releases')).status).toBe(403);
    expect((await none.get(`/admin-api/releases/${id}`)).status).toBe(403);
    expect((await reader.get(`/admin-api/releases/${id}`)).status).toBe(200);
    expect((await reader.post('/admin-api/releases', { name: 'Mine' })).status).toBe(403);
    expect((await reader.put(`/admin-api/releases/${id}`, { name: 'Renamed' })).status).toBe(403);
    expect((await reader.delete(`/admin-api/releases/${id}`)).status).toBe(403);
    expect((await editor.put(`/admin-api/releases/${id}`, { name: 'Renamed' })).status).toBe(200);
    expect((await editor.post(`/admin-api/releases/${id}/actions/publish`)).status).toBe(403);
    expect((await editor.put(`/admin-api/releases/${id}/schedule`, { at: inAnHour() })).status).toBe(403);

    expect(await publishedIds()).toEqual([]);
    expect((await db()('folio_releases').where('id', id).first()).status).toBe('open');
    expect((await publisher.post(`/admin-api/releases/${id}/actions/publish`)).status).toBe(200);
    expect(await publishedIds()).toEqual(documentIds);
  });

  it('fails a scheduled release visibly when its admin may no longer publish releases', async () => {
    const role = await roleWith('Scheduler', ['read', 'create', 'update', 'publish']);
    const author = await signedIn(t(), [role]);
    const { id } = await releaseOf(1);
    expect((await author.put(`/admin-api/releases/${id}/schedule`, { at: inAnHour() })).status).toBe(200);
    await t().folio.access.setPermissions(role, [
      ...['read', 'create', 'update', 'publish'].map((action) => ({ action, subject: 'note' })),
      { action: 'read', subject: 'releases' },
    ]);

    await t().folio.jobs.queue.runOnce(later());

    expect(await publishedIds()).toEqual([]);
    const shown = await admin.get(`/admin-api/releases/${id}`);
    expect(shown.body.data).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/may no longer publish releases/),
    });
  });

  it('does not run a release whose schedule was cancelled', async () => {
    const { id } = await releaseOf(1);
    expect((await admin.put(`/admin-api/releases/${id}/schedule`, { at: inAnHour() })).status).toBe(200);
    const res = await admin.delete(`/admin-api/releases/${id}/schedule`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'open', scheduledAt: null });
    expect(await t().folio.jobs.queue.runOnce(later())).toBe(0);
    expect(await publishedIds()).toEqual([]);
    expect((await admin.delete(`/admin-api/releases/${id}/schedule`)).status).toBe(409);
  });
});

async function callerOf(folio: Folio, userId: number) {
  return folio.auth.callerFor(await folio.auth.users.get(userId));
}
