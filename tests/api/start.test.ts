// Black-box: Folio started and stopped as an operator does (README: "Scripts", "Configuration").
import net from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '../helpers/databases.js';
import { MYSQL_AVAILABLE } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/process.js';

const started: ServerProcess[] = [];
afterAll(() => {
  for (const s of started) s.kill();
});

describe('npm start', () => {
  it('serves /_health on SQLite and stops gracefully on SIGTERM', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await startServerProcess(testEnv(database.url, { LOG_LEVEL: 'info' }));
    started.push(server);
    const res = await fetch(`${server.url}/_health`);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { dialect: 'sqlite' } });
    const exit = await server.stop();
    expect(exit.stderr).toContain('"msg":"shutting down"');
    await expect(fetch(`${server.url}/_health`)).rejects.toThrow();
  });

  (MYSQL_AVAILABLE ? it : it.skip)('serves /_health on MySQL with DATABASE_URL set', async () => {
    const database = await createTestDatabase('mysql');
    try {
      const server = await startServerProcess(testEnv(database.url));
      started.push(server);
      const res = await fetch(`${server.url}/_health`);
      expect(await res.json()).toMatchObject({ status: 'ok', database: { dialect: 'mysql' } });
      await server.stop();
    } finally {
      await database.drop();
    }
  });

  it('exits 0 after closing the server and the pool on SIGTERM', async () => {
    const database = await createTestDatabase('sqlite');
    const server = await startServerProcess(testEnv(database.url), ['node', 'scripts/start.mjs']);
    started.push(server);
    server.child.kill('SIGTERM');
    expect((await server.result).code).toBe(0);
  });
});

describe('npm start refuses to start', () => {
  async function startFails(env: Record<string, string>): Promise<string> {
    const failure = await startServerProcess(env, ['node', 'scripts/start.mjs'], 15000).then(
      () => new Error('the server started'),
      (err: Error) => err,
    );
    expect(failure.message).toMatch(/exited with 1/);
    return failure.message.split('\n').slice(1).join('\n').trim();
  }

  it('with one line naming a bad DATABASE_URL', async () => {
    const stderr = await startFails(testEnv('postgres://localhost/folio'));
    expect(stderr).toMatch(/^folio: .*DATABASE_URL/);
    expect(stderr.split('\n')).toHaveLength(1);
  });

  it('with one line when the database is unreachable', async () => {
    const port = await freePort(); // nothing listens there
    const stderr = await startFails(testEnv(`mysql://root:pw@127.0.0.1:${port}/folio`));
    expect(stderr).toMatch(/^folio: Cannot reach the database at mysql:\/\/root:\*\*\*@127\.0\.0\.1/);
    expect(stderr.split('\n')).toHaveLength(1);
  });

  it('with one line when the port is in use', async () => {
    // Folio's readiness poll reaches the blocker too: its connections are closed at once, or they
    // would outlive the test and keep jest's worker from exiting.
    const blocker = net.createServer((socket) => socket.destroy());
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const database = await createTestDatabase('sqlite');
      const stderr = await startFails(testEnv(database.url, { PORT: String(port), HOST: '127.0.0.1' }));
      expect(stderr).toBe(`folio: PORT ${port} is already in use on 127.0.0.1`);
    } finally {
      blocker.close();
    }
  });
});
