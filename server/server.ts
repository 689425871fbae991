// An HTTP server around the app that can be stopped gracefully: stop accepting, let in-flight
// requests finish (up to a deadline), then close the database pool.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { limitConnectionsPerClient } from './connection-limit.js';
import { idleTimeout } from './idle-timeout.js';
import type { Config } from './config.js';
import type { Folio } from './folio.js';
import { StartupError } from './folio.js';

export interface RunningServer {
  server: http.Server;
  url: string;
  stop(deadlineMs?: number): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * The requests the app is still handling. The server's own close waits only for connections, and a
 * client that hangs up closes its connection while the handler goes on (an upload still resizing):
 * closing the pool under it would fail its last statements.
 */
export class InFlightRequests {
  private readonly running = new Set<Promise<unknown>>();
  private readonly responses = new Set<ServerResponse>();
  private closing = false;

  track(handler: Handler): Handler {
    return (req, res) => {
      if (this.closing) res.shouldKeepAlive = false;
      this.responses.add(res);
      const handled: Promise<unknown> = Promise.resolve(handler(req, res)).finally(() => {
        this.running.delete(handled);
        this.responses.delete(res);
      });
      this.running.add(handled);
      return handled;
    };
  }

  /**
   * Answers not yet sent go out with `Connection: close`, and Node closes their connection once
   * they are sent. Otherwise a kept-alive connection turns idle after its last answer and holds a
   * stopping server open until the client lets it go (a load balancer: a minute or more) or the
   * stop's deadline passes: Node's close() only drops connections idle at the time it is called.
   */
  closeConnectionsAfterAnswer(): void {
    this.closing = true;
    for (const res of this.responses) if (!res.headersSent) res.shouldKeepAlive = false;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when every request running now has ended, or at the deadline. */
  async drained(deadline: Promise<void>): Promise<void> {
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
  }
}

/**
 * The head of a request must arrive within headersTimeout, however slowly its bytes trickle; the
 * body has no total limit (requestTimeout 0), only the idle timeout. Node checks both timeouts every
 * connectionsCheckingInterval, which is therefore a fraction of the shortest. The keep-alive timeout
 * stays longer than common load balancers' idle timeout (60 s) by default.
 */
function serverOptions(limits: Config['http']): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 0,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(250, Math.min(limits.headersTimeoutMs / 4, 5_000)),
  };
}

export async function listen(folio: Folio, port = folio.config.port, host = folio.config.host): Promise<RunningServer> {
  const app = createApp(folio);
  const inFlight = new InFlightRequests();
  const server = http.createServer(serverOptions(folio.config.http));
  // No byte either way for this long closes a connection stuck on its client: a stalled upload, a
  // client that stops reading. Node resets it on every byte, so a 50 MB upload on a slow link goes
  // through as long as it progresses; a total time limit would cut it off. (A long-lived response,
  // an event stream, must send something more often, or lift the timeout on its own socket.)
  const idle = idleTimeout(server, folio.config.http.idleTimeoutMs);
  server.on('request', idle(inFlight.track(app.callback())));
  limitConnectionsPerClient(server, folio.config.http.maxConnectionsPerIp);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartupError(`PORT ${port} is already in use on ${host}`));
      else if (err.code === 'EACCES') reject(new StartupError(`No permission to listen on ${host}:${port}`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        reject(new StartupError(`HOST ${host} is not an address of this machine`));
      else reject(err);
    });
    server.listen(port, host, () => resolve());
  });

  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let stopping: Promise<void> | undefined;

  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    stop(deadlineMs = 10_000) {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        inFlight.closeConnectionsAfterAnswer();
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            server.closeAllConnections();
            resolve();
          }, deadlineMs);
          timer.unref();
        });
        await inFlight.drained(deadline);
        await Promise.race([closed, deadline]);
        clearTimeout(timer);
        await folio.close();
      })();
      return stopping;
    },
  };
}
