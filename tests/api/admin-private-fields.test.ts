// Private attributes in the content manager's Admin API: editors see and edit them (they are hidden
// from the Content API only), but a role whose read permission leaves one out never gets it in an
// answer — not in a list, not in one entry, and not in the entry a create or an update answers with,
// even when that role may write the field.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const A = '/admin-api/content/article';
const NOTE = 'Private note for editors';

describeEachDatabase('content manager: private attributes and restricted roles', (t) => {
  let editor: AdminSession;
  /** Reads articles without their private editorNote, but may write it. */
  let restricted: AdminSession;
  let article: string;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    const role = await t().folio.access.createRole({ name: 'Note writer' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'article', fields: ['title', 'slug', 'views'] },
      { action: 'create', subject: 'article', fields: ['title', 'views', 'editorNote'] },
      { action: 'update', subject: 'article', fields: ['title', 'views', 'editorNote'] },
    ]);
    restricted = await signedIn(t(), [role.id]);
    const created = await editor.post(A, { title: 'Noted', editorNote: NOTE });
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    article = created.body.data.documentId as string;
  });

  const hidesNote = (body: unknown) => {
    expect(JSON.stringify(body)).not.toContain(NOTE);
    expect(JSON.stringify(body)).not.toContain('editorNote');
  };

  it('shows the private attribute to an editor (the premise of this suite)', async () => {
    const res = await editor.get(`${A}/${article}`);
    expect(res.status).toBe(200);
    expect(res.body.data.editorNote).toBe(NOTE);
  });

  describe('a role that may not read the private attribute', () => {
    it('does not get it in a list', async () => {
      const res = await restricted.get(A);
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: { documentId: string }) => d.documentId)).toContain(article);
      hidesNote(res.body);
    });

    it('does not get it in one entry', async () => {
      const res = await restricted.get(`${A}/${article}`);
      expect(res.status).toBe(200);
      expect(res.body.data.title).toBe('Noted');
      hidesNote(res.body);
    });

    it('does not get it back from a create that wrote it', async () => {
      const res = await restricted.post(A, { title: 'Written blind', editorNote: NOTE });
      expect([res.status, res.body.error]).toEqual([201, undefined]);
      hidesNote(res.body);
      const row = await t()
        .db('articles')
        .where({ document_id: res.body.data.documentId, status: 'draft' })
        .first('editor_note');
      expect(row).toEqual({ editor_note: NOTE });
    });

    it('does not get it back from an update that wrote it', async () => {
      const res = await restricted.put(`${A}/${article}`, { views: 7, editorNote: NOTE });
      expect([res.status, res.body.error]).toEqual([200, undefined]);
      expect(res.body.data.views).toBe(7);
      hidesNote(res.body);
    });
  });
});
