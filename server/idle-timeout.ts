// The HTTP server's idle timeout closes a connection stuck on its client — a request head or body
// that stopped coming, a response the client stopped reading, a connection that never sent a
// request — but never one waiting on Folio: once a request is fully in and its answer not yet
// started (an image waiting for its turn, a schema change), no byte flows, and that is not the
// client's fault. Node's default (destroy on any timeout) would cut those answers off.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Sets the server's idle timeout; wrap the request handler with what it answers. */
export function idleTimeout(server: Server, idleMs: number): (handler: Handler) => Handler {
  const exchanges = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  server.timeout = idleMs;
  server.on('timeout', (socket: Socket) => {
    const exchange = exchanges.get(socket);
    if (exchange && exchange.req.complete && !exchange.res.headersSent) return;
    socket.destroy();
  });
  return (handler) => (req, res) => {
    const exchange = { req, res };
    exchanges.set(req.socket, exchange);
    res.once('close', () => {
      if (exchanges.get(req.socket) === exchange) exchanges.delete(req.socket);
    });
    return handler(req, res);
  };
}
