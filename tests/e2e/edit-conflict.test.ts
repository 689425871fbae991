// Two editors on one entry, in Chromium: the dashboard saves with the version it loaded (If-Match);
// when another editor saved in between, the save is refused, the form says who changed the entry
// and when, and keeps the unsaved edits until the editor reviews, overwrites or discards them.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { useE2E } from './harness.js';
import { until } from './session.js';

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

let ready: Promise<void> | undefined;

/** Ada (signed in, in the browser) and Bob (an editor), and the Note type: once for the file. */
function setUp(page: Page, url: (p: string) => string): Promise<void> {
  ready ??= (async () => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    const file = path.join(RUN_DIR, `edit-conflict-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(SCHEMA));
    await cli(['schema', 'apply', file]);
    const bobAccount = ['--email', BOB.email, '--password', BOB.password, '--role', 'editor', '--firstname', 'Bob'];
    await cli(['admin', 'create', ...bobAccount]);
  })();
  return ready;
}

async function storedTitle(page: Page, url: (p: string) => string, documentId: string): Promise<string> {
  const now = await page.request.get(url(`/admin-api/content/note/${documentId}`));
  return ((await now.json()) as { data: { title: string } }).data.title;
}

/**
 * Ada opens a new note, Bob saves it from another browser, Ada edits the title and saves: the
 * save is refused. Answers the note and when Bob saved it.
 */
async function staleSave(
  page: Page,
  url: (p: string) => string,
  titles: { first: string; bobs: string; adas: string },
): Promise<{ documentId: string; bobSavedAt: string }> {
  await setUp(page, url);
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  const created = await page.request.post(url('/admin-api/content/note'), {
    data: { title: titles.first },
    headers: { 'X-CSRF-Token': me.data.csrfToken },
  });
  const documentId = ((await created.json()) as { data: { documentId: string } }).data.documentId;

  await page.goto(url(`/admin/content/note/${encodeURIComponent(documentId)}`));
  const title = page.getByLabel(/^Title/);
  await title.waitFor();
  expect(await title.inputValue()).toBe(titles.first);

  // Bob saves while Ada's form is open.
  const bob = await bobSession(url);
  const bobs = await fetch(url(`/admin-api/content/note/${documentId}`), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Cookie: bob.cookie, 'X-CSRF-Token': bob.csrf },
    body: JSON.stringify({ title: titles.bobs }),
  });
  expect(bobs.status).toBe(200);
  const bobSavedAt = ((await bobs.json()) as { data: { updatedAt: string } }).data.updatedAt;

  await title.fill(titles.adas);
  await page.getByRole('button', { name: /^Save/ }).click();
  await page.getByText('Someone else saved this entry while you were editing it').waitFor();
  return { documentId, bobSavedAt };
}

/** The unsaved-edit copies the dashboard keeps in the browser (admin/src/content/drafts.ts), as text. */
function localCopies(page: Page): Promise<string> {
  return page.evaluate<string>(
    "Object.keys(localStorage).filter((k) => k.startsWith('folio.draft')).map((k) => localStorage.getItem(k)).join()",
  );
}

describe('two editors on one entry', () => {
  test('a stale save says who changed the entry and when, and keeps the unsaved edits', async ({
    page,
    url,
    visited,
  }) => {
    const titles = { first: 'First words', bobs: 'Bob was first', adas: 'Ada overwrites' };
    const { documentId, bobSavedAt } = await staleSave(page, url, titles);
    const when = await page.evaluate((at) => new Date(at).toLocaleString(), bobSavedAt);
    await page.getByText(`Bob saved it on ${when}. Your changes are not saved yet`).waitFor();
    await visited('conflict shown');
    expect(await page.getByLabel(/^Title/).inputValue()).toBe(titles.adas);
    expect(await storedTitle(page, url, documentId)).toBe(titles.bobs);
    // The local copy of the unsaved edits is kept too, until the editor chooses. It is written a
    // moment after the last keystroke (DraftAutosave), which a fast save can beat: wait for it.
    await until(async () => (await localCopies(page)).includes(titles.adas));
  });

  test('Review their version shows their value beside mine, for the fields that differ', async ({
    page,
    url,
    visited,
  }) => {
    const titles = { first: 'Review me', bobs: 'Bob reviewed', adas: 'Ada reviewed' };
    await staleSave(page, url, titles);
    await page.getByRole('button', { name: 'Review their version' }).click();
    const comparison = page.getByRole('table', { name: 'Their version and your changes' });
    const row = comparison.getByRole('row', { name: /^Title/ });
    await row.waitFor();
    await visited('their version reviewed');
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([titles.bobs, titles.adas]);
    expect(await comparison.getByRole('columnheader').allInnerTexts()).toEqual([
      'Field',
      "Bob's version",
      'Your changes',
    ]);
    // Editing on while comparing: the comparison follows the form.
    await page.getByLabel(/^Title/).fill('Ada reviewed again');
    await row.getByRole('cell', { name: 'Ada reviewed again' }).waitFor();
  });

  test('Overwrite saves my version over theirs, and the database holds mine', async ({ page, url, visited }) => {
    const titles = { first: 'Overwrite me', bobs: 'Bob overwritten', adas: 'Ada wins' };
    const { documentId } = await staleSave(page, url, titles);
    await page.getByRole('button', { name: 'Overwrite with mine' }).click();
    await page.getByText('Saved: your version replaced theirs').waitFor();
    await visited('overwritten');
    expect(await storedTitle(page, url, documentId)).toBe(titles.adas);
    await page.getByText('Someone else saved this entry').waitFor({ state: 'detached' });
    expect(await page.getByLabel(/^Title/).inputValue()).toBe(titles.adas);
    // Clean again: the form holds the version it saved.
    await page.getByText('Unsaved changes').waitFor({ state: 'detached' });
  });

  test('Discard mine loads their version into the form', async ({ page, url, visited }) => {
    const titles = { first: 'Discard me', bobs: 'Bob kept', adas: 'Ada discarded' };
    const { documentId } = await staleSave(page, url, titles);
    await page.getByRole('button', { name: 'Discard mine' }).click();
    await page.getByText('Your changes were discarded').waitFor();
    const title = page.getByLabel(/^Title/);
    await expect(title.inputValue()).resolves.toBe(titles.bobs);
    await visited('discarded');
    expect(await storedTitle(page, url, documentId)).toBe(titles.bobs);
    const copies = await localCopies(page);
    expect(copies).not.toContain(titles.adas);
  });
});
