// Black-box: `folio schema apply <folder>` on a Strapi 5 project (docs/schema.md, "From a Strapi
// project"), on both databases: the project's content types and components are read from their
// files, applied, and exported back as they are; keys Folio does not act on are listed on stderr.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Knex } from 'knex';
import { describeEachTestDatabase } from '../helpers/databases.js';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { STRAPI_SRC, strapiProjectSchema } from '../fixtures/strapi-project.js';

const PROJECT = path.dirname(STRAPI_SRC);
/** What the blog fixture itself carries that Folio does not act on. */
const FIXTURE_UNSUPPORTED = [
  '  contentTypes.page.attributes.layout.pluginOptions.i18n.localized (false)',
  '  components.shared.seo.info.name',
];

/** A copy of the fixture project, changed by `edit(src)`, in a folder of its own. */
function projectCopy(edit: (src: string) => void): string {
  const root = mkdtempSync(path.join(RUN_DIR, 'strapi-project-'));
  cpSync(PROJECT, root, { recursive: true });
  edit(path.join(root, 'src'));
  return root;
}

function editJson(file: string, change: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

const articleSchema = (src: string) => path.join(src, 'api', 'article', 'content-types', 'article', 'schema.json');

describeEachTestDatabase('folio schema apply <Strapi project>', (each) => {
  let db: Knex;
  let env: Record<string, string>;

  beforeAll(() => {
    db = each().db;
    env = testEnv(each().database.url);
  });

  it('prints the plan of a project folder with --dry-run, lists what it ignores, and changes nothing', async () => {
    const result = await runCli(['schema', 'apply', PROJECT, '--dry-run'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Read 6 content type(s) and 5 component(s) from the Strapi project in ${STRAPI_SRC}`);
    expect(lines[1]).toMatch(/^Plan: 18 step\(s\), and the stored definitions are updated \(dry run/);
    expect(result.stdout).toContain('create table components_shared_quotes (id, title, body)');
    expect(result.stderr.trim().split('\n')).toEqual([
      '2 key(s) Folio does not support (kept in the stored definitions, without effect):',
      ...FIXTURE_UNSUPPORTED,
    ]);
    expect(await db.schema.hasTable('articles')).toBe(false);
  });

  it("applies the project's src/ folder, creating Strapi's tables", async () => {
    const result = await runCli(['schema', 'apply', STRAPI_SRC], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nApplied 18 step\(s\); schema version 1\n/);
    for (const table of ['articles', 'globals', 'components_shared_sliders', 'articles_cmps', 'articles_author_lnk'])
      expect([table, await db.schema.hasTable(table)]).toEqual([table, true]);
  });

  it('exports the definitions back as the files hold them, and a second apply changes nothing', async () => {
    const exported = await runCli(['schema', 'export'], env);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(strapiProjectSchema());
    const again = await runCli(['schema', 'apply', PROJECT], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to change: the schema in force already matches the file');
  });

  it("lists plugins' options, unknown options and plugin content types, and still plans", async () => {
    const root = projectCopy((src) => {
      editJson(articleSchema(src), (json) => {
        json.pluginOptions = { 'content-manager': { visible: false }, i18n: { localized: false } };
        json.options = { draftAndPublish: true, populateCreatorFields: true };
        const attributes = json.attributes as Record<string, Record<string, unknown>>;
        attributes.title.conditions = { visible: { '==': [{ var: 'slug' }, 'x'] } };
        attributes.description.pluginOptions = { graphql: { disabled: true } };
      });
      const user = path.join(src, 'extensions', 'users-permissions', 'content-types', 'user');
      mkdirSync(user, { recursive: true });
      writeFileSync(path.join(user, 'schema.json'), '{}');
    });
    const result = await runCli(['schema', 'apply', root, '--dry-run'], env);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      "not read (a plugin's content type, Folio has no such plugin): " +
        'extensions/users-permissions/content-types/user/schema.json',
      '6 key(s) Folio does not support (kept in the stored definitions, without effect):',
      '  contentTypes.article.options.populateCreatorFields',
      '  contentTypes.article.pluginOptions.content-manager',
      '  contentTypes.article.attributes.title.conditions',
      '  contentTypes.article.attributes.description.pluginOptions.graphql',
      ...FIXTURE_UNSUPPORTED,
    ]);
  });

  it('lists a custom field and refuses the schema, naming it', async () => {
    const root = projectCopy((src) =>
      editJson(articleSchema(src), (json) => {
        (json.attributes as Record<string, unknown>).colour = {
          type: 'customField',
          customField: 'plugin::color-picker.color',
        };
      }),
    );
    const result = await runCli(['schema', 'apply', root, '--dry-run'], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContain('  contentTypes.article.attributes.colour (custom field "plugin::color-picker.color")');
    expect(lines.at(-1)).toMatch(
      /^folio: invalid schema: contentTypes\.article\.attributes\.colour: custom fields are not supported/,
    );
  });
});

describe('folio schema apply <folder> that is not a Strapi project', () => {
  // These fail before the database is opened; a SQLite URL is given only for the configuration.
  const env = testEnv(`sqlite:${path.join(RUN_DIR, 'strapi-cli-unused.db')}`);

  it('refuses a folder with no schema, saying where it looked', async () => {
    const empty = mkdtempSync(path.join(RUN_DIR, 'strapi-empty-'));
    mkdirSync(path.join(empty, 'src', 'api'), { recursive: true });
    const result = await runCli(['schema', 'apply', empty], env);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `folio: ${empty} holds no Strapi schema: looked for src/api/*/content-types/*/schema.json and ` +
        'src/components/<category>/<name>.json\n',
    );
  });

  it('refuses malformed JSON, naming the file', async () => {
    const root = projectCopy((src) => writeFileSync(path.join(src, 'components', 'shared', 'quote.json'), '{"info": '));
    const result = await runCli(['schema', 'apply', root], env);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(
      new RegExp(`^folio: ${path.join(root, 'src', 'components', 'shared', 'quote.json')} is not valid JSON`),
    );
  });

  it("points at the project folder when given one Strapi definition's file", async () => {
    const result = await runCli(['schema', 'apply', articleSchema(STRAPI_SRC)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is one Strapi definition, not a schema file: give the Strapi project's folder/);
  });
});
