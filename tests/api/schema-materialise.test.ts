// The blog schema applied to an empty database: every table, column, index and foreign key is real,
// inspected through knex and the database's own catalogue.
import { expect, it, beforeAll } from '@jest/globals';
import type { Knex } from 'knex';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import type { DialectName } from '../../server/db/connection.js';

interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
}

async function columnsOf(db: Knex, dialect: DialectName, table: string): Promise<Map<string, ColumnInfo>> {
  if (dialect === 'mysql') {
    const [rows] = (await db.raw(
      'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS d FROM ' +
        'information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [table],
    )) as [Array<{ name: string; type: string; nullable: string; d: string | null }>];
    return new Map(
      rows.map((r) => [
        r.name,
        { name: r.name, type: r.type.toLowerCase(), nullable: r.nullable === 'YES', default: r.d },
      ]),
    );
  }
  const rows = await db.raw<Array<{ name: string; type: string; nn: number; d: string | null }>>(
    'SELECT name, type, "notnull" AS nn, dflt_value AS d FROM pragma_table_info(?)',
    [table],
  );
  return new Map(
    rows.map((r) => [r.name, { name: r.name, type: r.type.toLowerCase(), nullable: r.nn === 0, default: r.d }]),
  );
}

async function indexesOf(
  db: Knex,
  dialect: DialectName,
  table: string,
): Promise<Array<{ name: string; unique: boolean; columns: string[] }>> {
  if (dialect === 'mysql') {
    const [rows] = (await db.raw(
      'SELECT INDEX_NAME AS name, NON_UNIQUE AS nu, COLUMN_NAME AS col FROM information_schema.STATISTICS ' +
        'WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX',
      [table],
    )) as [Array<{ name: string; nu: number; col: string }>];
    const map = new Map<string, { name: string; unique: boolean; columns: string[] }>();
    for (const r of rows) {
      if (!map.has(r.name)) map.set(r.name, { name: r.name, unique: Number(r.nu) === 0, columns: [] });
      map.get(r.name)!.columns.push(r.col);
    }
    return [...map.values()];
  }
  const list = await db.raw<Array<{ name: string; u: number }>>(
    'SELECT name, "unique" AS u FROM pragma_index_list(?)',
    [table],
  );
  const result = [];
  for (const i of list) {
    const cols = await db.raw<Array<{ name: string }>>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [
      i.name,
    ]);
    result.push({ name: i.name, unique: i.u === 1, columns: cols.map((c) => c.name) });
  }
  return result;
}

async function foreignKeysOf(
  db: Knex,
  dialect: DialectName,
  table: string,
): Promise<Array<{ column: string; table: string; onDelete: string }>> {
  if (dialect === 'mysql') {
    const [rows] = (await db.raw(
      `SELECT k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS ref, r.DELETE_RULE AS del
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r ` +
        `ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL`,
      [table],
    )) as [Array<{ col: string; ref: string; del: string }>];
    return rows.map((r) => ({ column: r.col, table: r.ref, onDelete: r.del }));
  }
  const rows = await db.raw<Array<{ col: string; ref: string; del: string }>>(
    'SELECT "from" AS col, "table" AS ref, on_delete AS del FROM pragma_foreign_key_list(?)',
    [table],
  );
  return rows.map((r) => ({ column: r.col, table: r.ref, onDelete: r.del }));
}

describeEachDatabase('schema apply on an empty database (blog fixture)', (t) => {
  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
  });

  it('creates a table per content type and component, and every link table', async () => {
    const { db } = t();
    for (const table of [
      'categories',
      'tags',
      'authors',
      'profiles',
      'articles',
      'pages',
      'globals',
      'components_shared_seo',
      'components_shared_quote',
      'components_shared_rich_text',
      'components_shared_link',
      'articles_category_lnk',
      'articles_tags_lnk',
      'articles_author_lnk',
      'articles_related_lnk',
      'authors_profile_lnk',
      'components_shared_link_page_lnk',
      'articles_cmps',
      'globals_cmps',
    ]) {
      expect([table, await db.schema.hasTable(table)]).toEqual([table, true]);
    }
    // The mappedBy side reads the owner's links: it has no table of its own.
    expect(await db.schema.hasTable('categories_articles_lnk')).toBe(false);
    expect(await db.schema.hasTable('profiles_author_lnk')).toBe(false);
  });

  it('gives content-type tables the system columns', async () => {
    const cols = await columnsOf(t().db, t().dialect, 'articles');
    for (const name of [
      'id',
      'document_id',
      'locale',
      'status',
      'created_at',
      'updated_at',
      'published_at',
      'created_by_id',
      'updated_by_id',
    ]) {
      expect(cols.has(name)).toBe(true);
    }
    expect(cols.get('document_id')).toMatchObject({ nullable: false });
    expect(cols.get('document_id')!.type).toMatch(/varchar\(32\)/);
    expect(cols.get('locale')).toMatchObject({ nullable: false });
    expect(cols.get('locale')!.default).toMatch(/^'?'?$/);
    expect(cols.get('status')!.type).toMatch(/varchar\(9\)/);
    expect(cols.get('published_at')).toMatchObject({ nullable: true });
    expect(cols.get('created_by_id')).toMatchObject({ nullable: true });
  });

  it('types attribute columns by attribute type', async () => {
    const cols = await columnsOf(t().db, t().dialect, 'articles');
    const mysql = t().dialect === 'mysql';
    const type = (c: string) => cols.get(c)?.type;
    expect(type('title')).toBe('varchar(255)');
    expect(type('slug')).toBe('varchar(255)');
    expect(type('summary')).toBe(mysql ? 'mediumtext' : 'text');
    expect(type('body')).toBe(mysql ? 'mediumtext' : 'text');
    expect(type('content')).toBe(mysql ? 'longtext' : 'json'); // MariaDB's JSON is a checked longtext
    expect(type('views')).toMatch(/^int/);
    expect(type('big_views')).toMatch(/^bigint/);
    expect(type('rating')).toBe(mysql ? 'decimal(10,2)' : 'float'); // SQLite has no exact decimal type
    expect(type('score')).toBe(mysql ? 'double' : 'float'); // SQLite's float is an 8-byte REAL
    expect(type('featured')).toBe(mysql ? 'tinyint(1)' : 'boolean');
    expect(type('published_date')).toBe('date');
    expect(type('reading_time')).toBe('time');
    expect(type('scheduled_at')).toBe(mysql ? 'datetime(3)' : 'datetime');
    expect(type('kind')).toBe('varchar(255)');
    expect(type('editor_note')).toBe('varchar(255)');
    // Relations, media, components and dynamic zones are not columns.
    for (const c of ['category', 'tags', 'cover', 'gallery', 'seo', 'blocks']) expect(cols.has(c)).toBe(false);
    // Drafts may be incomplete: `required` is checked by the document engine, not by NOT NULL.
    expect(cols.get('title')).toMatchObject({ nullable: true });
  });

  it('enforces one row per document, locale and status, and indexes public reads', async () => {
    const indexes = await indexesOf(t().db, t().dialect, 'articles');
    expect(indexes).toEqual(
      expect.arrayContaining([
        { name: 'articles_document_id_locale_status_unq', unique: true, columns: ['document_id', 'locale', 'status'] },
        { name: 'articles_status_locale_id_idx', unique: false, columns: ['status', 'locale', 'id'] },
        { name: 'articles_slug_locale_status_unq', unique: true, columns: ['slug', 'locale', 'status'] },
        { name: 'articles_status_locale_views_id_idx', unique: false, columns: ['status', 'locale', 'views', 'id'] },
        {
          name: 'articles_status_locale_published_date_id_idx',
          unique: false,
          columns: ['status', 'locale', 'published_date', 'id'],
        },
      ]),
    );
  });

  it('lets a document have a draft and a published row, but a unique value only once per status', async () => {
    const { db } = t();
    const now = new Date();
    const row = (documentId: string, status: string, slug: string) => ({
      document_id: documentId,
      status,
      slug,
      title: 'x',
      created_at: now,
      updated_at: now,
    });
    await db('articles').insert(row('doc1', 'draft', 'same'));
    await db('articles').insert(row('doc1', 'published', 'same'));
    // (SQLite's errors come from another realm: matched by message, not by toThrow.)
    const insert = async (r: Record<string, unknown>) => {
      await db('articles').insert(r);
    };
    await expect(insert(row('doc1', 'draft', 'other'))).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });
    await expect(insert(row('doc2', 'draft', 'same'))).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });
    await insert(row('doc2', 'published', 'other'));
    await db('articles').delete();
  });

  it('gives relation link tables their columns, indexes and a cascading foreign key', async () => {
    const { db, dialect } = t();
    const cols = await columnsOf(db, dialect, 'articles_tags_lnk');
    expect([...cols.keys()].sort()).toEqual(['entity_id', 'id', 'position', 'target_document_id']);
    expect(cols.get('target_document_id')!.type).toMatch(/varchar\(32\)/);
    const indexes = await indexesOf(db, dialect, 'articles_tags_lnk');
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ columns: ['entity_id', 'position'] }),
        expect.objectContaining({ columns: ['target_document_id', 'entity_id'] }),
      ]),
    );
    expect(await foreignKeysOf(db, dialect, 'articles_tags_lnk')).toEqual([
      { column: 'entity_id', table: 'articles', onDelete: 'CASCADE' },
    ]);
    expect(await foreignKeysOf(db, dialect, 'components_shared_link_page_lnk')).toEqual([
      { column: 'entity_id', table: 'components_shared_link', onDelete: 'CASCADE' },
    ]);
  });

  it('deletes a row’s links with the row', async () => {
    const { db } = t();
    const now = new Date();
    await db('articles').insert({ document_id: 'a1', status: 'draft', created_at: now, updated_at: now });
    const { id } = (await db('articles').where({ document_id: 'a1' }).first()) as { id: number };
    await db('articles_tags_lnk').insert({ entity_id: id, target_document_id: 't1', position: 1 });
    await db('articles').where({ id }).delete();
    expect(await db('articles_tags_lnk').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('gives component tables an id and their attribute columns, and owners a _cmps table', async () => {
    const { db, dialect } = t();
    expect([...(await columnsOf(db, dialect, 'components_shared_seo')).keys()].sort()).toEqual([
      'id',
      'meta_description',
      'meta_title',
    ]);
    const cmps = await columnsOf(db, dialect, 'globals_cmps');
    expect([...cmps.keys()].sort()).toEqual(['component_id', 'component_type', 'entity_id', 'field', 'id', 'position']);
    expect(await foreignKeysOf(db, dialect, 'globals_cmps')).toEqual([
      { column: 'entity_id', table: 'globals', onDelete: 'CASCADE' },
    ]);
  });

  it('stores passwords and long strings in the types the README gives', async () => {
    const { folio, db, dialect } = t();
    await folio.schema.apply({
      contentTypes: {
        account: {
          kind: 'collectionType',
          info: { singularName: 'account', pluralName: 'accounts', displayName: 'Account' },
          attributes: { secret: { type: 'password' }, bio: { type: 'string', maxLength: 1000 } },
        },
      },
    });
    const cols = await columnsOf(db, dialect, 'accounts');
    expect(cols.get('secret')!.type).toBe('varchar(255)');
    expect(cols.get('bio')!.type).toBe(dialect === 'mysql' ? 'mediumtext' : 'text');
    await folio.schema.apply({ contentTypes: { account: null } });
  });

  it('stores the document and serves the model through folio.schema', async () => {
    const model = await t().folio.schema.current();
    expect([...model.contentTypes.keys()].sort()).toEqual([
      'article',
      'author',
      'category',
      'global',
      'page',
      'profile',
      'tag',
    ]);
    expect(await t().folio.schema.document()).toEqual(
      JSON.parse(
        JSON.stringify({
          ...blogSchema,
          contentTypes: Object.fromEntries(
            Object.entries(blogSchema.contentTypes).sort(([a], [b]) => a.localeCompare(b)),
          ),
          components: Object.fromEntries(Object.entries(blogSchema.components).sort(([a], [b]) => a.localeCompare(b))),
        }),
      ),
    );
  });

  it('applies the same document again as a no-op', async () => {
    const before = await t().folio.schema.version();
    const result = await t().folio.schema.apply(blogSchema);
    expect(result).toMatchObject({ noop: true, applied: [] });
    expect(await t().folio.schema.version()).toBe(before);
  });
});
