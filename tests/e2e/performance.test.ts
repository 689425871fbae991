// Settings › Performance in Chromium: a public list sorted by an unindexed column shows up with its
// traffic, its plan in words and the suggested index; "Add index", confirmed, builds it and the
// shape shows its timings before and after. The tests run in order.
import { describe, expect } from '@jest/globals';
import { adminApi, applyContentTypes, registerFirstAdmin, withDatabase } from './builder.js';
import { useE2E } from './harness.js';

const { test } = useE2E({ env: { QUERY_ADVISOR_SLOW_MS: '0' } });

const ADMIN = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const KEY = 'post|published|featured$eq|views:desc|';
const INDEX = 'posts_status_locale_featured_views_desc_id_idx';

describe('Settings › Performance, in Chromium', () => {
  test('a public list sorted by an unindexed column is read', async ({ page, url, database }) => {
    await registerFirstAdmin(page, url, ADMIN);
    const post = {
      kind: 'collectionType',
      info: { singularName: 'post', pluralName: 'posts', displayName: 'Post' },
      options: { draftAndPublish: false },
      attributes: { title: { type: 'string' }, views: { type: 'integer' }, featured: { type: 'boolean' } },
    };
    await applyContentTypes(page, url, { post });
    const allowed = await adminApi(page, url, 'PUT', '/admin-api/public-permissions', { allow: ['post.find'] });
    expect(allowed.status).toBe(200);
    await withDatabase(database.url, async (db) => {
      const now = new Date();
      await db('posts').insert(
        Array.from({ length: 200 }, (_, i) => ({
          document_id: `doc${String(i).padStart(21, '0')}`,
          locale: '',
          status: 'published',
          title: `Post ${i}`,
          views: (i * 7919) % 1000,
          featured: i % 4 === 0,
          created_at: now,
          updated_at: now,
          published_at: now,
        })),
      );
    });
    const res = await page.request.get(url('/api/posts?filters[featured][$eq]=true&sort=views:desc'));
    expect(res.status()).toBe(200);
  });

  test('the page lists the shape with its plan and suggested index', async ({ page, url, visited }) => {
    await page.goto(url('/admin/performance'));
    const row = page.locator(`tr[data-shape="${KEY}"]`);
    await row.getByText(/sorts the matching rows/).waitFor();
    await row.getByText('{"attributes":["featured","views:desc"]}').waitFor();
    await visited('slow shape');
  });

  test('"Add index", confirmed, builds it and shows the timings before and after', async ({
    page,
    database,
    visited,
  }) => {
    const row = page.locator(`tr[data-shape="${KEY}"]`);
    await row.getByRole('button', { name: 'Add index' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an index to post?' });
    await dialog.getByRole('button', { name: 'Add index' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row
      .getByTestId('before-after')
      .getByText(/After adding featured, views:desc: p50 \/ p99 before .* \(1\)/)
      .waitFor();
    await row.getByText(new RegExp(`reads through ${INDEX}`)).waitFor();
    await visited('index added');
    const indexes = await withDatabase(database.url, (db) =>
      db.raw<Array<{ name: string }>>('SELECT name FROM pragma_index_list(?)', ['posts']),
    );
    expect(indexes.map((i) => i.name)).toContain(INDEX);
  });
});
