// The media library's writes (server/media/operations.ts) are operations like the content ones: the
// caller's check on the very file runs inside the change's transaction, and the `media.*` audit row
// commits or rolls back with the change.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../server/errors.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';
import { someoneWaitsFor } from '../helpers/mysql-locks.js';
import { describeEachDatabase, startTestFolio, type TestFolio } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';

const FILES = '/admin-api/upload/files';

async function upload(s: AdminSession, name: string): Promise<number> {
  const res = await s.agent
    .post(FILES)
    .set('X-CSRF-Token', s.csrf)
    .attach('files', await twoColours(32, 32, '#ff0000', '#0000ff'), name);
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data[0].id as number;
}

/** What a change leaves behind for one file: its row's alternative text (null: gone) and its audit rows. */
async function traces(t: TestFolio, id: number, action: string) {
  const row = await t
    .db('folio_files')
    .where({ id })
    .first<{ alternative_text: string | null; name: string } | undefined>('alternative_text', 'name');
  const audit = await t
    .db('folio_audit_log')
    .where({ action, entity_id: String(id) })
    .select('id');
  return {
    exists: row !== undefined,
    alternativeText: row?.alternative_text ?? null,
    name: row?.name ?? null,
    audit: audit.length,
  };
}

/** Makes the next audit row fail to be written, as a full disk or a lost connection would. */
function failNextAudit(t: TestFolio): () => void {
  const audit = t.folio.audit;
  const original = audit.record.bind(audit);
  audit.record = () => Promise.reject(new ValidationError('the audit row could not be written'));
  return () => {
    audit.record = original;
  };
}

describeEachDatabase('a media change commits with its audit row, or neither', (t) => {
  let editor: AdminSession;

  beforeAll(async () => {
    editor = await signedIn(t(), ['editor']);
  });

  it('writes the change and its audit row', async () => {
    const id = await upload(editor, 'kept.jpg');
    expect((await editor.put(`${FILES}/${id}`, { alternativeText: 'After' })).status).toBe(200);
    expect(await traces(t(), id, 'media.update')).toMatchObject({ alternativeText: 'After', audit: 1 });
  });

  it('keeps the file as it was when the audit row of an update cannot be written', async () => {
    const id = await upload(editor, 'edit.jpg');
    const restore = failNextAudit(t());
    try {
      expect((await editor.put(`${FILES}/${id}`, { alternativeText: 'After' })).status).toBe(400);
    } finally {
      restore();
    }
    expect(await traces(t(), id, 'media.update')).toMatchObject({ exists: true, alternativeText: null, audit: 0 });
  });

  it('keeps the file when the audit row of its deletion cannot be written', async () => {
    const id = await upload(editor, 'delete.jpg');
    const restore = failNextAudit(t());
    try {
      expect((await editor.delete(`${FILES}/${id}`)).status).toBe(400);
    } finally {
      restore();
    }
    expect(await traces(t(), id, 'media.delete')).toMatchObject({ exists: true, audit: 0 });
    expect((await editor.get(`${FILES}/${id}`)).status).toBe(200);
  });

  it('keeps the old content when the audit row of a replacement cannot be written', async () => {
    const id = await upload(editor, 'before.jpg');
    const restore = failNextAudit(t());
    try {
      const res = await editor.agent
        .post(`${FILES}/${id}/replace`)
        .set('X-CSRF-Token', editor.csrf)
        .attach('files', await twoColours(32, 32, '#00ff00', '#000000'), 'after.jpg');
      expect(res.status).toBe(400);
    } finally {
      restore();
    }
    expect(await traces(t(), id, 'media.replace')).toMatchObject({ name: 'before.jpg', audit: 0 });
  });

  it('leaves no file behind when the audit row of an upload cannot be written', async () => {
    const before = await t().db('folio_files').count({ n: '*' });
    const restore = failNextAudit(t());
    try {
      const res = await editor.agent
        .post(FILES)
        .set('X-CSRF-Token', editor.csrf)
        .attach('files', await twoColours(8, 8, '#111111', '#222222'), 'lost.jpg');
      expect(res.status).toBe(400);
    } finally {
      restore();
    }
    expect(await t().db('folio_files').count({ n: '*' })).toEqual(before);
  });
});

// MySQL only: SQLite runs one write at a time, so no other writer can change the row between the
// check and the change. The concurrent change is made deterministic by holding the file's row in an
// open transaction until the deletion is seen waiting for it.
(MYSQL_AVAILABLE ? describe : describe.skip)(
  'a file check and the change it guards are one transaction [mysql]',
  () => {
    let t: TestFolio;
    let author: AdminSession;
    let editor: AdminSession;

    beforeAll(async () => {
      t = await startTestFolio('mysql');
      author = await signedIn(t, ['author']);
      editor = await signedIn(t, ['editor']);
    });

    afterAll(async () => {
      await t?.close();
    });

    it("refuses an Author's deletion of its file when a concurrent change gave the file to someone else", async () => {
      const id = await upload(author, 'handed-over.jpg');
      const handover = await t.db.transaction();
      let deletion: Promise<{ status: number }> | undefined;
      try {
        await handover('folio_files').where({ id }).update({ created_by_id: editor.userId });
        deletion = author.delete(`${FILES}/${id}`).then((r) => r);
        await someoneWaitsFor(t.db, 'folio_files');
        await handover.commit();
      } finally {
        if (!handover.isCompleted()) await handover.rollback();
      }
      expect((await deletion)?.status).toBe(403);
      expect(await traces(t, id, 'media.delete')).toMatchObject({ exists: true, audit: 0 });
    });
  },
);
