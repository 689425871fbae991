// Optimistic concurrency on the Admin API (server/content/operations/version-tag.ts): every
// single-document answer carries the ETag of the editable version it shows; a write sent with an
// If-Match naming an older version is refused (409) and changes nothing, naming who changed the
// entry last and when; a current one is applied and answers the new ETag; none keeps last-write-wins.
import { beforeAll, expect, it } from '@jest/globals';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const A = '/admin-api/content/article';

describeEachDatabase('If-Match on the Admin API', (t) => {
  let alice: AdminSession;
  let bob: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    alice = await signedIn(t(), ['editor']);
    bob = await signedIn(t(), ['editor']);
  });

  async function newArticle(title: string): Promise<{ documentId: string; etag: string }> {
    const res = await alice.post(A, { title });
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return { documentId: res.body.data.documentId as string, etag: res.headers.etag };
  }

  async function draftTitle(documentId: string): Promise<string> {
    const draft = await t().db('articles').where({ document_id: documentId, status: 'draft' }).first('title');
    return (draft as { title: string }).title;
  }

  it('answers reads and writes with the ETag of the version shown, the same for the same version', async () => {
    const { documentId, etag } = await newArticle('Tagged');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const read = await alice.get(`${A}/${documentId}`);
    expect(read.headers.etag).toBe(etag);
    const written = await alice.put(`${A}/${documentId}`, { title: 'Tagged again' });
    expect([written.status, written.headers.etag === etag]).toEqual([200, false]);
    expect((await bob.get(`${A}/${documentId}`)).headers.etag).toBe(written.headers.etag);
  });

  it('applies a write whose If-Match is current and answers the new ETag', async () => {
    const { documentId, etag } = await newArticle('Fresh');
    const res = await alice.put(`${A}/${documentId}`, { title: 'Fresh, edited' }).set('If-Match', etag);
    expect([res.status, res.body.error, res.body.data.title]).toEqual([200, undefined, 'Fresh, edited']);
    expect(res.headers.etag).not.toBe(etag);
    expect((await alice.get(`${A}/${documentId}`)).headers.etag).toBe(res.headers.etag);
  });

  it('refuses (409) a stale If-Match, naming who changed the entry and when, and changes nothing', async () => {
    const { documentId, etag } = await newArticle('Shared');
    const bobs = await bob.put(`${A}/${documentId}`, { title: 'Bob was here' }).set('If-Match', etag);
    expect(bobs.status).toBe(200);
    const alices = await alice.put(`${A}/${documentId}`, { title: 'Alice overwrites' }).set('If-Match', etag);
    expect(alices.status).toBe(409);
    expect(alices.body.error).toMatchObject({
      status: 409,
      name: 'ConflictError',
      details: {
        updatedAt: bobs.body.data.updatedAt,
        updatedBy: { id: bob.userId, name: expect.stringMatching(/^Test User/) },
      },
    });
    expect(await draftTitle(documentId)).toBe('Bob was here');
    const audit = await t()
      .db('folio_audit_log')
      .where({ action: 'content.update', entity_id: documentId })
      .count({ n: '*' });
    expect(Number(audit[0].n)).toBe(1);
  });

  it('keeps last-write-wins for a write without If-Match', async () => {
    const { documentId } = await newArticle('Old client');
    expect((await bob.put(`${A}/${documentId}`, { title: 'Bob' })).status).toBe(200);
    expect((await alice.put(`${A}/${documentId}`, { title: 'Alice' })).status).toBe(200);
    expect(await draftTitle(documentId)).toBe('Alice');
  });

  it('refuses to publish or discard a draft changed since it was read', async () => {
    const { documentId, etag } = await newArticle('Publish what I saw');
    expect((await bob.put(`${A}/${documentId}`, { title: 'Bob changed it' })).status).toBe(200);
    const publish = await alice.post(`${A}/${documentId}/actions/publish`).set('If-Match', etag);
    expect([publish.status, publish.body.error?.name]).toEqual([409, 'ConflictError']);
    expect(await t().db('articles').where({ document_id: documentId, status: 'published' }).first()).toBeUndefined();
    const current = (await alice.get(`${A}/${documentId}`)).headers.etag;
    const published = await alice.post(`${A}/${documentId}/actions/publish`).set('If-Match', current);
    expect(published.status).toBe(200);
    expect((await bob.put(`${A}/${documentId}`, { title: 'Bob again' })).status).toBe(200);
    const seen = published.headers.etag;
    const discard = await alice.post(`${A}/${documentId}/actions/discard`).set('If-Match', seen);
    expect(discard.status).toBe(409);
    expect(await draftTitle(documentId)).toBe('Bob again');
  });

  it('tags each locale of a document apart', async () => {
    const P = '/admin-api/content/page';
    const en = await alice.post(`${P}?locale=en`, { title: 'Hello' });
    expect(en.status).toBe(201);
    const documentId = en.body.data.documentId as string;
    const fr = await alice.put(`${P}/${documentId}?locale=fr`, { title: 'Bonjour' });
    expect(fr.status).toBe(200);
    expect((await alice.get(`${P}/${documentId}?locale=fr`)).headers.etag).toBe(fr.headers.etag);
    const saveFr = (etag: string) =>
      alice.put(`${P}/${documentId}?locale=fr`, { title: 'Salut' }).set('If-Match', etag);
    const stale = await saveFr(en.headers.etag);
    expect(stale.status).toBe(409);
    const fresh = await saveFr(fr.headers.etag);
    expect(fresh.status).toBe(200);
  });

  it('applies If-Match to a single type', async () => {
    const G = '/admin-api/content/single-types/global';
    const created = await alice.put(G, { siteName: 'Folio' });
    expect(created.status).toBe(200);
    expect((await alice.get(G)).headers.etag).toBe(created.headers.etag);
    const etag = created.headers.etag;
    expect((await bob.put(G, { siteName: "Bob's Folio" }).set('If-Match', etag)).status).toBe(200);
    const stale = await alice.put(G, { siteName: "Alice's Folio" }).set('If-Match', etag);
    expect([stale.status, stale.body.error?.details?.updatedBy?.id]).toEqual([409, bob.userId]);
    expect((await t().db('globals').first<{ site_name: string }>('site_name')).site_name).toBe("Bob's Folio");
  });
});
