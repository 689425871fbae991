// Media permissions with conditions: the Author may update and delete only the files it uploaded
// (404 for the others' files, which stay as they were); the Editor may change any; every change is
// in the audit log.
import { beforeAll, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';

describeEachDatabase('media changes by role', (t) => {
  let alice: AdminSession;
  let bob: AdminSession;
  let editor: AdminSession;
  let alicesFile: { id: number; name: string };

  const upload = async (who: AdminSession, name: string) => {
    const res = await who.agent.post('/admin-api/upload/files').set('X-CSRF-Token', who.csrf).attach('files', await twoColours(40, 20, '#123456', '#abcdef'), name);
    expect(res.status).toBe(201);
    return res.body.data[0] as { id: number; name: string };
  };

  beforeAll(async () => {
    alice = await signedIn(t(), ['author']);
    bob = await signedIn(t(), ['author']);
    editor = await signedIn(t(), ['editor']);
    alicesFile = await upload(alice, 'alice.png');
  });

  it('an Author cannot change or delete another Author\'s file: 404, and the file is untouched', async () => {
    expect((await bob.put(`/admin-api/upload/files/${alicesFile.id}`, { alternativeText: 'mine now' })).status).toBe(404);
    const replace = await bob.agent.post(`/admin-api/upload/files/${alicesFile.id}/replace`).set('X-CSRF-Token', bob.csrf).attach('files', await twoColours(10, 10, '#000', '#fff'), 'x.png');
    expect(replace.status).toBe(404);
    expect((await bob.delete(`/admin-api/upload/files/${alicesFile.id}`)).status).toBe(404);
    const file = await t().db('folio_files').where('id', alicesFile.id).first();
    expect([file.name, file.alternative_text]).toEqual(['alice.png', null]);
  });

  it('an Author can change its own file', async () => {
    const res = await alice.put(`/admin-api/upload/files/${alicesFile.id}`, { alternativeText: 'A blue gradient' });
    expect(res.status).toBe(200);
    expect(res.body.data.alternativeText).toBe('A blue gradient');
  });

  it('an Editor can delete anyone\'s file', async () => {
    const bobs = await upload(bob, 'bob.png');
    expect((await editor.delete(`/admin-api/upload/files/${bobs.id}`)).status).toBe(200);
    expect(await t().db('folio_files').where('id', bobs.id).first()).toBeUndefined();
  });

  it('records who uploaded, changed and deleted which file in the audit log', async () => {
    const entries = await t().db('folio_audit_log').where('subject', 'upload').orderBy('id').select('action', 'actor_id', 'entity_id');
    expect(entries).toEqual(expect.arrayContaining([
      { action: 'media.create', actor_id: alice.userId, entity_id: String(alicesFile.id) },
      { action: 'media.update', actor_id: alice.userId, entity_id: String(alicesFile.id) },
      expect.objectContaining({ action: 'media.delete', actor_id: editor.userId }),
    ]));
    expect(entries.filter((e) => e.actor_id === bob.userId && e.action !== 'media.create')).toEqual([]);
  });
});
