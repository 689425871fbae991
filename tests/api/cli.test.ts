// Black-box: the `folio` command's structure, exit codes and stdout/stderr rules (README, "CLI").
import { describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '../helpers/databases.js';
import { testEnv } from '../helpers/folio.js';
import { runCli, runNpmFolio } from '../helpers/process.js';
import os from 'node:os';
import path from 'node:path';

describe('folio CLI', () => {
  it('lists its commands with --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help'], {});
    expect(code).toBe(0);
    expect(stdout).toContain('migrate');
  });

  it('refuses an unknown command with exit 1 and a message on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['frobnicate'], {});
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('migrates a brand-new database, then reports it up to date', async () => {
    const file = path.join(process.env.FOLIO_TEST_RUN_DIR ?? os.tmpdir(), `cli-${process.pid}.db`);
    const env = testEnv(`sqlite:${file}`);
    const first = await runNpmFolio(['migrate'], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\): 20261122_0001_meta/);
    const second = await runCli(['migrate'], env);
    expect(second).toMatchObject({ code: 0, stdout: 'Already up to date\n' });
  });

  it('reports an already migrated test database as up to date', async () => {
    const database = await createTestDatabase('sqlite');
    expect(await runCli(['migrate'], testEnv(database.url))).toMatchObject({ code: 0, stdout: 'Already up to date\n' });
  });

  it('seeds the demo into an empty database, then refuses to seed it again', async () => {
    const database = await createTestDatabase('sqlite');
    const env = testEnv(database.url);
    const first = await runCli(['seed', 'demo'], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/^Seeded the demo: 6 content types, \d+ entries, 6 images\n$/);
    const again = await runCli(['seed', 'demo'], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('folio: The demo is only seeded into a database with no content types');
  });

  it('grants a member role its permissions with --role member:<code>; an unknown one is exit 1', async () => {
    const database = await createTestDatabase('sqlite');
    const env = testEnv(database.url);
    const granted = await runCli(
      ['permissions', 'grant', '--role', 'member:authenticated', '--allow', 'article.find,users.find'],
      env,
    );
    expect(granted).toMatchObject({ code: 0, stdout: 'article.find\nusers.find\n' });
    const unknown = await runCli(['permissions', 'grant', '--role', 'member:nobody', '--allow', 'article.find'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('folio: Unknown member role "nobody"');
  });

  it('fails with one line on stderr when the configuration is bad', async () => {
    const { code, stdout, stderr } = await runCli(['migrate'], { DATABASE_URL: 'oracle://x' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^folio: .*DATABASE_URL/)]);
  });
});
