// Roles and the Public API in Chromium, on the demo blog (article, category, tag, author, global):
// a custom role is given read on articles through the permission matrix, narrowed to two fields
// and a condition whose JSON is checked as it is typed; the Super Admin's matrix cannot be changed;
// Home counts the demo's entries; and the Public role's find on articles is switched off and on
// again, with /api/articles following.
import { describe, expect } from '@jest/globals';
import { useE2E } from './harness.js';

const { test } = useE2E({ env: { FOLIO_DEMO: 'true' } });

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

interface Permission {
  action: string;
  subject: string;
  fields: string[] | null;
  conditions: { builtins?: string[]; query?: Record<string, unknown> } | null;
}

let reviewerId = 0;

/** Asks again (the UI saved; a cached ability may take a moment) until the answer is the expected one. */
async function eventually<T>(ask: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await ask();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await ask();
  }
  expect(last).toEqual(expected);
}

describe('roles and the Public API in Chromium', () => {
  test('a custom role is given read on articles through the matrix, with a field allowlist and conditions', async ({
    page,
    url,
    visited,
  }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const created = await page.request.post(url('/admin-api/roles'), {
      data: { name: 'Reviewer', description: 'Reads articles' },
      headers: { 'X-CSRF-Token': me.data.csrfToken },
    });
    expect(created.status()).toBe(201);
    reviewerId = ((await created.json()) as { data: { id: number } }).data.id;

    await page.goto(url('/admin/'));
    await page.getByRole('menuitem', { name: 'Roles' }).click();
    await page.getByRole('row').filter({ hasText: 'Reviewer' }).click();
    await page.waitForURL(new RegExp(`/admin/roles/${reviewerId}$`));
    const matrix = page.getByRole('region', { name: 'Permissions' });
    const read = matrix.getByRole('checkbox', { name: 'read Article' });
    await read.waitFor();
    expect(await read.isChecked()).toBe(false);
    await read.check();

    await matrix.getByRole('button', { name: 'Details of Article' }).click();
    await matrix.getByLabel('Read Article: only these fields').click();
    await page.getByRole('option', { name: 'title', exact: true }).click();
    await page.getByRole('option', { name: 'summary', exact: true }).click();
    await page.keyboard.press('Escape');
    await matrix.getByRole('checkbox', { name: 'Only entries they created' }).check();

    // The query is checked as JSON while it is typed; saving waits until it is valid.
    const query = matrix.getByLabel('Read Article: only entries with these values');
    await query.fill('{"featured": tru');
    await matrix.getByText(/^Not valid JSON/).waitFor();
    expect(await matrix.getByRole('button', { name: 'Save permissions' }).isDisabled()).toBe(true);
    await visited('invalid query');
    await query.fill('{"featured": true}');
    await matrix.getByText(/^Not valid JSON/).waitFor({ state: 'detached' });
    await visited('matrix filled in');
    await matrix.getByRole('button', { name: 'Save permissions' }).click();
    await page.getByText('Permissions saved').waitFor();

    const saved = (await (await page.request.get(url(`/admin-api/roles/${reviewerId}/permissions`))).json()) as {
      data: Permission[];
    };
    expect(saved.data).toEqual([
      expect.objectContaining({
        action: 'read',
        subject: 'article',
        fields: ['title', 'summary'],
        conditions: { builtins: ['isCreator'], query: { featured: true } },
      }),
    ]);

    // After a reload the matrix shows what is stored.
    await page.reload();
    await matrix.getByRole('checkbox', { name: 'read Article' }).waitFor();
    expect(await matrix.getByRole('checkbox', { name: 'read Article' }).isChecked()).toBe(true);
    expect(await matrix.getByRole('checkbox', { name: 'update Article' }).isChecked()).toBe(false);
    await matrix.getByText('restricted').waitFor();
  });

  test('a system permission is added beside it; unchecking removes it again', async ({ page, url }) => {
    const matrix = page.getByRole('region', { name: 'Permissions' });
    await matrix.getByRole('checkbox', { name: 'read Media library' }).check();
    await matrix.getByRole('button', { name: 'Save permissions' }).click();
    await page.getByText('Permissions saved').waitFor();
    let saved = (await (await page.request.get(url(`/admin-api/roles/${reviewerId}/permissions`))).json()) as {
      data: Permission[];
    };
    expect(saved.data.map((p) => `${p.subject}.${p.action}`).sort()).toEqual(['article.read', 'upload.read']);

    await matrix.getByRole('checkbox', { name: 'read Article' }).uncheck();
    await matrix.getByRole('button', { name: 'Save permissions' }).click();
    await page.getByText('Permissions saved').nth(0).waitFor();
    await eventually(async () => {
      saved = (await (await page.request.get(url(`/admin-api/roles/${reviewerId}/permissions`))).json()) as {
        data: Permission[];
      };
      return saved.data.map((p) => `${p.subject}.${p.action}`);
    }, ['upload.read']);
  });

  test("the Super Admin's matrix is shown checked and cannot be changed", async ({ page, visited }) => {
    await page.getByRole('menuitem', { name: 'Roles' }).click();
    await page.getByRole('cell', { name: 'Super Admin', exact: true }).click();
    await page.waitForURL(/\/admin\/roles\/\d+$/);
    const matrix = page.getByRole('region', { name: 'Permissions' });
    await matrix.getByText('Super Admin may do everything; its permissions cannot be changed.').waitFor();
    const publish = matrix.getByRole('checkbox', { name: 'publish Article' });
    expect(await publish.isChecked()).toBe(true);
    expect(await publish.isDisabled()).toBe(true);
    expect(await matrix.getByRole('button', { name: 'Save permissions' }).count()).toBe(0);
    await visited('super admin');
  });

  test("the Editor's grants on every content type show on the matrix's first row", async ({ page }) => {
    await page.getByRole('menuitem', { name: 'Roles' }).click();
    await page.getByRole('cell', { name: 'Editor', exact: true }).click();
    const matrix = page.getByRole('region', { name: 'Permissions' });
    const publishAll = matrix.getByRole('checkbox', { name: 'publish Every content type' });
    await publishAll.waitFor();
    expect(await publishAll.isChecked()).toBe(true);
    expect(await publishAll.isDisabled()).toBe(false);
    expect(await matrix.getByRole('checkbox', { name: 'publish Article' }).isChecked()).toBe(false);
    expect(await matrix.getByRole('checkbox', { name: 'delete Media library' }).isChecked()).toBe(true);
    expect(await matrix.getByRole('checkbox', { name: 'read Audit log' }).isDisabled()).toBe(true);
  });

  test("Home counts the demo blog's entries per type and lists the latest edits", async ({ page, url, visited }) => {
    await page.getByRole('menuitem', { name: 'Home' }).click();
    const counts = page.getByRole('list', { name: 'Entries per content type' });
    await counts.waitFor();
    const body = (await (await page.request.get(url('/admin-api/home'))).json()) as {
      data: { counts: { displayName: string; total: number }[]; recent: { label: string | null }[] };
    };
    const article = body.data.counts.find((c) => c.displayName === 'Article')!;
    expect(article.total).toBeGreaterThan(0);
    await counts.getByRole('listitem').filter({ hasText: 'Article' }).getByLabel(`${article.total} entries`).waitFor();
    const recent = page.getByRole('list', { name: 'Recent edits' });
    await recent
      .getByText(body.data.recent[0].label ?? '', { exact: true })
      .first()
      .waitFor();
    await visited('home');
    // A type leads to its list in the content manager.
    await counts.getByRole('link', { name: 'Article' }).click();
    await page.waitForURL(/\/admin\/content\/article$/);
  });

  test('switching the Public find on articles off and on again closes and opens /api/articles', async ({
    page,
    url,
    visited,
  }) => {
    // The demo opens find and findOne on its types to the Public role.
    expect((await fetch(url('/api/articles'))).status).toBe(200);
    await page.getByRole('menuitem', { name: 'Public API' }).click();
    await page.waitForURL(/\/admin\/public-api$/);
    const find = page.getByRole('checkbox', { name: 'List Article' });
    await find.waitFor();
    expect(await find.isChecked()).toBe(true);
    await find.uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Public API permissions saved').waitFor();
    await eventually(async () => (await fetch(url('/api/articles'))).status, 403);
    // The others are untouched.
    expect((await fetch(url('/api/categories'))).status).toBe(200);
    await visited('find switched off');

    await find.check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => (await fetch(url('/api/articles'))).status, 200);
    const allow = (await (await page.request.get(url('/admin-api/public-permissions'))).json()) as {
      data: { allow: string[] };
    };
    expect(allow.data.allow).toContain('article.find');
    expect(allow.data.allow).toContain('article.findOne');
  });

  test('undoing an unsaved change shows what is stored again', async ({ page }) => {
    const find = page.getByRole('checkbox', { name: 'List Article' });
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await find.uncheck();
    expect(await save.isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Undo changes' }).click();
    expect(await find.isChecked()).toBe(true);
    expect(await save.isDisabled()).toBe(true);
  });
});
