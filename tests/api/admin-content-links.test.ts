// The link right in the content manager's edit form: a relation field the caller may write shows what
// it links — documentId and main field, nothing else — even when the caller's role may not read those
// targets (the Author reads only what it created), as the relation picker lists them. A field the
// caller may only read keeps the read rule: targets outside its read conditions are not shown.
import { beforeAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';

const C = '/admin-api/content';

describeEachDatabase('content manager: what an entry links, for a role that may not read the targets', (t) => {
  let editor: AdminSession;
  let author: AdminSession;
  let category: string;
  let tag: string;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    const created = await editor.post(`${C}/category`, { name: 'Guides', slug: 'guides-slug' });
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    category = created.body.data.documentId as string;
    const tagged = await editor.post(`${C}/tag`, { name: 'performance' });
    expect([tagged.status, tagged.body.error]).toEqual([201, undefined]);
    tag = tagged.body.data.documentId as string;
  });

  it("does not let the Author read the editor's category itself (the premise of this suite)", async () => {
    expect((await author.get(`${C}/category/${category}`)).status).toBe(404);
  });

  it('shows the Author the category and tags it linked, by documentId and main field only', async () => {
    const created = await author.post(`${C}/article`, {
      title: 'Linked',
      category: { connect: [category] },
      tags: { connect: [tag] },
    });
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    const read = await author.get(`${C}/article/${created.body.data.documentId as string}`);
    expect(read.status).toBe(200);
    expect(read.body.data.category).toEqual({ id: expect.any(Number), documentId: category, name: 'Guides' });
    expect(read.body.data.tags).toEqual([{ id: expect.any(Number), documentId: tag, name: 'performance' }]);
    expect(JSON.stringify(read.body.data.category)).not.toContain('guides-slug');
  });

  it('keeps the read rule for a relation the role may read but not write', async () => {
    const role = await t().folio.access.createRole({ name: 'Reader of own categories' });
    await t().folio.access.setPermissions(role.id, [
      { action: 'read', subject: 'article' },
      { action: 'read', subject: 'category', conditions: { query: { createdBy: '{{ user.id }}' } } },
    ]);
    const reader = await signedIn(t(), [role.id]);
    const created = await editor.post(`${C}/article`, { title: 'Read only', category: { connect: [category] } });
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    const read = await reader.get(`${C}/article/${created.body.data.documentId as string}`);
    expect(read.status).toBe(200);
    expect(read.body.data.category).toBeNull();
  });
});
