// Secrets never reach the logs: a server process at the most verbose level, and the CLI beside it,
// go through what handles every kind of secret — the Folio secret, passwords (right, wrong, reset),
// the session cookie and CSRF token, an API token, a webhook's signing secret, a password-reset link
// sent by SMTP — and the whole of their output is searched for each one. (Without SMTP_URL, mails are
// logged on purpose, links included: that is how a single-machine install reads them.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { TEST_SECRET } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/process.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const EMAIL = 'owner@example.test';
const PASSWORD = 'first-password-4b1f9';
const WRONG_PASSWORD = 'wrong-password-77c2e';
const NEW_PASSWORD = 'reset-password-d03a8';
const SIGNING_SECRET = 'webhook-signing-secret-5e6d1a';

/** A signed-in admin over plain fetch, as the dashboard is: the session cookie and the CSRF token. */
interface Session {
  cookie: string;
  csrf: string;
}

describe('secrets in the logs', () => {
  let database: TestDatabase;
  let smtp: SmtpReceiver;
  let receiver: WebhookReceiver;
  let server: ServerProcess;
  let env: Record<string, string>;
  /** Every secret the run handled, by name, and everything the processes wrote. */
  const secrets: Record<string, string> = { folioSecret: TEST_SECRET, password: PASSWORD };
  let output = '';

  const call = (path: string, init: RequestInit = {}, session?: Session) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        'Content-Type': 'application/json',
        ...(session ? { Cookie: session.cookie, 'X-CSRF-Token': session.csrf } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  async function signIn(password: string): Promise<Session> {
    const res = await call('/admin-api/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: EMAIL, password }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    const body = (await res.json()) as { data: { csrfToken: string } };
    for (const [i, c] of cookie.entries()) secrets[`cookie${i}`] = c.slice(c.indexOf('=') + 1);
    secrets.csrf = body.data.csrfToken;
    return { cookie: cookie.join('; '), csrf: body.data.csrfToken };
  }

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    smtp = await startSmtpReceiver(0);
    receiver = await startWebhookReceiver();
    env = testEnv(database.url, { LOG_LEVEL: 'trace', SMTP_URL: smtp.url });
    const created = await runCli(['admin', 'create', '--email', EMAIL, '--password', PASSWORD], env);
    expect(created.code).toBe(0);
    output += created.stdout + created.stderr;
    server = await startServerProcess(env, ['node', 'scripts/start.mjs']);
  }, 60_000);

  afterAll(async () => {
    server?.kill();
    await Promise.all([smtp?.close(), receiver?.close()]);
    await database?.drop();
  });

  it('writes none of them, at the trace level, through sign-in, tokens, webhooks and a password reset', async () => {
    const wrong = await call('/admin-api/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: EMAIL, password: WRONG_PASSWORD }),
    });
    expect(wrong.status).toBe(401);
    secrets.wrongPassword = WRONG_PASSWORD;
    const session = await signIn(PASSWORD);

    const token = await call(
      '/admin-api/api-tokens',
      { method: 'POST', body: JSON.stringify({ name: 'site', type: 'read-only' }) },
      session,
    );
    expect(token.status).toBe(201);
    secrets.apiToken = ((await token.json()) as { data: { accessKey: string } }).data.accessKey;
    const read = await call('/api/upload/files', { headers: { Authorization: `Bearer ${secrets.apiToken}` } });
    expect(read.status).toBe(200);

    const hook = await call(
      '/admin-api/webhooks',
      {
        method: 'POST',
        body: JSON.stringify({ name: 'site', url: receiver.url, events: ['entry.create'], secret: SIGNING_SECRET }),
      },
      session,
    );
    expect(hook.status).toBe(201);
    secrets.signingSecret = SIGNING_SECRET;
    const { id } = ((await hook.json()) as { data: { id: number } }).data;
    expect((await call(`/admin-api/webhooks/${id}/trigger`, { method: 'POST' }, session)).status).toBe(200);
    expect(receiver.received).toHaveLength(1);

    const mail = smtp.next();
    const forgot = await call('/admin-api/auth/forgot-password', {
      method: 'POST',
      body: JSON.stringify({ email: EMAIL }),
    });
    expect(forgot.status).toBe(200);
    // The message arrives quoted-printable: soft line breaks and =XX escapes undone.
    const text = (await mail).data
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const resetToken = decodeURIComponent(/token=([^\s&]+)/.exec(text)![1]);
    secrets.resetToken = resetToken;
    const reset = await call('/admin-api/auth/reset-password', {
      method: 'POST',
      body: JSON.stringify({ token: resetToken, password: NEW_PASSWORD }),
    });
    expect(reset.status).toBe(200);
    secrets.newPassword = NEW_PASSWORD;
    await signIn(NEW_PASSWORD);

    const stopped = await server.stop();
    output += stopped.stdout + stopped.stderr;
    // The run did log (requests at the trace level): an empty log would prove nothing.
    expect(output).toContain('"msg":"shutting down"');
    expect(output.split('\n').length).toBeGreaterThan(10);
    const leaked = Object.entries(secrets)
      .filter(([, value]) => value.length >= 8 && output.includes(value))
      .map(([name]) => name);
    expect(output).toContain('/admin-api/auth/reset-password');
    expect(leaked).toEqual([]);
  }, 60_000);
});
