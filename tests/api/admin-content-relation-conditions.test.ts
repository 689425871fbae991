// A role's read conditions hold inside relation paths of the content manager's lists: a filter or a
// sort through a relation (owning or inverse side, through a component too) only sees the related
// rows the caller may read, so it cannot be used as an oracle on rows it may not read, and a related
// row outside the conditions is as absent there as it is from the populated answer. The one exception
// is the link right (SECURITY.md, section 3): a caller who may write a relation field filters and
// sorts by its targets' documentId and main field, which its picker lists anyway. Both databases.
import { beforeAll, describe, expect, it } from '@jest/globals';
import qs from 'qs';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import type { PermissionInput } from '../../server/access/service.js';
import type { SchemaDocument } from '../../server/schema/types.js';

const C = '/admin-api/content';

/** The blog, with articles holding links and picks (repeatable components with a relation to pages, categories). */
const schema: SchemaDocument = {
  ...blogSchema,
  contentTypes: {
    ...blogSchema.contentTypes,
    article: {
      ...blogSchema.contentTypes.article,
      attributes: {
        ...blogSchema.contentTypes.article.attributes,
        links: { type: 'component', component: 'shared.link', repeatable: true },
        picks: { type: 'component', component: 'shared.pick', repeatable: true },
      },
    },
  },
  components: {
    ...blogSchema.components,
    'shared.pick': {
      info: { displayName: 'Pick' },
      attributes: {
        note: { type: 'string' },
        category: { type: 'relation', relation: 'manyToOne', target: 'category' },
      },
    },
  },
};

/** The list's URL, its query encoded as the dashboard encodes it (qs). */
function listOf(uid: string, query: Record<string, unknown>): string {
  return `${C}/${uid}?${qs.stringify({ pageSize: 100, ...query }, { encodeValuesOnly: true })}`;
}

interface Listed {
  title: string;
  category?: { documentId: string; name?: string } | null;
}

describeEachDatabase('content manager: role conditions inside relation paths', (t) => {
  let editor: AdminSession;
  let author: AdminSession;
  /** Reads every article, and the categories not named "Hidden". */
  let categoryReader: AdminSession;
  /** Reads every category, and the articles whose summary is not "secret". */
  let articleReader: AdminSession;
  /** Reads every article, and the pages not titled "Hidden page". */
  let pageReader: AdminSession;
  const ids = new Map<string, string>();
  const id = (name: string) => ids.get(name) ?? '';

  async function withRole(name: string, permissions: PermissionInput[]): Promise<AdminSession> {
    const role = await t().folio.access.createRole({ name });
    await t().folio.access.setPermissions(role.id, permissions);
    return signedIn(t(), [role.id]);
  }

  async function create(s: AdminSession, uid: string, name: string, body: Record<string, unknown>): Promise<void> {
    const res = await s.post(`${C}/${uid}`, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    ids.set(name, res.body.data.documentId as string);
  }

  async function titles(s: AdminSession, uid: string, query: Record<string, unknown>): Promise<string[]> {
    const res = await s.get(listOf(uid, query));
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(res.body.meta.pagination.total).toBe(res.body.data.length);
    return (res.body.data as Array<{ title?: string; name?: string }>).map((e) => e.title ?? e.name ?? '');
  }

  beforeAll(async () => {
    await applyTestSchema(t().folio, schema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    categoryReader = await withRole('Reader of visible categories', [
      { action: 'read', subject: 'article' },
      { action: 'read', subject: 'category', conditions: { query: { name: { $ne: 'Hidden' } } } },
    ]);
    articleReader = await withRole('Reader of open articles', [
      { action: 'read', subject: 'category' },
      { action: 'read', subject: 'article', conditions: { query: { summary: { $ne: 'secret' } } } },
    ]);
    pageReader = await withRole('Reader of visible pages', [
      { action: 'read', subject: 'article' },
      { action: 'read', subject: 'page', conditions: { query: { title: { $ne: 'Hidden page' } } } },
    ]);
    await create(editor, 'category', 'Hidden', { name: 'Hidden', slug: 'aaa-hidden' });
    await create(editor, 'category', 'Open', { name: 'Open', slug: 'mmm-open' });
    await create(editor, 'page', 'Hidden page', { title: 'Hidden page', slug: 'hidden-page' });
    // Created in this order: ids ascending, the tie-break of equal sort keys.
    await create(editor, 'article', 'In hidden', { title: 'In hidden', category: id('Hidden') });
    await create(editor, 'article', 'In open', { title: 'In open', category: id('Open') });
    await create(editor, 'article', 'In none', { title: 'In none' });
    await create(editor, 'article', 'Secret plan', { title: 'Secret plan', summary: 'secret', category: id('Hidden') });
    await create(editor, 'article', 'Linking a page', {
      title: 'Linking a page',
      links: [{ label: 'More', url: '/more', page: id('Hidden page') }],
    });
  });

  const three = { title: { $in: ['In hidden', 'In open', 'In none'] } };

  describe('a caller who may only read the related type, under conditions', () => {
    it('matches nothing when filtering through a relation on a related row it may not read', async () => {
      expect(
        await titles(categoryReader, 'article', { filters: { category: { slug: { $eq: 'aaa-hidden' } } } }),
      ).toEqual([]);
      // The same filter on a related row it may read still matches.
      expect(await titles(categoryReader, 'article', { filters: { category: { slug: { $eq: 'mmm-open' } } } })).toEqual(
        ['In open'],
      );
    });

    it('counts a related row it may not read as no related row at all', async () => {
      const none = await titles(categoryReader, 'article', {
        filters: { $and: [three, { category: { $null: true } }] },
      });
      expect(none.sort()).toEqual(['In hidden', 'In none']);
      const some = await titles(categoryReader, 'article', {
        filters: { $and: [three, { category: { $notNull: true } }] },
      });
      expect(some).toEqual(['In open']);
    });

    it('does not sort by the values of related rows it may not read', async () => {
      // Hidden's slug sorts first; unreadable, it sorts as no category (nulls first, then by id).
      const sorted = await titles(categoryReader, 'article', { filters: three, sort: 'category.slug:asc' });
      expect(sorted).toEqual(['In hidden', 'In none', 'In open']);
      const byEditor = await titles(editor, 'article', { filters: three, sort: 'category.slug:asc' });
      expect(byEditor).toEqual(['In none', 'In hidden', 'In open']);
    });

    it('shows no related row outside its conditions in the list', async () => {
      const res = await categoryReader.get(listOf('article', { filters: three, sort: 'title:asc' }));
      expect(res.status).toBe(200);
      const rows = res.body.data as Listed[];
      expect(rows.map((r) => [r.title, r.category?.name ?? null])).toEqual([
        ['In hidden', null],
        ['In none', null],
        ['In open', 'Open'],
      ]);
      expect(JSON.stringify(res.body)).not.toContain(id('Hidden'));
    });

    it('matches nothing through an inverse relation to rows it may not read', async () => {
      // A category has no drafts: its list reads the articles' published versions.
      for (const title of ['In hidden', 'Secret plan']) {
        expect((await editor.post(`${C}/article/${id(title)}/actions/publish`)).status).toBe(200);
      }
      expect(
        await titles(articleReader, 'category', { filters: { articles: { title: { $eq: 'Secret plan' } } } }),
      ).toEqual([]);
      expect(
        await titles(articleReader, 'category', { filters: { articles: { title: { $eq: 'In hidden' } } } }),
      ).toEqual(['Hidden']);
    });

    it('matches nothing through a component’s relation to rows it may not read', async () => {
      const filters = { links: { page: { slug: { $eq: 'hidden-page' } } } };
      expect(await titles(pageReader, 'article', { filters })).toEqual([]);
      expect(await titles(editor, 'article', { filters })).toEqual(['Linking a page']);
    });

    it('shows no related row outside its conditions inside a component', async () => {
      const res = await pageReader.get(`${C}/article/${id('Linking a page')}`);
      expect(res.status).toBe(200);
      expect(res.body.data.links).toEqual([expect.objectContaining({ label: 'More', page: null })]);
    });
  });

  describe("a revision's data", () => {
    /** The data of the newest revision of an article, as `s` reads it. */
    async function newest(s: AdminSession, title: string): Promise<Record<string, unknown>> {
      const history = `${C}/article/${id(title)}/revisions`;
      const list = await s.get(history);
      expect(list.status).toBe(200);
      const res = await s.get(`${history}/${list.body.data[0].id as number}`);
      expect(res.status).toBe(200);
      return res.body.data.data as Record<string, unknown>;
    }

    it('leaves out a related row outside the read conditions, as the entry does', async () => {
      expect((await newest(categoryReader, 'In hidden')).category).toBeNull();
      expect((await newest(categoryReader, 'In open')).category).toBe(id('Open'));
      expect((await newest(editor, 'In hidden')).category).toBe(id('Hidden'));
    });

    it('leaves out a related row outside the read conditions inside a component', async () => {
      const picks = [
        { note: 'hidden', category: id('Hidden') },
        { note: 'open', category: id('Open') },
      ];
      await create(editor, 'article', 'Picking', { title: 'Picking', picks });
      const shown = (await newest(categoryReader, 'Picking')).picks;
      expect(shown).toEqual([
        expect.objectContaining({ note: 'hidden', category: null }),
        expect.objectContaining({ note: 'open', category: id('Open') }),
      ]);
      const all = (await newest(editor, 'Picking')).picks;
      expect(all).toEqual([
        expect.objectContaining({ note: 'hidden', category: id('Hidden') }),
        expect.objectContaining({ note: 'open', category: id('Open') }),
      ]);
    });

    it('keeps only the related rows a to-many relation may show', async () => {
      await create(editor, 'article', 'Relating', { title: 'Relating', related: [id('Secret plan'), id('In open')] });
      expect((await newest(articleReader, 'Relating')).related).toEqual([id('In open')]);
      expect((await newest(editor, 'Relating')).related).toEqual([id('Secret plan'), id('In open')]);
    });
  });

  describe('an Author, who may link any category but reads only its own (the link right)', () => {
    beforeAll(async () => {
      await create(author, 'category', 'Mine', { name: 'Mine', slug: 'mmm-mine' });
      await create(author, 'article', 'Mine in hidden', { title: 'Mine in hidden', category: id('Hidden') });
      await create(author, 'article', 'Mine in mine', { title: 'Mine in mine', category: id('Mine') });
      await create(author, 'article', 'Mine in none', { title: 'Mine in none' });
    });

    it('cannot filter by a field of a category it may not read beyond its label', async () => {
      expect(await titles(author, 'article', { filters: { category: { slug: { $eq: 'aaa-hidden' } } } })).toEqual([]);
      expect(await titles(author, 'article', { filters: { category: { slug: { $eq: 'mmm-mine' } } } })).toEqual([
        'Mine in mine',
      ]);
    });

    it('still filters by the documentId and main field of any category it may link', async () => {
      expect(await titles(author, 'article', { filters: { category: { name: { $eq: 'Hidden' } } } })).toEqual([
        'Mine in hidden',
      ]);
      const byId = { category: { documentId: { $in: [id('Hidden')] } } };
      expect(await titles(author, 'article', { filters: byId })).toEqual(['Mine in hidden']);
    });

    it('sorts by the label of any category it may link, by other fields only of those it may read', async () => {
      expect(await titles(author, 'article', { sort: 'category.name:asc' })).toEqual([
        'Mine in none',
        'Mine in hidden',
        'Mine in mine',
      ]);
      expect(await titles(author, 'article', { sort: 'category.slug:asc' })).toEqual([
        'Mine in hidden',
        'Mine in none',
        'Mine in mine',
      ]);
    });

    it("shows a linked category it may not read in a revision's data, by documentId", async () => {
      const history = `${C}/article/${id('Mine in hidden')}/revisions`;
      const list = await author.get(history);
      const res = await author.get(`${history}/${list.body.data[0].id as number}`);
      expect([res.status, res.body.data.data.category]).toEqual([200, id('Hidden')]);
    });

    it('shows a linked category it may not read by documentId and label only', async () => {
      const res = await author.get(listOf('article', { sort: 'title:asc' }));
      expect(res.status).toBe(200);
      expect((res.body.data as Listed[])[0].category).toEqual({
        id: expect.any(Number),
        documentId: id('Hidden'),
        name: 'Hidden',
      });
      expect(JSON.stringify(res.body)).not.toContain('aaa-hidden');
    });
  });
});
