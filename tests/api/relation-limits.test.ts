// Every relation and file id of a write becomes a bound value of a statement: a write names at most
// MAX_IDS_PER_FIELD ids per field (MAX_IDS_PER_WRITE in all), and says so with a 400 rather than
// failing on the database's placeholder limit with a 500. A failed statement is never logged with
// its bound values.
import { beforeAll, expect, it } from '@jest/globals';
import { MAX_IDS_PER_FIELD } from '../../server/content/input.js';
import { selectRows } from '../../server/db/driver.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { editorHttp, type Http } from '../helpers/callers.js';
import { describeEachTestDatabase } from '../helpers/databases.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `missing${String(i).padStart(18, '0')}`);

describeEachDatabase('relation arrays larger than a write takes', (t) => {
  let http: Http;
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    http = await editorHttp(t());
  });

  it('answers 50,000 ids to connect with 400 naming the field and the limit, storing nothing', async () => {
    const res = await http()
      .post('/api/articles')
      .send({ data: { title: 'Huge relation', tags: { connect: ids(50_000) } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', details: { errors: [{ path: ['tags'] }] } });
    expect(res.body.error.message).toContain(`at most ${MAX_IDS_PER_FIELD} ids`);
    expect(await t().db('articles').where('title', 'Huge relation').first()).toBeUndefined();
  });

  it('counts set, connect and disconnect of one field together', async () => {
    const res = await http()
      .post('/admin-api/content/article')
      .send({ title: 'Split', tags: { connect: ids(600), disconnect: ids(600) } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors).toEqual([expect.objectContaining({ path: ['tags'] })]);
  });

  it('checks the ids of a field at the limit as usual', async () => {
    const res = await http()
      .post('/api/articles')
      .send({ data: { title: 'At the limit', tags: ids(MAX_IDS_PER_FIELD) } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).not.toContain('at most');
  });

  it('answers a media field of 50,000 file ids with 400', async () => {
    const res = await http()
      .post('/api/articles')
      .send({ data: { title: 'Huge gallery', gallery: Array.from({ length: 50_000 }, (_, i) => i + 1) } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['gallery']);
  });
});

/** Everything a failed statement's error carries, as a log would print it. */
async function failureOf(statement: Promise<unknown>): Promise<string> {
  const error = await statement.then(
    () => null,
    (err: unknown) => err,
  );
  // Not instanceof Error: a native module's errors may come from another jest realm.
  expect(error).toHaveProperty('message');
  return JSON.stringify(error, Object.getOwnPropertyNames(error));
}

describeEachTestDatabase('a failed statement', (t) => {
  it('carries its SQL with placeholders, never the bound values', async () => {
    const logged = await failureOf(
      t().db('folio_roles').insert({ name: 'secret-value-123', no_such_column: 'other-secret-456' }),
    );
    expect(logged).toMatch(/insert into/i);
    expect(logged).not.toMatch(/secret-value-123|other-secret-456/);
  });

  it('inside a transaction too', async () => {
    const logged = await failureOf(
      t().db.transaction((trx) => trx('folio_roles').insert({ name: 'secret-value-789', no_such_column: 1 })),
    );
    expect(logged).not.toContain('secret-value-789');
  });

  it("on the driver's own path for compiled SELECTs too", async () => {
    const logged = await failureOf(
      selectRows(t().db, t().dialect, 'SELECT * FROM folio_roles WHERE no_such_column = ?', ['secret-value-000']),
    );
    expect(logged).not.toContain('secret-value-000');
  });
});
