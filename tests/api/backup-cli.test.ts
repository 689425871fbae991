// Black-box: `folio export` and `folio import` as operators run them (docs/backups.md): the result on
// stdout, a one-line reason on stderr and exit 1 when an archive or a database is refused.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import { createTestDatabase, describeEachTestDatabase } from '../helpers/databases.js';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { rewriteArchive } from '../helpers/backup.js';

describeEachTestDatabase('folio export / import (CLI)', (each, dialect) => {
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    env = testEnv(each().database.url);
    dir = mkdtempSync(path.join(RUN_DIR, 'backup-cli-'));
    expect(await runCli(['seed', 'demo'], env)).toMatchObject({ code: 0 });
  });

  it('exports the parts --only and --exclude leave, and says what it wrote', async () => {
    const file = path.join(dir, 'no-users.tar.gz');
    const result = await runCli(['export', file, '--exclude', 'users'], env);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(
      /^Exported \d+ row\(s\) of \d+ table\(s\) and \d+ media file\(s\) .*\[settings, media, content\]\n$/,
    );
    expect(existsSync(file)).toBe(true);
  });

  it('refuses an unknown part with one line and no archive', async () => {
    const file = path.join(dir, 'nothing.tar.gz');
    const result = await runCli(['export', file, '--only', 'content,secrets'], env);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('folio: --only: unknown part "secrets" (parts: settings, users, media, content)\n');
    expect(existsSync(file)).toBe(false);
  });

  it('takes the passphrase of --encrypt from the environment only', async () => {
    const file = path.join(dir, 'sealed.tar.gz');
    const missing = await runCli(['export', file, '--only', 'settings', '--encrypt'], env);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(
      'folio: --encrypt takes the passphrase from FOLIO_BACKUP_PASSPHRASE, which is not set\n',
    );
    const sealed = await runCli(['export', file, '--only', 'settings', '--encrypt'], {
      ...env,
      FOLIO_BACKUP_PASSPHRASE: 'correct horse battery staple',
    });
    expect(sealed).toMatchObject({ code: 0 });
    expect(readFileSync(file).subarray(0, 10).toString()).toBe('FOLIOENC1\n');
  });

  it('imports into an empty database, and refuses a tampered archive with one line', async () => {
    const file = path.join(dir, 'all.tar.gz');
    expect(await runCli(['export', file], env)).toMatchObject({ code: 0 });
    const database = await createTestDatabase(dialect);
    try {
      const target = testEnv(database.url);
      const tampered = path.join(dir, 'tampered.tar.gz');
      await rewriteArchive(file, tampered, (name, data) =>
        name === 'schema.json' ? Buffer.concat([data, Buffer.from(' ')]) : data,
      );
      const refused = await runCli(['import', tampered], target);
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toMatch(
        /^folio: .*tampered\.tar\.gz does not match its manifest \(altered or damaged\): schema\.json; nothing was/,
      );
      const imported = await runCli(['import', file], target);
      expect(imported).toMatchObject({ code: 0 });
      expect(imported.stdout).toMatch(/^Imported \d+ row\(s\) and \d+ media file\(s\) from .*made by Folio .* on /);
      const again = await runCli(['import', file], target);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^folio: The database already holds data \(.*\); .* pass --replace/);
      expect(await runCli(['import', file, '--replace'], target)).toMatchObject({ code: 0 });
      // Under another secret, the source's is read from FOLIO_SOURCE_SECRET and checked first.
      const wrongSource = await runCli(['import', file, '--replace'], {
        ...target,
        FOLIO_SECRET: 'another-secret-0123456789abcdefghijklmnopqrstuvwxyz',
        FOLIO_SOURCE_SECRET: 'not-the-source-0123456789abcdefghijklmnopqrstuv',
      });
      expect(wrongSource).toMatchObject({ code: 1, stdout: '' });
      expect(wrongSource.stderr).toMatch(
        /^folio: The source secret is not the FOLIO_SECRET this archive was made under/,
      );
    } finally {
      await database.drop();
    }
  });
});
