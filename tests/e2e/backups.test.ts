// Settings › Backups in Chromium, on the demo blog: a Super Admin downloads a backup, adds a tag,
// then imports the backup over the installation — only once REPLACE is typed — and the summary
// shows; the tag added after the backup is gone, and the page still works (accounts were not in it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import { useE2E } from './harness.js';
import { RUN_DIR } from '../helpers/env.js';

const { test } = useE2E({ env: { FOLIO_DEMO: 'true' } });

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

describe('Settings › Backups in Chromium', () => {
  test('downloads a backup and imports it over the installation after the typed confirmation', async ({
    page,
    url,
    visited,
  }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const headers = { 'X-CSRF-Token': me.data.csrfToken };
    const tagNames = async () => {
      const res = await page.request.get(url('/admin-api/content/tag?pageSize=100'));
      const body = (await res.json()) as { data: Array<{ name: string }> };
      if (!body.data) throw new Error(`${res.status()} ${JSON.stringify(body)}`);
      return body.data.map((t) => t.name);
    };

    await page.goto(url('/admin/'));
    await page.getByRole('menuitem', { name: 'Backups' }).click();
    await page.getByRole('heading', { name: 'Download a backup' }).waitFor();
    await expect(page.getByRole('checkbox', { name: /^Admin accounts/ }).isChecked()).resolves.toBe(false);
    await visited('backups page');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download backup' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^folio-backup-.*\.tar\.gz$/);
    const archive = path.join(RUN_DIR, `e2e-backup-${Date.now()}.tar.gz`);
    await download.saveAs(archive);
    expect([...readFileSync(archive).subarray(0, 2)]).toEqual([0x1f, 0x8b]); // gzip
    await page.getByText('Backup downloaded').waitFor();

    const before = await tagNames();
    const added = await page.request.post(url('/admin-api/content/tag'), { headers, data: { name: 'after-backup' } });
    expect(added.status()).toBe(201);

    await page.locator('input[type="file"]').setInputFiles(archive);
    await page.getByText(path.basename(archive)).waitFor();
    await page.getByRole('checkbox', { name: 'Replace what this installation holds' }).check();
    const importButton = page.getByRole('button', { name: 'Import', exact: true });
    await expect(importButton.isDisabled()).resolves.toBe(true); // not before REPLACE is typed
    await page.getByLabel('Type REPLACE to confirm').fill('REPLACE');
    await importButton.click();
    const summary = page.getByRole('region', { name: 'Imported' });
    await summary.getByText(/rows and \d+ media files \(settings, media, content\)/).waitFor();
    await visited('imported');

    expect((await tagNames()).sort()).toEqual([...before].sort());
    // Still signed in: the archive held no accounts, so no session ended.
    expect((await page.request.get(url('/admin-api/backups/progress'))).status()).toBe(200);
    await page.reload();
    await page.getByRole('heading', { name: 'Download a backup' }).waitFor();
  });
});
