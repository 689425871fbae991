// Login CSRF: a page on another site must not sign a victim's browser into the attacker's account
// (or register, reset a password, accept an invitation). The Admin API takes JSON bodies only —
// no HTML form can send those cross-site — and the sessionless auth routes refuse a request a
// browser marks as cross-site (Sec-Fetch-Site) or sends from another origin (Origin).
import { beforeAll, expect, it } from '@jest/globals';
import { createAdmin } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';

describeEachDatabase('Admin API bodies and cross-site requests on the auth routes', (t) => {
  let account: { email: string; password: string };
  beforeAll(async () => {
    account = await createAdmin(t(), ['editor']);
  });

  const sessions = async () => Number((await t().db('folio_sessions').count({ n: '*' }))[0].n);

  it("refuses a form-encoded login (an HTML form's) with 415 in the envelope, opening no session", async () => {
    const before = await sessions();
    const res = await t()
      .http()
      .post('/admin-api/auth/login')
      .type('form')
      .send({ email: account.email, password: account.password });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ data: null, error: { status: 415, name: 'UnsupportedMediaTypeError' } });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await sessions()).toBe(before);
  });

  it.each([
    ['text/plain', JSON.stringify({ email: 'a@example.test', password: 'x' })],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.test\r\n--x--\r\n',
    ],
  ])('refuses a %s body on the Admin API with 415', async (type, body) => {
    const res = await t().http().post('/admin-api/auth/forgot-password').set('Content-Type', type).send(body);
    expect(res.status).toBe(415);
    expect(res.body.error.name).toBe('UnsupportedMediaTypeError');
  });

  it('refuses a login marked cross-site by the browser with 403, opening no session', async () => {
    const before = await sessions();
    const res = await t()
      .http()
      .post('/admin-api/auth/login')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ email: account.email, password: account.password });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'ForbiddenError',
      message: 'Cross-site requests are refused on this route',
    });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await sessions()).toBe(before);
  });

  it.each(['https://evil.example', 'null', 'http://localhost:1337.evil.example'])(
    'refuses a login from Origin %s with 403',
    async (origin) => {
      const res = await t()
        .http()
        .post('/admin-api/auth/login')
        .set('Origin', origin)
        .send({ email: account.email, password: account.password });
      expect(res.status).toBe(403);
    },
  );

  it.each([
    '/admin-api/auth/register',
    '/admin-api/auth/forgot-password',
    '/admin-api/auth/reset-password',
    '/admin-api/auth/accept-invitation',
  ])('refuses a cross-site POST %s with 403 before anything else', async (path) => {
    const res = await t()
      .http()
      .post(path)
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Origin', 'https://evil.example')
      .send({ email: account.email });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Cross-site requests are refused on this route');
  });

  it("signs in the dashboard's own requests: PUBLIC_URL's origin, or the host the request was sent to", async () => {
    const fromPublicUrl = await t()
      .http()
      .post('/admin-api/auth/login')
      .set('Origin', t().folio.config.publicUrl)
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ email: account.email, password: account.password });
    expect(fromPublicUrl.status).toBe(200);
    // Behind a TLS-terminating proxy without TRUST_PROXY, Folio sees http for the page's https.
    const fromHost = await t()
      .http()
      .post('/admin-api/auth/login')
      .set('Host', 'cms.example.test')
      .set('Origin', 'https://cms.example.test')
      .send({ email: account.email, password: account.password });
    expect(fromHost.status).toBe(200);
  });
});
