// Encrypted fields in the dashboard (issue 22): the Content-Type Builder's "Encrypted" checkbox, with
// its explanation, on a text-like field (Unique and Index leave once it is checked); the entry's value
// is then typed and read back in the edit form, while the database column holds only the envelope.
import { randomBytes } from 'node:crypto';
import { describe, expect } from '@jest/globals';
import { connectTestDatabase } from '../helpers/databases.js';
import { addField, applyContentTypes, builderSection, openInBuilder, registerFirstAdmin } from './builder.js';
import { openCreateForm, useE2E } from './harness.js';
import { until } from './session.js';

const KEYS = `e2e:${randomBytes(32).toString('base64')}`;
const { test, get } = useE2E({ env: { FOLIO_ENCRYPTION_KEYS: KEYS } });

const ADMIN = { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };
const SECRET = 'The nanosecond is 30 cm';

describe('encrypted fields in Chromium', () => {
  test('the builder offers Encrypted on a text field, explains it, and saves it', async ({ page, url, visited }) => {
    await registerFirstAdmin(page, url, ADMIN);
    const note = {
      kind: 'collectionType',
      info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
      options: { draftAndPublish: false },
      attributes: { title: { type: 'string' } },
    };
    await applyContentTypes(page, url, { note });

    await page.getByRole('menuitem', { name: 'Content-Type Builder' }).click();
    await openInBuilder(page, 'Note');
    await addField(page, 'Note', { name: 'secret', type: 'text' }, async (dialog) => {
      await dialog.getByText(/cannot be filtered, sorted, searched or unique/).waitFor();
      await dialog.getByLabel(/^Encrypted/).check();
      await visited('encrypted field');
    });

    // A string field offers Unique until Encrypted is checked.
    await builderSection(page, 'Note').getByRole('button', { name: 'Add a field' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a field to Note' });
    await dialog.getByLabel('Type', { exact: true }).selectOption('string');
    await dialog.getByLabel(/^Unique/).waitFor();
    await dialog.getByLabel(/^Encrypted/).check();
    expect(await dialog.getByLabel(/^Unique/).count()).toBe(0);
    // Not offered on types that cannot be encrypted.
    await dialog.getByLabel('Type', { exact: true }).selectOption('integer');
    expect(await dialog.getByLabel(/^Encrypted/).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    await plan.getByText(/^add column notes\.secret text/).waitFor();
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText(/^Schema saved: \d+ database steps? applied/).waitFor();
  });

  test('an editor types the encrypted value and reads it back; the column holds only ciphertext', async ({
    page,
    visited,
  }) => {
    await page.getByRole('menuitem', { name: 'Note' }).click();
    await openCreateForm(page, 'content/note');
    await page.getByLabel(/^Title/).fill('Nanoseconds');
    await page.getByLabel(/^Secret/).fill(SECRET);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((u) => /\/content\/note\/[a-z0-9]+$/.test(u.pathname) && !u.pathname.endsWith('/create'));
    await page.reload();
    // The form is filled once the entry is read.
    await until(async () => (await page.getByLabel(/^Title/).inputValue()) === 'Nanoseconds');
    expect(await page.getByLabel(/^Secret/).inputValue()).toBe(SECRET);
    await visited('read back');

    const db = connectTestDatabase(get().database);
    try {
      const stored = (await db('notes').pluck('secret')) as string[];
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatch(/^fenc:v1:[a-f0-9]+:/);
      expect(stored[0]).not.toContain('nanosecond');
    } finally {
      await db.destroy();
    }
  });
});
