// GET /admin-api/home: counts per content type, recent edits and the caller's own drafts, each
// filtered by what the caller's role may read — conditions included, in SQL — on both databases.
import { beforeAll, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

interface Count {
  uid: string;
  displayName: string;
  total: number;
  published: number;
}

interface Entry {
  uid: string;
  documentId: string;
  label: string | null;
  updatedAt: string;
  updatedBy: { id: number; name: string } | null;
  published: boolean;
}

interface Home {
  counts: Count[];
  recent: Entry[];
  myDrafts: Entry[];
}

async function home(s: AdminSession): Promise<Home> {
  const res = await s.get('/admin-api/home');
  expect(res.status).toBe(200);
  return res.body.data as Home;
}

const labels = (entries: Entry[]) => entries.map((e) => e.label).sort();

describeEachDatabase('GET /admin-api/home', (t) => {
  let admin: AdminSession;
  let author: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, {
      contentTypes: {
        article: {
          kind: 'collectionType',
          info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
          options: { draftAndPublish: true },
          attributes: { title: { type: 'string' }, body: { type: 'text' }, featured: { type: 'boolean' } },
        },
        note: {
          kind: 'collectionType',
          info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
          options: { draftAndPublish: false },
          attributes: { name: { type: 'string' } },
        },
      },
      components: {},
    });
    admin = await signedIn(t(), ['super-admin']);
    author = await signedIn(t(), ['author']);
    const docs = t().folio.documents;
    await docs.create('article', { data: { title: 'Admin published one', featured: true }, userId: admin.userId });
    await docs.create('article', { data: { title: 'Admin published two', featured: false }, userId: admin.userId });
    await docs.create('article', { data: { title: 'Admin draft' }, status: 'draft', userId: admin.userId });
    await docs.create('article', { data: { title: 'Author draft' }, status: 'draft', userId: author.userId });
    await docs.create('article', { data: { title: 'Author published' }, userId: author.userId });
    for (const name of ['Milk', 'Eggs', 'Bread']) await docs.create('note', { data: { name }, userId: admin.userId });
  });

  it('answers 401 without a session, and 400 in the error envelope to an unknown query parameter', async () => {
    expect((await supertest(t().app.callback()).get('/admin-api/home')).status).toBe(401);
    const res = await admin.get('/admin-api/home?limit=5');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      data: null,
      error: { status: 400, name: 'ValidationError', message: 'Invalid query parameter "limit"' },
    });
  });

  it('gives a Super Admin every type counted by document, published ones apart', async () => {
    const data = await home(admin);
    expect(data.counts).toEqual([
      expect.objectContaining({ uid: 'article', displayName: 'Article', total: 5, published: 3 }),
      expect.objectContaining({ uid: 'note', displayName: 'Note', total: 3, published: 3 }),
    ]);
  });

  it('lists the latest edits newest first, named by their title, with who edited them', async () => {
    const { recent } = await home(admin);
    expect(recent).toHaveLength(8);
    const times = recent.map((e) => Date.parse(e.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(labels(recent)).toEqual([
      'Admin draft',
      'Admin published one',
      'Admin published two',
      'Author draft',
      'Author published',
      'Bread',
      'Eggs',
      'Milk',
    ]);
    const authorDraft = recent.find((e) => e.label === 'Author draft')!;
    expect(authorDraft).toMatchObject({
      uid: 'article',
      published: false,
      updatedBy: { id: author.userId, name: expect.stringMatching(/^Test User/) },
    });
    expect(recent.find((e) => e.label === 'Milk')).toMatchObject({ uid: 'note', published: true });
  });

  it("lists as 'my drafts' only the caller's own never-published entries", async () => {
    expect(labels((await home(admin)).myDrafts)).toEqual(['Admin draft']);
    expect(labels((await home(author)).myDrafts)).toEqual(['Author draft']);
  });

  it("gives an Author (read only what they created) their own entries' counts and edits only", async () => {
    const data = await home(author);
    expect(data.counts).toEqual([
      expect.objectContaining({ uid: 'article', total: 2, published: 1 }),
      expect.objectContaining({ uid: 'note', total: 0, published: 0 }),
    ]);
    expect(labels(data.recent)).toEqual(['Author draft', 'Author published']);
  });

  it('leaves out the types a role may not read, and applies a custom query condition in SQL', async () => {
    const role = await t().folio.access.createRole({ name: 'Featured reader' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'article', conditions: { query: { featured: true } } },
    ]);
    const reader = await signedIn(t(), [role.id]);
    const data = await home(reader);
    expect(data.counts).toEqual([expect.objectContaining({ uid: 'article', total: 1, published: 1 })]);
    expect(labels(data.recent)).toEqual(['Admin published one']);
    expect(data.myDrafts).toEqual([]);
  });

  it('names an entry only by a field the role may read', async () => {
    const role = await t().folio.access.createRole({ name: 'Body reader' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'note', fields: ['name'] },
      { action: 'read', subject: 'article', fields: ['body'] },
    ]);
    const reader = await signedIn(t(), [role.id]);
    const { recent } = await home(reader);
    expect(recent.filter((e) => e.uid === 'article').map((e) => e.label)).toEqual([null, null, null, null, null]);
    expect(labels(recent.filter((e) => e.uid === 'note'))).toEqual(['Bread', 'Eggs', 'Milk']);
  });
});

describeEachDatabase('GET /admin-api/home labels', (t) => {
  it('names an entry by its main field, never by a private attribute before it', async () => {
    await applyTestSchema(t().folio, {
      contentTypes: {
        contact: {
          kind: 'collectionType',
          info: { singularName: 'contact', pluralName: 'contacts', displayName: 'Contact' },
          options: { draftAndPublish: false },
          attributes: { phone: { type: 'string', private: true }, nickname: { type: 'string' } },
        },
      },
      components: {},
    });
    const admin = await signedIn(t(), ['super-admin']);
    await t().folio.documents.create('contact', {
      data: { phone: '+33 6 00 00 00 00', nickname: 'Ada' },
      userId: admin.userId,
    });
    expect(labels((await home(admin)).recent)).toEqual(['Ada']);
  });
});
