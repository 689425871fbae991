// One backup at a time per instance, with the progress the Backups page polls (server/backup/dashboard.ts).
import { describe, expect, it } from '@jest/globals';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { BackupActivity } from '../../server/backup/dashboard.js';
import { ConflictError } from '../../server/errors.js';

describe('BackupActivity', () => {
  it('reports the running import: checking first, then rows and files done of the total', async () => {
    const activity = new BackupActivity();
    let release!: () => void;
    const seen: unknown[] = [];
    const running = activity.exclusive('import', SYSTEM_CALLER, async (progress) => {
      seen.push(activity.current());
      progress.start('import', 10);
      progress.advance(4);
      seen.push(activity.current());
      await new Promise<void>((resolve) => (release = resolve));
      return 'done';
    });
    expect(seen).toEqual([
      expect.objectContaining({ kind: 'import', phase: 'checking', done: 0, total: 0 }),
      expect.objectContaining({ kind: 'import', phase: 'import', done: 4, total: 10 }),
    ]);
    release();
    await expect(running).resolves.toBe('done');
    expect(activity.current()).toBeNull();
  });

  it('refuses a second backup while one runs (409), and runs the next once it ended, even failed', async () => {
    const activity = new BackupActivity();
    let fail!: (err: Error) => void;
    const first = activity.exclusive('export', SYSTEM_CALLER, () => new Promise((_, reject) => (fail = reject)));
    const second = activity.exclusive('import', SYSTEM_CALLER, () => Promise.resolve('never'));
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow('A backup export is already running; wait for it to finish');
    fail(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await expect(activity.exclusive('import', SYSTEM_CALLER, () => Promise.resolve('ran'))).resolves.toBe('ran');
  });
});
