// Backups (issue 22): `folio export` writes one consistent snapshot into a checksummed archive;
// `folio import` verifies it whole, refuses what it must (a tampered archive, a newer Folio, a
// database holding data without --replace) and loads all or nothing. Both databases.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { beforeAll, expect, it, jest } from '@jest/globals';
import { exportArchive } from '../../server/backup/export.js';
import { importArchive } from '../../server/backup/import.js';
import { ARCHIVED_SYSTEM_TABLES, LEFT_OUT_TABLES, PARTS, selectParts } from '../../server/backup/parts.js';
import { introspect } from '../../server/schema/introspect.js';
import { archivedRows, filesOf, rewriteArchive, rowsOf, seedInstallation } from '../helpers/backup.js';
import { describeEachDatabase, startTestFolio, type TestFolio } from '../helpers/folio.js';
import { RUN_DIR, TEST_SECRET } from '../helpers/env.js';
import { createAdmin } from '../helpers/admin.js';

const ALL = new Set(PARTS);

/** The folio_* tables the database really has. */
async function ownTables(t: TestFolio): Promise<string[]> {
  return [...(await introspect(t.db, t.dialect)).keys()].filter((name) => name.startsWith('folio_'));
}

describeEachDatabase('folio export / import', (t) => {
  let dir: string;
  let full: string;
  let tables: string[];

  beforeAll(async () => {
    await seedInstallation(t());
    dir = mkdtempSync(path.join(RUN_DIR, 'backup-'));
    full = path.join(dir, 'full.tar.gz');
    // Secrets kept: this archive restores everything as it was (same FOLIO_SECRET).
    const manifest = await exportArchive(t().folio, full, { parts: ALL, pageRows: 3, webhookSecrets: true });
    tables = Object.keys(manifest.tables);
  });

  /** A fresh Folio of the same dialect, closed after `body`. */
  async function withFresh(body: (target: TestFolio) => Promise<void>): Promise<void> {
    const target = await startTestFolio(t().dialect);
    try {
      await body(target);
    } finally {
      await target.close();
    }
  }

  it("classifies every one of Folio's own tables as archived or left out, so a new one needs a decision", async () => {
    const own = await ownTables(t());
    expect([...own].sort()).toEqual([...ARCHIVED_SYSTEM_TABLES, ...LEFT_OUT_TABLES].sort());
  });

  it('writes a manifest naming every table with its row count and every entry with its checksum', async () => {
    const manifest = await exportArchive(t().folio, path.join(dir, 'again.tar.gz'), { parts: ALL });
    expect(manifest).toMatchObject({ format: 'folio-backup', dialect: t().dialect, parts: [...PARTS] });
    expect(manifest.migration).toMatch(/^\d{8}_\d{4}_/);
    expect(manifest.tables.articles.rows).toBe(Number((await t().db('articles').count({ n: '*' }))[0].n));
    expect(manifest.media.files).toBeGreaterThan(1); // the original and its formats
    for (const entry of Object.values(manifest.entries)) expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('restores every row of every table and every file into an empty database', async () => {
    await withFresh(async (target) => {
      const result = await importArchive(target.folio, full);
      expect(result.rows).toBeGreaterThan(0);
      expect(await rowsOf(target.db, tables)).toEqual(await rowsOf(t().db, tables));
      expect(await filesOf(target)).toEqual(await filesOf(t()));
    });
  });

  it('leaves webhook signing secrets out unless asked to keep them, and keeps token digests', async () => {
    const plain = path.join(dir, 'plain.tar.gz');
    await exportArchive(t().folio, plain, { parts: selectParts(['settings']) });
    expect((await archivedRows(plain, 'folio_webhooks')).map((w) => w.secret)).toEqual([null]);
    const kept = path.join(dir, 'secrets.tar.gz');
    await exportArchive(t().folio, kept, { parts: selectParts(['settings']), webhookSecrets: true });
    const [stored] = await t().db('folio_webhooks').select('secret');
    expect((await archivedRows(kept, 'folio_webhooks')).map((w) => w.secret)).toEqual([stored.secret]);
    expect((await archivedRows(kept, 'folio_api_tokens')).map((r) => r.digest)).toEqual(
      await t().db('folio_api_tokens').orderBy('id').pluck('digest'),
    );
  });

  it('with --only content, leaves accounts and settings out of the archive and of the import', async () => {
    const only = path.join(dir, 'content.tar.gz');
    const manifest = await exportArchive(t().folio, only, { parts: selectParts(['content']) });
    expect(manifest.parts).toEqual(['content']);
    expect(Object.keys(manifest.tables)).not.toContain('folio_admin_users');
    expect(Object.keys(manifest.entries).filter((e) => !e.startsWith('tables/') && e !== 'schema.json')).toEqual([]);
    await withFresh(async (target) => {
      await importArchive(target.folio, only);
      expect(await target.db('folio_admin_users').count({ n: '*' })).toEqual([{ n: 0 }]);
      expect(await rowsOf(target.db, ['articles', 'articles_cmps'])).toEqual(
        await rowsOf(t().db, ['articles', 'articles_cmps']),
      );
    });
  });

  it('refuses a tampered archive and changes nothing', async () => {
    const tampered = path.join(dir, 'tampered.tar.gz');
    await rewriteArchive(full, tampered, (name, data) =>
      name.startsWith('tables/articles/')
        ? Buffer.from(data.toString('utf8').replace('First light', 'Forged light'))
        : data,
    );
    await withFresh(async (target) => {
      const before = await rowsOf(target.db, tables);
      await expect(importArchive(target.folio, tampered)).rejects.toThrow(
        /does not match its manifest.*tables\/articles\//,
      );
      expect(await rowsOf(target.db, tables)).toEqual(before);
      expect(await target.folio.schema.version()).toBe(0);
    });
  });

  it('refuses an archive made by a newer Folio', async () => {
    const newer = path.join(dir, 'newer.tar.gz');
    await rewriteArchive(full, newer, (_n, d) => d, {
      reseal: false,
      manifest: (m) => ({ ...m, migration: '29991231_0001_from_the_future', folioVersion: '9.0.0' }),
    });
    await withFresh(async (target) => {
      await expect(importArchive(target.folio, newer)).rejects.toThrow(
        'The archive was made by a newer Folio (9.0.0, migration 29991231_0001_from_the_future)',
      );
    });
  });

  it('refuses an archive made before a migration that changed what archives hold', async () => {
    const older = path.join(dir, 'older.tar.gz');
    await rewriteArchive(full, older, (_n, d) => d, {
      reseal: false,
      manifest: (m) => ({ ...m, migration: '20261206_0900_releases', folioVersion: '0.0.9' }),
    });
    await withFresh(async (target) => {
      const before = await rowsOf(target.db, tables);
      await expect(importArchive(target.folio, older)).rejects.toThrow(
        'The archive was made by an older Folio (0.0.9, migration 20261206_0900_releases), before ' +
          '20261207_0000_release_permissions, 20261207_0200_members changed what archives hold',
      );
      expect(await rowsOf(target.db, tables)).toEqual(before);
    });
  });

  it('refuses a database that holds data unless --replace, then replaces it', async () => {
    const before = await rowsOf(t().db, tables);
    await expect(importArchive(t().folio, full)).rejects.toThrow(/already holds data \(articles, .*--replace/);
    expect(await rowsOf(t().db, tables)).toEqual(before);
    await importArchive(t().folio, full, { replace: true });
    expect(await rowsOf(t().db, tables)).toEqual(before);
  });

  it('rolls everything back when a row fails midway, even after --replace emptied the tables', async () => {
    const broken = path.join(dir, 'broken.tar.gz');
    // Sealed again: an archive Folio could have written, whose last table the database refuses.
    await rewriteArchive(
      full,
      broken,
      (name, data) =>
        name.startsWith('tables/folio_revisions/')
          ? Buffer.from(data.toString('utf8').replace(/"content_type":"[^"]*"/, '"content_type":null'))
          : data,
      { reseal: true },
    );
    const before = await rowsOf(t().db, tables);
    const files = await filesOf(t());
    await expect(importArchive(t().folio, broken, { replace: true })).rejects.toThrow(
      /import failed and was rolled back: folio_revisions/,
    );
    expect(await rowsOf(t().db, tables)).toEqual(before);
    expect(await filesOf(t())).toEqual(files);
  });

  const OTHER_SECRET = 'another-secret-0123456789abcdefghijklmnopqrstuvwxyz';

  /** A fresh Folio of the same dialect under another FOLIO_SECRET, closed after `body`. */
  async function withOtherSecret(body: (target: TestFolio) => Promise<void>): Promise<void> {
    const target = await startTestFolio(t().dialect, { FOLIO_SECRET: OTHER_SECRET });
    try {
      await body(target);
    } finally {
      await target.close();
    }
  }

  const siteToken = async () => (await t().db('folio_api_tokens').where({ name: 'site' }).first('id')).id as number;
  const siteBuild = async () => (await t().db('folio_webhooks').where({ name: 'site build' }).first('id')).id as number;

  it('under another FOLIO_SECRET, revokes the tokens and disables the signed webhooks, naming each', async () => {
    const [tokenId, webhookId] = [Number(await siteToken()), Number(await siteBuild())];
    await withOtherSecret(async (other) => {
      const warn = jest.spyOn(other.folio.logger, 'warn');
      const result = await importArchive(other.folio, full);
      expect(result.reissue).toEqual({
        tokens: [{ id: tokenId, name: 'site' }],
        webhooks: [{ id: webhookId, name: 'site build' }],
      });
      // The structured log names them too, for whoever reads the logs rather than the output.
      expect(warn).toHaveBeenCalledWith(
        { archive: full, ...result.reissue },
        expect.stringMatching(/^import: made under another FOLIO_SECRET/),
      );
      expect(result.rekeyed).toEqual({ webhooks: [] });
      const token = await other.db('folio_api_tokens').where({ id: tokenId }).first('revoked_at');
      expect(token.revoked_at).not.toBeNull();
      expect(await other.folio.webhooks.service.target(webhookId)).toMatchObject({ enabled: false, secret: null });
    });
    await withFresh(async (same) => {
      expect(await importArchive(same.folio, full)).toMatchObject({
        reissue: { tokens: [], webhooks: [] },
        rekeyed: { webhooks: [] },
      });
    });
  });

  it('with the source secret, re-keys webhook secrets for the target (tokens still to re-issue)', async () => {
    const [tokenId, webhookId] = [Number(await siteToken()), Number(await siteBuild())];
    await withOtherSecret(async (other) => {
      const result = await importArchive(other.folio, full, { sourceSecret: TEST_SECRET });
      expect(result.rekeyed).toEqual({ webhooks: [{ id: webhookId, name: 'site build' }] });
      expect(result.reissue).toEqual({ tokens: [{ id: tokenId, name: 'site' }], webhooks: [] });
      expect(await other.folio.webhooks.service.target(webhookId)).toMatchObject({
        enabled: true,
        secret: 'signing-secret-123',
      });
    });
  });

  it('refuses a source secret that is not the one the archive was made under, changing nothing', async () => {
    await withOtherSecret(async (other) => {
      await expect(
        importArchive(other.folio, full, { sourceSecret: 'not-the-source-0123456789abcdefghijklmnopqrstuv' }),
      ).rejects.toThrow(/source secret is not the FOLIO_SECRET this archive was made under/);
      expect(await other.folio.schema.version()).toBe(0);
    });
  });

  it('importing settings alone keeps each account on its roles, reporting those the archive lacks', async () => {
    const settings = path.join(dir, 'settings-only.tar.gz');
    await exportArchive(t().folio, settings, { parts: selectParts(['settings']) });
    await withFresh(async (target) => {
      const chief = await createAdmin(target, ['super-admin']);
      const extra = await target.folio.access.createRole({ name: 'Only here' });
      const local = await createAdmin(target, ['editor', extra.id]);
      const result = await importArchive(target.folio, settings, { replace: true });
      expect(result.droppedRoleLinks).toEqual([{ userId: local.id, code: extra.code }]);
      const codes = async (userId: number) =>
        target
          .db('folio_admin_user_roles as l')
          .join('folio_roles as r', 'r.id', 'l.role_id')
          .where('l.user_id', userId)
          .orderBy('r.code')
          .pluck('r.code');
      expect(await codes(chief.id)).toEqual(['super-admin']);
      expect(await codes(local.id)).toEqual(['editor']);
    });
  });

  it('encrypts with a passphrase: refused without it or with a wrong one, restored with it', async () => {
    const sealed = path.join(dir, 'sealed.tar.gz');
    const passphrase = 'correct horse battery staple';
    await exportArchive(t().folio, sealed, { parts: ALL, webhookSecrets: true, passphrase });
    expect(() => gunzipSync(readFileSync(sealed))).toThrow(); // not a gzip stream any more
    await withFresh(async (target) => {
      await expect(importArchive(target.folio, sealed)).rejects.toThrow(
        /sealed\.tar\.gz is encrypted: give its passphrase/,
      );
      await expect(importArchive(target.folio, sealed, { passphrase: 'wrong horse battery staple' })).rejects.toThrow(
        /cannot be decrypted: wrong passphrase, or the archive is damaged/,
      );
      expect(await target.folio.schema.version()).toBe(0);
      await importArchive(target.folio, sealed, { passphrase });
      expect(await rowsOf(target.db, tables)).toEqual(await rowsOf(t().db, tables));
      expect(await filesOf(target)).toEqual(await filesOf(t()));
    });
  });

  it('refuses an encrypted archive whose bytes were altered', async () => {
    const sealed = path.join(dir, 'sealed-altered.tar.gz');
    const passphrase = 'correct horse battery staple';
    await exportArchive(t().folio, sealed, { parts: selectParts(['settings']), passphrase });
    const bytes = readFileSync(sealed);
    bytes[bytes.length - 40] ^= 0x01; // inside the last encrypted block: only the tag can tell
    writeFileSync(sealed, bytes);
    await withFresh(async (target) => {
      const before = await rowsOf(target.db, ['folio_roles', 'folio_api_tokens']);
      await expect(importArchive(target.folio, sealed, { passphrase })).rejects.toThrow(/cannot be decrypted/);
      expect(await rowsOf(target.db, ['folio_roles', 'folio_api_tokens'])).toEqual(before);
    });
  });

  it('never overwrites an existing file', async () => {
    await expect(exportArchive(t().folio, full, { parts: ALL })).rejects.toThrow(/already exists/);
  });

  it('gives new rows ids after the restored ones', async () => {
    await withFresh(async (target) => {
      await importArchive(target.folio, full);
      const highest = Number((await target.db('categories').max({ id: 'id' }))[0].id);
      const [id] = await target.db('categories').insert({
        document_id: 'afterimport0000000000000',
        locale: '',
        status: 'draft',
        name: 'New',
        created_at: new Date(),
        updated_at: new Date(),
      });
      expect(Number(id)).toBeGreaterThan(highest);
    });
  });
});
