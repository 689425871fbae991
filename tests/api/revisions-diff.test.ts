// Content history, the diff (issue 20): GET …/revisions/:id/diff?to=<id|previous|current> compares a
// revision field by field with another revision of the same document, the one before it, or the
// current draft — text word by word, relations and media side by side with their labels, items of
// components and dynamic zones added and removed, attributes gone from the schema flagged — and shows
// the caller only the fields it may read.
import { beforeAll, expect, it } from '@jest/globals';
import type { PermissionInput } from '../../server/access/service.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const A = '/admin-api/content/article';
const history = (documentId: string) => `${A}/${documentId}/revisions`;

interface FieldDiff {
  field: string;
  kind: string;
  change: string;
  [key: string]: unknown;
}

describeEachDatabase('content history: the diff between two versions', (t) => {
  let editor: AdminSession;
  /** Reads articles' title and category only. */
  let titleReader: AdminSession;
  let science: string;
  let sports: string;
  let files: number[];

  async function create(path: string, body: Record<string, unknown>): Promise<string> {
    const res = await editor.post(path, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.data.documentId as string;
  }

  async function update(documentId: string, body: Record<string, unknown>): Promise<void> {
    const res = await editor.put(`${A}/${documentId}`, body);
    expect([res.status, res.body.error]).toEqual([200, undefined]);
  }

  /** The document's revision ids, oldest first. */
  async function revisionIds(documentId: string): Promise<number[]> {
    const res = await editor.get(history(documentId));
    expect(res.status).toBe(200);
    return res.body.data.map((r: { id: number }) => r.id).reverse();
  }

  async function diff(session: AdminSession, documentId: string, id: number, to: string | number) {
    const res = await session.get(`${history(documentId)}/${id}/diff?to=${to}`);
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    return res.body.data as {
      before: { id: number } | null;
      after: { id?: number; current?: true };
      fields: FieldDiff[];
    };
  }

  const field = (fields: FieldDiff[], name: string) => fields.find((f) => f.field === name);

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    const role = await t().folio.access.createRole({ name: 'Title reader' });
    const permissions: PermissionInput[] = [{ action: 'read', subject: 'article', fields: ['title', 'category'] }];
    await t().folio.access.setPermissions(role.id, permissions);
    titleReader = await signedIn(t(), [role.id]);
    science = await create('/admin-api/content/category', { name: 'Science' });
    sports = await create('/admin-api/content/category', { name: 'Sports' });
    files = [];
    for (const name of ['before.png', 'after.png']) {
      const [id] = await t()
        .db('folio_files')
        .insert({
          document_id: `difffile${name.length}${files.length}`.padEnd(24, '0'),
          name,
          hash: `diff-${name}`,
          ext: '.png',
          mime: 'image/png',
          size: 1,
          url: `/uploads/diff-${name}`,
          provider: 'local',
        });
      files.push(Number(id));
    }
  });

  it('diffs a text change word by word between two revisions', async () => {
    const documentId = await create(A, { title: 'The quick brown fox' });
    await update(documentId, { title: 'The quick red fox' });
    const [first, second] = await revisionIds(documentId);
    const data = await diff(editor, documentId, first, second);
    expect([data.before?.id, data.after.id]).toEqual([first, second]);
    expect(data.fields).toEqual([
      {
        field: 'title',
        kind: 'text',
        change: 'changed',
        before: 'The quick brown fox',
        after: 'The quick red fox',
        text: [
          { value: 'The quick ' },
          { value: 'brown', removed: true },
          { value: 'red', added: true },
          { value: ' fox' },
        ],
      },
    ]);
    // The sides are ordered in time whichever one the path names.
    const reversed = await diff(editor, documentId, second, first);
    expect([reversed.before?.id, reversed.after.id, reversed.fields]).toEqual([first, second, data.fields]);
  });

  it('puts a swapped media file side by side, with the files named', async () => {
    const documentId = await create(A, { title: 'Illustrated', cover: files[0] });
    await update(documentId, { cover: files[1] });
    const [first, second] = await revisionIds(documentId);
    expect(field((await diff(editor, documentId, first, second)).fields, 'cover')).toEqual({
      field: 'cover',
      kind: 'media',
      change: 'changed',
      before: [{ id: files[0], name: 'before.png', url: '/uploads/diff-before.png', mime: 'image/png', removed: true }],
      after: [{ id: files[1], name: 'after.png', url: '/uploads/diff-after.png', mime: 'image/png', added: true }],
    });
  });

  it('puts a changed relation side by side, labelled by the target’s main field', async () => {
    const documentId = await create(A, { title: 'Filed', category: science });
    await update(documentId, { category: sports });
    const [first, second] = await revisionIds(documentId);
    expect(field((await diff(editor, documentId, first, second)).fields, 'category')).toEqual({
      field: 'category',
      kind: 'relation',
      change: 'changed',
      target: 'category',
      before: [{ documentId: science, label: 'Science', removed: true }],
      after: [{ documentId: sports, label: 'Sports', added: true }],
    });
  });

  it('lists the components and dynamic-zone items added and removed', async () => {
    const quote = (text: string) => ({ __component: 'shared.quote', text });
    const documentId = await create(A, { title: 'Quoted', blocks: [quote('Kept'), quote('Dropped')] });
    await update(documentId, { seo: { metaTitle: 'Found' }, blocks: [quote('Kept'), quote('Added')] });
    const [first, second] = await revisionIds(documentId);
    const { fields } = await diff(editor, documentId, first, second);
    expect(field(fields, 'seo')).toMatchObject({
      kind: 'component',
      change: 'added',
      fields: [{ field: 'metaTitle', kind: 'text', change: 'added', after: 'Found' }],
    });
    expect(field(fields, 'blocks')).toMatchObject({
      kind: 'dynamiczone',
      change: 'changed',
      items: [
        { change: 'removed', index: 1, component: 'shared.quote', value: { text: 'Dropped' } },
        { change: 'added', index: 1, component: 'shared.quote', value: { text: 'Added' } },
      ],
    });
  });

  it('compares a revision with the current draft, by default and with to=current', async () => {
    const documentId = await create(A, { title: 'Draft one' });
    await update(documentId, { title: 'Draft two' });
    // Written without a revision (as a schema reshaping would): the current draft is read, not the history.
    await t().db('articles').where({ document_id: documentId, status: 'draft' }).update({ title: 'Draft three' });
    const [first] = await revisionIds(documentId);
    const data = await diff(editor, documentId, first, 'current');
    expect([data.before?.id, data.after]).toEqual([first, { current: true }]);
    expect(field(data.fields, 'title')).toMatchObject({ before: 'Draft one', after: 'Draft three' });
    const byDefault = await editor.get(`${history(documentId)}/${first}/diff`);
    expect(byDefault.body.data).toEqual(data);
  });

  it('compares a revision with the one before it, and the first with nothing', async () => {
    const documentId = await create(A, { title: 'One' });
    await update(documentId, { title: 'Two' });
    const [first, second] = await revisionIds(documentId);
    const data = await diff(editor, documentId, second, 'previous');
    expect([data.before?.id, data.after.id]).toEqual([first, second]);
    expect(data.fields.map((f) => [f.field, f.before, f.after])).toEqual([['title', 'One', 'Two']]);
    const initial = await diff(editor, documentId, first, 'previous');
    expect([initial.before, initial.after.id]).toEqual([null, first]);
    expect(field(initial.fields, 'title')).toMatchObject({ change: 'added', after: 'One' });
  });

  it('leaves out the fields the caller may not read', async () => {
    const documentId = await create(A, { title: 'Seen', summary: 'Hidden words' });
    await update(documentId, { title: 'Seen again', summary: 'Other hidden words', views: 7 });
    const [first, second] = await revisionIds(documentId);
    const data = await diff(titleReader, documentId, first, second);
    expect(data.fields.map((f) => f.field)).toEqual(['title']);
    expect(JSON.stringify(data)).not.toContain('hidden words');
    // The editor, who may read them, sees them.
    expect((await diff(editor, documentId, first, second)).fields.map((f) => f.field)).toEqual([
      'title',
      'summary',
      'views',
    ]);
  });

  it('shows related documents only as the caller may read them: labelled, or not at all', async () => {
    const documentId = await create(A, { title: 'Filed again', category: science });
    await update(documentId, { category: sports });
    const [first, second] = await revisionIds(documentId);
    // The title reader may read the article's category field, not categories themselves: the
    // categories are left out of both sides, as from the entry itself (SECURITY.md, section 3).
    const hidden = await diff(titleReader, documentId, first, second);
    expect(field(hidden.fields, 'category')).toBeUndefined();
    expect(JSON.stringify(hidden)).not.toContain(science);
    expect(JSON.stringify(hidden)).not.toContain('Science');
    // A reader of the categories other than Sports sees the one it may read, by its label.
    const role = await t().folio.access.createRole({ name: 'Reader of some categories' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'article', fields: ['title', 'category'] },
      { action: 'read', subject: 'category', conditions: { query: { name: { $ne: 'Sports' } } } },
    ]);
    const someReader = await signedIn(t(), [role.id]);
    const partial = await diff(someReader, documentId, first, second);
    expect(field(partial.fields, 'category')).toMatchObject({
      before: [{ documentId: science, label: 'Science', removed: true }],
      after: [],
    });
    expect(JSON.stringify(partial)).not.toContain(sports);
  });

  it('answers 400 for a malformed to, 404 for a revision of another document', async () => {
    const documentId = await create(A, { title: 'Mine' });
    const other = await create(A, { title: 'Theirs' });
    const [mine] = await revisionIds(documentId);
    const [theirs] = await revisionIds(other);
    for (const to of ['abc', '0', '-1', 'latest', '1.5']) {
      const res = await editor.get(`${history(documentId)}/${mine}/diff?to=${to}`);
      expect([to, res.status, res.body.error?.name]).toEqual([to, 400, 'ValidationError']);
    }
    expect((await editor.get(`${history(documentId)}/${mine}/diff?to=1&to=2`)).status).toBe(400);
    expect((await editor.get(`${history(documentId)}/${mine}/diff?sort=id`)).status).toBe(400);
    expect((await editor.get(`${history(documentId)}/abc/diff`)).status).toBe(400);
    const asTarget = await editor.get(`${history(documentId)}/${mine}/diff?to=${theirs}`);
    expect([asTarget.status, asTarget.body.error?.name]).toEqual([404, 'NotFoundError']);
    const asPath = await editor.get(`${history(documentId)}/${theirs}/diff?to=current`);
    expect([asPath.status, asPath.body.error?.name]).toEqual([404, 'NotFoundError']);
  });

  it('keeps the diff under the routes of a single type', async () => {
    const G = '/admin-api/content/single-types/global';
    const link = (label: string) => ({ label, url: '/' });
    expect((await editor.put(G, { siteName: 'Moonbase', links: [link('Home'), link('Blog')] })).status).toBe(200);
    expect((await editor.put(G, { siteName: 'Moonbase', links: [link('Home')] })).status).toBe(200);
    const [latest] = (await editor.get(`${G}/revisions`)).body.data;
    const res = await editor.get(`${G}/revisions/${latest.id}/diff?to=previous`);
    expect(res.status).toBe(200);
    expect(res.body.data.fields).toMatchObject([
      { field: 'links', kind: 'components', items: [{ change: 'removed', index: 1, value: { label: 'Blog' } }] },
    ]);
  });

  // Last: it takes an attribute out of the schema.
  it('flags an attribute removed from the schema since', async () => {
    const documentId = await create(A, { title: 'Summed up', summary: 'A summary' });
    await update(documentId, { title: 'Summed up again' });
    const { summary: _, ...attributes } = blogSchema.contentTypes.article.attributes;
    const withoutSummary: SchemaDocument = {
      ...blogSchema,
      contentTypes: { ...blogSchema.contentTypes, article: { ...blogSchema.contentTypes.article, attributes } },
    };
    await t().folio.schema.apply(withoutSummary, { force: true });
    const [first] = await revisionIds(documentId);
    const { fields } = await diff(editor, documentId, first, 'current');
    expect(field(fields, 'summary')).toEqual({
      field: 'summary',
      kind: 'removedAttribute',
      change: 'removed',
      removedFromSchema: true,
      before: 'A summary',
      after: null,
    });
    expect(field(fields, 'title')).toMatchObject({ before: 'Summed up', after: 'Summed up again' });
  });
});
