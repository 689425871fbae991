// knex's own warnings (a connection it could not acquire, …) are structured log lines of the
// server's logger, not unstructured lines on stderr.
import { Writable } from 'node:stream';
import { expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createDatabase } from '../../server/db/connection.js';

it("writes knex's warnings to the logger as structured lines", async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  // Nothing listens on port 1: every connection attempt is refused at once.
  const db = createDatabase('mysql://root@127.0.0.1:1/folio', { logger: pino(sink), poolMax: 1 });
  try {
    await expect(db.raw('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  } finally {
    await db.destroy();
  }
  expect(lines).toContainEqual(
    expect.objectContaining({ level: 40, component: 'knex', msg: expect.stringMatching(/ECONNREFUSED/) }),
  );
});
