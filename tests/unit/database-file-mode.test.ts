import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createDatabase } from '../../server/db/connection.js';
import { RUN_DIR } from '../helpers/env.js';

describe('a new SQLite database', () => {
  it('is created readable and writable by its owner only, with its WAL and shared-memory files', async () => {
    const dir = mkdtempSync(path.join(RUN_DIR || os.tmpdir(), 'file-mode-'));
    const file = path.join(dir, 'data', 'folio.db');
    const db = createDatabase(`sqlite:${file}`);
    try {
      await db.schema.createTable('t', (t) => t.increments('id'));
      await db('t').insert({});
      const modes = ['', '-wal', '-shm'].map((suffix) => (statSync(file + suffix).mode & 0o777).toString(8));
      expect(modes).toEqual(['600', '600', '600']);
    } finally {
      await db.destroy();
    }
  });
});
