// The side panel's "Also editors expect" actions in a real browser: Duplicate creates a copy of the
// entry (its unique title and slug suffixed) and opens it; on a localized type, "Fill from another
// locale" fills the form of a new locale with the English version's fields, as unsaved changes that
// are stored once saved. The tests run in order, one editor's story.
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useE2E } from './harness.js';
import { until } from './session.js';

const { test } = useE2E();

const ADMIN = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

const page_ = {
  kind: 'collectionType',
  info: { singularName: 'page', pluralName: 'pages', displayName: 'Page' },
  options: { draftAndPublish: true },
  pluginOptions: { i18n: { localized: true } },
  attributes: {
    title: { type: 'string', required: true, unique: true },
    slug: { type: 'uid', targetField: 'title' },
    summary: { type: 'text' },
  },
};

async function csrf(page: Page, url: (p: string) => string): Promise<string> {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  return me.data.csrfToken;
}

async function adminPost(page: Page, url: (p: string) => string, path: string, body: object) {
  const res = await page.request.post(url(path), { headers: { 'X-CSRF-Token': await csrf(page, url) }, data: body });
  return { status: res.status(), body: (await res.json()) as { data: Record<string, unknown> } };
}

/** The stored editable version of a page in a locale (null when it has none). */
async function stored(page: Page, url: (p: string) => string, documentId: string, locale: string) {
  const res = await page.request.get(url(`/admin-api/content/page/${documentId}?locale=${locale}`));
  if (res.status() === 404) return null;
  return ((await res.json()) as { data: Record<string, unknown> }).data;
}

function documentIdOf(page: Page): string {
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
}

let original = '';

describe('side panel entry actions in Chromium', () => {
  test('Duplicate creates a copy with its title suffixed and opens it', async ({ page, url, visited }) => {
    // Registering the first administrator signs the browser in (the request shares its cookies).
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADMIN })).status()).toBe(201);
    const applied = await adminPost(page, url, '/admin-api/content-type-builder/apply', {
      contentTypes: { page: page_ },
    });
    expect(applied.status).toBe(200);
    expect((await adminPost(page, url, '/admin-api/locales', { code: 'fr', name: 'French' })).status).toBe(201);
    const created = await adminPost(page, url, '/admin-api/content/page', {
      title: 'Spring issue',
      summary: 'Flowers and engines',
    });
    expect(created.status).toBe(201);
    original = String(created.body.data.documentId);

    await page.goto(url(`/admin/content/page/${original}`));
    await page.getByLabel(/^Title/).waitFor();
    expect(await page.getByLabel(/^Title/).inputValue()).toBe('Spring issue');
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByText('Copy created. You are now editing the copy.').waitFor();
    await page.waitForURL(
      (u) => !u.pathname.endsWith(original) && /\/admin\/content\/page\/[a-z0-9]+$/.test(u.pathname),
    );
    const copy = documentIdOf(page);
    // The form of the copy replaces the original's once its record is read.
    await until(async () => (await page.getByLabel(/^Title/).inputValue()) === 'Spring issue-copy');
    expect(await page.getByLabel(/^Summary/).inputValue()).toBe('Flowers and engines');
    expect(await stored(page, url, copy, 'en')).toMatchObject({ title: 'Spring issue-copy', __status: 'draft' });
    expect(await stored(page, url, original, 'en')).toMatchObject({ title: 'Spring issue' });
    await visited('the copy, opened');
  }, 120_000);

  test('Fill from another locale fills a new locale from the English version', async ({ page, url, visited }) => {
    await page.goto(url(`/admin/content/page/${original}?locale=fr`));
    await page.getByLabel(/^Title/).waitFor();
    expect(await page.getByLabel(/^Title/).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Fill from another locale' }).click();
    await page.getByRole('menuitem', { name: /en$/ }).click();
    await page.getByText('Filled from en. Check the fields, then save.').waitFor();
    expect(await page.getByLabel(/^Title/).inputValue()).toBe('Spring issue');
    expect(await page.getByLabel(/^Summary/).inputValue()).toBe('Flowers and engines');
    // Unsaved until the editor saves.
    expect(await stored(page, url, original, 'fr')).toBeNull();
    await visited('the French form, filled');

    await page.getByLabel(/^Title/).fill('Numéro de printemps');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await until(async () => (await stored(page, url, original, 'fr')) !== null);
    expect(await stored(page, url, original, 'fr')).toMatchObject({
      title: 'Numéro de printemps',
      summary: 'Flowers and engines',
    });
  });

  test('Fill from another locale asks first when the form has values', async ({ page, visited }) => {
    await page.getByLabel(/^Summary/).fill('Des fleurs');
    await page.getByRole('button', { name: 'Fill from another locale' }).click();
    await page.getByRole('menuitem', { name: /en$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Fill from en?' });
    await dialog.waitFor();
    await visited('asked before filling');
    await dialog.getByRole('button', { name: /cancel/i }).click();
    expect(await page.getByLabel(/^Summary/).inputValue()).toBe('Des fleurs');

    await page.getByRole('button', { name: 'Fill from another locale' }).click();
    await page.getByRole('menuitem', { name: /en$/ }).click();
    await page
      .getByRole('dialog', { name: 'Fill from en?' })
      .getByRole('button', { name: /confirm/i })
      .click();
    await page.getByText('Filled from en. Check the fields, then save.').waitFor();
    expect(await page.getByLabel(/^Summary/).inputValue()).toBe('Flowers and engines');
    expect(await page.getByLabel(/^Title/).inputValue()).toBe('Spring issue');
  });
});
