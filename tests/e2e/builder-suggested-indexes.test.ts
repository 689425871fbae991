// The builder's plan dialog on an installation whose date field lacks its default index (made before
// the defaults): saving any change lists the index as suggested, nothing builds it unless the Super
// Admin ticks "Also build the suggested indexes", and then it is in the database. The tests run in order.
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { addField, applyContentTypes, registerFirstAdmin, withDatabase } from './builder.js';
import { useE2E } from './harness.js';

const { test } = useE2E();

const ADMIN = { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };
const INDEX = 'talks_status_locale_held_on_desc_id_idx';

const hasIndex = (databaseUrl: string) =>
  withDatabase(databaseUrl, async (db) =>
    (await db.raw<Array<{ name: string }>>('SELECT name FROM pragma_index_list(?)', ['talks'])).some(
      (i) => i.name === INDEX,
    ),
  );

/** A change to save: a new field on Talk. */
const addTextField = (page: Page, name: string) => addField(page, 'Talk', { name, type: 'string' });

describe('suggested indexes in the builder, in Chromium', () => {
  test('an installation made before the defaults: Talk.heldOn has no index', async ({ page, url, database }) => {
    await registerFirstAdmin(page, url, ADMIN);

    const talk = {
      kind: 'collectionType',
      info: { singularName: 'talk', pluralName: 'talks', displayName: 'Talk' },
      attributes: { title: { type: 'string' }, heldOn: { type: 'date' } },
    };
    await applyContentTypes(page, url, { talk });
    expect(await hasIndex(database.url)).toBe(true); // a new type gets it
    await withDatabase(database.url, (db) => db.raw('DROP INDEX ??', [INDEX]));
    expect(await hasIndex(database.url)).toBe(false);
  });

  test('saving without ticking the suggestion leaves the index unbuilt', async ({ page, url, database, visited }) => {
    await page.goto(url('/admin/content-type-builder/content-types/talk'));
    await addTextField(page, 'speaker');
    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    const suggested = plan.getByRole('list', { name: 'Suggested indexes' });
    await suggested.getByText(`create index ${INDEX} on talks (status, locale, held_on DESC, id)`).waitFor();
    expect(await plan.getByLabel('Also build the suggested indexes').isChecked()).toBe(false);
    await visited('plan with a suggestion');
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await plan.waitFor({ state: 'detached' });
    await page.getByText(/^Schema saved/).waitFor();
    expect(await hasIndex(database.url)).toBe(false);
  });

  test('ticking "Also build the suggested indexes" builds it', async ({ page, database, visited }) => {
    await addTextField(page, 'room');
    await page.getByRole('button', { name: 'Save' }).click();
    const plan = page.getByRole('dialog', { name: 'Apply these changes?' });
    await plan.getByRole('list', { name: 'Suggested indexes' }).getByText(`create index ${INDEX}`).waitFor();
    await plan.getByLabel('Also build the suggested indexes').check();
    await visited('suggestion accepted');
    await plan.getByRole('button', { name: 'Apply', exact: true }).click();
    await plan.waitFor({ state: 'detached' });
    expect(await hasIndex(database.url)).toBe(true);
  });
});
