// Two editors on one entry, in Chromium: the dashboard saves with the version it loaded (If-Match);
// when another editor saved in between, the save is refused and the notification says who changed
// the entry, and their change stands.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { useE2E } from './harness.js';

const { test, get } = useE2E();

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const BOB = { email: 'bob@example.com', password: 'bob-password-12345' };

const SCHEMA = {
  contentTypes: {
    note: {
      kind: 'collectionType',
      info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
      options: { draftAndPublish: false },
      attributes: { title: { type: 'string', required: true } },
    },
  },
};

async function cli(args: string[]): Promise<void> {
  const result = await runCli(args, testEnv(get().database.url));
  if (result.code !== 0) throw new Error(`folio ${args.join(' ')} failed: ${result.stderr}`);
}

/** Bob, signed in from another browser: his session cookie and CSRF token. */
async function bobSession(url: (p: string) => string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(url('/admin-api/auth/login'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(BOB),
  });
  expect(res.status).toBe(200);
  const csrf = ((await res.json()) as { data: { csrfToken: string } }).data.csrfToken;
  return {
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    csrf,
  };
}

describe('two editors on one entry', () => {
  test('a save over a newer change is refused, naming who made it', async ({ page, url, visited }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    const file = path.join(RUN_DIR, `edit-conflict-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(SCHEMA));
    await cli(['schema', 'apply', file]);
    const bobAccount = ['--email', BOB.email, '--password', BOB.password, '--role', 'editor', '--firstname', 'Bob'];
    await cli(['admin', 'create', ...bobAccount]);
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const created = await page.request.post(url('/admin-api/content/note'), {
      data: { title: 'First words' },
      headers: { 'X-CSRF-Token': me.data.csrfToken },
    });
    const documentId = ((await created.json()) as { data: { documentId: string } }).data.documentId;

    await page.goto(url(`/admin/content/note/${encodeURIComponent(documentId)}`));
    const title = page.getByLabel(/^Title/);
    await title.waitFor();
    expect(await title.inputValue()).toBe('First words');

    // Bob saves while Ada's form is open.
    const bob = await bobSession(url);
    const bobs = await fetch(url(`/admin-api/content/note/${documentId}`), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Cookie: bob.cookie, 'X-CSRF-Token': bob.csrf },
      body: JSON.stringify({ title: 'Bob was first' }),
    });
    expect(bobs.status).toBe(200);

    await title.fill('Ada overwrites');
    await page.getByRole('button', { name: /^Save/ }).click();
    await page.getByText(/changed since you read it.*changed by Bob/).waitFor();
    await visited('conflict notified');
    const now = await page.request.get(url(`/admin-api/content/note/${documentId}`));
    expect(((await now.json()) as { data: { title: string } }).data.title).toBe('Bob was first');
  });
});
