// An Author may update and delete only the media files (and folders) it created (README, "Default
// roles"): the Admin API checks the item itself, not only the subject, so another editor's answers
// 403 and stays as it was. Real sessions, both databases.
import { beforeAll, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';

interface FileBody {
  id: number;
  name: string;
  alternativeText: string | null;
}

async function upload(s: AdminSession, name: string): Promise<FileBody> {
  const res = await s.agent
    .post('/admin-api/upload/files')
    .set('X-CSRF-Token', s.csrf)
    .attach('files', await twoColours(64, 64, '#ff0000', '#0000ff'), name);
  expect(res.status).toBe(201);
  return res.body.data[0] as FileBody;
}

describeEachDatabase('media files an Author did not upload', (t) => {
  let author: AdminSession;
  let editor: AdminSession;
  let own: FileBody;
  let others: FileBody;

  beforeAll(async () => {
    author = await signedIn(t(), ['author']);
    editor = await signedIn(t(), ['editor']);
    own = await upload(author, 'mine.jpg');
    others = await upload(editor, 'theirs.jpg');
  });

  it("names each file's uploader in the Admin API, so the dashboard knows which are the Author's", async () => {
    const list = await author.get('/admin-api/upload/files?sort=id:asc');
    expect(list.status).toBe(200);
    expect(list.body.data.map((f: { name: string; createdBy: number | null }) => [f.name, f.createdBy])).toEqual([
      ['mine.jpg', author.userId],
      ['theirs.jpg', editor.userId],
    ]);
    expect((await author.get(`/admin-api/upload/files/${own.id}`)).body.data.createdBy).toBe(author.userId);
  });

  it('an Author edits the alternative text of its own file', async () => {
    const res = await author.put(`/admin-api/upload/files/${own.id}`, { alternativeText: 'Mine' });
    expect(res.status).toBe(200);
    expect(res.body.data.alternativeText).toBe('Mine');
  });

  it("an Author may not edit, replace or delete another editor's file, which stays as it was", async () => {
    const edit = await author.put(`/admin-api/upload/files/${others.id}`, { alternativeText: 'Hijacked' });
    expect(edit.status).toBe(403);
    expect(edit.body).toMatchObject({ data: null, error: { status: 403, name: 'ForbiddenError' } });
    const replace = await author.agent
      .post(`/admin-api/upload/files/${others.id}/replace`)
      .set('X-CSRF-Token', author.csrf)
      .attach('files', await twoColours(64, 64, '#00ff00', '#000000'), 'swap.jpg');
    expect(replace.status).toBe(403);
    expect((await author.delete(`/admin-api/upload/files/${others.id}?force=true`)).status).toBe(403);
    const after = await editor.get(`/admin-api/upload/files/${others.id}`);
    expect(after.body.data).toMatchObject({ name: 'theirs.jpg', alternativeText: null });
  });

  it("an Editor may change anyone's file; an Author deletes its own", async () => {
    expect((await editor.put(`/admin-api/upload/files/${own.id}`, { caption: 'Checked by the editor' })).status).toBe(
      200,
    );
    expect((await author.delete(`/admin-api/upload/files/${own.id}`)).status).toBe(200);
    expect((await editor.get(`/admin-api/upload/files/${own.id}`)).status).toBe(404);
  });

  it("an Author may rename its own folder but not another editor's, which stays as it was", async () => {
    const theirs = await editor.post('/admin-api/upload/folders', { name: 'Editorial' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.data.createdBy).toBe(editor.userId);
    const mine = await author.post('/admin-api/upload/folders', { name: 'Drafts' });
    expect(mine.body.data.createdBy).toBe(author.userId);

    expect((await author.put(`/admin-api/upload/folders/${theirs.body.data.id}`, { name: 'Mine now' })).status).toBe(
      403,
    );
    expect((await author.delete(`/admin-api/upload/folders/${theirs.body.data.id}`)).status).toBe(403);
    expect((await editor.get(`/admin-api/upload/folders/${theirs.body.data.id}`)).body.data).toMatchObject({
      name: 'Editorial',
    });

    const renamed = await author.put(`/admin-api/upload/folders/${mine.body.data.id}`, { name: 'My drafts' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'My drafts', createdBy: author.userId });
    expect((await author.delete(`/admin-api/upload/folders/${mine.body.data.id}`)).status).toBe(200);
  });

  it('a file that does not exist is 404 before any permission talk', async () => {
    expect((await author.delete('/admin-api/upload/files/999999')).status).toBe(404);
    expect((await author.put('/admin-api/upload/folders/999999', { name: 'x' })).status).toBe(404);
  });
});
