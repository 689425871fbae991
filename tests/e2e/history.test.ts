// Content history in Chromium (issue 20): an editor saves an article twice, opens History from the
// side panel, picks the first version and sees what changed since (the inserted words marked), then
// brings it back in two clicks — Restore this version, Restore — and the form shows it as the draft
// (and saves on from it).
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useE2E } from './harness.js';
import { until } from './session.js';

const { test } = useE2E();

const EDITOR = {
  firstname: 'Grace',
  lastname: 'Hopper',
  email: 'grace@example.com',
  password: 'compiler-pioneer-1952',
};

const ARTICLE = {
  kind: 'collectionType',
  info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
  options: { draftAndPublish: true },
  attributes: { title: { type: 'string', required: true }, summary: { type: 'text' } },
};

async function adminPost(page: Page, url: (p: string) => string, path: string, body: object) {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  const res = await page.request.post(url(path), { headers: { 'X-CSRF-Token': me.data.csrfToken }, data: body });
  return { status: res.status(), body: (await res.json()) as { data: Record<string, unknown> } };
}

/** The article's draft as stored. */
async function stored(page: Page, url: (p: string) => string, documentId: string) {
  const res = await page.request.get(url(`/admin-api/content/article/${documentId}`));
  return ((await res.json()) as { data: Record<string, unknown> }).data;
}

/** Saves the form, and waits until the draft holds `field`'s new value. */
async function save(page: Page, url: (p: string) => string, documentId: string, field: string, value: string) {
  await page.getByRole('button', { name: 'Save draft' }).click();
  await until(async () => (await stored(page, url, documentId))[field] === value);
}

describe('content history in Chromium', () => {
  test('History shows what changed since a version, and restores it in two clicks', async ({ page, url, visited }) => {
    // Registering the first administrator signs the browser in (the request shares its cookies).
    expect((await page.request.post(url('/admin-api/auth/register'), { data: EDITOR })).status()).toBe(201);
    const applied = await adminPost(page, url, '/admin-api/content-type-builder/apply', {
      contentTypes: { article: ARTICLE },
    });
    expect(applied.status).toBe(200);
    const created = await adminPost(page, url, '/admin-api/content/article', {
      title: 'Moon landing',
      summary: 'The Eagle has landed.',
    });
    expect(created.status).toBe(201);
    const documentId = String(created.body.data.documentId);

    await page.goto(url(`/admin/content/article/${documentId}`));
    const title = page.getByLabel(/^Title/);
    await until(async () => (await title.inputValue()) === 'Moon landing');
    await title.fill('Moon landing in July 1969');
    await save(page, url, documentId, 'title', 'Moon landing in July 1969');
    await page.getByLabel(/^Summary/).fill('The Eagle has landed on the Moon.');
    await save(page, url, documentId, 'summary', 'The Eagle has landed on the Moon.');

    await page.getByRole('button', { name: 'History' }).click();
    const drawer = page.getByRole('dialog', { name: 'History' });
    const versions = drawer.getByRole('list', { name: 'Versions' }).getByRole('button');
    await versions.first().waitFor();
    expect(await versions.allInnerTexts()).toEqual([
      expect.stringMatching(/^Saved by Grace Hopper\n/),
      expect.stringMatching(/^Saved by Grace Hopper\n/),
      expect.stringMatching(/^Created by Grace Hopper\n/),
    ]);
    await versions.last().click();
    const changes = drawer.getByRole('region', { name: 'Changes' });
    await changes.waitFor();
    // Against the current draft: the words inserted since this version are marked as such.
    const inserted = async (field: string) =>
      (await changes.getByRole('region', { name: field }).locator('ins').allInnerTexts()).map((t) => t.trim());
    expect(await inserted('Title')).toEqual(['in July 1969']);
    expect(await inserted('Summary')).toEqual(['on the Moon']);
    await visited('the first version against the current draft');

    await drawer.getByRole('button', { name: 'Restore this version' }).click();
    await page.getByRole('dialog', { name: 'Restore this version?' }).getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Version restored as the draft.').waitFor();
    await until(async () => (await title.inputValue()) === 'Moon landing');
    expect(await page.getByLabel(/^Summary/).inputValue()).toBe('The Eagle has landed.');
    await visited('the form after the restore');
    expect(await stored(page, url, documentId)).toMatchObject({
      title: 'Moon landing',
      summary: 'The Eagle has landed.',
    });
    // The reloaded form holds the restored version: saving it again is no conflict.
    await page.getByLabel(/^Summary/).fill('The Eagle has landed, again.');
    await save(page, url, documentId, 'summary', 'The Eagle has landed, again.');
  }, 120_000);
});
