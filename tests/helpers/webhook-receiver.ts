// A real HTTP endpoint for webhook tests: records every request it gets and answers with the status
// (and body) the test sets, or holds the answer back to play a receiver that never answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** The status the next requests get (200 by default). */
  answer: number;
  /** The body they get ('ok' for a 2xx, 'nope' otherwise, by default). */
  answerBody: string | undefined;
  /** While true, requests are recorded and left unanswered (until close). */
  hold: boolean;
  /** Events received so far, in order. */
  events(): string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const receiver = { answer: 200, hold: false } as WebhookReceiver;
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown> });
      if (receiver.hold) {
        held.push(res);
        return;
      }
      res
        .writeHead(receiver.answer, { 'Content-Type': 'text/plain' })
        .end(receiver.answerBody ?? (receiver.answer < 300 ? 'ok' : 'nope'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    events: () => received.map((r) => String(r.json.event)),
    close: () => {
      for (const res of held) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
