// One POST of an event to a webhook's receiver, through the destination check (destinations.ts):
// the connection goes to the address that was checked, never follows a redirect, and what comes
// back is reduced to what an admin needs — the status, the time it took and, for a 2xx, the start
// of the body. Network failures of every kind (refused, reset, timed out, not HTTP, TLS) read the
// same to the admin, so the test button and the delivery log cannot be used to tell open, closed
// and non-HTTP ports apart; the cause goes to the server log only.
// A receiver can check X-Folio-Signature (`t=<unix ms>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`)
// when the webhook has a signing secret.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  DestinationRefusedError,
  pinnedLookup,
  type DestinationPolicy,
  type VettedDestination,
} from './destinations.js';
import type { EventPayload } from './outbox.js';
import type { DeliveryTarget } from './webhooks.js';

/** Characters of a 2xx answer's body kept for the admin (a receiver's "ok" or an id). */
export const BODY_EXCERPT_CHARS = 200;

export interface SendResult {
  ok: boolean;
  status: number | null;
  /** The start of a 2xx body; null otherwise. */
  body: string | null;
  error: string | null;
  durationMs: number;
  /** The destination was refused: nothing was sent, and a retry would be refused too. */
  refused: boolean;
  /** For the server log only: the network error's code. */
  cause?: string;
}

export interface SendOptions {
  timeoutMs: number;
  destinations: DestinationPolicy;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const unreachable = (timeoutMs: number) =>
  `The receiver could not be reached: no connection, no HTTP answer, or no answer within ${timeoutMs} ms`;

function requestHeaders(
  target: DeliveryTarget,
  payload: EventPayload,
  deliveryId: number | null,
  body: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...target.headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    'User-Agent': 'Folio-Webhooks/1',
    'X-Folio-Event': payload.event,
  };
  if (deliveryId !== null) headers['X-Folio-Delivery'] = String(deliveryId);
  if (target.secret) headers['X-Folio-Signature'] = signature(target.secret, Date.now(), body);
  return headers;
}

type Outcome = Omit<SendResult, 'durationMs' | 'refused'>;

/** POSTs `body` to the vetted address; settles on the status line (and a 2xx body's start). */
function post(
  destination: VettedDestination,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Outcome> {
  const request = destination.url.protocol === 'https:' ? https.request : http.request;
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const failed = (err: Error & { code?: string }) =>
      settle({ ok: false, status: null, body: null, error: unreachable(timeoutMs), cause: err.code ?? err.name });
    let req: http.ClientRequest;
    try {
      // agent: false — every delivery opens its own connection to the checked address; a pooled
      // socket would outlive the check that allowed it.
      req = request(
        destination.url,
        {
          method: 'POST',
          headers,
          agent: false,
          lookup: pinnedLookup(destination),
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            res.destroy();
            settle({ ok: false, status, body: null, error: `The receiver answered ${status}` });
            return;
          }
          const chunks: Buffer[] = [];
          let bytes = 0;
          const done = () => {
            res.destroy();
            const text = Buffer.concat(chunks).toString('utf8').slice(0, BODY_EXCERPT_CHARS);
            settle({ ok: true, status, body: text || null, error: null });
          };
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            bytes += chunk.length;
            if (bytes >= BODY_EXCERPT_CHARS * 4) done(); // enough bytes for the excerpt in any UTF-8
          });
          res.on('end', done);
          res.on('error', done);
        },
      );
    } catch (err) {
      // Headers Node refuses to send (saved before they were checked at save time).
      settle({
        ok: false,
        status: null,
        body: null,
        error: `The webhook's headers cannot be sent: ${(err as Error).message}`,
      });
      return;
    }
    req.on('error', failed);
    req.end(body);
  });
}

/** One POST to a receiver; never throws (a refused destination and network errors are results). */
export async function send(
  target: DeliveryTarget,
  payload: EventPayload,
  deliveryId: number | null,
  options: SendOptions,
): Promise<SendResult> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let destination: VettedDestination;
  try {
    destination = await options.destinations.vet(target.url, options.timeoutMs);
  } catch (err) {
    const refused = err instanceof DestinationRefusedError;
    const error = refused ? `Not sent: ${err.message}` : unreachable(options.timeoutMs);
    return { ok: false, status: null, body: null, error, durationMs: elapsed(), refused, cause: (err as Error).name };
  }
  const outcome = await post(destination, requestHeaders(target, payload, deliveryId, body), body, options.timeoutMs);
  return { ...outcome, durationMs: elapsed(), refused: false };
}
