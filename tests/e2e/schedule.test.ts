// Scheduled publishing in Chromium (issue 21): an editor schedules an article for tomorrow 07:00 on the
// clock of a time zone they pick (not the browser's), sees it in the side panel at 07:00 in that zone —
// still after a reload, the zone being remembered for them — and in Upcoming under that day, then
// cancels it there. The server holds the instant in UTC: 07:00 in Kolkata is 01:30 UTC.
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { instantToWallTime, tomorrowAt, wallTimeToInstant } from '../../admin/src/content/schedule/zone.js';
import { useE2E } from './harness.js';
import { until } from './session.js';

const { test } = useE2E();

const EDITOR = {
  firstname: 'Nellie',
  lastname: 'Bly',
  email: 'nellie@example.com',
  password: 'around-the-world-72-days',
};

const ARTICLE = {
  kind: 'collectionType',
  info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
  options: { draftAndPublish: true },
  attributes: { title: { type: 'string', required: true } },
};

/** Not the browser's zone (UTC here), and half an hour off whole hours: a wrong conversion shows. */
const ZONE = 'Asia/Kolkata';

interface ScheduleBody {
  id: number;
  status: string;
  at: string;
  action: string;
}

async function adminPost(page: Page, url: (p: string) => string, path: string, body: object) {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  const res = await page.request.post(url(path), { headers: { 'X-CSRF-Token': me.data.csrfToken }, data: body });
  return { status: res.status(), body: (await res.json()) as { data: Record<string, unknown> } };
}

async function schedulesOf(page: Page, url: (p: string) => string, documentId: string): Promise<ScheduleBody[]> {
  const res = await page.request.get(url(`/admin-api/content/article/${documentId}/schedules`));
  return ((await res.json()) as { data: ScheduleBody[] }).data;
}

describe('scheduled publishing in Chromium', () => {
  test('an editor schedules tomorrow 07:00 in their zone, sees it in the panel and Upcoming, and cancels it', async ({
    page,
    url,
    visited,
  }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: EDITOR })).status()).toBe(201);
    const applied = await adminPost(page, url, '/admin-api/content-type-builder/apply', {
      contentTypes: { article: ARTICLE },
    });
    expect(applied.status).toBe(200);
    const created = await adminPost(page, url, '/admin-api/content/article', { title: 'Front page' });
    expect(created.status).toBe(201);
    const documentId = String(created.body.data.documentId);

    const wall = tomorrowAt(7, ZONE);
    const instant = wallTimeToInstant(wall, ZONE)!;
    expect(instantToWallTime(instant, 'UTC').slice(11)).toBe('01:30');

    await page.goto(url(`/admin/content/article/${documentId}`));
    await page.getByRole('button', { name: 'Schedule…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule' });
    const zone = dialog.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('Kolkata');
    await page.getByRole('option', { name: ZONE }).click();
    expect(await zone.inputValue()).toBe(ZONE);
    await dialog.getByLabel('Date and time').fill(wall);
    await dialog.getByText(/That is .* 01:30 UTC\./).waitFor();
    await visited('the Schedule dialog, filled');
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // Stored as the instant: 07:00 in Kolkata, 01:30 UTC.
    const [stored] = await schedulesOf(page, url, documentId);
    expect(stored).toMatchObject({ action: 'publish', status: 'pending', at: instant.toISOString() });

    const day = Number(wall.slice(8, 10));
    const pending = page.getByRole('list', { name: 'Scheduled' });
    const line = new RegExp(`Publish[\\s\\S]*${day}[\\s\\S]*07:00 \\(${ZONE}\\)`);
    await until(async () => line.test(await pending.innerText()));
    await visited('the side panel with the pending schedule');

    // The zone is the editor's: after a reload the panel still reads the schedule on Kolkata's clock.
    await page.reload();
    await until(async () => line.test(await page.getByRole('list', { name: 'Scheduled' }).innerText()));

    await page.getByRole('menuitem', { name: 'Upcoming' }).click();
    await page.waitForURL(/\/admin\/upcoming$/);
    const heading = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone: ZONE }).format(instant);
    const section = page.getByRole('region', { name: heading });
    await section.getByRole('link', { name: 'Front page' }).waitFor();
    expect(await section.innerText()).toMatch(/07:00[\s\S]*Front page[\s\S]*Publish · Article/);
    expect(await section.getByRole('link', { name: 'Front page' }).getAttribute('href')).toBe(
      `/admin/content/article/${documentId}`,
    );
    await visited('Upcoming, the schedule under its day');

    await section.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Schedule cancelled.').waitFor();
    await page.getByText('Nothing is scheduled in this period.').waitFor();
    expect((await schedulesOf(page, url, documentId))[0]).toMatchObject({ id: stored.id, status: 'cancelled' });
  }, 60_000);

  test('a list’s selection is scheduled at once, and an entry that could not be is named with why', async ({
    page,
    url,
    visited,
  }) => {
    const titles = ['Morning brief', 'Weather', 'Gone piece'];
    const ids: string[] = [];
    for (const title of titles) {
      const created = await adminPost(page, url, '/admin-api/content/article', { title });
      expect(created.status).toBe(201);
      ids.push(String(created.body.data.documentId));
    }
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await page.waitForURL(/\/admin\/content\/article$/);
    for (const title of titles) await page.getByRole('row').filter({ hasText: title }).getByRole('checkbox').check();
    // Deleted by someone else after it was selected: its schedule is refused, the others are not.
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const removed = await page.request.delete(url(`/admin-api/content/article/${ids[2]}`), {
      headers: { 'X-CSRF-Token': me.data.csrfToken },
    });
    expect(removed.status()).toBe(200);

    await page.getByRole('button', { name: 'Schedule publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule 3 entries' });
    // The zone picked in the first test is this editor's.
    expect(await dialog.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe(ZONE);
    const wall = tomorrowAt(7, ZONE);
    await dialog.getByLabel('Date and time').fill(wall);
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.getByText('This entry could not be scheduled (the others are):').waitFor();
    await dialog.getByText(/^Gone piece: .+/).waitFor();
    await visited('the bulk Schedule dialog naming the entry it could not schedule');

    const instant = wallTimeToInstant(wall, ZONE)!.toISOString();
    for (const id of ids.slice(0, 2)) {
      expect(await schedulesOf(page, url, id)).toEqual([
        expect.objectContaining({ action: 'publish', status: 'pending', at: instant }),
      ]);
    }
    // Scheduling again retries only the entry that failed: the others are not scheduled twice.
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/schedules')) posted.push(request.url());
    });
    const retried = page.waitForResponse((r) => r.url().endsWith(`/article/${ids[2]}/schedules`));
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    expect((await retried).status()).toBe(404);
    expect(posted).toEqual([url(`/admin-api/content/article/${ids[2]}/schedules`)]);
    expect(await schedulesOf(page, url, ids[0])).toHaveLength(1);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  }, 60_000);

  test('a schedule that failed shows its reason on the entry', async ({ page, url, visited }) => {
    const created = await adminPost(page, url, '/admin-api/content/article', { title: 'Late story' });
    expect(created.status).toBe(201);
    const documentId = String(created.body.data.documentId);
    // Then articles need a summary: the draft saved without one no longer validates, and cannot be published.
    const withSummary = {
      ...ARTICLE,
      attributes: { ...ARTICLE.attributes, summary: { type: 'text', required: true } },
    };
    const applied = await adminPost(page, url, '/admin-api/content-type-builder/apply', {
      contentTypes: { article: withSummary },
    });
    expect(applied.status).toBe(200);
    const at = new Date(Date.now() + 1500).toISOString();
    const scheduled = await adminPost(page, url, `/admin-api/content/article/${documentId}/schedules`, {
      action: 'publish',
      at,
    });
    expect(scheduled.status).toBe(201);
    await until(async () => (await schedulesOf(page, url, documentId))[0]?.status === 'failed', 15_000);

    await page.goto(url(`/admin/content/article/${documentId}`));
    const alert = page.getByRole('alert').filter({ hasText: /^Publish at .* failed: / });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/failed: .*summary/);
    await visited('the failed schedule on the entry');
  }, 60_000);

  test('on a localized type, the dialog schedules this locale or all of them', async ({ page, url, visited }) => {
    const PAGE = {
      kind: 'collectionType',
      info: { singularName: 'page', pluralName: 'pages', displayName: 'Page' },
      options: { draftAndPublish: true },
      pluginOptions: { i18n: { localized: true } },
      attributes: { title: { type: 'string', required: true } },
    };
    const withSummary = {
      ...ARTICLE,
      attributes: { ...ARTICLE.attributes, summary: { type: 'text', required: true } },
    };
    const applied = await adminPost(page, url, '/admin-api/content-type-builder/apply', {
      contentTypes: { article: withSummary, page: PAGE },
    });
    expect(applied.status).toBe(200);
    expect((await adminPost(page, url, '/admin-api/locales', { code: 'fr', name: 'French' })).status).toBe(201);
    const created = await adminPost(page, url, '/admin-api/content/page', { title: 'About us' });
    expect(created.status).toBe(201);
    const documentId = String(created.body.data.documentId);

    await page.goto(url(`/admin/content/page/${documentId}`));
    await page.getByRole('button', { name: 'Schedule…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule' });
    const locales = dialog.getByRole('radiogroup', { name: 'Locales' });
    expect(await locales.getByRole('radio', { name: 'Only en' }).isChecked()).toBe(true);
    await locales.getByRole('radio', { name: 'All locales' }).check();
    await dialog.getByRole('radio', { name: 'Unpublish' }).check();
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const res = await page.request.get(url(`/admin-api/content/page/${documentId}/schedules`));
    const [stored] = ((await res.json()) as { data: (ScheduleBody & { locale: string })[] }).data;
    expect(stored).toMatchObject({ action: 'unpublish', locale: '*', status: 'pending' });
    // Proposed: tomorrow 07:00 on the editor's clock (Kolkata, chosen in the first test).
    expect(stored.at).toBe(wallTimeToInstant(tomorrowAt(7, ZONE), ZONE)!.toISOString());
    await until(async () =>
      /Unpublish \(All locales\)/.test(await page.getByRole('list', { name: 'Scheduled' }).innerText()),
    );
    await visited('a localized entry scheduled over all its locales');
  }, 60_000);
});
