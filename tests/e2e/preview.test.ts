// Preview in Chromium: an admin sets the type's preview URL in the Content-Type Builder (a wrong one is
// refused in the dialog; the right one is saved with no database change); then saves a draft and
// clicks Preview in the side panel: the site's own preview page opens in a new tab with a preview
// token, with which the site reads that draft through the Content API. The site is played by the
// browser itself (its requests to site.example are answered here), so the test runs offline.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { openCreateForm, useE2E } from './harness.js';

const { test, get } = useE2E();

const ADMIN = { email: 'previewer@example.com', password: 'previewer-password-1' };
const SITE = 'https://site.example';
const TEMPLATE = `${SITE}/preview?slug={slug}&token={token}`;

const SCHEMA = {
  contentTypes: {
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      options: { draftAndPublish: true },
      attributes: { title: { type: 'string', required: true }, slug: { type: 'uid', targetField: 'title' } },
    },
  },
  components: {},
};

describe('previewing a draft on the site in Chromium', () => {
  test("the type's settings set its preview URL and its history's retention", async ({
    page,
    browser,
    url,
    visited,
  }) => {
    const file = path.join(RUN_DIR, `preview-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(SCHEMA));
    const env = testEnv(get().database.url);
    expect((await runCli(['schema', 'apply', file], env)).code).toBe(0);
    const admin = ['admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--role', 'super-admin'];
    expect((await runCli(admin, env)).code).toBe(0);
    await browser.route(`${SITE}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<h1>Preview page of the site</h1>' }),
    );

    await page.goto(url('/admin/login'));
    await page.getByLabel(/^Email/).fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Profile' }).waitFor();
    await page.goto(url('/admin/content-type-builder/content-types/article'));
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Article settings' });
    await dialog.getByLabel('Preview URL').fill('site.example/preview');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.getByText('Start with https:// or http://').waitFor();
    await dialog.getByLabel('Preview URL').fill(TEMPLATE);
    // The same dialog sets the type's own history retention (options.revisions).
    await dialog.getByLabel('Versions kept per entry').fill('twenty');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.getByText('A whole number, 0 or more').waitFor();
    await dialog.getByLabel('Versions kept per entry').fill('20');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('dialog', { name: 'Apply these changes?' })
      .getByRole('button', { name: 'Apply', exact: true })
      .click();
    await page.getByText('Schema saved: no database change').waitFor();
    await visited('preview URL saved');
    const schema = await page.request.get(url('/admin-api/content-type-builder/schema'));
    const body = (await schema.json()) as {
      data: { contentTypes: Record<string, { options: { previewUrl?: string; revisions?: unknown } }> };
    };
    expect(body.data.contentTypes.article.options.previewUrl).toBe(TEMPLATE);
    expect(body.data.contentTypes.article.options.revisions).toEqual({ keep: 20 });
  }, 180_000);

  test('Preview opens the site with a token that reads the draft', async ({ page, browser, url, visited }) => {
    await page.goto(url('/admin/content/article'));
    await openCreateForm(page, 'content/article');
    // Nothing to preview before the entry exists.
    expect(await page.getByRole('button', { name: 'Preview' }).count()).toBe(0);
    await page.getByLabel(/^Title/).fill('Spring & summer');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
    const documentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await visited('saved draft with Preview');

    const [site] = await Promise.all([
      browser.waitForEvent('page'),
      page.getByRole('button', { name: 'Preview' }).click(),
    ]);
    await site.waitForURL(`${SITE}/**`);
    await site.getByText('Preview page of the site').waitFor();
    const opened = new URL(site.url());
    expect(opened.searchParams.get('slug')).toBe('spring-summer');
    const token = opened.searchParams.get('token') ?? '';

    const res = await page.request.get(url(`/api/articles/${documentId}?status=draft`), {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { data: { title: string } }).data.title).toBe('Spring & summer');
    expect(res.headers()['cache-control']).toBe('private, no-store');
    await site.close();
  }, 180_000);
});
