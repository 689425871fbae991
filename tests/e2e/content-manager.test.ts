// The content manager in Chromium, as editors and authors live it: an editor writes an article with
// a category (relation picker) and an uploaded image, publishes it and the website reads it from
// /api; the server's validation message lands on its field; an Author sees only their own entries
// and has no Publish button. The tests run in order, one story.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { openCreateForm, useE2E } from './harness.js';

const { test, get } = useE2E();

const EDITOR = { email: 'editor@example.com', password: 'editor-password-1' };
const AUTHOR = { email: 'author@example.com', password: 'author-password-1' };

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
        title: { type: 'string', required: true, maxLength: 200 },
        slug: { type: 'uid', targetField: 'title', unique: true },
        body: { type: 'richtext' },
        cover: { type: 'media', allowedTypes: ['images'] },
        category: { type: 'relation', relation: 'manyToOne', target: 'category' },
        seo: { type: 'component', component: 'shared.seo' },
        blocks: { type: 'dynamiczone', components: ['shared.quote', 'shared.note'] },
      },
    },
    global: {
      kind: 'singleType',
      info: { singularName: 'global', pluralName: 'globals', displayName: 'Global settings' },
      options: { draftAndPublish: false },
      attributes: { siteName: { type: 'string', required: true }, maintenance: { type: 'boolean', default: false } },
    },
    page: {
      kind: 'collectionType',
      info: { singularName: 'page', pluralName: 'pages', displayName: 'Page' },
      options: { draftAndPublish: true },
      pluginOptions: { i18n: { localized: true } },
      attributes: { title: { type: 'string', required: true } },
    },
  },
  components: {
    'shared.seo': { info: { displayName: 'SEO' }, attributes: { metaTitle: { type: 'string', required: true } } },
    'shared.quote': {
      info: { displayName: 'Quote' },
      attributes: { text: { type: 'text', required: true }, rating: { type: 'integer', min: 1, max: 5 } },
    },
    'shared.note': { info: { displayName: 'Note' }, attributes: { label: { type: 'string' } } },
  },
};

async function cli(args: string[]): Promise<void> {
  const result = await runCli(args, testEnv(get().database.url));
  if (result.code !== 0) throw new Error(`folio ${args.join(' ')} failed: ${result.stderr}`);
}

/** Waits for a condition on the page's state (checked every 100 ms, 10 s at most). */
async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the page never reached the expected state');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Profile' }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Profile' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/admin\/login$/);
}

describe('the content manager in Chromium', () => {
  test('an editor signs in and finds the content types under Content', async ({ page, url, visited }) => {
    const file = path.join(RUN_DIR, `content-manager-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(SCHEMA));
    await cli(['schema', 'apply', file]);
    await cli(['admin', 'create', '--email', EDITOR.email, '--password', EDITOR.password, '--role', 'editor']);
    await cli(['admin', 'create', '--email', AUTHOR.email, '--password', AUTHOR.password, '--role', 'author']);
    await cli(['permissions', 'grant', '--role', 'public', '--allow', 'article.find,article.findOne,category.find']);

    await page.goto(url('/admin/login'));
    await signIn(page, EDITOR.email, EDITOR.password);
    // The menu lists the content types under its "Content" heading.
    await page.locator('.RaMenu-open').getByText('Content', { exact: true }).waitFor();
    await page.getByRole('menuitem', { name: 'Category' }).click();
    await page.waitForURL(/\/admin\/content\/category$/);
    await openCreateForm(page, 'content/category');
    await page.getByLabel(/^Name/).fill('News');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(
      (u) => /\/admin\/content\/category\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/create'),
    ); // lands on the edit page
    await visited('category created');
  });

  test('the editor writes an article with a category and an uploaded image, and publishes it', async ({
    page,
    url,
    visited,
  }) => {
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await page.waitForURL(/\/admin\/content\/article$/);
    await openCreateForm(page, 'content/article');
    await page.getByLabel(/^Title/).fill('Hello from the browser');
    await page.getByLabel(/^Body/).fill('# Heading\n\nSome *markdown*.');
    // The preview beside the source renders the markdown as the site would.
    const preview = page.getByRole('region', { name: 'Preview of Body' });
    await preview.getByRole('heading', { name: 'Heading', level: 1 }).waitFor();
    expect(await preview.locator('em').textContent()).toBe('markdown');

    await page.getByLabel(/^Category/).fill('New');
    await page.getByRole('option', { name: 'News' }).click();

    await page.getByRole('button', { name: 'Choose Cover' }).click();
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } } })
      .png()
      .toBuffer();
    // The media library opens as a dialog: what is uploaded there is selected, then used.
    const library = page.getByRole('dialog', { name: 'Choose a file for Cover' });
    await library.getByRole('button', { name: 'Upload files' }).click();
    await library
      .getByLabel('Choose files to upload')
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    await library.locator('input[aria-label="Select cover.png"]:checked').waitFor();
    await library.getByRole('button', { name: 'Use this file' }).click();
    await page.getByRole('button', { name: 'Remove cover.png' }).waitFor();
    await visited('article form filled');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Unpublish' }).waitFor();
    await visited('article published');

    const res = await page.request.get(url('/api/articles?populate=*&filters[slug][$eq]=hello-from-the-browser'));
    expect(res.status()).toBe(200);
    const body = (await res.json()) as {
      data: { title: string; body: string; category: { name: string }; cover: { name: string; mime: string } }[];
    };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      title: 'Hello from the browser',
      body: '# Heading\n\nSome *markdown*.',
      category: { name: 'News' },
      cover: { name: 'cover.png', mime: 'image/png' },
    });
  });

  test('components and dynamic zones are groups to add, fill and remove', async ({ page, url, visited }) => {
    await page.getByRole('button', { name: 'Add Seo' }).click();
    await page.getByLabel(/^Meta title/).fill('Browser SEO');
    const blocks = page.locator('.ra-input-blocks');
    await blocks.getByRole('button', { name: 'Add' }).click();
    await blocks.getByLabel(/^Block/).click();
    await page.getByRole('option', { name: 'Quote' }).click();
    await blocks.getByLabel(/^Text/).fill('Quoted in the browser');
    await blocks.getByLabel(/^Rating/).fill('4');
    await blocks.getByRole('button', { name: 'Add' }).click();
    await blocks
      .getByLabel(/^Block/)
      .nth(1)
      .click();
    await page.getByRole('option', { name: 'Note' }).click();
    await blocks.getByLabel(/^Label/).fill('A note');
    await visited('components filled');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Modified', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).waitFor({ state: 'detached' });
    await visited('components published');

    const res = await page.request.get(
      url('/api/articles?populate[seo]=true&populate[blocks]=true&filters[slug][$eq]=hello-from-the-browser'),
    );
    const body = (await res.json()) as { data: { seo: unknown; blocks: unknown[] }[] };
    expect(body.data[0].seo).toMatchObject({ metaTitle: 'Browser SEO' });
    expect(body.data[0].blocks).toEqual([
      expect.objectContaining({ __component: 'shared.quote', text: 'Quoted in the browser', rating: 4 }),
      expect.objectContaining({ __component: 'shared.note', label: 'A note' }),
    ]);
  });

  test('a localized entry gets a second locale from the locale switcher', async ({ page, url, visited }) => {
    // An admin configures French (Settings › Locales; its page is tested in webhooks.test.ts); the
    // dashboard reads the configured locales when it loads.
    await cli(['locales', 'add', 'fr', '--name', 'French (fr)']);
    await page.reload();
    await page.getByRole('menuitem', { name: 'Page' }).click();
    await page.waitForURL(/\/admin\/content\/page$/);
    await openCreateForm(page, 'content/page');
    await page.getByLabel(/^Title/).fill('About');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
    const documentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');

    await page.getByRole('combobox', { name: 'Locale' }).click();
    await page.getByRole('option', { name: 'fr (new)' }).click();
    await page.waitForURL(/\?locale=fr$/);
    // The French version does not exist yet: the form starts empty.
    await until(async () => (await page.getByLabel(/^Title/).inputValue()) === '');
    await page.getByLabel(/^Title/).fill('À propos');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('button', { name: 'Unpublish' }).waitFor();
    await visited('french version published');

    await page.getByRole('menuitem', { name: 'Page' }).click();
    await page.getByRole('row').filter({ hasText: 'About' }).waitFor();
    const fr = await page.request.get(url(`/admin-api/content/page/${documentId}?locale=fr`));
    expect(
      ((await fr.json()) as { data: { title: string; __status: string; __locales: string[] } }).data,
    ).toMatchObject({ title: 'À propos', __status: 'published', __locales: ['en', 'fr'] });
    const en = await page.request.get(url(`/admin-api/content/page/${documentId}`));
    expect(((await en.json()) as { data: { title: string; __status: string } }).data).toMatchObject({
      title: 'About',
      __status: 'draft',
    });
  });

  test('a single type is one form, saved in place', async ({ page, url, visited }) => {
    await page.getByRole('menuitem', { name: 'Global settings' }).click();
    await page.waitForURL(/\/admin\/single-types\/global$/);
    await page.getByLabel(/^Site name/).fill('Folio in a browser');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Changes saved').waitFor();
    await visited('single type saved');
    const res = await page.request.get(url('/admin-api/content/single-types/global'));
    expect(((await res.json()) as { data: { siteName: string } }).data.siteName).toBe('Folio in a browser');
    await page.reload();
    await until(async () => (await page.getByLabel(/^Site name/).inputValue()) === 'Folio in a browser');
  });

  test("an invalid form shows the server's message on the field", async ({ page, visited }) => {
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await openCreateForm(page, 'content/article');
    await page.getByLabel(/^Title/).fill('Another one');
    await page.getByLabel(/^Slug/).fill('hello-from-the-browser'); // taken: only the server knows
    await page.getByRole('button', { name: 'Save' }).click();
    const slugField = page.locator('.ra-input-slug');
    await slugField.getByText('This attribute must be unique').waitFor();
    await visited('server error on the slug field');
    expect(new URL(page.url()).pathname).toBe('/admin/content/article/create');
  });

  test('an Author sees only their own entries and has no Publish button', async ({ page, visited }) => {
    // Leaving the unsaved form asks first; this test discards it.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await page.waitForURL(/\/admin\/content\/article$/);
    await signOut(page);
    await signIn(page, AUTHOR.email, AUTHOR.password);
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await page.waitForURL(/\/admin\/content\/article$/);
    await page
      .getByText('No Article yet.')
      .or(page.getByText(/No .* yet/))
      .first()
      .waitFor();
    expect(await page.getByText('Hello from the browser').count()).toBe(0);

    await openCreateForm(page, 'content/article');
    await page.getByLabel(/^Title/).fill('An author writes');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
    await page.getByText('Draft', { exact: true }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    await visited('author edit page');

    await page.getByRole('menuitem', { name: 'Article' }).click();
    await page.getByRole('row').filter({ hasText: 'An author writes' }).waitFor();
    expect(await page.getByRole('row').count()).toBe(2); // the header and their own article
    await visited('author list');
  });

  test('an editor bulk publishes the drafts selected in the list', async ({ page, visited }) => {
    await signOut(page);
    await signIn(page, EDITOR.email, EDITOR.password);
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await page.waitForURL(/\/admin\/content\/article$/);
    // To-one relations are list columns.
    await page.getByRole('row').filter({ hasText: 'Hello from the browser' }).getByText('News').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'An author writes' });
    await row.getByText('Draft', { exact: true }).waitFor();
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('1 published').waitFor();
    await row.getByText('Published', { exact: true }).waitFor();
    await visited('bulk published');
  });

  test('a content type added meanwhile shows in the menu after a refresh, without a reload', async ({
    page,
    visited,
  }) => {
    const file = path.join(RUN_DIR, `content-manager-schema-note-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        contentTypes: {
          note: {
            kind: 'collectionType',
            info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
            attributes: { text: { type: 'string' } },
          },
        },
        components: {},
      }),
    );
    await cli(['schema', 'apply', file]);
    // The app bar's refresh re-reads permissions and content types, as the content-type builder does after saving.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('menuitem', { name: 'Note' }).click();
    await page.waitForURL(/\/admin\/content\/note$/);
    await page.getByRole('link', { name: 'Create' }).waitFor();
    await visited('new type in the menu');
  });
});
