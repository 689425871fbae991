// Black-box: `folio schema export|apply` as operators run them (README, "CLI": results on stdout, a one-line
// reason on stderr and exit 1 on failure).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { describeEachTestDatabase } from '../helpers/databases.js';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { blogSchema } from '../fixtures/blog-schema.js';

describeEachTestDatabase('folio schema', (each) => {
  let db: Knex;
  let env: Record<string, string>;
  let dir: string;
  const file = (name: string, content?: unknown) => {
    const p = path.join(dir, name);
    if (content !== undefined)
      writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return p;
  };

  beforeAll(() => {
    db = each().db;
    env = testEnv(each().database.url);
    dir = mkdtempSync(path.join(RUN_DIR, 'schema-cli-'));
  });

  it('prints the plan of a dry run and changes nothing', async () => {
    const result = await runCli(['schema', 'apply', file('blog.json', blogSchema), '--dry-run'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Plan: 19 step\(s\).*dry run/);
    expect(result.stdout).toContain('1. create table articles (id, document_id');
    expect(await db.schema.hasTable('articles')).toBe(false);
  });

  it('applies a schema file', async () => {
    const result = await runCli(['schema', 'apply', file('blog.json')], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Applied 19 step\(s\); schema version 1\n/);
    expect(await db.schema.hasTable('articles_tags_lnk')).toBe(true);
    const audit = await db('folio_audit_log')
      .where('action', 'schema.apply')
      .select('actor_kind', 'actor_label', 'entity_id');
    expect(audit).toEqual([{ actor_kind: 'system', actor_label: 'cli', entity_id: '1' }]);
  });

  it('exports to stdout and to a file, and applying the export changes nothing', async () => {
    const printed = await runCli(['schema', 'export'], env);
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    const exported = JSON.parse(printed.stdout);
    expect(Object.keys(exported.contentTypes).sort()).toEqual(Object.keys(blogSchema.contentTypes).sort());
    const written = await runCli(['schema', 'export', file('export.json')], env);
    expect(written).toMatchObject({
      code: 0,
      stdout: `Exported 7 content type(s) and 4 component(s) to ${file('export.json')}\n`,
    });
    expect(JSON.parse(readFileSync(file('export.json'), 'utf8'))).toEqual(exported);
    const again = await runCli(['schema', 'apply', file('export.json')], env);
    expect(again).toMatchObject({
      code: 0,
      stdout: 'Nothing to change: the schema in force already matches the file\n',
    });
  });

  it('renames with --rename, keeping the data', async () => {
    const now = new Date();
    await db('articles').insert({
      document_id: 'd1',
      status: 'draft',
      created_at: now,
      updated_at: now,
      summary: 'kept',
    });
    const article = JSON.parse(JSON.stringify(blogSchema.contentTypes.article));
    article.attributes.excerpt = article.attributes.summary;
    delete article.attributes.summary;
    const result = await runCli(
      ['schema', 'apply', file('rename.json', { contentTypes: { article } }), '--rename', 'article.summary=excerpt'],
      env,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('rename column articles.summary to excerpt');
    expect(await db('articles').select('excerpt')).toEqual([{ excerpt: 'kept' }]);
  });

  it('refuses a data-losing change without --force: exit 1, one line naming the column and rows', async () => {
    const article = JSON.parse(JSON.stringify(blogSchema.contentTypes.article));
    delete article.attributes.summary;
    const result = await runCli(['schema', 'apply', file('drop.json', { contentTypes: { article } })], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^folio: refused: drop column articles\.excerpt \(1 row\(s\) with a value\).*--force/),
    ]);
    expect(await db.schema.hasColumn('articles', 'excerpt')).toBe(true);
    const dry = await runCli(['schema', 'apply', file('drop.json'), '--dry-run'], env);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain('drop column articles.excerpt (1 row(s) with a value)  [loses data: needs --force]');
    const forced = await runCli(['schema', 'apply', file('drop.json'), '--force'], env);
    expect(forced).toMatchObject({ code: 0 });
    expect(await db.schema.hasColumn('articles', 'excerpt')).toBe(false);
  });

  it('fails with one line for an invalid schema, a missing file, bad JSON and a bad --rename', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        [
          'schema',
          'apply',
          file('bad.json', {
            contentTypes: {
              article: {
                ...blogSchema.contentTypes.article,
                attributes: { ...blogSchema.contentTypes.article.attributes, x: { type: 'strng' } },
              },
            },
          }),
        ],
        /^folio: invalid schema: contentTypes\.article\.attributes\.x\.type: unknown attribute type "strng"$/,
      ],
      [['schema', 'apply', path.join(dir, 'missing.json')], /^folio: cannot read .*missing\.json: ENOENT$/],
      [['schema', 'apply', file('broken.json', '{"contentTypes": ')], /^folio: .*broken\.json is not valid JSON/],
      [
        ['schema', 'apply', file('blog-again.json', blogSchema), '--rename', 'nonsense'],
        /^folio: --rename "nonsense" must look like type\.oldName=newName$/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(args, env);
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
    }
  });

  it('prints the suggested default indexes and builds them only with --accept-suggested', async () => {
    const lesson = {
      contentTypes: {
        lesson: {
          kind: 'collectionType',
          info: { singularName: 'lesson', pluralName: 'lessons', displayName: 'Lesson' },
          attributes: { givenOn: { type: 'date' } },
        },
      },
    };
    const index = 'lessons_status_locale_given_on_desc_id_idx';
    expect(await runCli(['schema', 'apply', file('lesson.json', lesson)], env)).toMatchObject({ code: 0 });
    // As an installation made before the defaults: the attribute exists, its index does not.
    if (each().dialect === 'mysql') await db.raw('ALTER TABLE ?? DROP INDEX ??', ['lessons', index]);
    else await db.raw('DROP INDEX ??', [index]);
    const hasIndex = async () => (await indexNames(db, each().dialect, 'lessons')).includes(index);

    const proposed = await runCli(['schema', 'apply', file('lesson.json')], env);
    expect(proposed).toMatchObject({ code: 0, stderr: '' });
    expect(proposed.stdout).toBe(
      'Nothing to change: the schema in force already matches the file\n' +
        'Suggested (not applied): 1 default index(es) for existing attributes\n' +
        `  1. create index ${index} on lessons (status, locale, given_on DESC, id)\n` +
        'apply with --accept-suggested to build them (or set "index": false on the attribute to opt out)\n',
    );
    expect(await hasIndex()).toBe(false);

    const accepted = await runCli(['schema', 'apply', file('lesson.json'), '--accept-suggested'], env);
    expect(accepted).toMatchObject({ code: 0, stderr: '' });
    expect(accepted.stdout).toMatch(/^Applied 1 step\(s\); schema version \d+\n {2}1\. create index lessons_/);
    expect(await hasIndex()).toBe(true);
  });
});

/** The names of the indexes the database holds on `table`. */
async function indexNames(db: Knex, dialect: string, table: string): Promise<string[]> {
  if (dialect === 'mysql') {
    const [rows] = (await db.raw(
      'SELECT DISTINCT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND ' +
        'TABLE_NAME = ?',
      [table],
    )) as [Array<{ i: string }>];
    return rows.map((r) => r.i);
  }
  return (await db.raw<Array<{ name: string }>>('SELECT name FROM pragma_index_list(?)', [table])).map((r) => r.name);
}
