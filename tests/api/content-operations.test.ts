// The write operations (server/content/operations): every verb refuses a caller without the right
// (403) or outside its row conditions (404) and changes nothing, whether it comes through the Admin
// API, the Content API or a direct call; each change commits with its audit row, or neither does.
import { afterEach, beforeAll, expect, it, jest } from '@jest/globals';
import { SYSTEM_CALLER, type Caller } from '../../server/access/caller.js';
import { createDocument } from '../../server/content/operations/create-document.js';
import { bulkDeleteDocuments, deleteDocument } from '../../server/content/operations/delete-documents.js';
import {
  bulkPublishDocuments,
  discardDraft,
  publishDocument,
  unpublishDocument,
} from '../../server/content/operations/publishing.js';
import { updateDocument } from '../../server/content/operations/update-document.js';
import { ApplicationError, ForbiddenError, NotFoundError } from '../../server/errors.js';
import { OUTBOX_TABLE } from '../../server/events/outbox.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { callerHolding, TestCallers } from '../helpers/callers.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const A = '/admin-api/content/article';

/** Everything a write could change: the articles' rows, the audit log and the outbox. */
async function snapshot(t: TestFolio) {
  const rows = await t
    .db('articles')
    .orderBy('id')
    .select('id', 'document_id', 'status', 'title', 'kind', 'updated_at');
  const [{ n: audit }] = await t.db('folio_audit_log').where('action', 'like', 'content.%').count({ n: '*' });
  const [{ n: events }] = await t.db(OUTBOX_TABLE).count({ n: '*' });
  return { rows, audit: Number(audit), events: Number(events) };
}

const READ_ONLY = [{ action: 'read', subject: 'article' }];
/** May do everything to news articles only. */
const NEWS_ONLY = ['read', 'create', 'update', 'delete', 'publish'].map((action) => ({
  action,
  subject: 'article',
  conditions: { kind: 'news' },
}));

describeEachDatabase('write operations refuse without the right and change nothing', (t) => {
  let editor: AdminSession;
  let reader: AdminSession;
  let newsDesk: AdminSession;
  let callers: TestCallers;
  /** A published review article (outside the news desk's conditions), with a draft that differs. */
  let review: string;

  async function newArticle(body: Record<string, unknown>, publish = true): Promise<string> {
    const res = await editor.post(A, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    const documentId = res.body.data.documentId as string;
    if (publish) expect((await editor.post(`${A}/${documentId}/actions/publish`)).status).toBe(200);
    return documentId;
  }

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    const access = t().folio.access;
    editor = await signedIn(t(), ['editor']);
    const readOnly = await access.createRole({ name: 'Reader' });
    await access.setPermissions(readOnly.id, READ_ONLY);
    reader = await signedIn(t(), [readOnly.id]);
    const news = await access.createRole({ name: 'News desk' });
    await access.setPermissions(
      news.id,
      NEWS_ONLY.map((p) => ({ ...p, conditions: { query: p.conditions } })),
    );
    newsDesk = await signedIn(t(), [news.id]);
    callers = await new TestCallers(t().folio).prepare('article.find,article.findOne');
    review = await newArticle({ title: 'A review', kind: 'review' });
    expect((await editor.put(`${A}/${review}`, { title: 'A review, edited' })).status).toBe(200);
  });

  const adminWrites = (documentId: string) =>
    [
      ['POST', (s: AdminSession) => s.post(A, { title: 'New', kind: 'news' })],
      ['PUT', (s: AdminSession) => s.put(`${A}/${documentId}`, { title: 'Changed' })],
      ['DELETE', (s: AdminSession) => s.delete(`${A}/${documentId}`)],
      ['publish', (s: AdminSession) => s.post(`${A}/${documentId}/actions/publish`)],
      ['unpublish', (s: AdminSession) => s.post(`${A}/${documentId}/actions/unpublish`)],
      ['discard', (s: AdminSession) => s.post(`${A}/${documentId}/actions/discard`)],
      ['bulk-delete', (s: AdminSession) => s.post(`${A}/actions/bulk-delete`, { documentIds: [documentId] })],
      ['bulk-publish', (s: AdminSession) => s.post(`${A}/actions/bulk-publish`, { documentIds: [documentId] })],
    ] as const;

  it('Admin API: a role without the action gets 403 for every write, and nothing changes', async () => {
    const before = await snapshot(t());
    for (const [name, send] of adminWrites(review)) {
      const res = await send(reader);
      expect([name, res.status, res.body.error?.name]).toEqual([name, 403, 'ForbiddenError']);
    }
    expect(await snapshot(t())).toEqual(before);
  });

  it("Admin API: a document outside the role's conditions is a 404 for every write on it", async () => {
    const before = await snapshot(t());
    for (const [name, send] of adminWrites(review).filter(([n]) => n !== 'POST')) {
      const res = await send(newsDesk);
      expect([name, res.status, res.body.error?.name]).toEqual([name, 404, 'NotFoundError']);
    }
    expect(await snapshot(t())).toEqual(before);
  });

  it('Admin API: a bulk delete naming one document outside the conditions deletes none of them', async () => {
    const news = await newArticle({ title: 'News to keep', kind: 'news' });
    const before = await snapshot(t());
    const res = await newsDesk.post(`${A}/actions/bulk-delete`, { documentIds: [news, review] });
    expect(res.status).toBe(404);
    expect(await snapshot(t())).toEqual(before);
  });

  it('Admin API: a bulk delete naming a document twice deletes it once, announced once', async () => {
    const twice = await newArticle({ title: 'Named twice', kind: 'news' });
    const res = await editor.post(`${A}/actions/bulk-delete`, { documentIds: [twice, twice] });
    expect(res.status).toBe(200);
    const events = (await t().db(OUTBOX_TABLE).where({ topic: 'entry.delete' }).select('payload')).filter(
      (r: { payload: string }) => r.payload.includes(twice),
    );
    expect(events.length).toBe(1);
    expect(await t().db('articles').where({ document_id: twice }).first()).toBeUndefined();
  });

  it('Content API: a token without the action gets 403 for POST, PUT and DELETE, and nothing changes', async () => {
    const before = await snapshot(t());
    const token = 'article.find,article.findOne';
    const answers = [
      await callers.as(t().http().post('/api/articles'), token).send({ data: { title: 'New' } }),
      await callers.as(t().http().put(`/api/articles/${review}`), token).send({ data: { title: 'Changed' } }),
      await callers.as(t().http().delete(`/api/articles/${review}`), token),
      await t().http().delete(`/api/articles/${review}`),
    ];
    expect(answers.map((r) => [r.status, r.body.error?.name])).toEqual(Array(4).fill([403, 'ForbiddenError']));
    expect(await snapshot(t())).toEqual(before);
  });

  /** Every write operation on `documentId`, to call directly as `caller`, by name. */
  function everyOperation(caller: Caller, documentId: string): Array<[string, () => Promise<unknown>]> {
    const folio = t().folio;
    const uid = 'article';
    return [
      ['create', () => createDocument(folio, { caller, uid, data: { title: 'New' } })],
      ['update', () => updateDocument(folio, { caller, uid, documentId, data: { title: 'Changed' } })],
      ['delete', () => deleteDocument(folio, { caller, uid, documentId })],
      ['publish', () => publishDocument(folio, { caller, uid, documentId })],
      ['unpublish', () => unpublishDocument(folio, { caller, uid, documentId })],
      ['discardDraft', () => discardDraft(folio, { caller, uid, documentId })],
      ['bulkDelete', () => bulkDeleteDocuments(folio, { caller, uid, documentIds: [documentId] })],
      ['bulkPublish', () => bulkPublishDocuments(folio, { caller, uid, documentIds: [documentId] })],
    ];
  }

  /** The name of what `call` rejected with (or 'resolved'). */
  const outcome = (call: () => Promise<unknown>) =>
    call().then(
      () => 'resolved',
      (err: Error) => err.constructor.name,
    );

  it('a direct call: every operation refuses a caller without the action (ForbiddenError)', async () => {
    const before = await snapshot(t());
    for (const [name, call] of everyOperation(callerHolding(READ_ONLY), review)) {
      expect([name, await outcome(call)]).toEqual([name, ForbiddenError.name]);
    }
    expect(await snapshot(t())).toEqual(before);
  });

  it("a direct call: a document outside the caller's conditions is NotFound to every operation", async () => {
    const before = await snapshot(t());
    for (const [name, call] of everyOperation(callerHolding(NEWS_ONLY), review).filter(([n]) => n !== 'create')) {
      expect([name, await outcome(call)]).toEqual([name, NotFoundError.name]);
    }
    expect(await snapshot(t())).toEqual(before);
  });

  it("a direct call: create and update refuse a field outside the caller's allowlist", async () => {
    const folio = t().folio;
    const caller = callerHolding([
      { action: 'create', subject: 'article', fields: ['title'] },
      { action: 'update', subject: 'article', fields: ['title'] },
    ]);
    const before = await snapshot(t());
    const refusesKind = { details: { fields: ['kind'] } };
    const uid = 'article';
    const create = createDocument(folio, { caller, uid, data: { title: 'New', kind: 'news' } });
    await expect(create).rejects.toMatchObject(refusesKind);
    const update = updateDocument(folio, { caller, uid, documentId: review, data: { kind: 'news' } });
    await expect(update).rejects.toMatchObject(refusesKind);
    expect(await snapshot(t())).toEqual(before);
  });

  it('the system caller writes through the operations, audited as the system', async () => {
    const data = { title: 'By the system' };
    const created = await createDocument(t().folio, { caller: SYSTEM_CALLER, uid: 'article', data, status: 'draft' });
    const audit = await t()
      .db('folio_audit_log')
      .where({ action: 'content.create', entity_id: created.documentId })
      .select('actor_kind', 'actor_id');
    expect(audit).toEqual([{ actor_kind: 'system', actor_id: null }]);
  });
});

describeEachDatabase('a write and its audit row commit together, or neither does', (t) => {
  let editor: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  async function published(title: string): Promise<string> {
    const res = await editor.post(A, { title });
    const documentId = res.body.data.documentId as string;
    expect((await editor.post(`${A}/${documentId}/actions/publish`)).status).toBe(200);
    return documentId;
  }

  /** The audit log refuses every row from now on (the insert fails inside the write's transaction). */
  function auditFails(): void {
    jest.spyOn(t().folio.audit, 'record').mockRejectedValue(new ApplicationError('the audit log refused the row'));
  }

  it('rolls back every admin write whose audit row cannot be written', async () => {
    const documentId = await published('Guarded');
    expect((await editor.put(`${A}/${documentId}`, { title: 'Guarded, edited' })).status).toBe(200);
    const before = await snapshot(t());
    auditFails();
    const answers = [
      await editor.post(A, { title: 'Never created' }),
      await editor.put(`${A}/${documentId}`, { title: 'Never written' }),
      await editor.delete(`${A}/${documentId}`),
      await editor.post(`${A}/${documentId}/actions/publish`),
      await editor.post(`${A}/${documentId}/actions/unpublish`),
      await editor.post(`${A}/${documentId}/actions/discard`),
      await editor.post(`${A}/actions/bulk-delete`, { documentIds: [documentId] }),
      await editor.post(`${A}/actions/bulk-publish`, { documentIds: [documentId] }),
    ];
    const refused = [400, 'the audit log refused the row'];
    expect(answers.map((r) => [r.status, r.body.error?.message])).toEqual(Array(8).fill(refused));
    expect(await snapshot(t())).toEqual(before);
  });

  it('rolls back a Content API write whose audit row cannot be written', async () => {
    const documentId = await published('Guarded for the API');
    const token = (await t().folio.apiTokens.create({ name: 'writer', type: 'full-access' })).token;
    const before = await snapshot(t());
    auditFails();
    const api = (r: ReturnType<ReturnType<TestFolio['http']>['post']>) => r.set('Authorization', `Bearer ${token}`);
    const answers = [
      await api(t().http().post('/api/articles')).send({ data: { title: 'Never created' } }),
      await api(t().http().put(`/api/articles/${documentId}`)).send({ data: { title: 'Never written' } }),
      await api(t().http().delete(`/api/articles/${documentId}`)),
    ];
    expect(answers.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(await snapshot(t())).toEqual(before);
  });

  it('writes no audit row when the change itself fails', async () => {
    const documentId = await published('Complete');
    expect((await editor.post(A, { title: 'Owner', slug: 'taken' })).status).toBe(201);
    await editor.put(`${A}/${documentId}`, { title: 'Complete, edited' });
    await t().db('articles').where({ document_id: documentId, status: 'draft' }).update({ title: null });
    const before = await snapshot(t());
    // An incomplete draft cannot be published; a taken unique value cannot be written.
    expect((await editor.post(`${A}/${documentId}/actions/publish`)).status).toBe(400);
    expect((await editor.post(A, { title: 'Second', slug: 'taken' })).status).toBe(400);
    expect((await editor.put(`${A}/${documentId}`, { slug: 'taken' })).status).toBe(400);
    expect(await snapshot(t())).toEqual(before);
  });
});
