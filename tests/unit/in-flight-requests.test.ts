// The graceful stop waits for handlers, not only for connections: a client that hung up leaves its
// handler running, and the pool must outlive it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { InFlightRequests } from '../../server/server.js';

const req = {} as IncomingMessage;
const res = {} as ServerResponse;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const never = new Promise<void>(() => undefined);

describe('InFlightRequests', () => {
  it('is drained only once every running handler has ended', async () => {
    const inFlight = new InFlightRequests();
    const work = deferred();
    const events: string[] = [];
    void inFlight.track(async () => {
      await work.promise;
      events.push('handler ended');
    })(req, res);
    const drained = inFlight.drained(never).then(() => events.push('drained'));

    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    work.resolve();
    await drained;
    expect(events).toEqual(['handler ended', 'drained']);
    expect(inFlight.size).toBe(0);
  });

  it('stops waiting at the deadline', async () => {
    const inFlight = new InFlightRequests();
    void inFlight.track(() => never)(req, res);
    const deadline = deferred();
    const drained = inFlight.drained(deadline.promise);
    deadline.resolve();
    await expect(drained).resolves.toBeUndefined();
    expect(inFlight.size).toBe(1);
  });

  it('forgets a handler that failed', async () => {
    const inFlight = new InFlightRequests();
    await expect(Promise.resolve(inFlight.track(() => Promise.reject(new Error('boom')))(req, res))).rejects.toThrow(
      'boom',
    );
    expect(inFlight.size).toBe(0);
  });

  it('sends the answers still to come with Connection: close once the server stops', async () => {
    const inFlight = new InFlightRequests();
    const work = deferred();
    const pending = { headersSent: false, shouldKeepAlive: true } as ServerResponse;
    const streaming = { headersSent: true, shouldKeepAlive: true } as ServerResponse;
    const handler = inFlight.track(() => work.promise);
    void handler(req, pending);
    void handler(req, streaming);
    inFlight.closeConnectionsAfterAnswer();
    const late = { headersSent: false, shouldKeepAlive: true } as ServerResponse;
    void handler(req, late);

    expect([pending.shouldKeepAlive, streaming.shouldKeepAlive, late.shouldKeepAlive]).toEqual([false, true, false]);
    work.resolve();
    await inFlight.drained(never);
  });
});
