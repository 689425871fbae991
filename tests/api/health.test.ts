import { expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';

describeEachDatabase('GET /_health', (t) => {
  it('answers 200 with the database status', async () => {
    const res = await t().http().get('/_health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { dialect: t().dialect, status: 'up' } });
  });

  it('gives every response a request id', async () => {
    const res = await t().http().get('/_health');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a sane request id set by a proxy', async () => {
    const res = await t().http().get('/_health').set('X-Request-Id', 'lb-42');
    expect(res.headers['x-request-id']).toBe('lb-42');
  });

  it('sends security headers', async () => {
    const res = await t().http().get('/_health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

describeEachDatabase('requests that match no route', (t) => {
  it('answers an unknown path with 404 NotFoundError in the envelope', async () => {
    const res = await t().http().get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      data: null,
      error: { status: 404, name: 'NotFoundError', message: 'No route for GET /no/such/route', details: {} },
    });
  });

  it('answers a known path with another method with 405', async () => {
    const res = await t().http().delete('/_health');
    expect(res.status).toBe(405);
    expect(res.body.error.name).toBe('MethodNotAllowedError');
    expect(res.headers.allow).toContain('GET');
  });

  it('answers malformed JSON with 400 ValidationError, never 500', async () => {
    const res = await t().http().post('/_health').set('Content-Type', 'application/json').send('{"data": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      status: 400,
      name: 'ValidationError',
      message: 'Invalid JSON in the request body',
    });
  });
});

describeEachDatabase('GET /_health when the database is gone', (t) => {
  it('answers 503', async () => {
    // Closing the pool makes every query fail, as a dead server does.
    await t().db.destroy();
    const res = await t().http().get('/_health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'unavailable', database: { status: 'down' } });
    expect(JSON.stringify(res.body)).not.toMatch(/pool|knex/i);
  });
});
