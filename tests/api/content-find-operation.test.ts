// The Content API's read operation (server/content/operations/find-documents.ts): the same rules
// whether a read comes through GET /api or a direct call — the type's find/findOne, find on every
// populated type, findDrafts for drafts — and a missing entry is a 404.
import { beforeAll, expect, it } from '@jest/globals';
import type { Caller } from '../../server/access/caller.js';
import { findDocuments, type FindRequest } from '../../server/content/operations/find-documents.js';
import { DEFAULT_LIMITS } from '../../server/content/query/parse.js';
import { ForbiddenError, NotFoundError } from '../../server/errors.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn } from '../helpers/admin.js';
import { callerHolding, TestCallers } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

/** A Content API caller holding exactly these rules ('article.find', …). */
function tokenWith(actions: string[]): Caller {
  const rules = actions.map((a) => ({ action: a.split('.')[1], subject: a.split('.')[0] }));
  return callerHolding(rules, 'api-token');
}

describeEachDatabase('the Content API read operation', (t) => {
  let article: string;
  let callers: TestCallers;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    const editor = await signedIn(t(), ['editor']);
    const created = await editor.post('/admin-api/content/article', { title: 'Read me' });
    article = created.body.data.documentId as string;
    expect((await editor.post(`/admin-api/content/article/${article}/actions/publish`)).status).toBe(200);
    callers = await new TestCallers(t().folio).prepare(
      'article.find,article.findOne',
      'article.find,article.findOne,category.find',
    );
  });

  async function read(caller: Caller, querystring = '', documentId?: string) {
    const folio = t().folio;
    const schema = await folio.schema.current();
    const request: FindRequest = {
      caller,
      schema,
      type: schema.contentTypes.get('article')!,
      querystring,
      limits: DEFAULT_LIMITS,
      defaultLocale: await folio.locales.defaultCode(),
      ...(documentId ? { documentId } : {}),
    };
    return findDocuments(folio, request);
  }

  it('reads the published entries for a caller with find (the premise of this suite)', async () => {
    const answer = await read(tokenWith(['article.find']));
    expect('data' in answer.body && Array.isArray(answer.body.data) && answer.body.data.map((e) => e.title)).toEqual([
      'Read me',
    ]);
  });

  it('refuses a caller without find or findOne on the type, by direct call and over HTTP', async () => {
    await expect(read(tokenWith(['category.find']))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(read(tokenWith(['article.find']), '', article)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await callers.as(t().http().get(`/api/articles/${article}`), '')).status).toBe(403);
  });

  it('refuses a populate of a type the caller may not find, by direct call and over HTTP', async () => {
    await expect(read(tokenWith(['article.find']), 'populate=category')).rejects.toBeInstanceOf(ForbiddenError);
    const res = await callers.as(t().http().get('/api/articles?populate=category'), 'article.find,article.findOne');
    expect(res.status).toBe(403);
    const allowed = await callers.as(
      t().http().get('/api/articles?populate=category'),
      'article.find,article.findOne,category.find',
    );
    expect(allowed.status).toBe(200);
  });

  it('refuses drafts to a caller without findDrafts', async () => {
    await expect(read(tokenWith(['article.find']), 'status=draft')).rejects.toBeInstanceOf(ForbiddenError);
    const drafts = await read(tokenWith(['article.find', 'article.findDrafts']), 'status=draft');
    expect(drafts.draft).toBe(true);
  });

  it('answers NotFound for an entry that does not exist', async () => {
    await expect(read(tokenWith(['article.findOne']), '', 'nosuchdocument000000000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
