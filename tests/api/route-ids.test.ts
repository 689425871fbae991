// One id rule for every route (server/routes/params.ts): a positive whole number of at most 12 digits.
// Within the rule an id nobody has is a 404; outside it, a 400 in the error envelope, on every route.
import { beforeAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';

const ROUTES = ['/admin-api/users', '/admin-api/roles', '/admin-api/upload/files', '/admin-api/upload/folders'];

describeEachDatabase('ids in route paths', (t) => {
  let admin: AdminSession;
  beforeAll(async () => {
    admin = await signedIn(t(), ['super-admin']);
  });

  it.each(ROUTES)('answers an unknown 12-digit id on %s with 404', async (route) => {
    const res = await admin.get(`${route}/123456789012`);
    expect(res.status).toBe(404);
  });

  it.each(ROUTES)('refuses id 0 on %s with 400 naming the parameter', async (route) => {
    const res = await admin.get(`${route}/0`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', message: '"id" must be a positive whole number' });
  });

  it.each(ROUTES)('refuses a 13-digit id on %s with 400', async (route) => {
    const res = await admin.get(`${route}/1234567890123`);
    expect(res.status).toBe(400);
  });
});
