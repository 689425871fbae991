// The side-by-side preview in Chromium: on an entry's edit page, the toggle in the side panel opens
// the site's preview page in a frame beside the form, and each save reloads it with a new preview
// token. The site is a small page served by this test on its own port: a real other origin, which
// the dashboard's Content-Security-Policy must allow to be framed (frame-src, from the schema).
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect } from '@jest/globals';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { openCreateForm, useE2E } from './harness.js';
import { signIn, until } from './session.js';

const { test, get } = useE2E();

const ADMIN = { email: 'panel@example.com', password: 'panel-password-1' };

/** The site: answers its preview page with the title it was given, and remembers each token. */
const seen: Array<{ title: string; token: string; at: number }> = [];
const site = http.createServer((req, res) => {
  const query = new URL(req.url ?? '/', 'http://site').searchParams;
  const title = query.get('title') ?? '';
  seen.push({ title, token: query.get('token') ?? '', at: Date.now() });
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><h1>Site preview: ${title.replace(/[<&]/g, '')}</h1>`);
});

afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

function schemaFor(origin: string) {
  return {
    contentTypes: {
      article: {
        kind: 'collectionType',
        info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
        options: { draftAndPublish: true, previewUrl: `${origin}/preview?title={title}&token={token}` },
        attributes: { title: { type: 'string', required: true } },
      },
    },
    components: {},
  };
}

describe('the preview panel beside the form in Chromium', () => {
  test('opens the site beside the form and reloads it with a new token after a save', async (ctx) => {
    const { page, url, visited } = ctx;
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const file = path.join(RUN_DIR, `preview-panel-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(schemaFor(origin)));
    const env = testEnv(get().database.url);
    expect((await runCli(['schema', 'apply', file], env)).code).toBe(0);
    const admin = ['admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--role', 'super-admin'];
    expect((await runCli(admin, env)).code).toBe(0);

    // The dashboard's page may frame the preview site, and nothing else.
    const policy = (await page.request.get(url('/admin'))).headers()['content-security-policy'];
    expect(policy.split(';')).toContain(`frame-src ${origin}`);

    await page.goto(url('/admin/login'));
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(url('/admin/content/article'));
    await openCreateForm(page, 'content/article');
    await page.getByLabel(/^Title/).fill('First words');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
    const documentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');

    await page.getByRole('button', { name: 'Open side by side' }).click();
    const frame = page.frameLocator('iframe[title="Preview"]');
    await frame.getByText('Site preview: First words').waitFor();
    await visited('preview panel open');
    expect(seen.map((s) => s.title)).toEqual(['First words']);

    // A token names its second of issue: the next one is asked a second later at least, to differ.
    await until(() => Promise.resolve(Date.now() - seen[0].at > 1_100), 3_000);
    await page.getByLabel(/^Title/).fill('Second words');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await frame.getByText('Site preview: Second words').waitFor();
    await visited('preview panel reloaded after save');
    expect(seen.map((s) => s.title)).toEqual(['First words', 'Second words']);
    expect(seen[1].token).not.toBe(seen[0].token);

    // The new token reads the saved draft, as the site would.
    const read = await page.request.get(url(`/api/articles/${documentId}?status=draft`), {
      headers: { Authorization: `Bearer ${seen[1].token}` },
    });
    expect(read.status()).toBe(200);
    expect(((await read.json()) as { data: { title: string } }).data.title).toBe('Second words');

    await page.getByRole('button', { name: 'Close side by side' }).first().click();
    await page.locator('iframe[title="Preview"]').waitFor({ state: 'detached' });
  }, 60_000);
});
