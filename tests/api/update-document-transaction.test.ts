// The update operation (server/content/operations/update-document.ts) behind the admin PUT routes is
// one transaction: the row-condition check, the write, its outbox event and its audit row commit
// together or not at all, and a concurrent change of the row between the check and the write cannot
// let a write through that the caller's conditions no longer allow.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OUTBOX_TABLE } from '../../server/events/outbox.js';
import { ValidationError } from '../../server/errors.js';
import type { InTransactionHook } from '../../server/content/documents.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';
import { someoneWaitsFor } from '../helpers/mysql-locks.js';
import { describeEachDatabase, startTestFolio, type TestFolio } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const A = '/admin-api/content/article';

/** What an update leaves behind for one document: its draft's title, audit rows and outbox events. */
async function traces(t: TestFolio, documentId: string) {
  const draft = await t
    .db('articles')
    .where({ document_id: documentId, status: 'draft' })
    .first<{ title: string; kind: string | null }>('title', 'kind');
  const audit = await t
    .db('folio_audit_log')
    .where({ action: 'content.update', entity_id: documentId })
    .select('details');
  const events = (await t.db(OUTBOX_TABLE).where({ topic: 'entry.update' }).select('payload')).filter(
    (r: { payload: string }) => r.payload.includes(documentId),
  );
  return { title: draft.title, kind: draft.kind, audit: audit.length, events: events.length };
}

async function newArticle(session: AdminSession, body: Record<string, unknown>): Promise<string> {
  const res = await session.post(A, body);
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data.documentId as string;
}

describeEachDatabase('an admin update commits with its audit row, or neither', (t) => {
  let editor: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
  });

  it('writes the change, its audit row and its outbox event', async () => {
    const documentId = await newArticle(editor, { title: 'Before' });
    const res = await editor.put(`${A}/${documentId}`, { title: 'After' });
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(await traces(t(), documentId)).toEqual({ title: 'After', kind: null, audit: 1, events: 1 });
    const [row] = await t()
      .db('folio_audit_log')
      .where({ action: 'content.update', entity_id: documentId })
      .select('details');
    expect(JSON.parse((row as { details: string }).details)).toEqual({ fields: ['title'] });
  });

  it('rolls the audit row back with the change when the transaction fails after both were written', async () => {
    const documentId = await newArticle(editor, { title: 'Before' });
    // Runs last in the write's transaction: after the update, its outbox event and its audit row.
    const failLate: InTransactionHook = () =>
      Promise.reject(new ValidationError('refused after the audit row was written'));
    const hooks = t().folio.documents.inTransaction;
    hooks.push(failLate);
    try {
      const res = await editor.put(`${A}/${documentId}`, { title: 'After' });
      expect([res.status, res.body.error?.message]).toEqual([400, 'refused after the audit row was written']);
    } finally {
      hooks.splice(hooks.indexOf(failLate), 1);
    }
    expect(await traces(t(), documentId)).toEqual({ title: 'Before', kind: null, audit: 0, events: 0 });
  });

  it('leaves no audit row when the database refuses the write (a taken unique value)', async () => {
    await newArticle(editor, { title: 'Owner', slug: 'taken-slug' });
    const documentId = await newArticle(editor, { title: 'Before', slug: 'free-slug' });
    const res = await editor.put(`${A}/${documentId}`, { title: 'After', slug: 'taken-slug' });
    expect([res.status, res.body.error?.details?.errors?.[0]?.path]).toEqual([400, ['slug']]);
    expect(await traces(t(), documentId)).toEqual({ title: 'Before', kind: null, audit: 0, events: 0 });
  });
});

// MySQL only: SQLite runs one write at a time, so no other writer can change the row between the
// check and the write. The concurrent change is made deterministic by holding the row in an open
// transaction until the update is seen waiting for it.
(MYSQL_AVAILABLE ? describe : describe.skip)(
  'a row-condition check and the update it guards are one transaction [mysql]',
  () => {
    let t: TestFolio;
    let editor: AdminSession;
    /** May read and update news articles only. */
    let newsDesk: AdminSession;

    beforeAll(async () => {
      t = await startTestFolio('mysql');
      await applyTestSchema(t.folio, blogSchema);
      editor = await signedIn(t, ['editor']);
      const role = await t.folio.access.createRole({ name: 'News desk' });
      await t.folio.access.setPermissions(role.id, [
        { action: 'read', subject: 'article', conditions: { query: { kind: 'news' } } },
        { action: 'update', subject: 'article', conditions: { query: { kind: 'news' } } },
        { action: 'delete', subject: 'article', conditions: { query: { kind: 'news' } } },
        { action: 'publish', subject: 'article', conditions: { query: { kind: 'news' } } },
      ]);
      newsDesk = await signedIn(t, [role.id]);
    });

    afterAll(async () => {
      await t?.close();
    });

    it('allows the news desk to update a news article (the premise of this suite)', async () => {
      const documentId = await newArticle(editor, { title: 'Before', kind: 'news' });
      const res = await newsDesk.put(`${A}/${documentId}`, { title: 'After' });
      expect([res.status, res.body.error]).toEqual([200, undefined]);
    });

    it(
      'refuses (404) an update whose row a concurrent ' + 'transaction moved out of the conditions while it waited',
      async () => {
        const documentId = await newArticle(editor, { title: 'Before', kind: 'news' });
        const mover = await t.db.transaction();
        let update: Promise<{ status: number }> | undefined;
        try {
          await mover('articles').where({ document_id: documentId }).update({ kind: 'review' });
          update = newsDesk.put(`${A}/${documentId}`, { title: 'Written by the news desk' }).then((r) => r);
          await someoneWaitsFor(t.db, 'articles');
          await mover.commit();
        } finally {
          if (!mover.isCompleted()) await mover.rollback();
        }
        expect((await update).status).toBe(404);
        expect(await traces(t, documentId)).toEqual({ title: 'Before', kind: 'review', audit: 0, events: 0 });
      },
    );

    /**
     * Sends `write` while a concurrent transaction holds the document's rows, moving them out of the
     * news desk's conditions.
     */
    async function raceAgainstMove(documentId: string, write: () => Promise<{ status: number }>): Promise<number> {
      const mover = await t.db.transaction();
      let answer: Promise<{ status: number }> | undefined;
      try {
        await mover('articles').where({ document_id: documentId }).update({ kind: 'review' });
        answer = write();
        await someoneWaitsFor(t.db, 'articles');
        await mover.commit();
      } finally {
        if (!mover.isCompleted()) await mover.rollback();
      }
      return (await answer).status;
    }

    /** Rows, audit rows and outbox events of one document. */
    async function rowsOf(documentId: string) {
      const rows = await t.db('articles').where({ document_id: documentId }).orderBy('status').select('status', 'kind');
      const audit = await t
        .db('folio_audit_log')
        .where({ entity_id: documentId })
        .whereNot({ action: 'content.create' })
        .count({ n: '*' });
      const events = (await t.db(OUTBOX_TABLE).whereNot({ topic: 'entry.create' }).select('payload')).filter(
        (r: { payload: string }) => r.payload.includes(documentId),
      );
      return { rows, audit: Number(audit[0].n), events: events.length };
    }

    it('refuses (404) a delete whose rows a concurrent transaction moved out of the conditions', async () => {
      const documentId = await newArticle(editor, { title: 'Delete me', kind: 'news' });
      expect(await raceAgainstMove(documentId, () => newsDesk.delete(`${A}/${documentId}`).then((r) => r))).toBe(404);
      expect(await rowsOf(documentId)).toEqual({ rows: [{ status: 'draft', kind: 'review' }], audit: 0, events: 0 });
    });

    it('refuses (404) a publish whose draft a concurrent transaction moved out of the conditions', async () => {
      const documentId = await newArticle(editor, { title: 'Publish me', kind: 'news' });
      const publish = () => newsDesk.post(`${A}/${documentId}/actions/publish`).then((r) => r);
      expect(await raceAgainstMove(documentId, publish)).toBe(404);
      expect(await rowsOf(documentId)).toEqual({ rows: [{ status: 'draft', kind: 'review' }], audit: 0, events: 0 });
    });
  },
);
