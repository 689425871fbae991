// Deleting a picture that an entry uses, in Chromium, on the demo blog (its articles have covers
// from the media library): the server refuses, the dialog says why and offers to delete anyway, and
// deleting anyway unlinks the picture from the article, as the Content API then shows.
import { describe, expect } from '@jest/globals';
import { useE2E } from './harness.js';

const { test } = useE2E({ env: { FOLIO_DEMO: 'true' } });

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

interface Article {
  documentId: string;
  title: string;
  cover: { id: number; name: string } | null;
}

describe('a picture in use, in Chromium', () => {
  test('is not deleted without asking; "Delete anyway" removes it and its link', async ({ page, url, visited }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    // The demo opens the articles to the Public role: find one with a cover.
    const articles = (await (await fetch(url('/api/articles?populate=cover'))).json()) as { data: Article[] };
    const article = articles.data.find((a) => a.cover)!;
    const cover = article.cover!;

    await page.goto(url('/admin/media-library'));
    // Click only once the search has answered: the results heading and the narrowed grid move the
    // tiles, and a click aimed at a tile while they move can land between them and open nothing.
    const searched = page.waitForResponse(
      (r) => r.url().includes('/upload/files?') && new URL(r.url()).searchParams.get('q') === cover.name,
    );
    await page.getByLabel('Search files').fill(cover.name);
    await page.getByText(`Results for “${cover.name}” in every folder`).waitFor();
    await searched;
    await page
      .getByRole('button', { name: `Details of ${cover.name}` })
      .first()
      .click();
    const details = page.getByRole('dialog', { name: 'File details' });
    await details.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: `Delete ${cover.name}?` })
      .getByRole('button', { name: 'Delete' })
      .click();

    const warning = details.getByRole('alert');
    // The server counts the rows that link it (a draft and its published version are two).
    await warning.getByText(/is used by \d+ entr/).waitFor();
    await visited('in use');
    expect((await page.request.get(url(`/admin-api/upload/files/${cover.id}`))).status()).toBe(200);

    await warning.getByRole('button', { name: 'Delete anyway' }).click();
    await page.getByText(`${cover.name} deleted`).waitFor();
    await details.waitFor({ state: 'detached' });
    await visited('deleted anyway');
    expect((await page.request.get(url(`/admin-api/upload/files/${cover.id}`))).status()).toBe(404);
    const after = (await (await fetch(url(`/api/articles/${article.documentId}?populate=cover`))).json()) as {
      data: Article;
    };
    expect(after.data.cover).toBeNull();
  });
});
