// The rich-text editors in Chromium, on the shared blog schema (an article has `body`, Markdown
// richtext, and `content`, Strapi blocks): a blocks document with every node type survives the
// editor and storage unchanged but for the edit made; the blocks toolbar writes Strapi's nodes; the
// Markdown toolbar and shortcuts write Markdown shown in the preview; stored HTML never runs there.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { blockImage, everyNodeType, text, type Json } from '../fixtures/strapi-blocks.js';
import { openCreateForm, useE2E } from './harness.js';

const { test, get } = useE2E();

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

async function adminApi(page: Page, url: string, method: string, body?: unknown): Promise<Json> {
  const me = (await (await page.request.get(get().url('/admin-api/auth/me'))).json()) as {
    data: { csrfToken: string };
  };
  const res = await page.request.fetch(url, { method, headers: { 'X-CSRF-Token': me.data.csrfToken }, data: body });
  expect(res.status()).toBeLessThan(300);
  return (await res.json()) as Json;
}

async function storedArticle(page: Page): Promise<Json> {
  const documentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  const res = await page.request.get(get().url(`/admin-api/content/article/${documentId}`));
  return ((await res.json()) as { data: Json }).data;
}

/** The create form of an article, its title filled in. */
/**
 * Keys at a person's pace: Slate applies a typed character after the browser's input event and syncs
 * its selection from the page's on a timer, so keys sent back to back (Ctrl+K right after typing)
 * could act on the selection of a few keys earlier — a race of milliseconds no person types at.
 */
const TYPING = { delay: 20 };

async function openNewArticle(page: Page, title: string): Promise<void> {
  await page.goto(get().url('/admin/content/article'));
  await openCreateForm(page, 'content/article');
  await page.getByLabel(/^Title/).fill(title);
}

let picture: Json;

async function uploadPicture(page: Page): Promise<Json> {
  const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .png()
    .toBuffer();
  const me = (await (await page.request.get(get().url('/admin-api/auth/me'))).json()) as {
    data: { csrfToken: string };
  };
  const res = await page.request.post(get().url('/admin-api/upload/files'), {
    headers: { 'X-CSRF-Token': me.data.csrfToken },
    multipart: { files: { name: 'harbour.png', mimeType: 'image/png', buffer: png } },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { data: Json[] }).data[0];
}

describe('rich text in Chromium', () => {
  test('the sign-in page does not download the editors', async ({ page, url }) => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(url('/admin/login')); // with no administrator yet, the dashboard asks to register one
    await page.getByRole('textbox', { name: /^Email/ }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => /BlocksInput|MarkdownInput/.test(s))).toEqual([]);
  });

  test('a blocks document with every node type round-trips through the editor and storage', async ({
    page,
    url,
    visited,
  }) => {
    const file = path.join(RUN_DIR, `rich-text-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(blogSchema));
    expect((await runCli(['schema', 'apply', file], testEnv(get().database.url))).code).toBe(0);
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    picture = await uploadPicture(page);
    const document = everyNodeType(blockImage(picture, url('/')));
    const created = await adminApi(page, url('/admin-api/content/article'), 'POST', {
      title: 'Every block',
      content: document,
    });
    const { documentId } = created.data as { documentId: string };

    await page.goto(url(`/admin/content/article/${encodeURIComponent(documentId)}`));
    const editor = page.getByRole('textbox', { name: 'Content' });
    await editor.getByRole('heading', { name: 'Heading 3', level: 3 }).waitFor();
    await editor.locator('ol ol, ul ul').first().waitFor();
    expect(await editor.locator('img').getAttribute('src')).toBe(new URL(String(picture.url), url('/')).toString());
    await editor.getByText('The end').click();
    await page.keyboard.press('End');
    await page.keyboard.type('!', TYPING);
    await visited('edited');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Changes saved').waitFor();

    const expected = everyNodeType(blockImage(picture, url('/')));
    expected[expected.length - 1] = { type: 'paragraph', children: [text('The end!')] };
    expect((await storedArticle(page)).content).toEqual(expected);
  }, 120_000);

  test('the blocks toolbar writes headings, lists, bold, links and images as Strapi nodes', async ({
    page,
    url,
    visited,
  }) => {
    await openNewArticle(page, 'Written with the toolbar');
    const editor = page.getByRole('textbox', { name: 'Content' });
    const toolbar = page.getByRole('toolbar', { name: 'Formatting of Content' });
    await editor.click();
    await toolbar.getByRole('combobox', { name: 'Text style' }).click();
    await page.getByRole('option', { name: 'Heading 2' }).click();
    await page.keyboard.type('Welcome', TYPING);
    await page.keyboard.press('Enter'); // out of the heading, into a paragraph
    await toolbar.getByRole('button', { name: 'Bulleted list' }).click();
    await page.keyboard.type('First', TYPING);
    await page.keyboard.press('Enter');
    await page.keyboard.type('Second', TYPING);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // an empty item leaves the list
    await toolbar.getByRole('button', { name: 'Bold (Ctrl+B)' }).click();
    await page.keyboard.type('Strong', TYPING);
    await page.keyboard.press('Control+B');
    await page.keyboard.type(' words ', TYPING);
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Add link' });
    await dialog.getByLabel('Link address').fill('javascript:alert(1)');
    await dialog.getByRole('button', { name: 'Save link' }).click();
    await dialog.getByText('javascript: links are not allowed').waitFor();
    await dialog.getByLabel('Link address').fill('https://example.com/docs');
    await dialog.getByLabel('Link text').fill('docs');
    await dialog.getByRole('button', { name: 'Save link' }).click();
    await toolbar.getByRole('button', { name: 'Image from the media library' }).click();
    const library = page.getByRole('dialog', { name: 'Insert images into Content' });
    await library.getByRole('checkbox', { name: `Select ${String(picture.name)}` }).check();
    await library.getByRole('button', { name: 'Use this file' }).click();
    await editor.locator('img').waitFor();
    await visited('written');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();

    expect((await storedArticle(page)).content).toEqual([
      { type: 'heading', level: 2, children: [text('Welcome')] },
      {
        type: 'list',
        format: 'unordered',
        children: [
          { type: 'list-item', children: [text('First')] },
          { type: 'list-item', children: [text('Second')] },
        ],
      },
      {
        type: 'paragraph',
        children: [
          text('Strong', { bold: true }),
          text(' words '),
          { type: 'link', url: 'https://example.com/docs', children: [text('docs')] },
          text(''),
        ],
      },
      { type: 'image', image: blockImage(picture, url('/')), children: [text('')] },
      { type: 'paragraph', children: [text('')] },
    ]);
  }, 120_000);

  test('a block with a link turned into code keeps the text, as Strapi allows only text in code', async ({ page }) => {
    await openNewArticle(page, 'Code with a link');
    const editor = page.getByRole('textbox', { name: 'Content' });
    await editor.click();
    await page.keyboard.type('see ', TYPING);
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Add link' });
    await dialog.getByLabel('Link address').fill('https://example.com/docs');
    await dialog.getByLabel('Link text').fill('docs');
    await dialog.getByRole('button', { name: 'Save link' }).click();
    await editor.locator('a').waitFor();
    await page
      .getByRole('toolbar', { name: 'Formatting of Content' })
      .getByRole('combobox', { name: 'Text style' })
      .click();
    await page.getByRole('option', { name: 'Code block' }).click();
    await editor.locator('pre').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
    expect((await storedArticle(page)).content).toEqual([{ type: 'code', children: [text('see docs')] }]);
  }, 120_000);

  test('the Markdown toolbar, Ctrl+B, Ctrl+K and the media library write Markdown the preview beside it shows', async ({
    page,
    url,
    visited,
  }) => {
    await openNewArticle(page, 'Markdown');
    const body = page.getByLabel(/^Body/);
    const toolbar = page.getByRole('toolbar', { name: 'Formatting of Body' });
    await body.click();
    await page.keyboard.type('Title', TYPING);
    await toolbar.getByRole('button', { name: 'Heading' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await toolbar.getByRole('button', { name: 'Bold (Ctrl+B)' }).click();
    await page.keyboard.type('strong', TYPING);
    await page.keyboard.press('End');
    await page.keyboard.type(' then ', TYPING);
    await page.keyboard.press('Control+B');
    await page.keyboard.type('keys', TYPING);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Item', TYPING);
    await toolbar.getByRole('button', { name: 'Bulleted list' }).click();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+K');
    await page.keyboard.type('https://example.com/more', TYPING);
    await page.keyboard.press('End');
    await toolbar.getByRole('button', { name: 'Image from the media library' }).click();
    const library = page.getByRole('dialog', { name: 'Insert images into Body' });
    await library.getByRole('checkbox', { name: `Select ${String(picture.name)}` }).check();
    await library.getByRole('button', { name: 'Use this file' }).click();
    const image = `![harbour.png](${new URL(String(picture.url), url('/')).toString()})`;
    const link = '[link text](https://example.com/more)';
    const markdown = `## Title\n\n**strong** then **keys**\n\n- Item\n\n${link}\n\n${image}`;
    await library.waitFor({ state: 'detached' });
    expect(await body.inputValue()).toBe(markdown);

    const preview = page.getByRole('region', { name: 'Preview of Body' });
    await preview.getByRole('heading', { name: 'Title', level: 2 }).waitFor();
    expect(await preview.locator('strong').allTextContents()).toEqual(['strong', 'keys']);
    expect(await preview.getByRole('listitem').textContent()).toBe('Item');
    expect(await preview.getByRole('link', { name: 'link text' }).getAttribute('href')).toBe(
      'https://example.com/more',
    );
    expect(await preview.getByRole('img', { name: 'harbour.png' }).getAttribute('src')).toBe(
      new URL(String(picture.url), url('/')).toString(),
    );
    await visited('markdown and its preview');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
    expect((await storedArticle(page)).body).toBe(markdown);
  }, 120_000);

  test('HTML stored in Markdown is neither rendered nor run by the preview', async ({
    page,
    url,
    visited,
    console,
  }) => {
    const markdown =
      'Hello <script>window.__ran = true</script>\n\n<img src="x" onerror="window.__ran = true">\n\n' +
      '[click](javascript:window.__ran=true) <b>bold tag</b>';
    const created = await adminApi(page, url('/admin-api/content/article'), 'POST', {
      title: 'Hostile',
      body: markdown,
    });
    const { documentId } = created.data as { documentId: string };
    await page.goto(url(`/admin/content/article/${encodeURIComponent(documentId)}`));
    const preview = page.getByRole('region', { name: 'Preview of Body' });
    await preview.getByText('Hello').waitFor();
    await visited('hostile markdown');
    expect(await preview.locator('script, img, b, [onerror]').count()).toBe(0);
    const href = await preview.getByText('click').getAttribute('href');
    expect(href ?? '').not.toMatch(/javascript:/i);
    expect(await page.evaluate(() => (globalThis as { __ran?: boolean }).__ran)).toBeUndefined();
    expect(await page.getByLabel(/^Body/).inputValue()).toBe(markdown); // the source itself is kept as written
    expect(console.filter((m) => m.type === 'pageerror')).toEqual([]);
  }, 60_000);
});
