// A small installation to back up (content with components, relations, locales and revisions; media
// with formats in folders; a custom role, a webhook, an API token, admin accounts), and the views
// backup tests compare: every row of a table, normalised, and every stored file's checksum.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from '@jest/globals';
import type { Knex } from 'knex';
import {
  ArchiveWriter,
  MANIFEST_ENTRY,
  readAll,
  readArchive,
  sha256,
  type Manifest,
} from '../../server/backup/archive.js';
import { datetimeColumns, encodeRow, type Row } from '../../server/backup/values.js';
import type { LocalStorage } from '../../server/media/storage.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn } from './admin.js';
import type { TestFolio } from './folio.js';
import { twoColours } from './media.js';
import { applyTestSchema } from './schema.js';

/** Seeds the installation; answers its read-only API token (the token itself, shown once). */
export async function seedInstallation(t: TestFolio): Promise<string> {
  await applyTestSchema(t.folio, blogSchema);
  const editor = await signedIn(t, ['editor']);
  const admin = await signedIn(t, ['super-admin']);
  const created = async (path: string, body: object) => {
    const res = await editor.post(path, body);
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.data as { documentId: string; id: number };
  };
  const folder = (await admin.post('/admin-api/upload/folders', { name: 'Photos' })).body.data as { id: number };
  await admin.post('/admin-api/upload/folders', { name: '2026', parent: folder.id });
  const upload = await editor.agent
    .post('/admin-api/upload/files')
    .set('X-CSRF-Token', editor.csrf)
    .field('fileInfo', JSON.stringify({ folder: folder.id, alternativeText: 'Sky' }))
    .attach('files', await twoColours(640, 320, '#1e90ff', '#ffffff', 'png'), 'sky.png');
  expect(upload.status).toBe(201);
  const image = (upload.body.data as Array<{ id: number }>)[0];
  const category = await created('/admin-api/content/category', { name: 'Science' });
  const tags = [
    await created('/admin-api/content/tag', { name: 'space' }),
    await created('/admin-api/content/tag', { name: 'moon' }),
  ];
  for (const title of ['First light', 'Ünïcode — “quotes” 🚀']) {
    const article = await created('/admin-api/content/article', {
      title,
      kind: 'news',
      category: category.documentId,
      tags: tags.map((tag) => tag.documentId),
      cover: image.id,
      seo: { metaTitle: `About ${title}`, shareImage: image.id },
      blocks: [{ __component: 'shared.quote', text: 'To the moon', author: 'Someone' }],
    });
    expect((await editor.post(`/admin-api/content/article/${article.documentId}/actions/publish`)).status).toBe(200);
  }
  const page = await created('/admin-api/content/page', { title: 'About' });
  expect((await editor.put(`/admin-api/content/page/${page.documentId}?locale=fr`, { title: 'À propos' })).status).toBe(
    200,
  );
  await t.folio.access.createRole({ name: 'Reviewer', description: 'Reads everything' });
  await t.folio.webhooks.service.create(
    { name: 'site build', url: 'http://127.0.0.1:9/hook', events: ['entry.publish'], secret: 'signing-secret-123' },
    null,
  );
  return (await t.folio.apiTokens.create({ name: 'site', type: 'read-only', allow: [] })).token;
}

/** Each row of a table in the archive's dialect-free form (JSON text parsed), sorted by its key. */
export async function tableRows(db: Knex, table: string): Promise<Row[]> {
  const datetimes = await datetimeColumns(() => db(table));
  const rows = (await db(table).select('*')) as Row[];
  return rows
    .map((row) => encodeRow(row, datetimes))
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^[[{]/.test(v) ? parseOr(v) : v]),
      ),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every table an archive holds → its rows, as the database holds them now (or that it has no such table). */
export async function rowsOf(db: Knex, tables: string[]): Promise<Record<string, Row[] | 'no such table'>> {
  const out: Record<string, Row[] | 'no such table'> = {};
  for (const table of tables)
    out[table] = (await db.schema.hasTable(table)) ? await tableRows(db, table) : 'no such table';
  return out;
}

/** Every stored file (transforms are caches, left out) → its sha256. */
export async function filesOf(t: TestFolio): Promise<Record<string, string>> {
  const root = (t.folio.media.storage as LocalStorage).root;
  const out: Record<string, string> = {};
  for (const name of await readdir(root)) {
    if (name.startsWith('_')) continue;
    out[name] = createHash('sha256')
      .update(await readFile(path.join(root, name)))
      .digest('hex');
  }
  return out;
}

/**
 * Copies an archive, changing entries on the way. `reseal` recomputes the manifest's checksums (an
 * archive Folio could have written, whose content the database then refuses); without it the copy
 * is a tampered one.
 */
export async function rewriteArchive(
  from: string,
  to: string,
  edit: (name: string, data: Buffer) => Buffer,
  options: { reseal: boolean; manifest?: (m: Manifest) => Manifest } = { reseal: false },
): Promise<void> {
  const entries: Array<[string, Buffer]> = [];
  let manifest: Manifest | undefined;
  for await (const entry of readArchive(from)) {
    const data = await readAll(entry.body);
    if (entry.name === MANIFEST_ENTRY) manifest = JSON.parse(data.toString('utf8')) as Manifest;
    else entries.push([entry.name, edit(entry.name, data)]);
  }
  if (!manifest) throw new Error(`${from} has no manifest`);
  const writer = new ArchiveWriter(to);
  for (const [name, data] of entries) {
    await writer.addBuffer(name, data);
    if (options.reseal) manifest.entries[name] = { sha256: sha256(data), bytes: data.length };
  }
  const final = options.manifest ? options.manifest(manifest) : manifest;
  await writer.addBuffer(MANIFEST_ENTRY, Buffer.from(JSON.stringify(final)));
  await writer.finish();
}

/** The NDJSON rows of one table in an archive. */
export async function archivedRows(file: string, table: string): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const entry of readArchive(file)) {
    const data = await readAll(entry.body);
    if (entry.name.startsWith(`tables/${table}/`))
      rows.push(
        ...data
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Row),
      );
  }
  return rows;
}
