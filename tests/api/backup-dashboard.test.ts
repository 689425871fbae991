// Settings › Backups (issue 22): the Admin API's export and import, in-process, both databases.
// Super Admins only; an export downloads a valid archive, which the import route accepts: it
// replaces the content and the running server serves it at once (schema, response cache).
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import type supertest from 'supertest';
import { verifyArchive } from '../../server/backup/import.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { rowsOf, seedInstallation } from '../helpers/backup.js';
import { RUN_DIR } from '../helpers/env.js';
import { describeEachDatabase } from '../helpers/folio.js';

/** supertest keeps a binary body as a Buffer only when told how to read it. */
function binary(res: supertest.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

function exportRequest(session: AdminSession, body: object): supertest.Test {
  return session.agent
    .post('/admin-api/backups/export')
    .set('X-CSRF-Token', session.csrf)
    .send(body)
    .buffer(true)
    .parse(binary);
}

function importRequest(
  session: AdminSession,
  archive: string,
  fields: Record<string, string> = {},
  name = 'backup.tar.gz',
): supertest.Test {
  const req = session.agent.post('/admin-api/backups/import').set('X-CSRF-Token', session.csrf);
  for (const [key, value] of Object.entries(fields)) void req.field(key, value);
  return req.attach('archive', archive, name);
}

describeEachDatabase('Settings › Backups (Admin API)', (t) => {
  let token: string;
  let admin: AdminSession;
  let dir: string;
  let counter = 0;

  beforeAll(async () => {
    token = await seedInstallation(t());
    admin = await signedIn(t(), ['super-admin']);
    dir = mkdtempSync(path.join(RUN_DIR, 'backup-dashboard-'));
  });

  /** Downloads an export of `t` into a file; answers its path. */
  async function downloaded(body: object): Promise<string> {
    const res = await exportRequest(admin, body);
    expect([res.status, res.headers['content-disposition']]).toEqual([
      200,
      expect.stringMatching(/^attachment; filename="folio-backup-.*\.tar\.gz"$/),
    ]);
    const file = path.join(dir, `download-${++counter}.tar.gz`);
    writeFileSync(file, res.body as Buffer);
    return file;
  }

  const categoryNames = async () => {
    const res = await t().http().get('/api/categories').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ name: string }>).map((c) => c.name);
  };

  it('refuses every backup route to an admin who is not a Super Admin (403)', async () => {
    const editor = await signedIn(t(), ['editor']);
    const archive = path.join(dir, 'not-read.tar.gz');
    writeFileSync(archive, 'never read');
    const answers = [
      await exportRequest(editor, {}),
      await editor.get('/admin-api/backups/progress'),
      await importRequest(editor, archive, { replace: 'true', confirm: 'REPLACE' }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(403);
      const body: unknown = Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString('utf8')) : res.body;
      expect(body).toMatchObject({ error: { message: 'Backups are for Super Admins only' } });
    }
  });

  it('downloads an archive that checks whole against its manifest, with the parts asked for', async () => {
    const file = await downloaded({ parts: ['content', 'settings', 'media'] });
    const { manifest } = await verifyArchive(file);
    expect(manifest.parts).toEqual(['settings', 'media', 'content']); // in Folio's order
    expect(manifest.tables.articles.rows).toBe(Number((await t().db('articles').count({ n: '*' }))[0].n));
  });

  it('refuses a replacing import without the typed confirmation, or not multipart, changing nothing', async () => {
    const file = await downloaded({ parts: ['content'] });
    const before = await rowsOf(t().db, ['articles']);
    const res = await importRequest(admin, file, { replace: 'true', confirm: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors).toEqual([
      expect.objectContaining({ path: ['confirm'], message: 'Type REPLACE to replace what this installation holds' }),
    ]);
    expect(await rowsOf(t().db, ['articles'])).toEqual(before);
    const json = await admin.post('/admin-api/backups/import', { replace: true });
    expect([json.status, json.body.error.message]).toEqual([
      400,
      'Expected a multipart/form-data body with the archive in an "archive" field',
    ]);
  });

  it('names the uploaded file, not a temporary path, when an encrypted archive comes without passphrase', async () => {
    const res = await exportRequest(admin, { parts: ['settings'], passphrase: 'correct horse battery staple' });
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/octet-stream']);
    const file = path.join(dir, 'sealed.tar.gz');
    writeFileSync(file, res.body as Buffer);
    const refused = await importRequest(admin, file, { replace: 'true', confirm: 'REPLACE' }, 'mine.tar.gz');
    expect([refused.status, refused.body.error.message]).toEqual([
      400,
      'mine.tar.gz is encrypted: give its passphrase (FOLIO_BACKUP_PASSPHRASE)',
    ]);
    expect(await exportRequest(admin, { passphrase: 'short' })).toMatchObject({ status: 400 });
  });

  it('replaces the content and serves it at once without a restart: schema, rows and cached responses', async () => {
    const file = await downloaded({});
    // After the export: a new type, a renamed category, and its new name in the response cache.
    await t().folio.schema.apply({
      contentTypes: {
        note: {
          kind: 'collectionType',
          info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
          options: { draftAndPublish: false },
          attributes: { text: { type: 'string' } },
        },
      },
    });
    const [category] = (await admin.get('/admin-api/content/category')).body.data as Array<{ documentId: string }>;
    expect((await admin.put(`/admin-api/content/category/${category.documentId}`, { name: 'Physics' })).status).toBe(
      200,
    );
    expect(await categoryNames()).toEqual(['Physics']);
    expect(await categoryNames()).toEqual(['Physics']); // served from the response cache

    const res = await importRequest(admin, file, { replace: 'true', confirm: 'REPLACE' });
    expect([res.status, res.body.error]).toEqual([200, undefined]);
    expect(res.body.data).toMatchObject({
      parts: ['settings', 'users', 'media', 'content'],
      source: { dialect: t().dialect },
      reissue: { tokens: [], webhooks: [] },
      rekeyed: { webhooks: [] },
      droppedRoleLinks: [],
    });
    expect(res.body.data.rows).toBeGreaterThan(10);

    expect(await categoryNames()).toEqual(['Science']);
    const notes = await t().http().get('/api/notes').set('Authorization', `Bearer ${token}`);
    expect(notes.status).toBe(404);
    // The archive replaced the accounts: every session ended, the Super Admin signs in again.
    expect((await admin.get('/admin-api/backups/progress')).status).toBe(401);
    admin = await signedIn(t(), ['super-admin']);
    expect((await admin.get('/admin-api/backups/progress')).body).toEqual({ data: null });
  });
});
