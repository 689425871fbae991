// The Media Library in Chromium, as an editor lives it: two pictures dropped at once appear in the
// grid with their thumbnails, the type filter and the search narrow the grid, a folder is created
// and a picture moved into it with its alternative text written, and a picture is deleted. Each
// step is checked against the Admin API too. Then an Author, who may change only the files it
// uploads, finds the others' read-only and its own editable. The tests run in order, one story.
import { describe, expect } from '@jest/globals';
import sharp from 'sharp';
import { useE2E } from './harness.js';

const { test } = useE2E();

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

interface FileBody {
  id: number;
  name: string;
  alternativeText: string | null;
  folder: number | null;
  url: string;
  formats: { thumbnail?: { url: string } } | null;
}

/** A picture large enough for the server to make a thumbnail of it (245×156 inside). */
async function picture(r: number, g: number, b: number): Promise<string> {
  const png = await sharp({ create: { width: 480, height: 320, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return png.toString('base64');
}

// Runs in the page (the test's own TypeScript has no DOM types): drops files on the drop zone the
// way a desktop drag does — one drop event whose DataTransfer holds every file.
const DROP_FILES = `async ([selector, files]) => {
  const transfer = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], f.name, { type: f.type }));
  }
  const zone = document.querySelector(selector);
  zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
}`;

describe('the Media Library in Chromium', () => {
  test('the first administrator finds the Media Library in the menu, empty', async ({ page, url, visited }) => {
    const registered = await page.request.post(url('/admin-api/auth/register'), { data: ADA });
    expect(registered.status()).toBe(201);
    await page.goto(url('/admin/'));
    await page.getByRole('menuitem', { name: 'Media Library' }).click();
    await page.waitForURL(/\/admin\/media-library$/);
    await page.getByText('No files here yet.').waitFor();
    await visited('empty library');
  });

  test('two pictures dropped at once upload with a progress bar each and appear with their thumbnails', async ({
    page,
    url,
    visited,
  }) => {
    await page.getByRole('button', { name: 'Upload files' }).click();
    await page.getByText('Drop files here, or').waitFor();
    const files = [
      { name: 'sunset.png', type: 'image/png', base64: await picture(230, 120, 40) },
      { name: 'harbour.png', type: 'image/png', base64: await picture(30, 90, 200) },
    ];
    await page.evaluate(`(${DROP_FILES})(${JSON.stringify(['[data-testid="upload-dropzone"]', files])})`);
    // One progress bar per file, each reaching "Uploaded".
    await page.getByRole('progressbar', { name: 'Upload of sunset.png' }).waitFor();
    await page.getByRole('progressbar', { name: 'Upload of harbour.png' }).waitFor();
    await page.getByRole('list', { name: 'Uploads' }).getByText('Uploaded').nth(1).waitFor();

    const grid = page.getByRole('list', { name: 'Files' });
    await grid.getByRole('listitem', { name: 'sunset.png' }).waitFor();
    await grid.getByRole('listitem', { name: 'harbour.png' }).waitFor();
    await visited('uploaded');

    const list = (await (await page.request.get(url('/admin-api/upload/files'))).json()) as { data: FileBody[] };
    expect(list.data.map((f) => f.name).sort()).toEqual(['harbour.png', 'sunset.png']);
    const sunset = list.data.find((f) => f.name === 'sunset.png')!;
    expect(sunset.formats?.thumbnail?.url).toBeTruthy();
    // The grid shows the thumbnail format, not the full picture.
    const src = await grid.getByRole('listitem', { name: 'sunset.png' }).locator('img').getAttribute('src');
    expect(src).toBe(sunset.formats!.thumbnail!.url);
    // …and the thumbnail is really served.
    expect((await page.request.get(url(src!))).status()).toBe(200);
  });

  test('the type filter and the search narrow the grid', async ({ page, visited }) => {
    const grid = page.getByRole('list', { name: 'Files' });
    await page.getByRole('button', { name: 'Videos' }).click();
    await page.getByText('No file matches.').waitFor();
    await page.getByRole('button', { name: 'Images' }).click();
    await grid.getByRole('listitem', { name: 'harbour.png' }).waitFor();
    await page.getByRole('button', { name: 'All' }).click();

    await page.getByLabel('Search files').fill('sun');
    await page.getByText('Results for “sun” in every folder').waitFor();
    await grid.getByRole('listitem', { name: 'harbour.png' }).waitFor({ state: 'detached' });
    await grid.getByRole('listitem', { name: 'sunset.png' }).waitFor();
    await visited('searched');
    await page.getByLabel('Search files').fill('');
    await grid.getByRole('listitem', { name: 'harbour.png' }).waitFor();
  });

  test('a new folder; a picture gets its alternative text and moves into it', async ({ page, url, visited }) => {
    await page.getByRole('button', { name: 'New folder' }).click();
    const dialog = page.getByRole('dialog', { name: 'New folder' });
    await dialog.getByLabel('Folder name').fill('Holidays');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'Open folder Holidays' }).waitFor();

    await page.getByRole('button', { name: 'Details of sunset.png' }).click();
    const details = page.getByRole('dialog', { name: 'File details' });
    await details.getByLabel('Alternative text').fill('The sun setting over the sea');
    await details.getByLabel('Caption').fill('Brittany, August');
    await details.getByLabel('Folder').click();
    await page.getByRole('option', { name: 'Holidays' }).click();
    await visited('details filled in');
    await details.getByRole('button', { name: 'Save' }).click();
    await page.getByText('File saved').waitFor();
    await details.waitFor({ state: 'detached' });
    // Moved out of the root…
    await page
      .getByRole('list', { name: 'Files' })
      .getByRole('listitem', { name: 'sunset.png' })
      .waitFor({ state: 'detached' });

    const list = (await (await page.request.get(url('/admin-api/upload/files?q=sunset'))).json()) as {
      data: FileBody[];
    };
    const folders = (await (await page.request.get(url('/admin-api/upload/folders'))).json()) as {
      data: { id: number; name: string }[];
    };
    expect(list.data[0]).toMatchObject({
      alternativeText: 'The sun setting over the sea',
      caption: 'Brittany, August',
      folder: folders.data[0].id,
    });

    // …and into the folder, with breadcrumbs back to the root.
    await page.getByRole('button', { name: 'Open folder Holidays' }).click();
    await page.waitForURL(new RegExp(`/admin/media-library\\?folder=${folders.data[0].id}$`));
    await page.getByRole('list', { name: 'Files' }).getByRole('listitem', { name: 'sunset.png' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Folder path' }).textContent()).toContain('Holidays');
    await visited('inside the folder');

    // A folder that holds a file is not deleted: the server's reason is shown.
    await page.getByRole('button', { name: 'Delete folder' }).click();
    await page
      .getByRole('dialog', { name: 'Delete the folder Holidays?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText('The folder "Holidays" is not empty (1 files, 0 folders)').waitFor();
    // Renaming it shows in the breadcrumbs.
    await page.getByRole('button', { name: 'Rename folder' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename folder' });
    await rename.getByLabel('Folder name').fill('Summer holidays');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('navigation', { name: 'Folder path' }).getByText('Summer holidays').waitFor();

    await page.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: 'Media Library' }).click();
    await page.getByRole('list', { name: 'Files' }).getByRole('listitem', { name: 'harbour.png' }).waitFor();
    await page.getByRole('button', { name: 'Open folder Summer holidays' }).waitFor();
  });

  test('deleting a picture asks first, then removes it from the grid and the server', async ({
    page,
    url,
    visited,
  }) => {
    const before = (await (await page.request.get(url('/admin-api/upload/files?q=harbour'))).json()) as {
      data: FileBody[];
    };
    const harbour = before.data[0];
    await page.getByRole('button', { name: 'Details of harbour.png' }).click();
    const details = page.getByRole('dialog', { name: 'File details' });
    await details.getByRole('button', { name: 'Copy URL' }).waitFor();
    await details.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete harbour.png?' });
    await confirm.waitFor();
    await visited('confirm delete');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('harbour.png deleted').waitFor();
    await page
      .getByRole('list', { name: 'Files' })
      .getByRole('listitem', { name: 'harbour.png' })
      .waitFor({ state: 'detached' });
    await visited('deleted');

    expect((await page.request.get(url(`/admin-api/upload/files/${harbour.id}`))).status()).toBe(404);
    expect((await page.request.get(url(harbour.url))).status()).toBe(404);
  });

  test('an Author sees the files of others read-only, and may change and delete its own', async ({
    page,
    url,
    visited,
  }) => {
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const csrf = { 'X-CSRF-Token': me.data.csrfToken };
    const invited = await page.request.post(url('/admin-api/users'), {
      data: { email: 'author@example.com', firstname: 'Jo', lastname: 'March', roles: ['author'] },
      headers: csrf,
    });
    expect(invited.status()).toBe(201);
    const token = new URL(
      ((await invited.json()) as { meta: { invitationUrl: string } }).meta.invitationUrl,
    ).searchParams.get('token');
    await page.request.post(url('/admin-api/auth/logout'), { headers: csrf });
    expect(
      (
        await page.request.post(url('/admin-api/auth/accept-invitation'), {
          data: { token, password: 'little-women-1868' },
        })
      ).status(),
    ).toBe(200);

    await page.goto(url('/admin/media-library'));
    await page.getByRole('button', { name: 'Open folder Summer holidays' }).click();
    // Someone else's folder: it may put files in it, not rename or delete it.
    await page.getByRole('navigation', { name: 'Folder path' }).getByText('Summer holidays').waitFor();
    await page.getByRole('list', { name: 'Files' }).getByRole('listitem', { name: 'sunset.png' }).waitFor();
    expect(await page.getByRole('button', { name: 'Rename folder' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete folder' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Details of sunset.png' }).click();
    const details = page.getByRole('dialog', { name: 'File details' });
    await details.getByText('Your role may change and delete only the files you uploaded.').waitFor();
    expect(await details.getByLabel('Alternative text').isDisabled()).toBe(true);
    expect(await details.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await details.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await visited('not own file');
    await details.getByRole('button', { name: 'Close' }).click();

    // Its own upload, through the file input this time.
    await page.getByRole('button', { name: 'Upload files' }).click();
    await page.getByLabel('Choose files to upload').setInputFiles({
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from(await picture(20, 160, 60), 'base64'),
    });
    await page.getByRole('button', { name: 'Details of notes.png' }).click();
    await details.getByLabel('Alternative text').fill('My notes');
    await details.getByRole('button', { name: 'Save' }).click();
    await page.getByText('File saved').waitFor();
    await page.getByRole('button', { name: 'Details of notes.png' }).click();
    await details.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete notes.png?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('notes.png deleted').waitFor();
    await visited('own file deleted');
  });
});
