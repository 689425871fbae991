// Webhooks (issue 7 settings, docs/architecture.md "Side effects"): configured through
// the Admin API, fed by the outbox written in each change's own transaction, delivered with
// retries and an optional signature.
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { WebhookDispatcher } from '../../server/events/dispatcher.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { twoColours } from '../helpers/media.js';

const SCHEMA = {
  contentTypes: {
    note: {
      kind: 'collectionType',
      info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
      options: { draftAndPublish: true },
      attributes: {
        title: { type: 'string', required: true },
        internal: { type: 'string', private: true },
      },
    },
  },
  components: {},
} as const;

const SECRET = 'a-signing-secret-of-some-length';

describeEachDatabase('Webhooks', (t) => {
  let admin: AdminSession;
  let receiver: WebhookReceiver;
  let token: string;

  beforeAll(async () => {
    await applyTestSchema(t().folio, SCHEMA);
    admin = await signedIn(t(), ['super-admin']);
    receiver = await startWebhookReceiver();
    token = (await t().folio.apiTokens.create({ name: 'writer', type: 'full-access' })).token;
  });
  afterAll(async () => {
    await receiver.close();
  });
  afterEach(async () => {
    // Each test starts with no webhook and an empty log.
    for (const w of await t().folio.webhooks.service.list()) await t().folio.webhooks.service.delete(w.id);
    await t().db('folio_outbox').delete();
    receiver.received.length = 0;
    receiver.answer = 200;
  });

  const createWebhook = async (body: Record<string, unknown>) => {
    const res = await admin.post('/admin-api/webhooks', {
      name: `hook ${Math.random()}`,
      url: receiver.url,
      events: ['entry.create', 'entry.publish'],
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body.data as { id: number; signed: boolean };
  };
  const createNote = (data: Record<string, unknown>) =>
    t().http().post('/api/notes').set('Authorization', `Bearer ${token}`).send({ data });
  const outboxCount = async () => Number((await t().db('folio_outbox').count({ n: '*' }))[0].n);

  it('creates a webhook whose signing secret is never read back', async () => {
    const res = await admin.post('/admin-api/webhooks', {
      name: 'Site rebuild',
      url: receiver.url,
      events: ['entry.publish'],
      headers: { Authorization: 'Bearer abc' },
      secret: SECRET,
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: 'Site rebuild',
      url: receiver.url,
      events: ['entry.publish'],
      headers: { Authorization: 'Bearer abc' },
      enabled: true,
      signed: true,
    });
    expect(JSON.stringify((await admin.get(`/admin-api/webhooks/${res.body.data.id}`)).body)).not.toContain(SECRET);
    const stored = await t().db('folio_webhooks').where('id', res.body.data.id).first();
    expect(stored.secret).not.toContain(SECRET);
  });

  it('refuses invalid webhooks with the failing paths', async () => {
    const res = await admin.post('/admin-api/webhooks', {
      name: '',
      url: 'ftp://example.com',
      events: ['entry.explode'],
      headers: { 'X-Folio-Signature': 'forged' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    const paths = (res.body.error.details.errors as Array<{ path: (string | number)[] }>).map((e) => e.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'url', 'events.0', 'headers.X-Folio-Signature']));
    expect(await t().db('folio_webhooks').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses a second webhook with the same name', async () => {
    await createWebhook({ name: 'Twice' });
    const res = await admin.post('/admin-api/webhooks', { name: 'Twice', url: receiver.url, events: ['entry.create'] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['name']);
  });

  it('is for roles with the webhooks permission only', async () => {
    const editor = await signedIn(t(), ['editor']);
    expect((await editor.get('/admin-api/webhooks')).status).toBe(403);
    expect(
      (await editor.post('/admin-api/webhooks', { name: 'x', url: receiver.url, events: ['entry.create'] })).status,
    ).toBe(403);
  });

  it('delivers entry.create and entry.publish with the entry, its private attributes left out, signed', async () => {
    await createWebhook({ secret: SECRET });
    const created = await createNote({ title: 'Hello', internal: 'do not leak' });
    expect(created.status).toBe(201);
    await t().folio.webhooks.dispatcher.runOnce();

    expect(receiver.events()).toEqual(['entry.create', 'entry.publish']);
    const [first] = receiver.received;
    expect(first.json).toMatchObject({
      model: 'note',
      uid: 'note',
      entry: { documentId: created.body.data.documentId, title: 'Hello' },
    });
    expect(first.body).not.toContain('do not leak');
    expect(first.headers['x-folio-event']).toBe('entry.create');
    const [, t0, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(first.headers['x-folio-signature']))!;
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t0}.${first.body}`).digest('hex'));
    expect(await outboxCount()).toBe(0);
  });

  it('records events only for subscribed, enabled webhooks', async () => {
    const disabled = await createWebhook({ enabled: false });
    await createWebhook({ events: ['entry.delete'] });
    await createNote({ title: 'Unheard' });
    await t().folio.webhooks.dispatcher.runOnce();
    expect(receiver.received).toEqual([]);
    expect(await t().db('folio_webhook_deliveries').where('webhook_id', disabled.id).count({ n: '*' })).toEqual([
      { n: 0 },
    ]);
  });

  it('records nothing when the write is rolled back', async () => {
    await createWebhook({});
    const failing = () => Promise.reject(new Error('a later step of the write fails'));
    t().folio.documents.inTransaction.push(failing);
    try {
      await expect(t().folio.documents.create('note', { data: { title: 'Never' } })).rejects.toThrow('a later step');
    } finally {
      t().folio.documents.inTransaction.splice(t().folio.documents.inTransaction.indexOf(failing), 1);
    }
    expect(await outboxCount()).toBe(0);
    await t().folio.webhooks.dispatcher.runOnce();
    expect(receiver.received).toEqual([]);
  });

  it('retries a failing receiver with backoff, then gives up', async () => {
    const hook = await createWebhook({ events: ['entry.create'] });
    receiver.answer = 503;
    await createNote({ title: 'Retry me' });
    const dispatcher = t().folio.webhooks.dispatcher;
    await dispatcher.runOnce();
    expect(receiver.received).toHaveLength(1);
    await dispatcher.runOnce(); // not due yet: nothing is sent
    expect(receiver.received).toHaveLength(1);

    const log = async () => (await admin.get(`/admin-api/webhooks/${hook.id}/deliveries`)).body.data[0];
    expect(await log()).toMatchObject({ event: 'entry.create', status: 'pending', attempts: 1, responseStatus: 503 });

    let now = Date.now();
    for (let attempt = 2; attempt <= dispatcher.options.maxAttempts; attempt += 1) {
      now += dispatcher.options.maxBackoffMs;
      await dispatcher.runOnce(now);
    }
    expect(receiver.received).toHaveLength(dispatcher.options.maxAttempts);
    expect(await log()).toMatchObject({
      status: 'failed',
      attempts: dispatcher.options.maxAttempts,
      nextAttemptAt: null,
    });
  });

  it('delivers a failed attempt once the receiver is back', async () => {
    const hook = await createWebhook({ events: ['entry.create'] });
    receiver.answer = 500;
    await createNote({ title: 'Back soon' });
    await t().folio.webhooks.dispatcher.runOnce();
    receiver.answer = 204;
    await t().folio.webhooks.dispatcher.runOnce(Date.now() + t().folio.webhooks.dispatcher.options.backoffMs);
    expect(receiver.received).toHaveLength(2);
    expect((await admin.get(`/admin-api/webhooks/${hook.id}/deliveries`)).body.data[0]).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      responseStatus: 204,
    });
  });

  it('two dispatchers on one database deliver each event once', async () => {
    await createWebhook({ events: ['entry.create'] });
    for (let i = 0; i < 5; i += 1) await createNote({ title: `Note ${i}` });
    const other = new WebhookDispatcher(t().db, t().folio.webhooks.service, t().folio.logger);
    await Promise.all([t().folio.webhooks.dispatcher.runOnce(), other.runOnce()]);
    expect(receiver.events()).toEqual(['entry.create', 'entry.create', 'entry.create', 'entry.create', 'entry.create']);
    expect(new Set(receiver.received.map((r) => r.json.entry && (r.json.entry as { title: string }).title)).size).toBe(
      5,
    );
  });

  it('announces media uploads, with the file as the upload API shows it', async () => {
    await createWebhook({ events: ['media.create', 'media.delete'] });
    const filePath = path.join(mkdtempSync(path.join(os.tmpdir(), 'webhook-media-')), 'dot.png');
    writeFileSync(filePath, await twoColours(8, 8, '#000', '#fff', 'png'));
    const [file] = await t().folio.media.upload([{ path: filePath, filename: 'dot.png', size: 1 }], []);
    await t().folio.media.delete(file.id);
    await t().folio.webhooks.dispatcher.runOnce();
    expect(receiver.events()).toEqual(['media.create', 'media.delete']);
    expect(receiver.received[0].json.media).toMatchObject({ id: file.id, name: 'dot.png', mime: 'image/png' });
  });

  it('sends a test event on demand and reports the answer', async () => {
    const hook = await createWebhook({});
    const res = await admin.post(`/admin-api/webhooks/${hook.id}/trigger`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, status: 200 });
    expect(receiver.events()).toEqual(['trigger-test']);
  });

  it('reports an unreachable receiver as a result, not a server error', async () => {
    const hook = await createWebhook({ url: 'http://127.0.0.1:9/nowhere' });
    const res = await admin.post(`/admin-api/webhooks/${hook.id}/trigger`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: false, status: null });
    expect(res.body.data.error).toBeTruthy();
  });

  it('deleting a webhook removes its delivery log', async () => {
    const hook = await createWebhook({ events: ['entry.create'] });
    await createNote({ title: 'Logged' });
    await t().folio.webhooks.dispatcher.runOnce();
    expect((await admin.delete(`/admin-api/webhooks/${hook.id}`)).status).toBe(200);
    expect(await t().db('folio_webhook_deliveries').where('webhook_id', hook.id).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect((await admin.get(`/admin-api/webhooks/${hook.id}`)).status).toBe(404);
  });
});
