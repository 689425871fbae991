// The ceilings the bench compares Folio with (issue 8), each a minimal server in its own process:
//   bare      (A): Koa answering a precomputed body of E1's size — what Koa + HTTP cost at best.
//   list      (C): Koa + mysql2 + JSON.stringify of E1's 25 published rows, ORDER BY with the id
//                  tie-break, LIMIT 25, no count, on a table with the index that query needs.
//   list-noindex (C0): the same on a table without that index (what any server gets without it).
//   one       (C1): the same for E4's single row by document id.
//   populated (C2): the same for E2's page with its category and tags, on tables a hand-written app
//                  would have (integer keys, no documents or locales): the page with its category
//                  joined, then the page's tags in a second statement, grouped by article in code.
//                  Not a target of the issue: it shows what E2's relations cost any server.
// Usage: tsx ceiling-server.ts <bare|list|list-noindex|one|populated> <port> [mysqlUrl] [bodyBytes] [documentId]
import { pathToFileURL } from 'node:url';
import Koa from 'koa';
import mysql from 'mysql2/promise';

export const CEILING_COLUMNS =
  'id, document_id, title, slug, summary, body, views, rating, featured, published_date, created_at, ' +
  'updated_at, published_at';

/** A category's or tag's columns, as the API returns a populated one. */
export const CEILING_TERM_COLUMNS = 'id, document_id, name, slug, created_at, updated_at, published_at';

type Row = Record<string, unknown>;

function shape(row: Row) {
  return {
    id: row.id,
    documentId: row.document_id,
    title: row.title,
    slug: row.slug,
    summary: row.summary,
    body: row.body,
    views: row.views,
    rating: row.rating,
    featured: row.featured === 1,
    publishedDate: row.published_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

/** A category or tag; `prefix` names its columns when they were joined into the article's row. */
function shapeTerm(row: Row, prefix = '') {
  return {
    id: row[`${prefix}id`],
    documentId: row[`${prefix}document_id`],
    name: row[`${prefix}name`],
    slug: row[`${prefix}slug`],
    createdAt: row[`${prefix}created_at`],
    updatedAt: row[`${prefix}updated_at`],
    publishedAt: row[`${prefix}published_at`],
  };
}

const columnsOf = (alias: string, columns: string, prefix = '') =>
  columns
    .split(', ')
    .map((column) => `${alias}.${column}${prefix ? ` AS ${prefix}${column}` : ''}`)
    .join(', ');

// run.ts imports the column lists from here: the server itself starts only when this file is the entry point.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) serve(process.argv.slice(2));

function serve([mode, portArg, url, bodyBytes, documentId]: string[]): void {
  const app = new Koa();
  if (mode === 'bare') {
    const body = JSON.stringify({ data: 'x'.repeat(Math.max(0, Number(bodyBytes) - 12)) });
    app.use((ctx) => {
      ctx.type = 'application/json';
      ctx.body = body;
    });
  } else {
    const pool = mysql.createPool({
      uri: url,
      connectionLimit: 16,
      decimalNumbers: true,
      dateStrings: ['DATE'],
      timezone: 'Z',
    });
    if (mode === 'list' || mode === 'list-noindex') {
      const table = mode === 'list' ? 'ceiling_articles' : 'ceiling_articles_noindex';
      app.use(async (ctx) => {
        const [rows] = await pool.query(
          `SELECT ${CEILING_COLUMNS} FROM ${table} WHERE status = 'published' ORDER BY published_date ` +
            `DESC, id ASC LIMIT 25`,
        );
        ctx.type = 'application/json';
        ctx.body = JSON.stringify({ data: (rows as Row[]).map(shape) });
      });
    } else if (mode === 'populated') {
      const page = `SELECT ${columnsOf('a', CEILING_COLUMNS)}, ${columnsOf('c', CEILING_TERM_COLUMNS, 'category_')}
        FROM ceiling_articles a
        LEFT JOIN ceiling_article_categories ac ON ac.article_id = a.id
        LEFT JOIN ceiling_categories c ON c.id = ac.category_id
        WHERE a.status = 'published' ORDER BY a.id LIMIT 25`;
      const tags = `SELECT at.article_id, ${columnsOf('t', CEILING_TERM_COLUMNS)}
        FROM ceiling_article_tags at JOIN ceiling_tags t ON t.id = at.tag_id
        WHERE at.article_id IN (?) ORDER BY at.article_id, at.position`;
      app.use(async (ctx) => {
        const [rows] = (await pool.query(page)) as [Row[], unknown];
        const [tagRows] = (await pool.query(tags, [rows.map((row) => row.id)])) as [Row[], unknown];
        const tagsOf = new Map<unknown, ReturnType<typeof shapeTerm>[]>();
        for (const tag of tagRows) {
          const list = tagsOf.get(tag.article_id) ?? [];
          list.push(shapeTerm(tag));
          tagsOf.set(tag.article_id, list);
        }
        const data = rows.map((row) => ({
          ...shape(row),
          category: row.category_id === null ? null : shapeTerm(row, 'category_'),
          tags: tagsOf.get(row.id) ?? [],
        }));
        ctx.type = 'application/json';
        ctx.body = JSON.stringify({ data });
      });
    } else {
      app.use(async (ctx) => {
        const [rows] = await pool.query(
          `SELECT ${CEILING_COLUMNS} FROM ceiling_articles WHERE status = 'published' AND document_id = ?`,
          [documentId],
        );
        ctx.type = 'application/json';
        ctx.body = JSON.stringify({ data: shape((rows as Row[])[0]), meta: {} });
      });
    }
  }

  app.listen(Number(portArg), '127.0.0.1', () => process.stdout.write('ready\n'));
}
