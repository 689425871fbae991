// Admin reads compile their statements once per shape, like public reads (content/query/statements.ts):
// a role's conditions are Filter nodes of the query, not an opaque closure, so a second identical read
// (or the same read by another author, whose conditions bind another user id) compiles nothing new
// over the content's tables, and still answers only what the role may read.
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { blogSchema } from '../fixtures/blog-schema.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';

type Compiled = { sql: string } | Array<{ sql: string }>;
type Compile = (this: unknown, builder: unknown, formatter?: unknown) => { toSQL: (...args: unknown[]) => Compiled };

/** The SQL knex compiles (builders turned into SQL text) over `table` while `run` runs. */
async function compiledDuring(db: Knex, table: RegExp, run: () => Promise<void>): Promise<string[]> {
  const client = db.client as { queryCompiler: Compile };
  const original = client.queryCompiler;
  const compiled: string[] = [];
  client.queryCompiler = function (this: unknown, builder: unknown, formatter?: unknown) {
    const compiler = original.call(this, builder, formatter);
    const toSQL = compiler.toSQL;
    compiler.toSQL = function (this: unknown, ...args: unknown[]) {
      const out = toSQL.apply(this, args);
      for (const s of Array.isArray(out) ? out : [out]) if (table.test(s.sql)) compiled.push(s.sql);
      return out;
    };
    return compiler;
  };
  try {
    await run();
  } finally {
    client.queryCompiler = original;
  }
  return compiled;
}

describeEachDatabase('admin reads compiled once per shape', (t) => {
  let author: AdminSession;
  let otherAuthor: AdminSession;
  let editor: AdminSession;
  const A = '/admin-api/content/article';

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    editor = await signedIn(t(), ['editor']);
    author = await signedIn(t(), ['author']);
    otherAuthor = await signedIn(t(), ['author']);
    for (const [s, title] of [
      [author, 'Mine'],
      [otherAuthor, 'Theirs'],
      [editor, 'Edited'],
    ] as const) {
      expect((await s.post(A, { title })).status).toBe(201);
    }
  });

  async function list(t: TestFolio, s: AdminSession, query = ''): Promise<{ titles: string[]; compiled: string[] }> {
    let titles: string[] = [];
    const compiled = await compiledDuring(t.db, /articles/, async () => {
      const res = await s.get(`${A}?sort=title:asc${query}`);
      expect(res.status).toBe(200);
      titles = (res.body.data as Array<{ title: string }>).map((e) => e.title);
    });
    return { titles, compiled };
  }

  it("compiles an author's list once: the second read compiles nothing over the content's tables", async () => {
    const first = await list(t(), author);
    const second = await list(t(), author);
    expect(first.titles).toEqual(['Mine']);
    expect(second.titles).toEqual(['Mine']);
    expect(first.compiled.length).toBeGreaterThan(0);
    expect(second.compiled).toEqual([]);
  });

  it('shares the statements between authors, each bound to its own conditions', async () => {
    await list(t(), author, '&status=draft');
    const theirs = await list(t(), otherAuthor, '&status=draft');
    expect(theirs.titles).toEqual(['Theirs']);
    expect(theirs.compiled).toEqual([]);
  });

  it('shares a sort through a relation between authors, each bound to its own conditions', async () => {
    const category = async (s: AdminSession, name: string, slug: string) => {
      const res = await s.post('/admin-api/content/category', { name, slug });
      expect(res.status).toBe(201);
      return res.body.data.documentId as string;
    };
    const theirs = await category(author, 'Not theirs', 'zzz-not-theirs');
    const own = await category(otherAuthor, 'Theirs too', 'mmm-theirs-too');
    // The other author links a category it may not read (the link right) and one of its own.
    for (const [title, linked] of [
      ['Sorted in theirs', theirs],
      ['Sorted in own', own],
    ]) {
      expect((await otherAuthor.post(A, { title, category: linked })).status).toBe(201);
    }
    const query =
      `${A}?filters[title][$in][0]=Sorted in theirs&filters[title][$in][1]=Sorted in own` + '&sort=category.slug:asc';
    const sorted = async (s: AdminSession) => {
      let titles: string[] = [];
      // The statements reading the categories: the page's (its sort) and the count's.
      const compiled = await compiledDuring(t().db, /categories/, async () => {
        const res = await s.get(encodeURI(query));
        expect(res.status).toBe(200);
        titles = (res.body.data as Array<{ title: string }>).map((e) => e.title);
      });
      return { titles, compiled };
    };
    const first = await sorted(author);
    expect(first.titles).toEqual([]);
    expect(first.compiled.length).toBeGreaterThan(0);
    const second = await sorted(otherAuthor);
    // Bound to the other author's id, the category it did not create sorts as none (nulls first):
    // unrestricted, or bound to the first author's id, its slug would sort it last.
    expect(second.titles).toEqual(['Sorted in theirs', 'Sorted in own']);
    expect(second.compiled).toEqual([]);
  });

  it('compiles a document read once', async () => {
    const mine = (await author.get(A)).body.data[0] as { documentId: string };
    await author.get(`${A}/${mine.documentId}`);
    let title = '';
    const compiled = await compiledDuring(t().db, /articles/, async () => {
      const res = await author.get(`${A}/${mine.documentId}`);
      title = res.body.data.title as string;
    });
    expect(title).toBe('Mine');
    expect(compiled).toEqual([]);
  });
});
