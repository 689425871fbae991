// Every scalar attribute type goes through the generated form and back unchanged: created from an
// empty form (media, relations, components and dynamic zones left empty), saved, edited, saved
// again. On the shared blog schema of the API tests (tests/fixtures/blog-schema.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { openCreateForm, useE2E } from './harness.js';

const { test, get } = useE2E();

describe('content manager inputs in Chromium', () => {
  test('every scalar type round-trips through the create and edit forms', async ({ page, url, visited }) => {
    const file = path.join(RUN_DIR, `content-inputs-schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(blogSchema));
    const env = testEnv(get().database.url);
    expect((await runCli(['schema', 'apply', file], env)).code).toBe(0);
    expect(
      (
        await runCli(
          ['admin', 'create', '--email', 'inputs@example.com', '--password', 'inputs-password-1', '--role', 'editor'],
          env,
        )
      ).code,
    ).toBe(0);

    await page.goto(url('/admin/login'));
    await page.getByLabel(/^Email/).fill('inputs@example.com');
    await page.getByLabel(/^Password/).fill('inputs-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('menuitem', { name: 'Article' }).click();
    await openCreateForm(page, 'content/article');
    await page.getByLabel(/^Title/).fill('All inputs');
    await page.getByLabel(/^Views/).fill('3');
    await page.getByLabel(/^Big views/).fill('12345678901234');
    await page.getByLabel(/^Rating/).fill('4.5');
    await page.getByLabel(/^Featured/).check();
    await page.getByLabel(/^Published date/).fill('2026-01-02');
    await page.getByLabel(/^Reading time/).fill('12:30');
    await page.getByLabel(/^Scheduled at/).fill('2026-01-02T10:30');
    await page.getByLabel(/^Kind/).click();
    await page.getByRole('option', { name: 'review' }).click();
    await page.getByLabel(/^Metadata/).fill('{"a": 1}');
    await visited('every input filled');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();

    await page.getByLabel(/^Summary/).fill('changed');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Changes saved').waitFor();
    await visited('saved twice');

    const documentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const res = await page.request.get(url(`/admin-api/content/article/${documentId}`));
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    const scheduled = new Date(2026, 0, 2, 10, 30).toISOString(); // the browser's local time, as an instant
    expect(data).toMatchObject({
      title: 'All inputs',
      slug: 'all-inputs',
      summary: 'changed',
      views: 3,
      bigViews: '12345678901234',
      rating: 4.5,
      featured: true,
      publishedDate: '2026-01-02',
      readingTime: '12:30:00.000',
      kind: 'review',
      metadata: { a: 1 },
      category: null,
      tags: [],
      seo: null,
      blocks: [],
      cover: null,
      gallery: [],
      __status: 'draft',
    });
    expect(new Date(String(data.scheduledAt)).toISOString()).toBe(new Date(scheduled).toISOString());
  }, 120_000);
});
