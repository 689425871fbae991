// The Content-Type Builder in a real browser, as a Super Admin models a blog: an Article type with
// a relation to the existing Category type (both sides named) and a cover image, saved through the
// plan, then served by the Content API. Then a rename keeps an entry's value, and removing a field
// that holds data needs the explicit "I understand data will be lost". The tests run in order.
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useE2E } from './harness.js';

const { test } = useE2E();

const ADMIN = { firstname: 'Margaret', lastname: 'Hamilton', email: 'margaret@example.com', password: 'apollo-guidance-1969' };

interface SchemaAnswer {
  data: { contentTypes: Record<string, { info: { pluralName: string }; attributes: Record<string, Record<string, unknown>> }> };
}

/** The Admin API as the signed-in page (its cookie), with the CSRF token the dashboard would send. */
async function adminApi(page: Page, url: (p: string) => string, method: 'GET' | 'POST', path: string, body?: object): Promise<{ status: number; json: unknown }> {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  const res = await page.request.fetch(url(path), { method, headers: { 'X-CSRF-Token': me.data.csrfToken }, data: body });
  return { status: res.status(), json: await res.json() };
}

async function schemaOf(page: Page, url: (p: string) => string): Promise<SchemaAnswer['data']> {
  const { status, json } = await adminApi(page, url, 'GET', '/admin-api/content-type-builder/schema');
  expect(status).toBe(200);
  return (json as SchemaAnswer).data;
}

async function addField(page: Page, fill: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Add a field' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill();
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await dialog.waitFor({ state: 'detached' });
}

let token = '';

describe('the Content-Type Builder in Chromium', () => {
  test('a Super Admin finds the builder in the menu, with the existing Category type', async ({ page, url, visited }) => {
    await page.goto(url('/admin/register'));
    await page.getByLabel(/^First name/).fill(ADMIN.firstname);
    await page.getByLabel(/^Last name/).fill(ADMIN.lastname);
    await page.getByLabel(/^Email/).fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByLabel(/^Confirm password/).fill(ADMIN.password);
    await page.getByRole('button', { name: "Let's start" }).click();
    await page.getByRole('heading', { name: `Hello, ${ADMIN.firstname} ${ADMIN.lastname}` }).waitFor();

    // The type the new one relates to exists before the builder opens (as after `schema apply`).
    const category = {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string', required: true } },
    };
    expect((await adminApi(page, url, 'POST', '/admin-api/content-type-builder/apply', { contentTypes: { category } })).status).toBe(200);

    await page.getByRole('menuitem', { name: 'Content-Type Builder' }).click();
    await page.waitForURL(/\/admin\/content-type-builder$/);
    const nav = page.getByRole('navigation', { name: 'Content types and components' });
    await nav.getByRole('link', { name: 'Category' }).click();
    await page.getByRole('table', { name: 'Fields of Category' }).getByText('name', { exact: true }).waitFor();
    await visited('builder with Category');
  });

  test('creates Article with a title, a relation to Category (both sides) and a cover image, and saves it through the plan', async ({ page, url, visited }) => {
    await page.getByRole('button', { name: 'Create a collection type' }).click();
    const typeDialog = page.getByRole('dialog', { name: 'Create a collection type' });
    await typeDialog.getByLabel('Display name').fill('Article');
    expect(await typeDialog.getByLabel('Singular API name').inputValue()).toBe('article');
    expect(await typeDialog.getByLabel('Plural API name').inputValue()).toBe('articles');
    expect(await typeDialog.getByLabel(/^Draft & publish/).isChecked()).toBe(true);
    await visited('create type');
    await typeDialog.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/admin\/content-type-builder\/content-types\/article$/);

    await addField(page, async () => {
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name', { exact: true }).fill('title');
      await dialog.getByLabel('Type', { exact: true }).selectOption('string');
      await dialog.getByLabel('Maximum length').fill('120');
      await dialog.getByLabel(/^Required/).check();
    });
    await addField(page, async () => {
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name', { exact: true }).fill('category');
      await dialog.getByLabel('Type', { exact: true }).selectOption('relation');
      await dialog.getByLabel('Related content type').selectOption('category');
      await dialog.getByLabel('Relation', { exact: true }).selectOption('manyToOne');
      // The other side's name is suggested from the kind: a Category has many articles.
      expect(await dialog.getByLabel('Field name on Category').inputValue()).toBe('articles');
      await visited('relation field');
    });
    await addField(page, async () => {
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name', { exact: true }).fill('cover');
      await dialog.getByLabel('Type', { exact: true }).selectOption('media');
      await dialog.getByLabel('Number of files').selectOption('single');
      await dialog.getByLabel('Images').check();
    });
    const fields = page.getByRole('table', { name: 'Fields of Article' });
    for (const name of ['title', 'category', 'cover']) await fields.locator(`tr[data-field="${name}"]`).waitFor();
    await visited('article fields');

    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    await plan.getByText(/^create table articles \(/).waitFor();
    expect(await plan.locator('[data-destructive="true"]').count()).toBe(0);
    await visited('plan');
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText(/^Schema saved: \d+ database steps? applied/).waitFor();
    await plan.waitFor({ state: 'detached' });
    await visited('saved');

    // Served by the Content API now: the Public role may not read it yet (403, not 404).
    expect((await fetch(url('/api/articles'))).status).toBe(403);
    const schema = await schemaOf(page, url);
    expect(schema.contentTypes.article.attributes).toEqual({
      title: { type: 'string', required: true, maxLength: 120 },
      category: { type: 'relation', relation: 'manyToOne', target: 'category', inversedBy: 'articles' },
      cover: { type: 'media', multiple: false, allowedTypes: ['images'] },
    });
    expect(schema.contentTypes.category.attributes.articles).toEqual({ type: 'relation', relation: 'oneToMany', target: 'article', mappedBy: 'category' });
    // The Category page shows the other side too, after a reload from the server.
    await page.reload();
    await page.getByRole('navigation', { name: 'Content types and components' }).getByRole('link', { name: 'Category' }).click();
    await page.getByRole('table', { name: 'Fields of Category' }).locator('tr[data-field="articles"]').waitFor();
  });

  test('renaming a field keeps the values of existing entries', async ({ page, url, visited }) => {
    const created = await adminApi(page, url, 'POST', '/admin-api/api-tokens', { name: 'e2e writer', type: 'full-access' });
    expect(created.status).toBe(201);
    token = (created.json as { data: { accessKey: string } }).data.accessKey;
    const entry = await fetch(url('/api/articles'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { title: 'Hello from the builder' } }),
    });
    expect(entry.status).toBe(201);

    await page.getByRole('navigation', { name: 'Content types and components' }).getByRole('link', { name: 'Article' }).click();
    await page.getByRole('button', { name: 'Edit the field title' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit the field title' });
    await dialog.getByLabel('Name', { exact: true }).fill('headline');
    await dialog.getByRole('button', { name: 'Update field' }).click();
    await page.getByText('renamed from title').waitFor();
    await visited('renamed');

    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    await plan.getByText('rename column articles.title to headline').waitFor();
    expect(await plan.locator('[data-destructive="true"]').count()).toBe(0);
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText(/^Schema saved/).waitFor();

    const list = (await (await fetch(url('/api/articles'), { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { headline?: string; title?: string }[] };
    expect(list.data.map((a) => a.headline)).toEqual(['Hello from the builder']);
  });

  test('removing a field that holds data needs "I understand data will be lost"', async ({ page, url, visited }) => {
    await page.getByRole('button', { name: 'Remove the field headline' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    const step = plan.locator('[data-destructive="true"]');
    await step.getByText(/^drop column articles\.headline \(\d+ row\(s\) with a value\)$/).waitFor();
    await plan.getByRole('alert').filter({ hasText: /data for good: articles\.headline \(\d+ rows?\)/ }).waitFor();
    const apply = plan.getByRole('button', { name: 'Apply and delete data' });
    expect(await apply.isDisabled()).toBe(true);
    await visited('destructive plan');

    await plan.getByLabel('I understand data will be lost').check();
    expect(await apply.isDisabled()).toBe(false);
    await apply.click();
    await page.getByText(/^Schema saved/).waitFor();
    await visited('field removed');
    expect(Object.keys((await schemaOf(page, url)).contentTypes.article.attributes)).toEqual(['category', 'cover']);
  });
});
