// The ceilings the bench compares Folio with (issue 8), each a minimal server in its own process:
//   bare  (A): Koa answering a precomputed body of E1's size — what Koa + HTTP cost at best.
//   list  (C): Koa + mysql2 + JSON.stringify of E1's 25 published rows, ORDER BY with the id
//              tie-break, LIMIT 25, no count, on a table with the index that query needs.
//   one   (C1): the same for E4's single row by document id.
// Usage: tsx ceiling-server.ts <bare|list|one> <port> [mysqlUrl] [bodyBytes] [documentId]
import { pathToFileURL } from 'node:url';
import Koa from 'koa';
import mysql from 'mysql2/promise';

export const CEILING_COLUMNS =
  'id, document_id, title, slug, summary, body, views, rating, featured, published_date, created_at, updated_at, published_at';

function shape(row: Record<string, unknown>) {
  return {
    id: row.id, documentId: row.document_id, title: row.title, slug: row.slug, summary: row.summary, body: row.body,
    views: row.views, rating: row.rating, featured: row.featured === 1, publishedDate: row.published_date,
    createdAt: row.created_at, updatedAt: row.updated_at, publishedAt: row.published_at,
  };
}

// run.ts imports CEILING_COLUMNS from here: the server itself starts only when this file is the entry point.
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
    const pool = mysql.createPool({ uri: url, connectionLimit: 16, decimalNumbers: true, dateStrings: ['DATE'], timezone: 'Z' });
    if (mode === 'list') {
      app.use(async (ctx) => {
        const [rows] = await pool.query(
          `SELECT ${CEILING_COLUMNS} FROM ceiling_articles WHERE status = 'published' ORDER BY published_date DESC, id ASC LIMIT 25`,
        );
        ctx.type = 'application/json';
        ctx.body = JSON.stringify({ data: (rows as Record<string, unknown>[]).map(shape) });
      });
    } else {
      app.use(async (ctx) => {
        const [rows] = await pool.query(`SELECT ${CEILING_COLUMNS} FROM ceiling_articles WHERE status = 'published' AND document_id = ?`, [documentId]);
        ctx.type = 'application/json';
        ctx.body = JSON.stringify({ data: shape((rows as Record<string, unknown>[])[0]), meta: {} });
      });
    }
  }

  app.listen(Number(portArg), '127.0.0.1', () => process.stdout.write('ready\n'));
}
