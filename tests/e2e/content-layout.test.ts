// "Configure the view" in a real browser: a Super Admin reorders a type's fields (by dragging and
// with the arrow buttons), puts two of them side by side at half width, groups one in a section of
// its own, and saves it through the plan, which shows a layout step and no table change. The edit
// form then shows the fields in their new places, the half-width pair side by side on a wide screen
// and one under the other on a phone. The tests run in order.
import { eventually } from '../helpers/faults.js';
import { describe, expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { useE2E } from './harness.js';

const { test } = useE2E();

const ADMIN = { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };

const note = {
  kind: 'collectionType',
  info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
  options: { draftAndPublish: false },
  attributes: {
    title: { type: 'string' },
    subtitle: { type: 'string' },
    summary: { type: 'text' },
    author: { type: 'string' },
  },
};

async function adminPost(page: Page, url: (p: string) => string, path: string, body: object): Promise<number> {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  const res = await page.request.post(url(path), { headers: { 'X-CSRF-Token': me.data.csrfToken }, data: body });
  return res.status();
}

/** The values of an attribute on the elements a locator finds, in page order. */
async function attributes(locator: Locator, name: string): Promise<string[]> {
  return Promise.all((await locator.all()).map(async (l) => (await l.getAttribute(name)) ?? ''));
}

/** The fields of the edit form, in the order they are on the page. */
function formOrder(page: Page): Promise<string[]> {
  return attributes(page.locator('form [data-field]'), 'data-field');
}

/** The fields of each section of the view dialog, in order. */
async function dialogOrder(dialog: Locator): Promise<string[][]> {
  const sections = await dialog.locator('[data-layout-section]').all();
  return Promise.all(sections.map((s) => attributes(s.locator('[data-layout-field]'), 'data-layout-field')));
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('the element is not on screen');
  return b;
}

describe('content-type layout in Chromium', () => {
  test('a Super Admin opens "Configure the view" of the Note type', async ({ page, url, visited }) => {
    // Registering the first administrator signs the browser in (the request shares its cookies).
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADMIN })).status()).toBe(201);
    expect(await adminPost(page, url, '/admin-api/content-type-builder/apply', { contentTypes: { note } })).toBe(200);

    await page.goto(url('/admin/content-type-builder/content-types/note'));
    await page
      .getByRole('region', { name: 'Note', exact: true })
      .getByRole('button', { name: 'Configure the view' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Configure the view of Note' });
    await dialog.waitFor();
    expect(await dialogOrder(dialog)).toEqual([['title', 'subtitle', 'summary', 'author']]);
    await visited('view dialog');
  });

  test('fields are reordered by dragging and with the arrow buttons, sized and grouped', async ({ page, visited }) => {
    const dialog = page.getByRole('dialog', { name: 'Configure the view of Note' });
    // Drag summary above title by its handle (dnd-kit follows the pointer in small steps).
    const handle = dialog.getByRole('button', { name: 'Drag summary' });
    const from = await box(handle);
    const onto = await box(dialog.locator('[data-layout-field="title"]'));
    await page.mouse.move(from.x + 5, from.y + 5);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + 5, from.y + 5 + ((onto.y - from.y - 5) * i) / 10);
    await page.mouse.up();
    await page.waitForFunction(`document.querySelector('[data-layout-field]')?.dataset.layoutField === 'summary'`);
    expect(await dialogOrder(dialog)).toEqual([['summary', 'title', 'subtitle', 'author']]);

    // From the keyboard: the arrow buttons.
    await dialog.getByRole('button', { name: 'Move summary down' }).click();
    await dialog.getByRole('button', { name: 'Move summary down' }).click();
    expect(await dialogOrder(dialog)).toEqual([['title', 'subtitle', 'summary', 'author']]);
    await dialog.getByRole('button', { name: 'Move author up' }).focus();
    await page.keyboard.press('Enter');
    expect(await dialogOrder(dialog)).toEqual([['title', 'subtitle', 'author', 'summary']]);

    for (const name of ['title', 'subtitle']) {
      await dialog
        .getByRole('group', { name: `Width of ${name}` })
        .getByRole('button', { name: 'Half width' })
        .click();
    }
    await dialog.getByRole('button', { name: 'Add a section' }).click();
    await dialog.getByRole('button', { name: 'Move summary down' }).click();
    expect(await dialogOrder(dialog)).toEqual([['title', 'subtitle', 'author'], ['summary']]);
    await dialog.getByLabel('Section title').nth(1).fill('Details');
    await visited('arranged');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('Save shows the layout as a step without table changes, and applies it', async ({ page, visited }) => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    await plan.waitFor();
    const steps = plan.getByRole('list', { name: 'Plan steps' }).getByRole('listitem');
    await steps.first().waitFor();
    expect(await steps.allInnerTexts()).toEqual([
      expect.stringMatching(/^change the view layout of note .*no database change/),
    ]);
    await plan.getByText(/^No table changes/).waitFor();
    await visited('plan');
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await plan.waitFor({ state: 'detached' });
    await page.getByText('Schema saved: no database change').waitFor();
  });

  test('a field moved in the layout shows in its new place, the half-width pair side by side', async ({
    page,
    url,
    visited,
  }) => {
    await page.goto(url('/admin/content/note/create'));
    await page.locator('form [data-field="title"]').waitFor();
    expect(await formOrder(page)).toEqual(['title', 'subtitle', 'author', 'summary']);
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByRole('heading', { name: 'Details' }).waitFor();
    expect(await details.locator('[data-field]').count()).toBe(1);
    expect(await details.locator('[data-field="summary"]').count()).toBe(1);

    const title = await box(page.locator('form [data-field="title"]'));
    const subtitle = await box(page.locator('form [data-field="subtitle"]'));
    const author = await box(page.locator('form [data-field="author"]'));
    expect(Math.abs(subtitle.y - title.y)).toBeLessThan(2);
    expect(subtitle.x).toBeGreaterThan(title.x + title.width - 1);
    expect(author.y).toBeGreaterThan(title.y);
    expect(author.width).toBeGreaterThan(title.width * 1.5);
    await visited('edit form, wide');
  });

  test('on a phone the half-width fields are full width, one under the other', async ({ page, visited }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    // The phone layout comes with a re-render after the resize (a media query read by React):
    // measure once it has, not the wide layout caught halfway.
    await eventually(async () => {
      const [t, sub] = await Promise.all([
        box(page.locator('form [data-field="title"]')),
        box(page.locator('form [data-field="subtitle"]')),
      ]);
      return Math.abs(sub.width - t.width) < 2;
    }, 5_000);
    const title = await box(page.locator('form [data-field="title"]'));
    const subtitle = await box(page.locator('form [data-field="subtitle"]'));
    expect(subtitle.y).toBeGreaterThan(title.y);
    expect(Math.abs(subtitle.width - title.width)).toBeLessThan(2);
    await visited('edit form, phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
