// Releases in Chromium (issue 21): an editor creates a release, adds one article from the list (bulk)
// and one from its edit screen, sees the one that does not validate hold back "Release now", fixes it,
// sees the server refuse an entry gone meanwhile and removes it, releases, and sees the release
// published with its entries. Then a release is scheduled at 07:00 in a time zone the editor picks
// (not the browser's): the time reads back the same on the page, in the list, in Upcoming and in the
// dialog that moves it, and the server holds the instant in UTC. One server, one session.
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { tomorrowAt, wallTimeToInstant } from '../../admin/src/content/schedule/zone.js';
import { useE2E } from './harness.js';
import { until } from './session.js';

const { test } = useE2E();

const EDITOR = {
  firstname: 'Ida',
  lastname: 'Tarbell',
  email: 'ida@example.com',
  password: 'the-history-of-standard-oil',
};

const ARTICLE = {
  kind: 'collectionType',
  info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
  options: { draftAndPublish: true },
  attributes: { title: { type: 'string', required: true } },
};

/** Then articles need a summary: a draft saved before has none, and cannot be published. */
const ARTICLE_WITH_SUMMARY = {
  ...ARTICLE,
  attributes: { ...ARTICLE.attributes, summary: { type: 'text', required: true } },
};

/** Not the browser's zone (UTC here), and half an hour off whole hours: a wrong conversion shows. */
const ZONE = 'Asia/Kolkata';

type Url = (p: string) => string;

async function csrf(page: Page, url: Url): Promise<string> {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  return me.data.csrfToken;
}

async function call(page: Page, url: Url, method: 'post' | 'put' | 'delete', path: string, body?: object) {
  const res = await page.request[method](url(path), {
    headers: { 'X-CSRF-Token': await csrf(page, url) },
    ...(body ? { data: body } : {}),
  });
  const text = await res.text();
  return { status: res.status(), body: (text ? JSON.parse(text) : {}) as { data: Record<string, unknown> } };
}

async function createArticle(page: Page, url: Url, data: object): Promise<string> {
  const created = await call(page, url, 'post', '/admin-api/content/article', data);
  expect(created.status).toBe(201);
  return String(created.body.data.documentId);
}

interface ReleaseBody {
  id: number;
  status: string;
  scheduledAt: string | null;
  actions: { documentId: string; action: string; valid: boolean }[];
}

async function releaseOf(page: Page, url: Url, id: number): Promise<ReleaseBody> {
  return ((await (await page.request.get(url(`/admin-api/releases/${id}`))).json()) as { data: ReleaseBody }).data;
}

async function statusOf(page: Page, url: Url, documentId: string): Promise<unknown> {
  const res = await page.request.get(url(`/admin-api/content/article/${documentId}`));
  return ((await res.json()) as { data: { __status?: unknown } }).data.__status;
}

describe('releases in Chromium', () => {
  let releaseId = 0;

  test('entries added from a list and an edit screen are released at once, once all are valid', async ({
    page,
    url,
    visited,
  }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: EDITOR })).status()).toBe(201);
    expect(
      (await call(page, url, 'post', '/admin-api/content-type-builder/apply', { contentTypes: { article: ARTICLE } }))
        .status,
    ).toBe(200);
    const lead = await createArticle(page, url, { title: 'Lead story' });
    const second = await createArticle(page, url, { title: 'Second piece' });
    const applied = await call(page, url, 'post', '/admin-api/content-type-builder/apply', {
      contentTypes: { article: ARTICLE_WITH_SUMMARY },
    });
    expect(applied.status).toBe(200);
    expect((await call(page, url, 'put', `/admin-api/content/article/${lead}`, { summary: 'All of it.' })).status).toBe(
      200,
    );

    // A release, by its name.
    await page.goto(url('/admin/releases'));
    await page.locator('a[href="/admin/releases/create"]').click();
    await page.getByLabel(/^Name/).fill('Monday front page');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/releases\/\d+\/show$/);
    releaseId = Number(/releases\/(\d+)\/show/.exec(page.url())![1]);
    await page.getByRole('heading', { name: 'Monday front page' }).waitFor();
    await page.getByText('Add entries first.').waitFor();

    // From the list: the selection, to the release proposed (the newest open one).
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await page.waitForURL(/\/admin\/content\/article$/);
    await page.getByRole('row').filter({ hasText: 'Lead story' }).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Add to release…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add to release' });
    await dialog.getByRole('combobox', { name: 'Release' }).filter({ hasText: 'Monday front page' }).waitFor();
    await visited('the bulk Add to release dialog');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Added to Monday front page.').waitFor();

    // From the edit screen's side panel.
    await page.getByRole('row').filter({ hasText: 'Second piece' }).getByText('Second piece').click();
    await page.waitForURL(new RegExp(`/admin/content/article/${second}$`));
    await page.getByRole('button', { name: 'Add to release…' }).click();
    dialog = page.getByRole('dialog', { name: 'Add to release' });
    await dialog.getByRole('combobox', { name: 'Release' }).filter({ hasText: 'Monday front page' }).waitFor();
    await visited('the side panel’s Add to release dialog');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // The side panel now says which release holds the entry, and what it will do.
    const inReleases = page.getByRole('list', { name: 'In releases' });
    await inReleases.getByRole('link', { name: 'Monday front page' }).waitFor();
    expect(await inReleases.innerText()).toMatch(/Open\s+Publish/);

    // The release page: the second piece has no summary and holds the release back.
    await page.getByRole('menuitem', { name: 'Releases' }).click();
    const listed = page.getByRole('row').filter({ hasText: 'Monday front page' });
    expect(await listed.innerText()).toMatch(/Open\s+2/);
    await listed.getByText('Monday front page').click();
    await page.waitForURL(/\/admin\/releases\/\d+\/show$/);
    const rowOf = (title: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: title }) });
    await rowOf('Second piece').getByText('Cannot be released').waitFor();
    expect(await rowOf('Second piece').innerText()).toMatch(/summary is required/);
    expect(await rowOf('Lead story').innerText()).toMatch(/Ready/);
    expect(await rowOf('Lead story').getByRole('link').getAttribute('href')).toBe(`/admin/content/article/${lead}`);
    const releaseNow = page.getByRole('button', { name: 'Release now' });
    expect(await releaseNow.isDisabled()).toBe(true);
    expect(await page.locator('#folio-release-blocked').innerText()).toMatch(/cannot be released yet/);
    await visited('the release page, one entry invalid');

    // Fixed elsewhere: valid now, and shown as changed since it was added.
    expect(
      (await call(page, url, 'put', `/admin-api/content/article/${second}`, { summary: 'Now complete.' })).status,
    ).toBe(200);
    // Added (by someone else) and deleted after this page was read: the button is enabled, the server refuses.
    const gone = await createArticle(page, url, { title: 'Gone piece', summary: 'Soon gone.' });
    const added = await call(page, url, 'post', `/admin-api/releases/${releaseId}/actions`, {
      uid: 'article',
      documentId: gone,
      action: 'publish',
    });
    expect(added.status).toBe(200);
    // The app bar's Refresh reads the release again (no page load).
    await page.getByRole('button', { name: 'Refresh' }).click();
    await rowOf('Gone piece').waitFor();
    expect(await rowOf('Second piece').innerText()).toMatch(/Ready[\s\S]*Changed since added/);
    expect((await call(page, url, 'delete', `/admin-api/content/article/${gone}`)).status).toBe(200);
    await releaseNow.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Release now' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /entries that cannot be released: article/ })
      .waitFor();
    await page.getByRole('row').filter({ hasText: gone }).getByText('The entry no longer exists').waitFor();
    expect(await statusOf(page, url, lead)).toBe('draft');
    await visited('the server refusing the release');

    await page.getByRole('button', { name: 'Remove Gone piece' }).click();
    await page.getByText('Removed from the release.').waitFor();
    await until(async () => (await releaseOf(page, url, releaseId)).actions.length === 2);
    await until(async () => !(await releaseNow.isDisabled()));
    await releaseNow.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Release now' }).click();
    await page.getByText('Released.').waitFor();
    await page.getByText(/^Published .* \(UTC\)$/).waitFor();
    expect(await page.getByRole('button', { name: 'Release now' }).count()).toBe(0);
    expect((await releaseOf(page, url, releaseId)).status).toBe('published');
    expect([await statusOf(page, url, lead), await statusOf(page, url, second)]).toEqual(['published', 'published']);
    await visited('the release published');
  }, 60_000);

  test('a release scheduled at 07:00 in the editor’s zone reads back at 07:00 there', async ({
    page,
    url,
    visited,
  }) => {
    const piece = await createArticle(page, url, { title: 'Weekend piece', summary: 'For Saturday.' });
    const created = await call(page, url, 'post', '/admin-api/releases', { name: 'Weekend edition' });
    expect(created.status).toBe(201);
    const id = Number(created.body.data.id);
    expect(
      (
        await call(page, url, 'post', `/admin-api/releases/${id}/actions`, {
          uid: 'article',
          documentId: piece,
          action: 'publish',
        })
      ).status,
    ).toBe(200);

    const wall = tomorrowAt(7, ZONE);
    const instant = wallTimeToInstant(wall, ZONE)!;
    await page.goto(url(`/admin/releases/${id}/show`));
    // Its action changed in place: the piece is to be unpublished with the release.
    await page.getByRole('combobox', { name: 'Action for Weekend piece' }).click();
    await page.getByRole('option', { name: 'Unpublish' }).click();
    await page.getByText('Action changed.').waitFor();
    const changed = await releaseOf(page, url, id);
    expect(changed.actions.map((a) => a.action)).toEqual(['unpublish']);
    await page.getByRole('button', { name: 'Schedule…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Schedule “Weekend edition”' });
    const zone = dialog.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('Kolkata');
    await page.getByRole('option', { name: ZONE }).click();
    await dialog.getByLabel('Date and time').fill(wall);
    await dialog.getByText(/That is .* 01:30 UTC\./).waitFor();
    await visited('the release Schedule dialog');
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(await releaseOf(page, url, id)).toMatchObject({ status: 'scheduled', scheduledAt: instant.toISOString() });
    const when = page.getByTestId('release-when');
    await until(async () => new RegExp(`^Scheduled for .*07:00 \\(${ZONE}\\)$`).test(await when.innerText()));

    // The list, and Upcoming under that day in that zone.
    await page.getByRole('menuitem', { name: 'Releases' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Weekend edition' });
    await row.getByText(`07:00 (${ZONE})`, { exact: false }).waitFor();
    expect(await row.innerText()).toMatch(/Scheduled\s+1/);
    await visited('the releases list with the scheduled release');
    await page.getByRole('menuitem', { name: 'Upcoming' }).click();
    const heading = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone: ZONE }).format(instant);
    const day = page.getByRole('region', { name: heading });
    await day.getByRole('link', { name: 'Weekend edition' }).waitFor();
    expect(await day.innerText()).toMatch(/07:00[\s\S]*Weekend edition[\s\S]*Release · 1 entry/);
    await visited('Upcoming with the scheduled release');

    // Moving it proposes the time it has, on the same clock; then the schedule is cancelled.
    await day.getByRole('link', { name: 'Weekend edition' }).click();
    await page.getByRole('button', { name: 'Move schedule…' }).click();
    dialog = page.getByRole('dialog', { name: 'Move “Weekend edition”' });
    expect(await dialog.getByLabel('Date and time').inputValue()).toBe(wall);
    await dialog.getByLabel('Date and time').fill(`${wall.slice(0, 11)}08:30`);
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await until(async () => /08:30 \(Asia\/Kolkata\)$/.test(await when.innerText()));
    expect((await releaseOf(page, url, id)).scheduledAt).toBe(
      wallTimeToInstant(`${wall.slice(0, 11)}08:30`, ZONE)!.toISOString(),
    );
    await page.getByRole('button', { name: 'Cancel schedule' }).click();
    await page.getByText('Schedule cancelled.').waitFor();
    expect(await releaseOf(page, url, id)).toMatchObject({ status: 'open', scheduledAt: null });
  }, 60_000);

  test('a scheduled release that failed says why on its page', async ({ page, url, visited }) => {
    const piece = await createArticle(page, url, { title: 'Withdrawn piece', summary: 'Pulled.' });
    const created = await call(page, url, 'post', '/admin-api/releases', { name: 'Night edition' });
    const id = Number(created.body.data.id);
    const action = { uid: 'article', documentId: piece, action: 'publish' };
    expect((await call(page, url, 'post', `/admin-api/releases/${id}/actions`, action)).status).toBe(200);
    const at = new Date(Date.now() + 2000).toISOString();
    expect((await call(page, url, 'put', `/admin-api/releases/${id}/schedule`, { at })).status).toBe(200);
    // Deleted before the release runs: the run cannot publish it, and the release fails as a whole.
    expect((await call(page, url, 'delete', `/admin-api/content/article/${piece}`)).status).toBe(200);
    await until(async () => (await releaseOf(page, url, id)).status === 'failed', 15_000);

    await page.goto(url(`/admin/releases/${id}/show`));
    const alert = page.getByRole('alert').filter({ hasText: /^Its scheduled release failed: / });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(new RegExp(`cannot be released: article ${piece}`));
    await page.getByRole('row').filter({ hasText: piece }).getByText('The entry no longer exists').waitFor();
    expect(await page.getByRole('button', { name: 'Release now' }).isDisabled()).toBe(true);
    await visited('the failed release');
  }, 30_000);
});
