// Settings in Chromium, on the demo blog: a custom API token's permissions are ticked in the
// permission matrix and the token then reads what was ticked and nothing else; a pending
// invitation is re-sent from the user's page, whose new link is copied and replaces the old one.
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { openCreateForm, useE2E } from './harness.js';

const { test } = useE2E({ env: { FOLIO_DEMO: 'true' } });

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

let registered: Promise<void> | undefined;

function signUp(page: Page, url: (p: string) => string): Promise<void> {
  registered ??= (async () => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
  })();
  return registered;
}

async function csrf(page: Page, url: (p: string) => string): Promise<string> {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  return me.data.csrfToken;
}

const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';

describe('settings in Chromium', () => {
  test('a custom API token chosen in the matrix reads the ticked type and not another', async ({
    page,
    url,
    visited,
  }) => {
    await signUp(page, url);
    await page.goto(url('/admin/api-tokens'));
    await openCreateForm(page, 'api-tokens');
    await page.getByLabel(/^Name/).fill('Articles only');
    await page.getByLabel(/^Access/).click();
    await page.getByRole('option', { name: 'Custom' }).click();
    const matrix = page.getByRole('table', { name: 'Content API' });
    await matrix.getByRole('checkbox', { name: 'List Article' }).waitFor();
    // The matrix offers the Content API's actions, not the admin ones: in words, with their API names.
    const headers = await matrix.getByRole('columnheader').allInnerTexts();
    expect(headers.slice(1).map((h) => h.split('\n'))).toEqual([
      ['List', 'find'],
      ['Read one', 'findOne'],
      ['Create', 'create'],
      ['Update', 'update'],
      ['Delete', 'delete'],
      ['Read drafts', 'findDrafts'],
    ]);

    // None ticked: the form says so and nothing is created.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Choose at least one permission for a custom token.').waitFor();

    await matrix.getByRole('checkbox', { name: 'List Article' }).check();
    await matrix.getByRole('checkbox', { name: 'Read one Article' }).check();
    await visited('matrix ticked');
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your new API token' });
    const token = await dialog.getByLabel('Token').inputValue();
    await dialog.getByRole('button', { name: 'Done' }).click();

    const list = (await (await page.request.get(url('/admin-api/api-tokens'))).json()) as {
      data: { name: string; type: string; allow: string[] }[];
    };
    expect(list.data.filter((t) => t.name === 'Articles only')).toEqual([
      expect.objectContaining({ type: 'custom', allow: ['article.find', 'article.findOne'] }),
    ]);
    const read = (path: string) => fetch(url(path), { headers: { Authorization: `Bearer ${token}` } });
    const articles = await read('/api/articles');
    expect(articles.status).toBe(200);
    expect(((await articles.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect((await read('/api/categories')).status).toBe(403);
  });

  test('re-sending a pending invitation shows a new link to copy, and the old link stops working', async ({
    page,
    url,
    browser,
    visited,
  }) => {
    await signUp(page, url);
    const invited = await page.request.post(url('/admin-api/users'), {
      data: { email: 'grace@example.com', roles: ['editor'] },
      headers: { 'X-CSRF-Token': await csrf(page, url) },
    });
    const { data, meta } = (await invited.json()) as { data: { id: number }; meta: { invitationUrl: string } };
    const oldToken = tokenOf(meta.invitationUrl);

    await page.goto(url(`/admin/users/${data.id}`));
    const panel = page.getByRole('region', { name: 'Invitation pending' });
    await panel.getByText('cannot be shown again').waitFor();
    await panel.getByText(/^Invited on .+; the link works until .+\.$/).waitFor();
    await panel.getByRole('button', { name: 'Re-send invitation' }).click();
    await page
      .getByRole('dialog', { name: 'Re-send the invitation?' })
      .getByRole('button', { name: /Re-send/ })
      .click();
    const field = panel.getByLabel('Invitation link');
    await field.waitFor();
    // No SMTP in the tests: the page says the link was not emailed.
    await panel.getByText(/nothing was emailed: copy this link and send it to grace@example\.com/).waitFor();
    await visited('invitation re-sent');
    const link = await field.inputValue();
    const newToken = tokenOf(link);
    expect(newToken).not.toBe('');
    expect(newToken).not.toBe(oldToken);

    await browser.grantPermissions(['clipboard-read', 'clipboard-write']);
    await panel.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(link);

    const invitation = (token: string) =>
      page.request.get(url(`/admin-api/auth/invitation?token=${encodeURIComponent(token)}`));
    expect((await invitation(oldToken)).status()).toBe(400);
    expect((await invitation(newToken)).status()).toBe(200);
  });
});
