// An HTTP server around the app that can be stopped gracefully: stop accepting, let in-flight
// requests finish (up to a deadline), then close the database pool.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Folio } from './folio.js';
import { StartupError } from './folio.js';

export interface RunningServer {
  server: http.Server;
  url: string;
  stop(deadlineMs?: number): Promise<void>;
}

export async function listen(folio: Folio, port = folio.config.port, host = folio.config.host): Promise<RunningServer> {
  const app = createApp(folio);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartupError(`PORT ${port} is already in use on ${host}`));
      else if (err.code === 'EACCES') reject(new StartupError(`No permission to listen on ${host}:${port}`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new StartupError(`HOST ${host} is not an address of this machine`));
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
        server.closeIdleConnections();
        const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
        deadline.unref();
        await closed;
        clearTimeout(deadline);
        await folio.close();
      })();
      return stopping;
    },
  };
}
