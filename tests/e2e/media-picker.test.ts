// The media picker, in Chromium, on the demo blog (its articles' covers take images only): a
// picture's details show human sizes and name the article using it with a link to it; a focal
// point set in the crop dialog makes the server cut the thumbnail around it; and a text file dropped
// on the cover's picker is refused in the browser, before anything is uploaded.
import { describe, expect } from '@jest/globals';
import sharp from 'sharp';
import { greenRight, greenShare } from '../helpers/media.js';
import { useE2E } from './harness.js';

const { test } = useE2E({ env: { FOLIO_DEMO: 'true' } });

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

interface FileBody {
  id: number;
  name: string;
  rotation: number;
  crop: object | null;
  focalPoint: { x: number; y: number } | null;
  formats: { thumbnail: { url: string; width: number; height: number } };
}

// Runs in the page: drops one file on the drop zone, as a desktop drag does.
const DROP_FILE = `([selector, name, type, text]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, { type }));
  const zone = document.querySelector(selector);
  zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
}`;

describe('the media picker in Chromium', () => {
  let file: FileBody;
  let article: { documentId: string; title: string };

  test('a picture linked to an article shows human sizes and the article using it', async ({ page, url, visited }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADA })).status()).toBe(201);
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const articles = (await (await fetch(url('/api/articles'))).json()) as { data: (typeof article)[] };
    article = articles.data[0];
    const uploaded = await page.request.post(url('/admin-api/upload/files'), {
      headers: { 'X-CSRF-Token': me.data.csrfToken },
      multipart: {
        files: { name: 'focus.png', mimeType: 'image/png', buffer: await greenRight() },
        ref: 'article',
        refId: article.documentId,
        field: 'cover',
      },
    });
    expect(uploaded.status()).toBe(201);
    file = ((await uploaded.json()) as { data: FileBody[] }).data[0];

    await page.goto(url('/admin/media-library'));
    const tile = page.getByRole('list', { name: 'Files' }).getByRole('listitem', { name: 'focus.png' });
    await tile.getByText(/^PNG · \d+(\.\d)? kB · 1000×400$/).waitFor();
    await page.getByRole('button', { name: 'Details of focus.png' }).click();
    const details = page.getByRole('dialog', { name: 'File details' });
    await details.getByText(/image\/png · \d+(\.\d)? kB · 1000×400/).waitFor();
    const formats = details.getByTestId('file-formats');
    await formats.waitFor();
    expect(await formats.textContent()).toMatch(/thumbnail 245×98 · \d+(\.\d)? k?B, small 500×200 · \d+(\.\d)? kB/);
    const usedBy = details.getByRole('region', { name: 'Used by' });
    await usedBy.getByRole('link', { name: article.title }).waitFor();
    expect(await usedBy.textContent()).toContain(`Article · ${article.title}`);
    await visited('details');
  });

  test('a focal point set in the crop dialog changes the thumbnail crop', async ({ page, url, visited }) => {
    const details = page.getByRole('dialog', { name: 'File details' });
    await details.getByRole('button', { name: 'Crop and focal point' }).click();
    const editor = page.getByRole('dialog', { name: 'Crop, rotate and focal point' });
    await editor.getByRole('tab', { name: 'Focal point' }).click();
    const picture = editor.getByTestId('focal-point-picture');
    // The canvas is drawn once the picture has loaded: it then has the picture's proportions.
    await page.waitForFunction(`(document.querySelector('[data-testid="focal-point-picture"]')?.width ?? 0) > 300`);
    const box = (await picture.boundingBox())!;
    await picture.click({ position: { x: box.width * 0.95, y: box.height * 0.5 } });
    await editor.getByRole('img', { name: 'Focal point' }).waitFor();
    await visited('focal point');
    const saved = page.waitForResponse((r) => r.url().endsWith(`/upload/files/${file.id}/edit`));
    await editor.getByRole('button', { name: 'Save edits' }).click();
    expect((await saved).status()).toBe(200);
    await editor.waitFor({ state: 'detached' });

    const after = (
      (await (await page.request.get(url(`/admin-api/upload/files/${file.id}`))).json()) as {
        data: FileBody;
      }
    ).data;
    expect(after.focalPoint?.x).toBeGreaterThan(0.9);
    expect(after.formats.thumbnail.url).not.toBe(file.formats.thumbnail.url);
    // The whole picture before (inside 245×98), gone once the edit made the new one.
    expect(file.formats.thumbnail).toMatchObject({ width: 245, height: 98 });
    expect((await page.request.get(url(file.formats.thumbnail.url))).status()).toBe(404);
    const thumbnail = await (await page.request.get(url(after.formats.thumbnail.url))).body();
    expect(await sharp(thumbnail).metadata()).toMatchObject({ width: 245, height: 156 });
    expect(await greenShare(thumbnail)).toBeGreaterThan(0.6);
    await visited('edited');
  });

  test('a quarter turn in the dialog turns every format; "Undo all edits" gives back the uploaded ones', async ({
    page,
    url,
    visited,
  }) => {
    const details = page.getByRole('dialog', { name: 'File details' });
    const editor = page.getByRole('dialog', { name: 'Crop, rotate and focal point' });
    const fileNow = async () =>
      ((await (await page.request.get(url(`/admin-api/upload/files/${file.id}`))).json()) as { data: FileBody }).data;
    const edited = () => page.waitForResponse((r) => r.url().endsWith(`/upload/files/${file.id}/edit`));

    await details.getByRole('button', { name: 'Crop and focal point' }).click();
    await editor.getByRole('button', { name: 'Rotate right' }).click();
    await visited('turned');
    let saved = edited();
    await editor.getByRole('button', { name: 'Save edits' }).click();
    expect((await saved).status()).toBe(200);
    await editor.waitFor({ state: 'detached' });
    // 1000×400 turned is 400×1000: "small" fits it inside 500.
    expect(await fileNow()).toMatchObject({
      rotation: 90,
      crop: null,
      formats: { small: { width: 200, height: 500 } },
    });

    await details.getByRole('button', { name: 'Crop and focal point' }).click();
    saved = edited();
    await editor.getByRole('button', { name: 'Undo all edits' }).click();
    expect((await saved).status()).toBe(200);
    await editor.waitFor({ state: 'detached' });
    expect(await fileNow()).toMatchObject({
      rotation: 0,
      focalPoint: null,
      formats: { thumbnail: { width: 245, height: 98 }, small: { width: 500, height: 200 } },
    });
  });

  test('"Used by" links to the article, whose image-only cover refuses a dropped text file before upload', async ({
    page,
    visited,
  }) => {
    const details = page.getByRole('dialog', { name: 'File details' });
    await details.getByRole('region', { name: 'Used by' }).getByRole('link', { name: article.title }).click();
    await page.waitForURL(new RegExp(`/admin/content/article/${article.documentId}`));
    await page.getByRole('button', { name: /^(Choose|Replace) Cover$/ }).click();
    const picker = page.getByRole('dialog', { name: /Cover$/ });
    await picker.getByRole('button', { name: 'Upload files' }).click();
    await picker.getByText('This field takes images.').first().waitFor();
    expect(await picker.getByLabel('Choose files to upload').getAttribute('accept')).toBe('image/*');

    const uploads: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/upload/files') && uploads.push(r.url()));
    await page.evaluate(
      `(${DROP_FILE})(${JSON.stringify(['[data-testid="upload-dropzone"]', 'notes.txt', 'text/plain', 'Notes'])})`,
    );
    await picker.getByText('“notes.txt” was not uploaded: this field takes images.').waitFor();
    await visited('refused');
    expect(uploads).toEqual([]);
  });

  test('inside a folder, the library toolbar wraps at 1366 px and at 1024 px: Upload stays in view', async ({
    page,
    url,
    visited,
  }) => {
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const folder = await page.request.post(url('/admin-api/upload/folders'), {
      headers: { 'X-CSRF-Token': me.data.csrfToken },
      data: { name: 'A folder with a rather long name for the breadcrumbs' },
    });
    const { id } = ((await folder.json()) as { data: { id: number } }).data;
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 768 });
      await page.goto(url(`/admin/media-library?folder=${id}`));
      await page.getByRole('button', { name: 'Delete folder' }).waitFor();
      const upload = (await page.getByRole('button', { name: 'Upload files' }).boundingBox())!;
      expect(upload.x + upload.width).toBeLessThanOrEqual(width);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await visited(`toolbar at ${width}`);
    }
  });
});
