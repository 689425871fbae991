// Media changes join the audit log: who uploaded, changed, replaced and deleted which file. (Who may
// do them is tests/api/media-own-files.test.ts.)
import { expect, it } from '@jest/globals';
import { signedIn } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';

describeEachDatabase('media audit trail', (t) => {
  it('records each media change with its actor and file', async () => {
    const author = await signedIn(t(), ['author']);
    const editor = await signedIn(t(), ['editor']);
    const image = () => twoColours(40, 20, '#123456', '#abcdef');
    const uploaded = await author.agent
      .post('/admin-api/upload/files')
      .set('X-CSRF-Token', author.csrf)
      .attach('files', await image(), 'a.png');
    const id: number = uploaded.body.data[0].id;
    expect((await author.put(`/admin-api/upload/files/${id}`, { alternativeText: 'A gradient' })).status).toBe(200);
    expect(
      (
        await author.agent
          .post(`/admin-api/upload/files/${id}/replace`)
          .set('X-CSRF-Token', author.csrf)
          .attach('files', await image(), 'b.png')
      ).status,
    ).toBe(200);
    expect((await editor.delete(`/admin-api/upload/files/${id}`)).status).toBe(200);

    const entries = await t()
      .db('folio_audit_log')
      .where({ subject: 'upload', entity_id: String(id) })
      .orderBy('id')
      .select('action', 'actor_id');
    expect(entries).toEqual([
      { action: 'media.create', actor_id: author.userId },
      { action: 'media.update', actor_id: author.userId },
      { action: 'media.replace', actor_id: author.userId },
      { action: 'media.delete', actor_id: editor.userId },
    ]);
  });
});
