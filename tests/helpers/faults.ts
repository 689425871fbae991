// Shared by the fault, load and fuzz tests (tests/faults/): their size in the default CI run and on
// demand, and a small TCP proxy that can cut a server's link to its database.
import net from 'node:net';

/** FOLIO_FAULTS_LONG=1 runs the fault and load tests longer and harder (minutes, not seconds). */
export const FAULTS_LONG = process.env.FOLIO_FAULTS_LONG === '1';

/** Polls `done` every 50 ms until it holds or `ms` pass; answers whether it held. */
export async function eventually(done: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return done();
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target`: `cut()` drops every connection through it and
 * refuses new ones (a database link gone: a network partition, a restarted database), `restore()`
 * accepts again on the same port.
 */
export class LinkProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // A cut link errors on both sides; that is the point, not a test failure.
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Every open connection reset, and nothing listening until restore(). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  restore(): Promise<void> {
    return this.open();
  }

  close(): Promise<void> {
    return this.cut();
  }
}
