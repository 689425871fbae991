// Puts a schema in force on a test Folio the way `folio schema apply` does (validated, planned,
// materialised as real tables), and answers the resolved model.
import type { Folio } from '../../server/folio.js';
import type { SchemaModel } from '../../server/schema/model.js';
import type { ApplyOptions, ApplyResult } from '../../server/schema/registry.js';
import type { SchemaFile } from '../../server/schema/types.js';
import type { TestFolio } from './folio.js';

/** The locales the fixtures' localized content is written in, besides the default `en`. */
export const TEST_LOCALES = ['fr', 'de'];

/** Applies the schema and configures TEST_LOCALES (Settings › Locales), as a project would. */
export async function applyTestSchema(folio: Folio, doc: SchemaFile, options: ApplyOptions = {}): Promise<SchemaModel> {
  await folio.schema.apply(doc, options);
  await addLocales(folio, ...TEST_LOCALES);
  return folio.schema.current();
}

/** The full result (plan, applied steps, version), for tests of the schema module itself. */
export function applySchema(folio: Folio, doc: unknown, options: ApplyOptions = {}): Promise<ApplyResult> {
  return folio.schema.apply(doc, options);
}

/** Configures locales besides the default `en` (Settings › Locales), for tests writing in them. */
export async function addLocales(folio: Folio, ...codes: string[]): Promise<void> {
  const existing = new Set((await folio.locales.list()).map((l) => l.code));
  for (const code of codes) if (!existing.has(code)) await folio.locales.create({ code });
}

export interface IndexColumn {
  index: string;
  column: string;
  descending: boolean;
}

/** The columns of every index the database really holds on `table`, in index order. */
export async function indexColumns(t: TestFolio, table: string): Promise<IndexColumn[]> {
  if (t.dialect === 'mysql') {
    const [rows] = (await t.db.raw(
      'SELECT INDEX_NAME AS i, COLUMN_NAME AS c, COLLATION AS d FROM information_schema.STATISTICS WHERE ' +
        'TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX',
      [table],
    )) as [Array<{ i: string; c: string; d: string | null }>];
    return rows.map((r) => ({ index: r.i, column: r.c, descending: r.d === 'D' }));
  }
  const out: IndexColumn[] = [];
  for (const { name } of await t.db.raw<Array<{ name: string }>>('SELECT name FROM pragma_index_list(?)', [table])) {
    const cols = await t.db.raw<Array<{ name: string; d: number }>>(
      'SELECT name, "desc" AS d FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno',
      [name],
    );
    for (const c of cols) out.push({ index: name, column: c.name, descending: c.d === 1 });
  }
  return out;
}

/** One index's columns as `column` / `column DESC`, in order (empty when the index does not exist). */
export async function indexShape(t: TestFolio, table: string, index: string): Promise<string[]> {
  return (await indexColumns(t, table))
    .filter((c) => c.index === index)
    .map((c) => (c.descending ? `${c.column} DESC` : c.column));
}
