// Settings › Webhooks and Locales in a real browser: an admin subscribes a receiver to publications,
// checks it with a test event, sees a real publication delivered in the webhook's log, then adds
// a locale that sites see at once, and finds it in the audit log.
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { openCreateForm, useE2E } from './harness.js';

// The demo blog gives the server an `article` type to publish.
const { test } = useE2E({ env: { FOLIO_DEMO: 'true' } });

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('webhooks and locales in Chromium', () => {
  test('a Super Admin subscribes a receiver to publications and sends it a test event', async ({
    page,
    url,
    visited,
  }) => {
    await page.goto(url('/admin/register'));
    await page.getByLabel(/^First name/).fill('Ada');
    await page.getByLabel(/^Last name/).fill('Lovelace');
    await page.getByLabel(/^Email/).fill('ada@example.com');
    await page.getByLabel(/^Password/).fill('analytical-engine-1843');
    await page.getByLabel(/^Confirm password/).fill('analytical-engine-1843');
    await page.getByRole('button', { name: "Let's start" }).click();
    await page.getByRole('heading', { name: 'Hello, Ada Lovelace' }).waitFor();

    await page.getByRole('menuitem', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/admin\/webhooks$/);
    await openCreateForm(page, 'webhooks');
    await page.getByLabel(/^Name/).fill('Rebuild the site');
    await page.getByLabel(/^URL/).fill(receiver.url);
    await page.getByLabel('Entry published').check();
    await page.getByLabel(/^Headers/).fill('Authorization: Bearer site-key');
    await visited('new webhook');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Send a test event' }).waitFor();
    await visited('webhook saved');

    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('The receiver answered 200').waitFor();
    expect(receiver.events()).toEqual(['trigger-test']);
    expect(receiver.received[0].headers.authorization).toBe('Bearer site-key');
  });

  test('publishing an article reaches the receiver and shows in the delivery log', async ({ page, url, visited }) => {
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const created = await page.request.post(url('/admin-api/api-tokens'), {
      headers: { 'X-CSRF-Token': me.data.csrfToken },
      data: { name: 'writer', type: 'full-access' },
    });
    const { accessKey } = ((await created.json()) as { data: { accessKey: string } }).data;
    const article = await fetch(url('/api/articles'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { title: 'Webhooks are here' } }),
    });
    expect(article.status).toBe(201);

    // The log refreshes itself while the page is open.
    const log = page.getByRole('table', { name: 'Recent deliveries' });
    await log
      .getByRole('row')
      .filter({ hasText: 'entry.publish' })
      .filter({ hasText: 'Delivered' })
      .waitFor({ timeout: 20_000 });
    await visited('delivery log');
    expect(await log.getByRole('row').filter({ hasText: 'entry.publish' }).count()).toBe(1);
    const published = receiver.received.find((r) => r.json.event === 'entry.publish');
    expect(published?.json).toMatchObject({ model: 'article', entry: { title: 'Webhooks are here' } });
  });

  test('a Super Admin adds French in Settings › Locales, and sites see it', async ({ page, url, visited }) => {
    await page.getByRole('menuitem', { name: 'Locales' }).click();
    await page.waitForURL(/\/admin\/locales$/);
    await page.getByRole('row').filter({ hasText: 'English (en)' }).getByText('Default').waitFor();
    await openCreateForm(page, 'locales');
    await page.getByLabel(/^Code/).fill('fr');
    await page.getByLabel(/^Name/).fill('French (fr)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row').filter({ hasText: 'French (fr)' }).waitFor();
    await visited('locales');
    const listed = (await (await fetch(url('/api/i18n/locales'))).json()) as Array<{ code: string }>;
    expect(listed.map((l) => l.code)).toEqual(['en', 'fr']);
  });

  test('French is made the default locale, and English loses the mark', async ({ page, url, visited }) => {
    await page.getByRole('row').filter({ hasText: 'French (fr)' }).click();
    await page.waitForURL(/\/admin\/locales\/\d+$/);
    await page.getByLabel('Default locale').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/locales$/);
    await page.getByRole('row').filter({ hasText: 'French (fr)' }).getByText('Default').waitFor();
    // The list is read again on arrival: English loses its mark then.
    await page.getByRole('row').filter({ hasText: 'English (en)' }).getByText('Default').waitFor({ state: 'detached' });
    await visited('french is the default');
    const listed = (await (await fetch(url('/api/i18n/locales'))).json()) as Array<{
      code: string;
      isDefault: boolean;
    }>;
    expect(listed.map((l) => [l.code, l.isDefault])).toEqual([
      ['fr', true],
      ['en', false],
    ]);
  });

  test('the audit log says in words what was done to the locales, and filters by it', async ({
    page,
    url,
    visited,
  }) => {
    await page.goto(url('/admin/audit-log'));
    const added = page.getByRole('row').filter({ hasText: 'Added a locale' });
    await added.waitFor();
    await page.getByRole('row').filter({ hasText: 'Changed a locale' }).first().waitFor();
    // The stored action names stay out of sight.
    expect(await page.getByText('locales.create').count()).toBe(0);
    await visited('audit log');

    await page.getByRole('combobox', { name: 'What' }).click();
    await page.getByRole('option', { name: 'Added a locale' }).click();
    await page.getByRole('row').filter({ hasText: 'Changed a locale' }).first().waitFor({ state: 'detached' });
    expect(await added.count()).toBe(1);
    await visited('audit log filtered');
  });
});
