// A database outage is not Folio failing: every request answers 503 with the error envelope and
// Retry-After (docs/content-api.md, "Errors"), as /_health does, and nothing of the driver's message leaks.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createDatabase } from '../../server/db/connection.js';
import { openFolio, type Folio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { describeEachDatabase, testEnv } from '../helpers/folio.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';

function expectOutageAnswer(res: supertest.Response): void {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    data: null,
    error: {
      status: 503,
      name: 'ServiceUnavailableError',
      message: 'The database is unavailable; try again shortly',
      details: {},
    },
  });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

describeEachDatabase('requests while the database is gone', (t) => {
  beforeAll(async () => {
    // Closing the pool makes every statement fail, as during a stop or a dead server.
    await t().db.destroy();
  });

  it('answers an Admin API read with 503, the envelope and Retry-After', async () => {
    expectOutageAnswer(await t().http().get('/admin-api/auth/registration'));
  });

  it('answers a login with 503 rather than 500', async () => {
    expectOutageAnswer(
      await t().http().post('/admin-api/auth/login').send({ email: 'a@example.test', password: 'whatever-password' }),
    );
  });

  it('answers a Content API read with 503', async () => {
    expectOutageAnswer(await t().http().get('/api/articles'));
  });

  it('says the same in /_health, with Retry-After', async () => {
    const res = await t().http().get('/_health');
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

(MYSQL_AVAILABLE ? describe : describe.skip)('requests while the MySQL server refuses connections', () => {
  let db: Knex;
  let folio: Folio;
  let http: () => supertest.Agent;
  beforeAll(async () => {
    const url = `mysql://root@127.0.0.1:${await closedPort()}/folio_outage`;
    db = createDatabase(url, { logger: silentLogger() });
    folio = await openFolio(loadConfig(testEnv(url)), { logger: silentLogger(), db, migrate: false });
    const callback = createApp(folio).callback();
    http = () => supertest.agent(callback);
  });
  afterAll(async () => {
    await folio.close();
    await db.destroy();
  });

  it('answers 503 with the envelope and Retry-After, never the connection error', async () => {
    const res = await http().get('/admin-api/auth/registration');
    expectOutageAnswer(res);
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('answers a Content API write with 503', async () => {
    expectOutageAnswer(
      await http()
        .post('/api/articles')
        .send({ data: { title: 'x' } }),
    );
  });
});
