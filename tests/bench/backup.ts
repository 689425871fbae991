// `npx tsx tests/bench/backup.ts [articles=10000] [images=500]`: the backup figure of issue 22 —
// export and import of the benchmark dataset (published articles with their categories and tags)
// and a set of uploaded images with their formats, SQLite → MySQL → SQLite, in seconds and MB.
// Seeds through Folio's own document engine and media service, in process, into throwaway
// databases (a SQLite file under the OS temp dir and a MySQL database it drops afterwards).
import { mkdtempSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory from 'knex';
import sharp from 'sharp';
import { exportArchive } from '../../server/backup/export.js';
import { importArchive } from '../../server/backup/import.js';
import { PARTS } from '../../server/backup/parts.js';
import { loadConfig } from '../../server/config.js';
import { openFolio, type Folio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { benchSchema } from './schema.js';

const ARTICLES = Number(process.argv[2] ?? 10000);
const IMAGES = Number(process.argv[3] ?? 500);
const MYSQL = process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const SECRET = 'folio-bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const dir = mkdtempSync(path.join(os.tmpdir(), 'folio-bench-backup-'));

interface Dataset {
  categories: Array<{ name: string; slug: string }>;
  tags: Array<{ name: string; slug: string }>;
  articles: Array<Record<string, unknown> & { category: number; tags: number[] }>;
}

function open(databaseUrl: string, uploads: string): Promise<Folio> {
  const env = { DATABASE_URL: databaseUrl, FOLIO_SECRET: SECRET, FOLIO_DEMO: 'false', UPLOADS_DIR: uploads };
  return openFolio(loadConfig(env), { logger: silentLogger() });
}

/** Runs `work`; answers its result, its seconds and the process's peak RSS meanwhile (MB). */
async function timed<T>(label: string, work: () => Promise<T>): Promise<[T, number, number]> {
  const started = performance.now();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    const result = await work();
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const rss = Math.round(Math.max(peak, process.memoryUsage.rss()) / 1e6);
    process.stderr.write(`${label}: ${seconds} s, peak RSS ${rss} MB\n`);
    return [result, seconds, rss];
  } finally {
    clearInterval(sampler);
  }
}

async function seed(folio: Folio): Promise<void> {
  const { makeDataset } = (await import(pathToFileURL(path.join(import.meta.dirname, 'dataset.mjs')).href)) as {
    makeDataset: (n: number) => Dataset;
  };
  const data = makeDataset(ARTICLES);
  await folio.schema.apply(benchSchema);
  const ids = async (uid: string, rows: object[]) => {
    const out: string[] = [];
    for (const row of rows) out.push((await folio.documents.create(uid, { data: row })).documentId);
    return out;
  };
  const categories = await ids('category', data.categories);
  const tags = await ids('tag', data.tags);
  for (const [i, article] of data.articles.entries()) {
    const { category, tags: tagIndexes, ...fields } = article;
    const entry = { ...fields, category: categories[category], tags: tagIndexes.map((t) => tags[t]) };
    await folio.documents.create('article', { data: entry });
    if ((i + 1) % 1000 === 0) process.stderr.write(`seeded ${i + 1}/${ARTICLES} articles\n`);
  }
  for (let i = 0; i < IMAGES; i++) {
    const file = path.join(dir, `image-${i}.jpg`);
    const hue = (i * 37) % 360;
    const image = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: `hsl(${hue}, 60%, 50%)` },
    })
      .composite([
        {
          input: Buffer.from(
            `<svg width="1200" height="800"><circle cx="${300 + (i % 600)}" cy="400" r="200" fill="white"/></svg>`,
          ),
        },
      ])
      .jpeg({ quality: 80 })
      .toBuffer();
    await writeFile(file, image);
    await folio.media.upload([{ path: file, filename: `image-${i}.jpg`, size: image.length }], [{}]);
  }
  process.stderr.write(`seeded ${IMAGES} images\n`);
}

const mb = (file: string) => Math.round((statSync(file).size / 1e6) * 10) / 10;

async function main(): Promise<void> {
  const database = `folio_bench_backup_${process.pid}`;
  const server = knexFactory({ client: 'mysql2', connection: { uri: MYSQL } as never, pool: { min: 0, max: 1 } });
  const rows: string[] = [];
  try {
    const source = await open(`sqlite:${path.join(dir, 'source.db')}`, path.join(dir, 'uploads-source'));
    await timed('seed', () => seed(source));
    const fromSqlite = path.join(dir, 'from-sqlite.tar.gz');
    const [manifest, exportSqlite, rssA] = await timed('export sqlite', () =>
      exportArchive(source, fromSqlite, { parts: new Set(PARTS) }),
    );
    await source.close();
    const target = await open(`${MYSQL}/${database}`, path.join(dir, 'uploads-mysql'));
    const [, importMysql, rssB] = await timed('import mysql', () => importArchive(target, fromSqlite));
    const fromMysql = path.join(dir, 'from-mysql.tar.gz');
    const [, exportMysql, rssC] = await timed('export mysql', () =>
      exportArchive(target, fromMysql, { parts: new Set(PARTS) }),
    );
    await target.close();
    const back = await open(`sqlite:${path.join(dir, 'back.db')}`, path.join(dir, 'uploads-back'));
    const [, importSqlite, rssD] = await timed('import sqlite', () => importArchive(back, fromMysql));
    await back.close();
    const count = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
    rows.push(
      `| ${ARTICLES} articles, ${IMAGES} images: ${count} rows, ${manifest.media.files} files ` +
        `(${Math.round(manifest.media.bytes / 1e5) / 10} MB) | ${exportSqlite} s → ${mb(fromSqlite)} MB | ` +
        `${importMysql} s | ${exportMysql} s → ${mb(fromMysql)} MB | ${importSqlite} s | ` +
        `${Math.max(rssA, rssB, rssC, rssD)} MB |`,
    );
  } finally {
    await server.raw('DROP DATABASE IF EXISTS ??', [database]);
    await server.destroy();
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    '| dataset | export SQLite | import MySQL | export MySQL | import SQLite | peak RSS |\n' +
      `|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  );
}

await main();
