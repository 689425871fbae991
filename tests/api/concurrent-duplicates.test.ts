// The same unique name sent by several requests at once: each uniqueness check can pass before any
// insert commits, so the database's unique index has the last word. One request wins; the others
// get a clear 4xx — never a 500, never a second row.
import { beforeAll, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';

const TIMES = 6;

describeEachDatabase('simultaneous duplicates', (t) => {
  let admin: AdminSession;
  beforeAll(async () => {
    admin = await signedIn(t(), ['super-admin']);
  });

  const race = async (path: string, body: Record<string, unknown>) => {
    const answers = await Promise.all(Array.from({ length: TIMES }, () => admin.post(path, body)));
    return answers.map((r) => r.status).sort();
  };

  it.each([
    [
      '/admin-api/users',
      { email: 'twin@example.test', roles: ['editor'] },
      'folio_admin_users',
      { email: 'twin@example.test' },
    ],
    ['/admin-api/roles', { name: 'Twin role' }, 'folio_roles', { name: 'Twin role' }],
    ['/admin-api/api-tokens', { name: 'Twin token', type: 'read-only' }, 'folio_api_tokens', { name: 'Twin token' }],
    [
      '/admin-api/webhooks',
      { name: 'Twin hook', url: 'http://127.0.0.1:9/x', events: ['entry.create'] },
      'folio_webhooks',
      { name: 'Twin hook' },
    ],
  ])('POST %s: one is created, the others are refused', async (path, body, table, where) => {
    const statuses = await race(path, body);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    for (const s of statuses.filter((x) => x !== 201)) expect([400, 409]).toContain(s);
    expect(await t().db(table).where(where).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
