// Relations to the site members in the dashboard (docs/schema.md, "Relations to the site members"):
// an admin picks a review's reviewer among the members by username, saves, and the API holds that
// member's id; the owner, which the server sets, is shown read-only.
import { describe, expect } from '@jest/globals';
import { useE2E } from './harness.js';

const { test } = useE2E();

const ADMIN = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const REVIEW_TYPE = {
  kind: 'collectionType',
  info: { singularName: 'review', pluralName: 'reviews', displayName: 'Review' },
  options: { draftAndPublish: false, owner: 'author' },
  attributes: {
    body: { type: 'string' },
    author: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
    reviewer: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
  },
};

describe('member relations in Chromium', () => {
  test('an admin picks a reviewer among the members; the owner is read-only', async ({ page, url }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADMIN })).status()).toBe(201);
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const headers = { 'X-CSRF-Token': me.data.csrfToken };
    const applied = await page.request.post(url('/admin-api/content-type-builder/apply'), {
      headers,
      data: { contentTypes: { review: REVIEW_TYPE } },
    });
    expect(applied.status()).toBe(200);
    const ids: number[] = [];
    for (const username of ['grace', 'linus']) {
      const res = await page.request.post(url('/api/auth/local/register'), {
        data: { username, email: `${username}@example.com`, password: 'reader-pass-1' },
      });
      expect(res.status()).toBe(200);
      ids.push(((await res.json()) as { user: { id: number } }).user.id);
    }
    const created = await page.request.post(url('/admin-api/content/review'), {
      headers,
      data: { body: 'Sound', reviewer: ids[0] },
    });
    expect(created.status()).toBe(201);
    const { documentId } = ((await created.json()) as { data: { documentId: string } }).data;

    await page.goto(url(`/admin/content/review/${documentId}`));
    const reviewer = page.getByLabel('Reviewer');
    // The picker shows the member once its record is read (GET /admin-api/members/:id).
    await page.waitForFunction(() => {
      // The page's document (the test's TypeScript has no DOM types).
      const page = globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ value: string }> } };
      return Array.from(page.document.querySelectorAll('input')).some((i) => i.value.startsWith('grace'));
    });
    expect(await reviewer.inputValue()).toBe('grace · grace@example.com');
    expect(await page.getByLabel('Author').isEditable()).toBe(false);
    await reviewer.fill('lin');
    await page.getByRole('option', { name: 'linus · linus@example.com' }).click();
    const saved = page.waitForResponse(
      (r) => r.url().includes(`/admin-api/content/review/${documentId}`) && r.request().method() === 'PUT',
    );
    await page.getByRole('button', { name: 'Save' }).first().click();
    expect((await saved).status()).toBe(200);
    const res = await page.request.get(url(`/admin-api/content/review/${documentId}`));
    expect(((await res.json()) as { data: { reviewer: number } }).data.reviewer).toBe(ids[1]);
  });
});
