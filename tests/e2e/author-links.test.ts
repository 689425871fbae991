// An Author links categories, tags and authors it cannot read in full: the relation pickers list every
// target a caller who may write the relation field could link (the "link right": documentId and main
// field only), so the demo's Author role categorises its own article. On the demo content, in Chromium.
import { describe, expect } from '@jest/globals';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { openCreateForm, useE2E } from './harness.js';

const { test, get } = useE2E();

const AUTHOR = { email: 'links-author@example.com', password: 'links-author-password-1' };

async function cli(args: string[]): Promise<void> {
  const result = await runCli(args, testEnv(get().database.url));
  if (result.code !== 0) throw new Error(`folio ${args.join(' ')} failed: ${result.stderr}`);
}

describe('relation pickers for an Author in Chromium', () => {
  test('an Author links a category, tags and an author to its own article', async ({ page, url, visited }) => {
    await cli(['seed', 'demo']);
    await cli(['admin', 'create', '--email', AUTHOR.email, '--password', AUTHOR.password, '--role', 'author']);

    await page.goto(url('/admin/login'));
    await page.getByLabel(/^Email/).fill(AUTHOR.email);
    await page.getByLabel(/^Password/).fill(AUTHOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await openCreateForm(page, 'content/article');
    await page.getByLabel(/^Title/).fill('Linked by an author');

    await page.getByLabel(/^Category/).fill('Gui');
    await page.getByRole('option', { name: 'Guides' }).click();
    // The input by its role: while the options stay open their list is labelled "Tags" too.
    const tags = page.getByRole('combobox', { name: 'Tags' });
    await tags.fill('perf');
    await page.getByRole('option', { name: 'performance' }).click();
    // The next search replaces the options; a picked tag whose record is not read yet would drop
    // from react-admin's selection (seen under load in CI). A person sees the chip first.
    await page.locator('.MuiChip-label', { hasText: 'performance' }).waitFor();
    await tags.fill('secu');
    await page.getByRole('option', { name: 'security' }).click();
    await page.getByLabel(/^Author/).fill('Mira');
    await page.getByRole('option', { name: 'Mira Okafor' }).click();
    await visited('relations chosen');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(
      (address) => /\/admin\/content\/article\/[^/]+$/.test(address.pathname) && !address.pathname.endsWith('/create'),
    );

    const documentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const res = await page.request.get(url(`/admin-api/content/article/${documentId}`));
    expect(res.status()).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    const labels = (value: unknown, field: string) => (value as Record<string, unknown>[]).map((v) => v[field]).sort();
    expect(data.title).toBe('Linked by an author');
    expect((data.category as { name: string }).name).toBe('Guides');
    expect(labels(data.tags, 'name')).toEqual(['performance', 'security']);
    expect((data.author as { name: string }).name).toBe('Mira Okafor');
  }, 120_000);
});
