// With REDIS_URL: login counters live in Redis, and a permission change on one instance rebuilds the
// abilities of the others through pub/sub (README, "Scaling out": stateless server, several instances).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openFolio, type Folio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';
import { describeEachDatabase, testEnv } from '../helpers/folio.js';
import { connectTestDatabase } from '../helpers/databases.js';
import { runCli } from '../helpers/process.js';
import { createAdmin } from '../helpers/admin.js';
import { redisAvailable, TEST_REDIS_URL } from '../helpers/redis.js';

const available = await redisAvailable('the Redis access tests');

(available ? describeEachDatabase : (title: string) => describe.skip(title, () => it('skipped', () => undefined)))(
  'access with Redis',
  (t) => {
    let other: Folio;
    let otherDb: ReturnType<typeof connectTestDatabase>;
    beforeAll(async () => {
      // A second instance on the same database, as behind a load balancer.
      otherDb = connectTestDatabase(t().database);
      other = await openFolio(loadConfig(testEnv(t().database.url, { REDIS_URL: TEST_REDIS_URL })), {
        logger: silentLogger(),
        db: otherDb,
      });
      other.access.freshnessMs = Number.MAX_SAFE_INTEGER; // only Redis can tell it
      await other.access.ready();
    });
    afterAll(async () => {
      await other.close();
      await otherDb.destroy();
    });

    it('rebuilds another instance’s abilities when permissions change', async () => {
      expect((await other.access.publicRoleCaller()).can('find', 'article')).toBe(false);
      const told = new Promise<void>((resolve) => {
        const off = other.access.onInvalidate(() => {
          off();
          resolve();
        });
      });
      await t().folio.access.grantPublic(['article.find']);
      await told;
      expect((await other.access.publicRoleCaller()).can('find', 'article')).toBe(true);
    });

    it(
      'keeps login counters in Redis: a lockout on one ' + 'instance holds on the other, and the CLI lifts it',
      async () => {
        // Counters in Redis outlive a test run: start this IP from zero (only this file uses Redis).
        const redis = new Redis(TEST_REDIS_URL);
        await redis.del('folio:rl:login:ip:127.0.0.1', 'folio:rl:login:ip:::ffff:127.0.0.1');
        redis.disconnect();
        const { email, password } = await createAdmin(t(), ['editor']);
        const a = supertest(t().app.callback());
        for (let i = 0; i < 5; i++) await a.post('/admin-api/auth/login').send({ email, password: 'wrong-password' });
        expect(
          await t()
            .db('folio_rate_limits')
            .count({ n: '*' })
            .then((r) => Number(r[0].n)),
        ).toBe(0);
        const b = supertest(createApp(other).callback());
        expect((await b.post('/admin-api/auth/login').send({ email, password })).status).toBe(429);
        const reset = await runCli(
          ['admin', 'reset-password', '--email', email, '--password', 'after-reset-1'],
          testEnv(t().database.url, { REDIS_URL: TEST_REDIS_URL }),
        );
        expect(reset.code).toBe(0);
        expect((await b.post('/admin-api/auth/login').send({ email, password: 'after-reset-1' })).status).toBe(200);
      },
    );
  },
  { REDIS_URL: TEST_REDIS_URL },
);
