// Webhook guards (issue 17): destinations webhooks may not reach (SSRF, item 8), what the trigger
// and the log show of an answer, headers that can never be sent (item 22), claims a crashed process
// left (item 21), and deliveries bounded by what the admins who configured a webhook may read
// (item 2). Nothing here sends traffic beyond loopback: a guard on every socket refuses (and
// records) any other destination, so a refused address is proven refused before any connection.
import net from 'node:net';
import os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookDispatcher } from '../../server/events/dispatcher.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase, testEnv, type TestFolio } from '../helpers/folio.js';
import { serverCommand, startServerProcess } from '../helpers/process.js';
import { applyTestSchema } from '../helpers/schema.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SCHEMA = {
  contentTypes: {
    note: {
      kind: 'collectionType',
      info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
      options: { draftAndPublish: false },
      attributes: { title: { type: 'string', required: true }, body: { type: 'text' } },
    },
    author: {
      kind: 'collectionType',
      info: { singularName: 'author', pluralName: 'authors', displayName: 'Author' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string', required: true } },
    },
  },
  components: {},
} as const;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
/** Hosts something tried to connect to beyond loopback (each refused by the guard). */
const offLoopback: string[] = [];
// Kept to be put back afterwards and only ever called with .apply(this, …): never unbound.
// eslint-disable-next-line @typescript-eslint/unbound-method
const realConnect = net.Socket.prototype.connect;
beforeAll(() => {
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const host =
      typeof first === 'object' && first !== null
        ? (first as { host?: string }).host
        : typeof args[1] === 'string'
          ? args[1]
          : undefined;
    if (host !== undefined && !LOOPBACK.has(host)) {
      offLoopback.push(host);
      throw new Error(`test guard: no connection to ${host}`);
    }
    return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  };
});
afterAll(() => {
  net.Socket.prototype.connect = realConnect;
});

interface Fixture {
  admin: AdminSession;
  receiver: WebhookReceiver;
  token: string;
}

/** A schema, a Super Admin, a receiver on 127.0.0.1 and a full-access token; cleaned after each test. */
function useFixture(t: () => TestFolio): () => Fixture {
  let fixture: Fixture | undefined;
  beforeAll(async () => {
    await applyTestSchema(t().folio, SCHEMA);
    fixture = {
      admin: await signedIn(t(), ['super-admin']),
      receiver: await startWebhookReceiver(),
      token: (await t().folio.apiTokens.create({ name: 'writer', type: 'full-access' })).token,
    };
  });
  afterAll(async () => {
    await fixture?.receiver.close();
  });
  afterEach(async () => {
    await t().db('folio_webhook_deliveries').delete();
    await t().db('folio_webhooks').delete();
    await t().db('folio_outbox').delete();
    const { receiver } = fixture!;
    receiver.received.length = 0;
    receiver.answer = 200;
    receiver.answerBody = undefined;
    receiver.hold = false;
    expect(offLoopback.splice(0)).toEqual([]); // each test answers for its own connections
  });
  return () => fixture!;
}

const create = (t: TestFolio, token: string, pluralName: string, data: Record<string, unknown>) =>
  t.http().post(`/api/${pluralName}`).set('Authorization', `Bearer ${token}`).send({ data });

/** A webhook row written as Folio wrote them before these checks (or one whose name now resolves elsewhere). */
async function storedWebhook(t: TestFolio, url: string, events: string[] = ['entry.create']): Promise<number> {
  const now = Date.now();
  const [id] = await t.db('folio_webhooks').insert({
    name: `stored ${Math.random()}`,
    url,
    headers: '{}',
    events: JSON.stringify(events),
    enabled: true,
    secret: null,
    created_at: now,
    updated_at: now,
  });
  return Number(id);
}

const deliveriesOf = async (t: TestFolio, webhookId: number) =>
  (await t.db('folio_webhook_deliveries').where('webhook_id', webhookId).orderBy('id')) as Array<{
    status: string;
    attempts: number;
    error: string | null;
    response_body: string | null;
    payload: string;
  }>;

const titles = (receiver: WebhookReceiver) =>
  receiver.received.map(
    (r) => (r.json.entry as { title?: string; name?: string }).title ?? (r.json.entry as { name?: string }).name,
  );

/** Internal destinations, spelled the ways an attacker would; the loopback ones point at the receiver. */
const internalTargets = (port: string) => [
  `http://127.0.0.1:${port}/hook`,
  `http://localhost:${port}/hook`,
  `http://[::1]:${port}/hook`,
  `http://2130706433:${port}/hook`,
  `http://0x7f.1:${port}/hook`,
  `http://[::ffff:127.0.0.1]:${port}/hook`,
  'http://10.0.0.1/hook',
  'http://192.168.0.1/hook',
  'http://100.64.0.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fd00::1]/hook',
  'http://0.0.0.0/hook',
];

// The production default: no WEBHOOK_ALLOWED_HOSTS.
describeEachDatabase(
  'Webhook destinations (SSRF)',
  (t) => {
    const f = useFixture(t);
    const targets = () => internalTargets(new URL(f().receiver.url).port);

    it('refuses internal destinations at save, on create and on update', async () => {
      for (const url of targets()) {
        const res = await f().admin.post('/admin-api/webhooks', { name: `to ${url}`, url, events: ['entry.create'] });
        expect([url, res.status]).toEqual([url, 400]);
        expect(res.body.error.details.errors[0]).toMatchObject({
          path: ['url'],
          message: expect.stringContaining('not a public address'),
        });
      }
      expect(await t().db('folio_webhooks').count({ n: '*' })).toEqual([{ n: 0 }]);

      // A public address is accepted (checked, never contacted), and cannot then be moved inside.
      const saved = await f().admin.post('/admin-api/webhooks', {
        name: 'public',
        url: 'http://93.184.216.34/hook',
        events: ['media.delete'],
      });
      expect(saved.status).toBe(201);
      const moved = await f().admin.put(`/admin-api/webhooks/${saved.body.data.id}`, {
        url: 'http://169.254.169.254/latest/meta-data/',
      });
      expect(moved.status).toBe(400);
      expect((await t().db('folio_webhooks').where('id', saved.body.data.id).first()).url).toBe(
        'http://93.184.216.34/hook',
      );
    });

    it('refuses to trigger a stored webhook aimed inside, before any connection', async () => {
      for (const url of targets()) {
        const id = await storedWebhook(t(), url);
        const res = await f().admin.post(`/admin-api/webhooks/${id}/trigger`);
        expect([url, res.status]).toEqual([url, 200]);
        expect(res.body.data).toMatchObject({
          ok: false,
          status: null,
          body: null,
          error: expect.stringContaining('not a public address'),
        });
      }
      expect(f().receiver.received).toEqual([]);
      expect(offLoopback).toEqual([]);
    });

    it('fails a delivery to a stored internal destination at once, without retries', async () => {
      const metadata = await storedWebhook(t(), 'http://169.254.169.254/latest/meta-data/');
      const loopback = await storedWebhook(t(), f().receiver.url);
      expect((await create(t(), f().token, 'notes', { title: 'Hello' })).status).toBe(201);
      await t().folio.webhooks.dispatcher.runOnce();
      for (const id of [metadata, loopback]) {
        expect(await deliveriesOf(t(), id)).toEqual([
          expect.objectContaining({
            status: 'failed',
            attempts: 1,
            error: expect.stringContaining('not a public address'),
          }),
        ]);
      }
      expect(f().receiver.received).toEqual([]);
      expect(offLoopback).toEqual([]);
    });
  },
  { WEBHOOK_ALLOWED_HOSTS: '' },
);

// The tests' environment: WEBHOOK_ALLOWED_HOSTS=127.0.0.1, where the receivers listen.
describeEachDatabase('Webhook guards', (t) => {
  const f = useFixture(t);
  const createWebhook = async (session: AdminSession, body: Record<string, unknown> = {}) => {
    const res = await session.post('/admin-api/webhooks', {
      name: `hook ${Math.random()}`,
      url: f().receiver.url,
      events: ['entry.create'],
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body.data as { id: number };
  };

  describe('answers (item 8)', () => {
    it('delivers to a receiver on an allowlisted address', async () => {
      const hook = await createWebhook(f().admin);
      expect((await f().admin.post(`/admin-api/webhooks/${hook.id}/trigger`)).body.data).toMatchObject({
        ok: true,
        status: 200,
      });
      expect(f().receiver.events()).toEqual(['trigger-test']);
    });

    it(
      'shows the first 200 characters of a 2xx body and ' + 'nothing of other answers, in the trigger and the log',
      async () => {
        const hook = await createWebhook(f().admin);
        f().receiver.answerBody = 'x'.repeat(5000);
        const ok = (await f().admin.post(`/admin-api/webhooks/${hook.id}/trigger`)).body.data;
        expect(ok).toMatchObject({ ok: true, status: 200, body: 'x'.repeat(200) });

        f().receiver.answer = 500;
        f().receiver.answerBody = 'internal page: db password is hunter2';
        const failed = (await f().admin.post(`/admin-api/webhooks/${hook.id}/trigger`)).body.data;
        expect(failed).toEqual({
          ok: false,
          status: 500,
          body: null,
          error: 'The receiver answered 500',
          durationMs: expect.any(Number),
        });

        await create(t(), f().token, 'notes', { title: 'Logged' });
        await t().folio.webhooks.dispatcher.runOnce();
        const log = (await f().admin.get(`/admin-api/webhooks/${hook.id}/deliveries`)).body.data;
        expect(log).toEqual([expect.objectContaining({ responseStatus: 500, responseBody: null })]);
      },
    );

    it('reports a closed port, a non-HTTP service and a hang-up with one and the same error', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as net.AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      // what MySQL says first
      const banner = net.createServer((socket) => socket.write('J\0\0\0\n5.5.5-10.11.6-MariaDB\0'));
      const hangUp = net.createServer((socket) => socket.destroy()); // what a protected Redis does
      await Promise.all([banner, hangUp].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
      try {
        const errors: string[] = [];
        for (const port of [
          closedPort,
          (banner.address() as net.AddressInfo).port,
          (hangUp.address() as net.AddressInfo).port,
        ]) {
          const hook = await createWebhook(f().admin, { url: `http://127.0.0.1:${port}/` });
          const { data } = (await f().admin.post(`/admin-api/webhooks/${hook.id}/trigger`)).body;
          expect(data).toMatchObject({ ok: false, status: null, body: null });
          errors.push(data.error);
        }
        expect(new Set(errors).size).toBe(1);
        expect(errors[0]).toMatch(/could not be reached/);
      } finally {
        for (const s of [banner, hangUp]) s.close();
      }
    });
  });

  describe('headers (item 22)', () => {
    it.each([
      'Transfer-Encoding',
      'Connection',
      'Upgrade',
      'Keep-Alive',
      'Expect',
      'Host',
      'Content-Length',
      'Proxy-Authorization',
      'TE',
      'Trailer',
      'Bad Name',
      'X:Y',
      'Ünicode',
    ])('refuses a %s header at save, naming it', async (name) => {
      const res = await f().admin.post('/admin-api/webhooks', {
        name: 'headers',
        url: f().receiver.url,
        events: ['entry.create'],
        headers: { [name]: 'x' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path)).toContainEqual(['headers', name]);
    });

    it.each([
      ['NUL', 'a\0b'],
      ['vertical tab', 'a\vb'],
      ['line break', 'a\r\nX-Injected: 1'],
      ['DEL', 'a\x7fb'],
      ['escape', '\x1b[31m'],
    ])('refuses a header value holding a %s character', async (_what, value) => {
      const res = await f().admin.post('/admin-api/webhooks', {
        name: 'values',
        url: f().receiver.url,
        events: ['entry.create'],
        headers: { 'X-Key': value },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0].path).toEqual(['headers', 'X-Key']);
    });

    it('keeps headers a receiver needs', async () => {
      const hook = await createWebhook(f().admin, { headers: { Authorization: 'Bearer abc\tdef', 'X-Api-Key': 'k' } });
      expect((await f().admin.post(`/admin-api/webhooks/${hook.id}/trigger`)).body.data.ok).toBe(true);
      expect(f().receiver.received[0].headers).toMatchObject({ authorization: 'Bearer abc\tdef', 'x-api-key': 'k' });
    });
  });

  describe('claims after a crash (item 21)', () => {
    it('a restarted server delivers at once, and in order, what a killed one had claimed', async () => {
      await createWebhook(f().admin);
      f().receiver.hold = true; // the killed server is inside its POST when it dies
      const server = await startServerProcess(testEnv(t().database.url), serverCommand());
      try {
        await create(t(), f().token, 'notes', { title: 'first' });
        for (const deadline = Date.now() + 20_000; f().receiver.received.length === 0 && Date.now() < deadline;)
          await new Promise((r) => setTimeout(r, 50));
        expect(titles(f().receiver)).toEqual(['first']);
      } finally {
        server.kill();
        await server.result;
      }
      f().receiver.hold = false;
      f().receiver.received.length = 0;
      await create(t(), f().token, 'notes', { title: 'second' });

      const restarted = new WebhookDispatcher(t().db, t().folio.webhooks.service, t().folio.logger);
      try {
        await restarted.runOnce();
        expect(titles(f().receiver)).toEqual(['first', 'second']);
      } finally {
        await restarted.stop();
      }
    }, 60_000);

    it(
      "releases an earlier process's claims on this host (same pid, " +
        "earlier start: a container's pid 1), not a running sibling's",
      async () => {
        await createWebhook(f().admin);
        await create(t(), f().token, 'notes', { title: 'sibling' });
        await create(t(), f().token, 'notes', { title: 'earlier self' });
        const [siblingEvent, earlierEvent] = (await t().db('folio_outbox').orderBy('id').pluck('id')) as number[];
        const host = os.hostname().slice(0, 100);
        const sibling = `${host}:${process.ppid}:live`; // the jest runner: alive
        const earlierSelf = `${host}:${process.pid}:before`;
        await t()
          .db('folio_dispatchers')
          .insert([
            { id: sibling, host, pid: process.ppid, process_started_at: 0, heartbeat_at: Date.now() },
            { id: earlierSelf, host, pid: process.pid, process_started_at: 0, heartbeat_at: Date.now() },
          ]);
        await t()
          .db('folio_outbox')
          .where('id', siblingEvent)
          .update({ claim: 'sibling', claimed_by: sibling, claimed_until: Date.now() + 120_000 });
        await t()
          .db('folio_outbox')
          .where('id', earlierEvent)
          .update({ claim: 'earlier', claimed_by: earlierSelf, claimed_until: Date.now() + 120_000 });

        const restarted = new WebhookDispatcher(t().db, t().folio.webhooks.service, t().folio.logger);
        await restarted.runOnce();
        await restarted.stop();
        expect(await t().db('folio_outbox').pluck('claimed_by')).toEqual([sibling]);
        expect((await t().db('folio_dispatchers').where('id', sibling)).length).toBe(1);
        // The earlier self's event is fanned out but waits behind the sibling's, which comes first.
        expect(f().receiver.received).toEqual([]);
        await t().db('folio_dispatchers').where('id', sibling).delete();
      },
    );

    it(
      'holds later events while a live dispatcher elsewhere has ' +
        'earlier ones, and takes them over once its lease runs out',
      async () => {
        await createWebhook(f().admin);
        await create(t(), f().token, 'notes', { title: 'first' });
        const elsewhere = 'other-host:4242:cafe';
        await t()
          .db('folio_dispatchers')
          .insert({ id: elsewhere, host: 'other-host', pid: 4242, process_started_at: 0, heartbeat_at: Date.now() });
        await t()
          .db('folio_outbox')
          .update({ claim: 'theirs', claimed_by: elsewhere, claimed_until: Date.now() + 120_000 });
        await create(t(), f().token, 'notes', { title: 'second' });

        const here = new WebhookDispatcher(t().db, t().folio.webhooks.service, t().folio.logger);
        await here.runOnce();
        expect(f().receiver.received).toEqual([]); // 'second' waits for 'first'

        await t()
          .db('folio_dispatchers')
          .where('id', elsewhere)
          .update({ heartbeat_at: Date.now() - 60_000 });
        const later = new WebhookDispatcher(t().db, t().folio.webhooks.service, t().folio.logger);
        await later.runOnce();
        expect(titles(f().receiver)).toEqual(['first', 'second']);
        await Promise.all([here.stop(), later.stop()]);
        expect(await t().db('folio_dispatchers').whereIn('id', [elsewhere, here.owner.id, later.owner.id])).toEqual([]);
      },
    );
  });

  describe('what a webhook may deliver (item 2)', () => {
    const noteHooksRole = async (noteFields?: string[]) => {
      const role = await t().folio.access.createRole({ name: `Note hooks ${Math.random()}` });
      await t().folio.access.setPermissions(role.id, [
        { action: 'read', subject: 'webhooks' },
        { action: 'create', subject: 'webhooks' },
        { action: 'update', subject: 'webhooks' },
        { action: 'read', subject: 'note', ...(noteFields ? { fields: noteFields } : {}) },
      ]);
      return signedIn(t(), [role.id]);
    };
    const writeNoteAndAuthor = async () => {
      expect((await create(t(), f().token, 'notes', { title: 'A note', body: 'its body' })).status).toBe(201);
      expect((await create(t(), f().token, 'authors', { name: 'Ada' })).status).toBe(201);
      await t().folio.webhooks.dispatcher.runOnce();
    };
    const skippedAuthor = (hookId: number) =>
      expect(deliveriesOf(t(), hookId)).resolves.toEqual([
        expect.objectContaining({ status: 'succeeded' }),
        expect.objectContaining({ status: 'skipped', error: expect.stringContaining('may not read every author') }),
      ]);

    it("a webhook created by a role that cannot read author does not deliver author's entries", async () => {
      const hook = await createWebhook(await noteHooksRole());
      await writeNoteAndAuthor();
      expect(titles(f().receiver)).toEqual(['A note']);
      await skippedAuthor(hook.id);
    });

    it('a webhook changed by such a role is bounded by its rights from then on', async () => {
      const hook = await createWebhook(f().admin);
      expect(
        (await (await noteHooksRole()).put(`/admin-api/webhooks/${hook.id}`, { url: f().receiver.url })).status,
      ).toBe(200);
      await writeNoteAndAuthor();
      expect(titles(f().receiver)).toEqual(['A note']);
      await skippedAuthor(hook.id);
    });

    it('delivers only the fields its creator may read', async () => {
      await createWebhook(await noteHooksRole(['title']));
      await writeNoteAndAuthor();
      expect(f().receiver.received[0].json.entry).toMatchObject({ title: 'A note' });
      expect(f().receiver.received[0].json.entry).not.toHaveProperty('body');
    });

    it('delivers nothing once its creator is deactivated', async () => {
      const creator = await noteHooksRole();
      const hook = await createWebhook(creator);
      await t().db('folio_admin_users').where('id', creator.userId).update({ is_active: false });
      await writeNoteAndAuthor();
      expect(f().receiver.received).toEqual([]);
      expect((await deliveriesOf(t(), hook.id)).map((d) => d.status)).toEqual(['skipped', 'skipped']);
    });
  });
});
