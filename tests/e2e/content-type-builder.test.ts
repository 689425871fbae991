// The Content-Type Builder in a real browser, as a Super Admin models a blog: an Article type with
// a relation to the existing Category type (both sides named) and a cover image, saved through the
// plan, then served by the Content API. Then a rename keeps an entry's value, and removing a field
// that holds data needs the explicit "I understand data will be lost". The tests run in order.
import { describe, expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { addField, adminApi, applyContentTypes, builderSection, openInBuilder, registerFirstAdmin } from './builder.js';
import { useE2E } from './harness.js';

const { test } = useE2E();

const ADMIN = {
  firstname: 'Margaret',
  lastname: 'Hamilton',
  email: 'margaret@example.com',
  password: 'apollo-guidance-1969',
};

interface SchemaAnswer {
  data: {
    contentTypes: Record<string, { info: { pluralName: string }; attributes: Record<string, Record<string, unknown>> }>;
  };
}

async function schemaOf(page: Page, url: (p: string) => string): Promise<SchemaAnswer['data']> {
  const { status, json } = await adminApi(page, url, 'GET', '/admin-api/content-type-builder/schema');
  expect(status).toBe(200);
  return (json as SchemaAnswer).data;
}

let token = '';

describe('the Content-Type Builder in Chromium', () => {
  test('a Super Admin finds the builder in the menu, with the existing Category type', async ({
    page,
    url,
    visited,
  }) => {
    await registerFirstAdmin(page, url, ADMIN);

    // The type the new one relates to exists before the builder opens (as after `schema apply`).
    const category = {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: { name: { type: 'string', required: true } },
    };
    await applyContentTypes(page, url, { category });

    await page.getByRole('menuitem', { name: 'Content-Type Builder' }).click();
    await page.waitForURL(/\/admin\/content-type-builder$/);
    await openInBuilder(page, 'Category');
    await page.getByRole('table', { name: 'Fields of Category' }).getByText('name', { exact: true }).waitFor();
    await visited('builder with Category');
  });

  test(
    'creates Article with a title, a relation to Category (both ' +
      'sides) and a cover image, and saves it through the plan',
    async ({ page, url, visited }) => {
      await page.getByRole('button', { name: 'Create a collection type' }).click();
      const typeDialog = page.getByRole('dialog', { name: 'Create a collection type' });
      await typeDialog.getByLabel('Display name').fill('Article');
      expect(await typeDialog.getByLabel('Singular API name').inputValue()).toBe('article');
      expect(await typeDialog.getByLabel('Plural API name').inputValue()).toBe('articles');
      expect(await typeDialog.getByLabel(/^Draft & publish/).isChecked()).toBe(true);
      await visited('create type');
      await typeDialog.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/admin\/content-type-builder\/content-types\/article$/);
      await builderSection(page, 'Article').waitFor();

      await addField(page, 'Article', { name: 'title', type: 'string' }, async (dialog) => {
        await dialog.getByLabel('Maximum length').fill('120');
        await dialog.getByLabel(/^Required/).check();
      });
      await addField(page, 'Article', { name: 'category', type: 'relation' }, async (dialog) => {
        await dialog.getByLabel('Related content type').selectOption('category');
        await dialog.getByLabel('Relation', { exact: true }).selectOption('manyToOne');
        // The other side's name is suggested from the kind: a Category has many articles.
        expect(await dialog.getByLabel('Field name on Category').inputValue()).toBe('articles');
        await visited('relation field');
      });
      await addField(page, 'Article', { name: 'cover', type: 'media' }, async (dialog) => {
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
      expect(schema.contentTypes.category.attributes.articles).toEqual({
        type: 'relation',
        relation: 'oneToMany',
        target: 'article',
        mappedBy: 'category',
      });
      // The Category page shows the other side too, after a reload from the server.
      await page.reload();
      await openInBuilder(page, 'Category');
      await page.getByRole('table', { name: 'Fields of Category' }).locator('tr[data-field="articles"]').waitFor();
    },
  );

  test('renaming a field keeps the values of existing entries', async ({ page, url, visited }) => {
    const created = await adminApi(page, url, 'POST', '/admin-api/api-tokens', {
      name: 'e2e writer',
      type: 'full-access',
    });
    expect(created.status).toBe(201);
    token = (created.json as { data: { accessKey: string } }).data.accessKey;
    const entry = await fetch(url('/api/articles'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { title: 'Hello from the builder' } }),
    });
    expect(entry.status).toBe(201);

    await openInBuilder(page, 'Article');
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

    const list = (await (
      await fetch(url('/api/articles'), { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { data: { headline?: string; title?: string }[] };
    expect(list.data.map((a) => a.headline)).toEqual(['Hello from the builder']);
  });

  test('removing a field that holds data needs "I understand data will be lost"', async ({ page, url, visited }) => {
    await page.getByRole('button', { name: 'Remove the field headline' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    const step = plan.locator('[data-destructive="true"]');
    await step.getByText(/^drop column articles\.headline \(\d+ row\(s\) with a value\)$/).waitFor();
    await plan
      .getByRole('alert')
      .filter({ hasText: /data for good: articles\.headline \(\d+ rows?\)/ })
      .waitFor();
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

  test('renaming the other side of a relation, on Category, renames it on Article too', async ({
    page,
    url,
    visited,
  }) => {
    await openInBuilder(page, 'Category');
    await page.getByRole('button', { name: 'Edit the field articles' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit the field articles' });
    expect(await dialog.getByLabel('Field name on Article').inputValue()).toBe('category');
    await dialog.getByLabel('Name', { exact: true }).fill('posts');
    await dialog.getByRole('button', { name: 'Update field' }).click();
    await page.getByText('renamed from articles').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    await plan.getByText(/Category \(content type\): changed/).waitFor();
    await visited('inverse renamed');
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText(/^Schema saved/).waitFor();
    const schema = await schemaOf(page, url);
    expect(schema.contentTypes.category.attributes.posts).toEqual({
      type: 'relation',
      relation: 'oneToMany',
      target: 'article',
      mappedBy: 'category',
    });
    expect(schema.contentTypes.article.attributes.category).toEqual({
      type: 'relation',
      relation: 'manyToOne',
      target: 'category',
      inversedBy: 'posts',
    });
    expect(Object.keys(schema.contentTypes.article.attributes)).toEqual(['category', 'cover']);
  });

  test(
    'every attribute type, components, a dynamic zone and a single ' +
      'type are made in the browser and accepted by the server',
    async ({ page, url, visited }) => {
      const nav = page.getByRole('navigation', { name: 'Content types and components' });
      let owner = '';
      const newComponent = async (displayName: string, category: string) => {
        await nav.getByRole('button', { name: 'Create a component' }).click();
        const dialog = page.getByRole('dialog', { name: 'Create a component' });
        await dialog.getByLabel('Display name').fill(displayName);
        await dialog.getByLabel('Category').fill(category);
        await dialog.getByRole('button', { name: 'Continue' }).click();
        await dialog.waitFor({ state: 'detached' });
        await builderSection(page, displayName).waitFor();
        owner = displayName;
      };
      const field = (name: string, type: string, more?: (d: Locator) => Promise<unknown>) =>
        addField(page, owner, { name, type }, more);

      await newComponent('SEO', 'shared');
      await page.waitForURL(/\/components\/shared\.seo$/);
      await field('metaTitle', 'string');
      await newComponent('Quote', 'blocks');
      await field('text', 'text');

      await nav.getByRole('button', { name: 'Create a collection type' }).click();
      const typeDialog = page.getByRole('dialog', { name: 'Create a collection type' });
      await typeDialog.getByLabel('Display name').fill('Showcase');
      await typeDialog.getByLabel(/^Localized/).check();
      await typeDialog.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/content-types\/showcase$/);
      await builderSection(page, 'Showcase').waitFor();
      owner = 'Showcase';

      await field('label', 'string', async (d) => {
        await d.getByLabel('Minimum length').fill('2');
        await d.getByLabel('Pattern (regular expression)').fill('^[A-Za-z ]+$');
        await d.getByLabel(/^Unique/).check();
      });
      await field('summary', 'text', (d) => d.getByLabel('Maximum length').fill('500'));
      await field('body', 'richtext');
      await field('content', 'blocks');
      await field('contact', 'email', (d) => d.getByLabel(/^Required/).check());
      await field('secret', 'password', (d) => d.getByLabel(/^Private/).check());
      await field('slug', 'uid', (d) => d.getByLabel('Generated from').selectOption('label'));
      await field('views', 'integer', async (d) => {
        await d.getByLabel('Minimum', { exact: true }).fill('0');
        await d.getByLabel('Maximum', { exact: true }).fill('1000');
        await d.getByLabel('Default value').fill('0');
      });
      await field('big', 'biginteger');
      await field('price', 'decimal', (d) => d.getByLabel('Minimum', { exact: true }).fill('0'));
      await field('ratio', 'float');
      await field('featured', 'boolean', (d) => d.getByLabel('Default value').selectOption('false'));
      await field('day', 'date');
      await field('at', 'time');
      await field('when', 'datetime');
      await field('tier', 'enumeration', async (d) => {
        await d.getByLabel('Values').fill('gold\nsilver');
        await d.getByLabel('Default value').selectOption('gold');
      });
      await field('extra', 'json');
      await field('gallery', 'media', async (d) => {
        await d.getByLabel('Number of files').selectOption('multiple');
        await d.getByLabel('Images').check();
        await d.getByLabel('Videos').check();
      });
      await field('categories', 'relation', async (d) => {
        await d.getByLabel('Related content type').selectOption('category');
        await d.getByLabel('Relation', { exact: true }).selectOption('manyToMany');
        await d.getByLabel('Field name on Category').fill('showcases');
      });
      await field('pinned', 'relation', async (d) => {
        await d.getByLabel('Related content type').selectOption('article');
        await d.getByLabel('Relation', { exact: true }).selectOption('oneToOne');
        await d.getByLabel('Field name on Article').fill('');
      });
      await field('seo', 'component', (d) => d.getByLabel('Component', { exact: true }).selectOption('shared.seo'));
      await field('quotes', 'component', async (d) => {
        await d.getByLabel('Component', { exact: true }).selectOption('blocks.quote');
        await d.getByLabel(/^Repeatable/).check();
        await d.getByLabel('Maximum items').fill('5');
      });
      await field('sections', 'dynamiczone', async (d) => {
        await d.getByLabel('SEO (shared.seo)').check();
        await d.getByLabel('Quote (blocks.quote)').check();
      });
      await visited('every type');

      await nav.getByRole('button', { name: 'Create a single type' }).click();
      const single = page.getByRole('dialog', { name: 'Create a single type' });
      await single.getByLabel('Display name').fill('Homepage');
      await single.getByLabel(/^Draft & publish/).uncheck();
      await single.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/content-types\/homepage$/);
      await builderSection(page, 'Homepage').waitFor();
      owner = 'Homepage';
      await field('headline', 'string');

      await page.getByRole('button', { name: 'Save' }).click();
      const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
      await plan.getByText(/^create table showcases \(/).waitFor();
      await visited('plan of everything');
      expect(await plan.locator('[data-destructive="true"]').count()).toBe(0);
      await plan.getByRole('button', { name: 'Apply', exact: true }).click();
      await page.getByText(/^Schema saved/).waitFor();

      const schema = (await schemaOf(page, url)) as SchemaAnswer['data'] & {
        components: Record<string, { attributes: Record<string, unknown> }>;
      };
      expect(schema.contentTypes.showcase).toMatchObject({
        kind: 'collectionType',
        pluginOptions: { i18n: { localized: true } },
        options: { draftAndPublish: true },
      });
      expect(schema.contentTypes.showcase.attributes).toEqual({
        label: { type: 'string', unique: true, minLength: 2, regex: '^[A-Za-z ]+$' },
        summary: { type: 'text', maxLength: 500 },
        body: { type: 'richtext' },
        content: { type: 'blocks' },
        contact: { type: 'email', required: true },
        secret: { type: 'password', private: true },
        slug: { type: 'uid', targetField: 'label' },
        views: { type: 'integer', min: 0, max: 1000, default: 0 },
        big: { type: 'biginteger' },
        price: { type: 'decimal', min: 0 },
        ratio: { type: 'float' },
        featured: { type: 'boolean', default: false },
        day: { type: 'date' },
        at: { type: 'time' },
        when: { type: 'datetime' },
        tier: { type: 'enumeration', enum: ['gold', 'silver'], default: 'gold' },
        extra: { type: 'json' },
        gallery: { type: 'media', multiple: true, allowedTypes: ['images', 'videos'] },
        categories: { type: 'relation', relation: 'manyToMany', target: 'category', inversedBy: 'showcases' },
        pinned: { type: 'relation', relation: 'oneToOne', target: 'article' },
        seo: { type: 'component', component: 'shared.seo', repeatable: false },
        quotes: { type: 'component', component: 'blocks.quote', repeatable: true, max: 5 },
        sections: { type: 'dynamiczone', components: ['shared.seo', 'blocks.quote'] },
      });
      expect(schema.contentTypes.category.attributes.showcases).toEqual({
        type: 'relation',
        relation: 'manyToMany',
        target: 'showcase',
        mappedBy: 'categories',
      });
      expect(schema.contentTypes.homepage).toMatchObject({
        kind: 'singleType',
        options: { draftAndPublish: false },
        attributes: { headline: { type: 'string' } },
      });
      expect(Object.keys(schema.components).sort()).toEqual(['blocks.quote', 'shared.seo']);
      for (const path of ['/api/showcases', '/api/homepage'])
        expect([path, (await fetch(url(path))).status]).toEqual([path, 403]);
    },
    180_000,
  );

  test(
    'a change the server refuses shows its message on the ' +
      'field it names, and Discard restores the schema in force',
    async ({ page, visited }) => {
      await openInBuilder(page, 'Showcase');
      // slug is generated from label: without label the schema is invalid.
      await page.getByRole('button', { name: 'Remove the field label' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'The schema was not saved' });
      await alert.getByText('contentTypes › showcase › attributes › slug › targetField').waitFor();
      await page
        .locator('tr[data-field="slug"]')
        .getByText(/^targetField: targetField "label" is not an attribute of showcase/)
        .waitFor();
      await visited('server error on the field');

      await page.getByRole('button', { name: 'Discard' }).click();
      await page.locator('tr[data-field="label"]').waitFor();
      expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    },
  );

  test('deleting a type is kept as an unsaved change until the plan is confirmed', async ({ page, url, visited }) => {
    const nav = page.getByRole('navigation', { name: 'Content types and components' });
    await openInBuilder(page, 'Homepage');
    await builderSection(page, 'Homepage').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete Homepage?' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/admin\/content-type-builder$/);
    await page.getByText(/Unsaved changes: .*deleted: homepage/).waitFor();
    expect(await nav.getByRole('link', { name: 'Homepage' }).count()).toBe(0);
    // Still there until Save: moving to another type keeps the working copy.
    await openInBuilder(page, 'Category');
    expect(await nav.getByRole('link', { name: 'Homepage' }).count()).toBe(0);
    expect((await fetch(url('/api/homepage'))).status).toBe(403);
    // Leaving the builder and coming back keeps the unsaved work too.
    await page.getByRole('menuitem', { name: 'Home', exact: true }).click();
    await page.getByRole('heading', { name: `Hello, ${ADMIN.firstname} ${ADMIN.lastname}` }).waitFor();
    await page.getByRole('menuitem', { name: 'Content-Type Builder' }).click();
    await page.getByText(/Unsaved changes: .*deleted: homepage/).waitFor();

    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    await plan.getByText(/^drop table homepages \(0 row\(s\)\)$/).waitFor();
    await plan.getByText('Homepage (content type): deleted').waitFor();
    await visited('plan of a deletion');
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText(/^Schema saved/).waitFor();
    expect((await schemaOf(page, url)).contentTypes.homepage).toBeUndefined();
    expect((await fetch(url('/api/homepage'))).status).toBe(404);
  });

  test('an Editor, who may not use the builder, does not see it in the menu and cannot open it', async ({
    page,
    url,
    visited,
  }) => {
    const invited = await adminApi(page, url, 'POST', '/admin-api/users', {
      email: 'editor@example.com',
      firstname: 'Ed',
      lastname: 'Itor',
      roles: ['editor'],
    });
    expect(invited.status).toBe(201);
    const token = new URL((invited.json as { meta: { invitationUrl: string } }).meta.invitationUrl).searchParams.get(
      'token',
    );
    const accepted = await fetch(url('/admin-api/auth/accept-invitation'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password: 'editor-password-1' }),
    });
    expect(accepted.status).toBe(200);

    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login$/);
    await page.getByLabel(/^Email/).fill('editor@example.com');
    await page.getByLabel(/^Password/).fill('editor-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Hello, Ed Itor' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Content-Type Builder' }).count()).toBe(0);

    await page.goto(url('/admin/content-type-builder'));
    await page.getByText('Your role may not use the Content-Type Builder.').waitFor();
    await visited('editor refused');
    expect((await page.request.get(url('/admin-api/content-type-builder/schema'))).status()).toBe(403);
  });
});
