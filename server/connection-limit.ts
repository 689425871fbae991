// A cap on the connections one client address holds open at once, so that one client trickling
// bytes into many sockets cannot take every connection the process can serve. It counts TCP peers:
// behind a reverse proxy every connection comes from the proxy, so the cap is then the proxy's
// business (HTTP_MAX_CONNECTIONS_PER_IP=0 turns it off here).
import { isIPv6, type Server, type Socket } from 'node:net';

/**
 * The address a cap counts: an IPv4 address as it is, an IPv6 address by its /64 network — one
 * subscriber is usually given a whole /64, and would otherwise hold 2^64 addresses.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Destroys a new connection from an address that already holds `max` (0: no cap). */
export function limitConnectionsPerClient(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const key = clientKey(socket.remoteAddress ?? '');
    const count = open.get(key) ?? 0;
    if (count >= max) {
      // Before a byte of it is read: no request of a refused connection ever reaches the app.
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
