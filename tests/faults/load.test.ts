// Issue 22, load without loss: a server process under mixed reads and writes at 64 connections
// (autocannon) for a bounded time. No answer is a 5xx (nor any other failure), the process's memory
// is reported, and every acknowledged write is in the database afterwards: the titles of the
// documents, compared by count and checksum with what the clients were told.
//
// Each connection loops over: create an article, list articles, update (and publish) the one it
// created, read that one back. autocannon stops by closing its connections, so the last request of
// each may have been written without its answer arriving: those (at most one per connection) are
// in doubt and may be either way; everything acknowledged must be there exactly.
//
// Default: 5 s on SQLite. FOLIO_FAULTS_LONG=1: 60 s on SQLite and on MySQL.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import autocannon from 'autocannon';
import type { DialectName } from '../../server/db/connection.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';
import { FAULTS_LONG } from '../helpers/faults.js';
import { startTestFolio, testEnv, type TestFolio } from '../helpers/folio.js';
import { serverCommand, startServerProcess, type ServerProcess } from '../helpers/process.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const CONNECTIONS = 64;
const DURATION_S = FAULTS_LONG ? 60 : 5;
const DIALECTS_RUN: DialectName[] = FAULTS_LONG && MYSQL_AVAILABLE ? ['sqlite', 'mysql'] : ['sqlite'];

function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

const checksum = (titles: Iterable<string>) =>
  createHash('sha256')
    .update([...titles].sort().join('\n'))
    .digest('hex');

interface Context {
  documentId?: string;
}

/** What the clients were told, and what they sent without hearing back. */
class Ledger {
  /** documentId → the title of its last acknowledged write. */
  readonly acknowledged = new Map<string, string>();
  /** Sent, not (yet) answered: create titles, and documentId → update title. */
  readonly sentCreates = new Set<string>();
  readonly sentUpdates = new Map<string, string>();
  private serial = 0;

  title(kind: string): string {
    return `${kind} ${(this.serial += 1)} ✓`;
  }
}

for (const dialect of DIALECTS_RUN) {
  describe(`${CONNECTIONS} connections of reads and writes for ${DURATION_S} s [${dialect}]`, () => {
    let t: TestFolio;
    let server: ServerProcess;
    let token: string;

    beforeAll(async () => {
      t = await startTestFolio(dialect);
      await applyTestSchema(t.folio, blogSchema);
      token = (await t.folio.apiTokens.create({ name: 'load', type: 'full-access' })).token;
      server = await startServerProcess(
        // The cap of connections per address (64 by default) counts the readiness poll's kept-alive
        // connection too, still open for a few seconds: with it, the 64th of autocannon's was reset.
        testEnv(t.database.url, { LOG_LEVEL: 'warn', HTTP_MAX_CONNECTIONS_PER_IP: String(CONNECTIONS + 1) }),
        serverCommand(),
      );
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      await t?.close();
    });

    it(
      'answers no 5xx and keeps every acknowledged write',
      async () => {
        const ledger = new Ledger();
        const pid = server.child.pid as number;
        const rssBefore = rssMB(pid);
        let peak = rssBefore;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMB(pid))), 250);
        const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
        const connectionErrors: string[] = [];
        const options: autocannon.Options = {
          url: server.url,
          connections: CONNECTIONS,
          duration: DURATION_S,
          headers,
          requests: [
            {
              method: 'POST',
              path: '/api/articles',
              setupRequest: (request: autocannon.Request) => {
                const title = ledger.title('created');
                ledger.sentCreates.add(title);
                return { ...request, body: JSON.stringify({ data: { title, seo: { metaTitle: 'load' } } }) };
              },
              onResponse: (status: number, body: string, context: Context) => {
                if (status !== 201) return;
                const { documentId, title } = (JSON.parse(body) as { data: { documentId: string; title: string } })
                  .data;
                context.documentId = documentId;
                ledger.acknowledged.set(documentId, title);
                ledger.sentCreates.delete(title);
              },
            },
            { method: 'GET', path: '/api/articles?sort=title:desc&pagination[pageSize]=20&populate=seo' },
            {
              method: 'PUT',
              setupRequest: (request: autocannon.Request, context: Context) => {
                const title = ledger.title('updated');
                ledger.sentUpdates.set(context.documentId!, title);
                return {
                  ...request,
                  path: `/api/articles/${context.documentId}`,
                  body: JSON.stringify({ data: { title, summary: title } }),
                };
              },
              onResponse: (status: number, body: string) => {
                if (status !== 200) return;
                const { documentId, title } = (JSON.parse(body) as { data: { documentId: string; title: string } })
                  .data;
                ledger.acknowledged.set(documentId, title);
                ledger.sentUpdates.delete(documentId);
              },
            },
            {
              method: 'GET',
              setupRequest: (request: autocannon.Request, context: Context) => ({
                ...request,
                path: `/api/articles/${context.documentId}?populate=*`,
              }),
            },
          ],
        };
        const result = await new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon(options, (err: Error | null, done: autocannon.Result) =>
            err ? reject(err) : resolve(done),
          );
          instance.on('reqError', (err: NodeJS.ErrnoException) => connectionErrors.push(err.code ?? err.message));
        });
        clearInterval(sampler);
        const rssAfter = rssMB(pid);

        const codes = [...new Set(connectionErrors)].join(' ');
        console.log(
          `[load] ${dialect}: ${result.requests.total} requests in ${result.duration} s ` +
            `(${Math.round(result.requests.average)}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms), ` +
            `2xx ${result['2xx']}, 4xx ${result['4xx']}, 5xx ${result['5xx']}, errors ${result.errors} ` +
            `(timeouts ${result.timeouts}${codes ? `, ${codes}` : ''}), ` +
            `${ledger.acknowledged.size} documents acknowledged; server RSS ${rssBefore} MB before, ` +
            `${peak} MB peak, ${rssAfter} MB after`,
        );
        expect(result['5xx']).toBe(0);
        // A connection error first: a create whose answer never came leaves its connection's next
        // requests without a document (404s).
        expect(connectionErrors).toEqual([]);
        expect(result.errors).toBe(0);
        expect(result.non2xx).toBe(0);
        // Some writes at all (the figure depends on the machine: a loaded 2-core CI runner does 40/s).
        expect(ledger.acknowledged.size).toBeGreaterThan(10);

        // The database, read directly: every acknowledged document with its acknowledged title, as
        // draft and published (a Content API write publishes); anything else was in doubt.
        for (const status of ['draft', 'published']) {
          const rows = await t
            .db<{ document_id: string; title: string }>('articles')
            .where('status', status)
            .select('document_id', 'title');
          const stored = new Map(rows.map((r) => [r.document_id, r.title]));
          const titles: string[] = [];
          for (const [documentId, title] of ledger.acknowledged) {
            const actual = stored.get(documentId);
            // An update still unanswered at the end may have committed.
            titles.push(actual === ledger.sentUpdates.get(documentId) ? title : (actual ?? '(missing)'));
          }
          expect(titles.length).toBe(ledger.acknowledged.size);
          expect(checksum(titles)).toBe(checksum(ledger.acknowledged.values()));
          const unexplained = rows.filter(
            (r) => !ledger.acknowledged.has(r.document_id) && !ledger.sentCreates.has(r.title),
          );
          expect(unexplained).toEqual([]);
        }
      },
      60_000 + DURATION_S * 1000,
    );
  });
}
