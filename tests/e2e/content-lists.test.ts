// The content manager's lists in Chromium: an editor finds last month's articles in one category
// with a relation filter and a date range, chooses the columns, sees the covers as thumbnails, reads
// the list on a phone without scrolling sideways, and finds the filters again after a reload — and
// another editor on the same browser does not. The tests run in order, one story.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { useE2E } from './harness.js';
import { signIn, signOut, until } from './session.js';

const { test, get } = useE2E();

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const BOB = { email: 'bob@example.com', password: 'bob-password-12345' };

const SCHEMA = {
  contentTypes: {
    category: {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string', required: true, unique: true } },
    },
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      options: { draftAndPublish: true },
      attributes: {
        title: { type: 'string', required: true },
        cover: { type: 'media', allowedTypes: ['images'] },
        category: { type: 'relation', relation: 'manyToOne', target: 'category' },
        publishedDate: { type: 'date' },
      },
    },
  },
};

/** Seeded articles: title, category, date. The filter below asks for News in March 2026. */
const ARTICLES = [
  ['March news', 'News', '2026-03-10'],
  ['Late March news', 'News', '2026-03-31'],
  ['March sport', 'Sport', '2026-03-12'],
  ['January news', 'News', '2026-01-05'],
  ['April news', 'News', '2026-04-02'],
] as const;
const LIST = '/admin/content/article';

async function cli(args: string[]): Promise<void> {
  const result = await runCli(args, testEnv(get().database.url));
  if (result.code !== 0) throw new Error(`folio ${args.join(' ')} failed: ${result.stderr}`);
}

/** The titles in the list's rows, sorted. */
async function titlesShown(page: Page): Promise<string[]> {
  const cells = await page.locator('table tbody tr td.column-title').allTextContents();
  return cells.map((t) => t.trim()).sort();
}

async function expectTitles(page: Page, titles: readonly string[]): Promise<void> {
  const expected = [...titles].sort();
  await until(async () => JSON.stringify(await titlesShown(page)) === JSON.stringify(expected)).catch(async () => {
    expect(await titlesShown(page)).toEqual(expected);
  });
}

/** Seeds the categories, a cover image and the articles through the Admin API, as Ada. */
async function seed(page: Page, url: (p: string) => string): Promise<void> {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  const headers = { 'X-CSRF-Token': me.data.csrfToken };
  const post = async (pathname: string, data: unknown) => {
    const res = await page.request.post(url(pathname), { data, headers });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { data: { documentId: string } }).data;
  };
  const categories = new Map<string, string>();
  for (const name of ['News', 'Sport'])
    categories.set(name, (await post('/admin-api/content/category', { name })).documentId);
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 90, b: 200 } } })
    .png()
    .toBuffer();
  const upload = await page.request.post(url('/admin-api/upload/files'), {
    headers,
    multipart: { files: { name: 'cover.png', mimeType: 'image/png', buffer: png } },
  });
  expect(upload.status()).toBe(201);
  const cover = ((await upload.json()) as { data: { id: number }[] }).data[0].id;
  for (const [title, category, publishedDate] of ARTICLES) {
    await post('/admin-api/content/article', {
      title,
      publishedDate,
      category: { connect: [categories.get(category)] },
      ...(title === 'March news' ? { cover } : {}),
    });
  }
}

describe('content lists in Chromium', () => {
  test('a filter by category and a date range lists the right entries', async ({ page, url, visited }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    const file = path.join(RUN_DIR, `content-lists-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(SCHEMA));
    await cli(['schema', 'apply', file]);
    await cli(['admin', 'create', '--email', BOB.email, '--password', BOB.password, '--role', 'editor']);
    await seed(page, url);

    await page.goto(url(LIST));
    await expectTitles(
      page,
      ARTICLES.map(([title]) => title),
    );
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Category', exact: true }).click();
    await page.getByRole('combobox', { name: 'Category' }).fill('New');
    await page.getByRole('option', { name: 'News' }).click();
    await page.keyboard.press('Escape');
    await expectTitles(page, ['March news', 'Late March news', 'January news', 'April news']);

    // Each bound narrows the list as it is set.
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Published date from' }).click();
    await page.getByLabel('Published date from').fill('2026-03-01');
    await expectTitles(page, ['March news', 'Late March news', 'April news']);
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Published date to' }).click();
    await page.getByLabel('Published date to').fill('2026-03-31');
    await expectTitles(page, ['March news', 'Late March news']);
    await visited('filtered by category and dates');
  });

  test('the column chooser hides and shows a column', async ({ page, visited }) => {
    const header = page.locator('table thead').getByText('Category', { exact: true });
    await header.waitFor();
    await page.getByRole('button', { name: 'Columns' }).click();
    const toggle = page.locator('.MuiPopover-paper').getByRole('switch', { name: 'Category' });
    await toggle.uncheck();
    await header.waitFor({ state: 'detached' });
    await visited('category column hidden');
    await toggle.check();
    await header.waitFor();
    await page.keyboard.press('Escape');
  });

  test("a media field shows the file's thumbnail in the list", async ({ page }) => {
    const row = page
      .locator('table tbody tr')
      .filter({ has: page.locator('td.column-title', { hasText: /^March news$/ }) });
    const thumbnail = row.locator('td.column-cover img');
    await expect(thumbnail.getAttribute('src')).resolves.toMatch(/thumbnail_/);
    await expect(thumbnail.getAttribute('alt')).resolves.toBe('cover.png');
    // Served, not a broken link.
    const image = await page.request.get(new URL((await thumbnail.getAttribute('src')) ?? '', page.url()).href);
    expect(image.status()).toBe(200);
    expect(image.headers()['content-type']).toMatch(/^image\//);
  });

  test('the filters come back after a reload for the same user and not for another one', async ({ page, url }) => {
    // No filter in the address: what the list shows comes from what Ada chose.
    await page.goto(url(LIST));
    await expectTitles(page, ['March news', 'Late March news']);

    await signOut(page);
    await signIn(page, BOB.email, BOB.password);
    await page.goto(url(LIST));
    await expectTitles(
      page,
      ARTICLES.map(([title]) => title),
    );
    expect(await page.getByLabel('Published date from').count()).toBe(0);

    await signOut(page);
    await signIn(page, ADA.email, ADA.password);
    await page.goto(url(LIST));
    await expectTitles(page, ['March news', 'Late March news']);
  });

  test('the list fits a phone and a small tablet without scrolling sideways', async ({ page, url, visited }) => {
    // At 375 px the rows are cards; at 700 px the table, which scrolls inside its card if it must.
    for (const width of [375, 700]) {
      await page.setViewportSize({ width, height: 812 });
      await page.goto(url(LIST));
      await page.getByText('Late March news').waitFor();
      expect(await page.locator('table').count()).toBe(width < 600 ? 0 : 1);
      await visited(`list at ${width} px`);
      const widths = await page.evaluate<{ scroll: number; inner: number }>(
        '({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })',
      );
      expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    }
  });
});
