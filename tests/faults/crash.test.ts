// Issue 22, faults: a server process killed with SIGKILL in the middle of a burst of concurrent
// writes (creates, updates with relations and components, publishes), then started again on the
// same database. What the clients were told (each 2xx answer) must hold afterwards: every
// acknowledged write is there with its content, no document is half written (link, component and
// draft/published rows consistent), and every webhook event of an acknowledged write reaches the
// receiver at least once (it deduplicates by X-Folio-Delivery).
//
// A write that was in flight when the process died was never acknowledged: it may have committed
// or not, so a document may end as its last acknowledged version or as that one request's version,
// never anything else. Each worker writes to one document at a time, so at most one request per
// document is in doubt.
//
// Default: one kill per database after ~1 s of writes by 12 clients. FOLIO_FAULTS_LONG=1: 5 kills
// per database, 24 clients.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signedIn } from '../helpers/admin.js';
import { DIALECTS } from '../helpers/databases.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';
import { eventually, FAULTS_LONG } from '../helpers/faults.js';
import { startTestFolio, testEnv, type TestFolio } from '../helpers/folio.js';
import { integrityProblems } from '../helpers/integrity.js';
import { serverCommand, startServerProcess, type ServerProcess } from '../helpers/process.js';
import { applyTestSchema } from '../helpers/schema.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const ROUNDS = FAULTS_LONG ? 5 : 1;
const WORKERS = FAULTS_LONG ? 24 : 12;
/** Acknowledged writes to wait for before the kill (or the time, whichever comes first). */
const ACKS_BEFORE_KILL = FAULTS_LONG ? 400 : 60;
const BURST_MS = FAULTS_LONG ? 5_000 : 1_500;

/** One version of an article, as written and as it must be read back. */
interface Version {
  title: string;
  summary: string;
  tags: string[];
  metaTitle: string;
  quotes: string[];
}

interface DocumentRecord {
  documentId: string;
  /** The last acknowledged draft and published versions. */
  draft: Version;
  published: Version | null;
  /** The write in flight when the process died, if any (never answered). */
  doubtfulDraft?: Version;
  doubtfulPublished?: Version;
}

/** One acknowledged event, as the receiver must see it: `event|documentId|title`. */
type EventKey = string;

function body(v: Version): Record<string, unknown> {
  return {
    data: {
      title: v.title,
      summary: v.summary,
      tags: v.tags,
      seo: { metaTitle: v.metaTitle },
      blocks: v.quotes.map((text) => ({ __component: 'shared.quote', text })),
    },
  };
}

/** What an entry read back with populate=* says of the fields a Version covers. */
function versionOf(entry: Record<string, unknown>): Version {
  return {
    title: entry.title as string,
    summary: entry.summary as string,
    tags: (entry.tags as Array<{ documentId: string }>).map((t) => t.documentId),
    metaTitle: (entry.seo as { metaTitle: string } | null)?.metaTitle ?? '',
    quotes: (entry.blocks as Array<{ text: string }>).map((b) => b.text),
  };
}

class Burst {
  readonly documents = new Map<string, DocumentRecord>();
  /** Titles of creates that were in flight at the kill: they may exist, unacknowledged. */
  readonly doubtfulCreates = new Set<string>();
  readonly events = new Set<EventKey>();
  acks = 0;
  /** Answers that were neither 2xx nor a dropped connection: each one is a defect. */
  readonly failures: string[] = [];
  private stopped = false;
  private serial = 0;

  constructor(
    private readonly url: () => string,
    private readonly token: string,
    private readonly tags: string[],
    private readonly round: number,
  ) {}

  private version(worker: number): Version {
    const n = (this.serial += 1);
    const pick = (k: number) => this.tags.filter((_, i) => (i + n + k) % 3 !== 0);
    return {
      title: `r${this.round} w${worker} #${n} ${[...'é€😀'].slice(0, n % 4).join('')}`,
      summary: `summary ${n} `.repeat(1 + (n % 20)),
      tags: pick(worker),
      metaTitle: `meta ${n}`,
      quotes: Array.from({ length: 1 + (n % 3) }, (_, i) => `quote ${n}.${i}`),
    };
  }

  /** A write; answers its body on 2xx, undefined when the connection died (the kill). */
  private async send(method: string, path: string, v: Version): Promise<Record<string, unknown> | undefined> {
    let res: Response;
    try {
      res = await fetch(`${this.url()}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body(v)),
        signal: AbortSignal.timeout(20_000),
      });
    } catch {
      return undefined; // killed mid-request: never acknowledged
    }
    const text = await res.text().catch(() => undefined);
    if (text === undefined) return undefined;
    if (res.status < 200 || res.status > 299) {
      this.failures.push(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
      return undefined;
    }
    this.acks += 1;
    return JSON.parse(text) as Record<string, unknown>;
  }

  async worker(w: number): Promise<void> {
    while (!this.stopped) {
      const created = this.version(w);
      this.doubtfulCreates.add(created.title);
      const answer = await this.send('POST', '/api/articles?status=draft', created);
      if (!answer) return;
      this.doubtfulCreates.delete(created.title);
      const documentId = (answer.data as { documentId: string }).documentId;
      const doc: DocumentRecord = { documentId, draft: created, published: null };
      this.documents.set(documentId, doc);
      this.events.add(`entry.create|${documentId}|${created.title}`);
      // Two edits, then a publish (a PUT without status=draft writes the draft and publishes it).
      for (const publish of [false, true]) {
        if (this.stopped) return;
        const next = this.version(w);
        doc.doubtfulDraft = next;
        if (publish) doc.doubtfulPublished = next;
        const path = `/api/articles/${documentId}${publish ? '' : '?status=draft'}`;
        if (!(await this.send('PUT', path, next))) return;
        doc.draft = next;
        doc.doubtfulDraft = undefined;
        doc.doubtfulPublished = undefined;
        this.events.add(`entry.update|${documentId}|${next.title}`);
        if (publish) {
          doc.published = next;
          this.events.add(`entry.publish|${documentId}|${next.title}`);
        }
      }
    }
  }

  run(): Promise<void[]> {
    return Promise.all(Array.from({ length: WORKERS }, (_, w) => this.worker(w)));
  }

  stop(): void {
    this.stopped = true;
  }
}

/** Every entry of a status, read through the restarted server (pages of 100). */
async function readAll(url: string, token: string, status: 'draft' | 'published') {
  const entries = new Map<string, Record<string, unknown>>();
  for (let page = 1; ; page += 1) {
    const res = await fetch(
      `${url}/api/articles?status=${status}&populate=*&pagination[pageSize]=100&pagination[page]=${page}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
    const json = (await res.json()) as {
      data: Array<Record<string, unknown>>;
      meta: { pagination: { pageCount: number } };
    };
    for (const entry of json.data) entries.set(entry.documentId as string, entry);
    if (page >= json.meta.pagination.pageCount) return entries;
  }
}

const eventKey = (json: Record<string, unknown>): EventKey => {
  const entry = json.entry as { documentId: string; title: string };
  return `${String(json.event)}|${entry.documentId}|${entry.title}`;
};

for (const dialect of DIALECTS) {
  const run = dialect === 'mysql' && !MYSQL_AVAILABLE ? describe.skip : describe;
  run(`kill -9 during a burst of writes [${dialect}]`, () => {
    let t: TestFolio;
    let token: string;
    let tags: string[];
    let receiver: WebhookReceiver;
    let server: ServerProcess | undefined;

    beforeAll(async () => {
      t = await startTestFolio(dialect);
      await applyTestSchema(t.folio, blogSchema);
      receiver = await startWebhookReceiver();
      const admin = await signedIn(t, ['super-admin']);
      const hook = await admin.post('/admin-api/webhooks', {
        name: 'crash receiver',
        url: receiver.url,
        events: ['entry.create', 'entry.update', 'entry.publish'],
      });
      expect(hook.status).toBe(201);
      token = (await t.folio.apiTokens.create({ name: 'burst', type: 'full-access' })).token;
      tags = [];
      for (const name of ['js', 'sql', 'css', 'ops']) {
        const res = await t.http().post('/api/tags').set('Authorization', `Bearer ${token}`).send({ data: { name } });
        expect(res.status).toBe(201);
        tags.push(res.body.data.documentId as string);
      }
    }, 60_000);
    afterAll(async () => {
      server?.kill();
      await server?.result;
      await receiver?.close();
      await t?.close();
    });

    // A short lease and poll, so that the restarted runner takes the dead one's claims over quickly.
    const start = () =>
      startServerProcess(testEnv(t.database.url, { JOBS_POLL_MS: '50', JOBS_LEASE_MS: '1000' }), serverCommand());

    it(
      'keeps every acknowledged write, whole, and delivers its webhooks after the restart',
      async () => {
        const all = new Map<string, DocumentRecord>();
        const doubtfulCreates = new Set<string>();
        const expectedEvents = new Set<EventKey>();
        let acks = 0;
        for (let round = 0; round < ROUNDS; round += 1) {
          server = await start();
          const current = server;
          const burst = new Burst(() => current.url, token, tags, round);
          const writing = burst.run();
          await eventually(() => burst.acks >= ACKS_BEFORE_KILL, BURST_MS);
          current.kill();
          burst.stop();
          await writing;
          await current.result;
          server = undefined;
          expect(burst.failures).toEqual([]);
          for (const [id, doc] of burst.documents) all.set(id, doc);
          for (const title of burst.doubtfulCreates) doubtfulCreates.add(title);
          for (const key of burst.events) expectedEvents.add(key);
          acks += burst.acks;
        }

        server = await start();
        const drafts = await readAll(server.url, token, 'draft');
        const published = await readAll(server.url, token, 'published');
        for (const doc of all.values()) {
          const draft = drafts.get(doc.documentId);
          expect(draft).toBeDefined();
          expect([doc.draft, doc.doubtfulDraft].filter(Boolean)).toContainEqual(versionOf(draft!));
          const live = published.get(doc.documentId);
          const allowed = [doc.published, doc.doubtfulPublished].filter(Boolean);
          if (live) expect(allowed).toContainEqual(versionOf(live));
          else expect(doc.published).toBeNull();
        }
        // Anything else is a create that was in flight at the kill, whole or absent.
        for (const [documentId, draft] of drafts)
          if (!all.has(documentId)) expect(doubtfulCreates).toContain(draft.title);
        expect(await integrityProblems(t.db, await t.folio.schema.current())).toEqual([]);

        const missing = () => {
          const delivered = new Set(receiver.received.map((r) => eventKey(r.json)));
          return [...expectedEvents].filter((key) => !delivered.has(key));
        };
        // Deliveries go out one at a time, in order, for the one webhook: wait as long as they
        // progress; 10 s without one more delivered is a stall.
        const deliveryStarted = Date.now();
        for (let left = missing().length, progressAt = Date.now(); left > 0 && Date.now() - progressAt < 10_000;) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const now = missing().length;
          if (now < left) progressAt = Date.now();
          left = now;
        }
        expect(missing()).toEqual([]);
        const deliverySeconds = (Date.now() - deliveryStarted) / 1000;
        const deliveries = new Set(receiver.received.map((r) => r.headers['x-folio-delivery']));
        console.log(
          `[faults] ${dialect}: ${ROUNDS} kill(s), ${acks} acknowledged writes on ${all.size} documents, ` +
            `${doubtfulCreates.size} creates in doubt; ${expectedEvents.size} events expected, ` +
            `${receiver.received.length} requests received (${deliveries.size} distinct deliveries), ` +
            `the last ${deliverySeconds.toFixed(1)} s after the restarted server's reads`,
        );
      },
      FAULTS_LONG ? 900_000 : 90_000,
    );
  });
}
