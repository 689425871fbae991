// Slow and greedy clients against the real HTTP server, over real loopback sockets: a request head
// must arrive within HTTP_HEADERS_TIMEOUT however slowly it trickles, a body that stops moving is
// cut after HTTP_IDLE_TIMEOUT while one that keeps moving is never cut (50 MB uploads on slow
// links), a kept-alive connection waits HTTP_KEEP_ALIVE_TIMEOUT for its next request, and one
// address holds at most HTTP_MAX_CONNECTIONS_PER_IP connections. Not a database matter: SQLite only.
import { createConnection, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listen, type RunningServer } from '../../server/server.js';
import { startTestFolio, type TestFolio } from '../helpers/folio.js';

const LIMITS = {
  HTTP_HEADERS_TIMEOUT: '1',
  HTTP_IDLE_TIMEOUT: '1',
  HTTP_KEEP_ALIVE_TIMEOUT: '2',
  HTTP_MAX_CONNECTIONS_PER_IP: '4',
};

interface Client {
  socket: Socket;
  received: () => string;
  /** Milliseconds from connecting to the server closing the connection. */
  closed: Promise<number>;
}

describe('slow and greedy clients', () => {
  let t: TestFolio;
  let running: RunningServer;
  let port: number;
  const clients: Socket[] = [];

  beforeAll(async () => {
    t = await startTestFolio('sqlite', LIMITS);
    running = await listen(t.folio, 0, '127.0.0.1');
    port = (running.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of clients) socket.destroy();
    await running.stop(2000);
    await t.db.destroy();
    await t.database.drop();
  });

  async function connect(): Promise<Client> {
    const socket = createConnection({ host: '127.0.0.1', port });
    clients.push(socket);
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const started = performance.now();
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - started)));
    return { socket, received: () => data, closed };
  }

  /** Writes `chunk` every `everyMs` until the connection closes or `times` writes were made. */
  function trickle(socket: Socket, chunk: string, everyMs: number, times: number): Promise<void> {
    return new Promise((resolve) => {
      let left = times;
      const timer = setInterval(() => {
        if (socket.destroyed || left-- <= 0) {
          clearInterval(timer);
          resolve();
          return;
        }
        socket.write(chunk);
      }, everyMs);
    });
  }

  /** Resolves with the value, or 'still open' after `ms`. */
  const within = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([promise, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);

  it('closes a connection whose request head trickles past the headers timeout', async () => {
    const client = await connect();
    client.socket.write('GET /_health HTTP/1.1\r\nHost: localhost\r\n');
    void trickle(client.socket, 'X-Slow: 1\r\n', 200, 50);
    const ms = await within(client.closed, 4000);
    expect(ms).not.toBe('still open');
    expect(ms as number).toBeGreaterThanOrEqual(900);
    expect(client.received()).not.toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes a connection whose body stops moving after the idle timeout', async () => {
    const client = await connect();
    client.socket.write(
      'POST /admin-api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"email":',
    );
    const ms = await within(client.closed, 4000);
    expect(ms).not.toBe('still open');
    expect(ms as number).toBeGreaterThanOrEqual(900);
  });

  it('never cuts a body that keeps moving, however long it takes', async () => {
    const client = await connect();
    const body = '{"data":{"a":1}}';
    client.socket.write(
      `POST /api/nothing-here HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    // One byte every 200 ms: 3.2 s in all, longer than every timeout configured above.
    for (const byte of body) {
      client.socket.write(byte);
      await new Promise((r) => setTimeout(r, 200));
    }
    await within(client.closed, 3000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 404/);
  });

  it('keeps an idle kept-alive connection for the keep-alive timeout, then closes it', async () => {
    const client = await connect();
    client.socket.write('GET /_health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const ms = await within(client.closed, 5000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(ms).not.toBe('still open');
    expect(ms as number).toBeGreaterThanOrEqual(1800);
  });

  it(
    'never cuts a connection waiting on Folio: an answer ' + 'worked out for longer than the idle timeout arrives',
    async () => {
      // Folio busy for 1.8 s on this request (an image waiting its turn, a schema change).
      const registrationOpen = t.folio.auth.registrationOpen.bind(t.folio.auth);
      t.folio.auth.registrationOpen = async () => {
        await new Promise((r) => setTimeout(r, 1800));
        return registrationOpen();
      };
      try {
        const client = await connect();
        client.socket.write(
          'GET /admin-api/auth/registration HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
        );
        await within(client.closed, 4000);
        expect(client.received()).toMatch(/^HTTP\/1\.1 200/);
      } finally {
        t.folio.auth.registrationOpen = registrationOpen;
      }
    },
  );

  it(
    'refuses connections from one address beyond the cap, ' + 'before reading them, and takes new ones as others close',
    async () => {
      const held = await Promise.all(Array.from({ length: 4 }, () => connect()));
      const refused = await connect();
      expect(await within(refused.closed, 500)).not.toBe('still open');
      expect(refused.received()).toBe('');
      for (const client of held) expect(client.socket.destroyed).toBe(false);

      held[0].socket.destroy();
      await held[0].closed;
      await new Promise((r) => setTimeout(r, 50));
      const next = await connect();
      next.socket.write('GET /_health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      await within(next.closed, 3000);
      expect(next.received()).toMatch(/^HTTP\/1\.1 200/);
      for (const client of held) client.socket.destroy();
    },
  );
});
