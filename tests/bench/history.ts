// `npm run bench -- --history`: what content history costs (issue 20). Storage: the bytes a revision
// takes, measured on the revisions the seeding recorded (one per article, category and tag of the
// dataset, each holding the full version written); on MariaDB also the table's own data and index
// pages per revision, which is what the disk pays. Throughput: W1 with history on against W1 with
// REVISIONS=off, on the same database, alternating run by run.
import { createDatabase } from '../../server/db/connection.js';
import { changeOf, spreadOf, type RunFigures, type Spread } from './baseline.js';

/** One side's W1 runs, with the server's CPU time per request (steadier than req/s on a busy machine). */
export interface SideFigures extends RunFigures {
  cpuMs: number[];
}

const TABLE = 'folio_revisions';

export interface RevisionStorage {
  contentType: string;
  revisions: number;
  /** Mean length of the stored JSON `data`, in bytes (UTF-8). */
  dataBytes: number;
  /** The largest `data`, in bytes. */
  maxDataBytes: number;
}

export interface TableStorage {
  revisions: number;
  /** Table pages per revision (MariaDB: DATA_LENGTH, InnoDB's clustered index with the rows). */
  dataBytesPerRevision: number;
  /** Secondary index pages per revision (MariaDB: INDEX_LENGTH; the history index). */
  indexBytesPerRevision: number;
  source: string;
}

/** The `data` column's length per content type, in bytes on both databases. */
export async function revisionStorage(
  databaseUrl: string,
): Promise<{ types: RevisionStorage[]; table?: TableStorage }> {
  const db = createDatabase(databaseUrl);
  try {
    const mysql = databaseUrl.startsWith('mysql');
    // SQLite's LENGTH counts the characters of a text: as a blob, it counts its bytes.
    const length = mysql ? 'LENGTH(data)' : 'LENGTH(CAST(data AS BLOB))';
    const rows: Array<Record<string, unknown>> = await db(TABLE)
      .groupBy('content_type')
      .orderBy('content_type')
      .select(
        'content_type',
        db.raw('COUNT(*) AS n'),
        db.raw(`AVG(${length}) AS avg`),
        db.raw(`MAX(${length}) AS max`),
      );
    const types = rows.map((r) => ({
      contentType: String(r.content_type),
      revisions: Number(r.n),
      dataBytes: Math.round(Number(r.avg)),
      maxDataBytes: Number(r.max),
    }));
    const revisions = types.reduce((sum, t) => sum + t.revisions, 0);
    if (!revisions) return { types };
    return { types, table: mysql ? await innodbStorage(db, revisions) : await sqliteStorage(db, revisions) };
  } finally {
    await db.destroy();
  }
}

type Db = ReturnType<typeof createDatabase>;

async function innodbStorage(db: Db, revisions: number): Promise<TableStorage> {
  // The statistics information_schema shows are refreshed lazily: ANALYZE makes them current.
  await db.raw(`ANALYZE TABLE ${TABLE}`);
  const [rows] = (await db.raw(
    'SELECT DATA_LENGTH AS data, INDEX_LENGTH AS idx FROM information_schema.TABLES ' +
      'WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [TABLE],
  )) as [Array<{ data: number | string; idx: number | string }>];
  return {
    revisions,
    dataBytesPerRevision: Math.round(Number(rows[0].data) / revisions),
    indexBytesPerRevision: Math.round(Number(rows[0].idx) / revisions),
    source: 'information_schema.TABLES after ANALYZE TABLE',
  };
}

/** SQLite's pages per table and index (the dbstat table), when its build has it. */
async function sqliteStorage(db: Db, revisions: number): Promise<TableStorage | undefined> {
  try {
    const rows = await db.raw<Array<{ name: string; bytes: number }>>(
      `SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name IN (?, 'folio_revisions_document_idx') GROUP BY name`,
      [TABLE],
    );
    const bytes = (name: string) => rows.find((r) => r.name === name)?.bytes ?? 0;
    return {
      revisions,
      dataBytesPerRevision: Math.round(bytes(TABLE) / revisions),
      indexBytesPerRevision: Math.round(bytes('folio_revisions_document_idx') / revisions),
      source: 'dbstat (pages, overflow pages included)',
    };
  } catch {
    return undefined; // a build without dbstat: the data column's length is the figure
  }
}

export function storageTable(storage: Awaited<ReturnType<typeof revisionStorage>>): string {
  const lines = [
    '| content type | revisions | `data` bytes, mean | `data` bytes, max |',
    '|---|---|---|---|',
    ...storage.types.map((t) => `| ${t.contentType} | ${t.revisions} | ${t.dataBytes} | ${t.maxDataBytes} |`),
  ];
  const { table } = storage;
  if (table)
    lines.push(
      '',
      `table pages per revision (${table.source}, ${table.revisions} revisions): ` +
        `data ${table.dataBytesPerRevision} bytes, history index ${table.indexBytesPerRevision} bytes`,
    );
  return `\n${lines.join('\n')}\n`;
}

const shown = (s: Spread) => (s.min === s.max ? `${s.median}` : `${s.median} (${s.min}–${s.max})`);

/**
 * The median of the run-by-run changes: each run measures on and off one after the other, so a
 * machine busier in one minute than the next weighs on both sides of a pair alike.
 */
function pairwise(on: number[], off: number[]): string {
  const percents = on
    .map((value, i) => ((value - off[i]) / off[i]) * 100)
    .filter((c) => Number.isFinite(c))
    .map(Math.round);
  if (!percents.length) return '-';
  const sign = (n: number) => `${n > 0 ? '+' : ''}${n}`;
  return `${sign(spreadOf(percents).median)} % (${sign(Math.min(...percents))} to ${sign(Math.max(...percents))})`;
}

/** W1 with history on against off: median (min–max) of the runs. */
export function historyTable(on: SideFigures, off: SideFigures, runs: number): string {
  const row = (label: string, f: SideFigures) =>
    `| ${label} | ${shown(spreadOf(f.reqPerSec))} | ${shown(spreadOf(f.p99))} | ${shown(spreadOf(f.cpuMs))} | ` +
    `${f.failures} |`;
  const change = (pick: (f: SideFigures) => number[]) =>
    changeOf(spreadOf(pick(off)).median, spreadOf(pick(on)).median);
  return (
    `\nW1, median (min–max) of ${runs} run${runs === 1 ? '' : 's'} each\n\n` +
    '| history | req/s | p99 ms | server CPU ms/req | failures |\n|---|---|---|---|---|\n' +
    `${row('off (REVISIONS=off)', off)}\n${row('on', on)}\n` +
    `\nhistory on: ${change((f) => f.reqPerSec)} req/s, ${change((f) => f.p99)} p99, ` +
    `${change((f) => f.cpuMs)} CPU per request (medians); run by run, each on against the off ` +
    `beside it: req/s ${pairwise(on.reqPerSec, off.reqPerSec)}, CPU per request ${pairwise(on.cpuMs, off.cpuMs)}\n`
  );
}
