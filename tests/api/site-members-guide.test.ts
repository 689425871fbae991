// The site guide (docs/site-members-guide.md) cannot rot: its `lib/folio.js` block is taken out of
// the guide as it is and run, with the real fetch, against a listening Folio — register, me, a
// comment of one's own edited and another's refused, an expired JWT refreshed, logout.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';
import { ROOT } from '../helpers/process.js';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { setMemberRolePermissions } from '../../server/access/operations/public-permissions.js';
import type { SchemaDocument } from '../../server/schema/types.js';

interface Session {
  jwt: string;
  refreshToken: string;
}
interface Answer {
  [key: string]: unknown;
}
/** The guide's module, as its block defines it. */
interface GuideClient {
  FolioError: new (...args: unknown[]) => Error & { status: number };
  register(username: string, email: string, password: string): Promise<Session & { user: Answer }>;
  me: (jwt: string) => Promise<Answer>;
  refresh(refreshToken: string): Promise<Session>;
  logout(session: Session): Promise<Answer>;
  createComment(jwt: string, body: string): Promise<{ data: { documentId: string } }>;
  updateComment(jwt: string, documentId: string, body: string): Promise<{ data: { body: string } }>;
  asMember<T>(session: Session, request: (jwt: string) => Promise<T>): Promise<{ result: T; session: Session }>;
}

const commentSchema: SchemaDocument = {
  contentTypes: {
    comment: {
      kind: 'collectionType',
      info: { singularName: 'comment', pluralName: 'comments', displayName: 'Comment' },
      options: { draftAndPublish: false, owner: 'user' },
      attributes: {
        body: { type: 'text', required: true },
        user: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
      },
    },
  },
  components: {},
};

/** The guide's block whose first line is `// lib/folio.js`, written to a module file. */
function guideModule(): string {
  const guide = readFileSync(path.join(ROOT, 'docs', 'site-members-guide.md'), 'utf8');
  const block = /```js\n(\/\/ lib\/folio\.js[^\n]*\n[\s\S]*?)```/.exec(guide);
  if (!block) throw new Error('docs/site-members-guide.md has no `// lib/folio.js` block');
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'folio-guide-')), 'folio.mjs');
  writeFileSync(file, block[1]);
  return file;
}

describeEachDatabase('the site members guide', (t) => {
  let server: Server;
  let folio: GuideClient;

  beforeAll(async () => {
    await applyTestSchema(t().folio, commentSchema);
    await setMemberRolePermissions(t().folio, {
      caller: SYSTEM_CALLER,
      role: 'authenticated',
      allow: ['comment.create', 'comment.update:own'],
    });
    const admin = await signedIn(t(), ['super-admin']);
    const settings = (await admin.get('/admin-api/member-settings')).body.data;
    expect((await admin.put('/admin-api/member-settings', { ...settings, refreshTokens: true })).status).toBe(200);
    const callback = t().app.callback();
    server = createServer((req, res) => void callback(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.FOLIO_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    folio = (await import(pathToFileURL(guideModule()).href)) as GuideClient;
  });
  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  it('runs the guide’s sequence: register, me, own comment, refresh, logout', async () => {
    const ada = await folio.register(`ada-${t().dialect}`, `ada-${t().dialect}@example.test`, 'correct-horse-42');
    expect(ada.refreshToken).toEqual(expect.any(String));
    expect((await folio.me(ada.jwt)).username).toBe(`ada-${t().dialect}`);

    const comment = await folio.createComment(ada.jwt, 'First!');
    const edited = await folio.updateComment(ada.jwt, comment.data.documentId, 'First, edited');
    expect(edited.data.body).toBe('First, edited');
    const bob = await folio.register(`bob-${t().dialect}`, `bob-${t().dialect}@example.test`, 'correct-horse-42');
    await expect(folio.updateComment(bob.jwt, comment.data.documentId, 'Mine now')).rejects.toMatchObject({
      status: 404,
    });

    // The JWT has expired (here: is no JWT at all): asMember refreshes once and keeps the new pair.
    const { result, session } = await folio.asMember({ jwt: 'expired', refreshToken: ada.refreshToken }, folio.me);
    expect(result.username).toBe(`ada-${t().dialect}`);
    expect(session.refreshToken).not.toBe(ada.refreshToken);

    expect(await folio.logout(session)).toEqual({ ok: true });
    await expect(folio.refresh(session.refreshToken)).rejects.toMatchObject({ status: 401 });
  });
});
