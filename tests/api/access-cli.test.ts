// `folio admin|token|permissions` as operators run them (README, "CLI"), against the database of an
// in-process Folio, whose HTTP answers show the effect.
import { beforeAll, expect, it } from '@jest/globals';
import Router from '@koa/router';
import supertest from 'supertest';
import { defineRoutes } from '../../server/routes/define.js';
import { describeEachDatabase, testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';

describeEachDatabase('access CLI', (t) => {
  let env: Record<string, string>;
  let http: () => ReturnType<typeof supertest>;
  beforeAll(() => {
    env = testEnv(t().database.url);
    t().folio.access.freshnessMs = 0; // see another process's permission changes at once
    const router = new Router({ prefix: '/api' });
    defineRoutes(router, [
      {
        method: 'get',
        path: '/cli-probe/:type/:action',
        permission: (ctx) => ({ action: ctx.params.action, subject: ctx.params.type }),
        handler: (ctx) => void (ctx.body = { data: 'ok' }),
      },
    ]);
    t().app.use(router.routes());
    const callback = t().app.callback();
    http = () => supertest(callback);
  });

  it('admin create makes an account that can log in; an existing email is an error', async () => {
    const ok = await runCli(
      ['admin', 'create', '--email', 'cli@example.test', '--password', 'cli-password-1', '--role', 'editor'],
      env,
    );
    expect(ok).toMatchObject({ code: 0, stdout: 'Created admin cli@example.test (Editor)\n' });
    const login = await http()
      .post('/admin-api/auth/login')
      .send({ email: 'cli@example.test', password: 'cli-password-1' });
    expect(login.body.data.user.roles.map((r: { code: string }) => r.code)).toEqual(['editor']);
    const again = await runCli(['admin', 'create', '--email', 'cli@example.test', '--password', 'cli-password-1'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^folio: .*already exists/)]);
  });

  it('admin create refuses an unknown role and a short password', async () => {
    expect(
      (
        await runCli(
          ['admin', 'create', '--email', 'x@example.test', '--password', 'long-enough-1', '--role', 'wizard'],
          env,
        )
      ).stderr,
    ).toMatch(/^folio: Unknown role "wizard"/);
    expect((await runCli(['admin', 'create', '--email', 'x@example.test', '--password', 'short'], env)).code).toBe(1);
  });

  it('admin reset-password sets the password and lifts a lockout', async () => {
    await runCli(['admin', 'create', '--email', 'locked@example.test', '--password', 'first-password'], env);
    for (let i = 0; i < 5; i++)
      await http().post('/admin-api/auth/login').send({ email: 'locked@example.test', password: 'wrong-password' });
    expect(
      (await http().post('/admin-api/auth/login').send({ email: 'locked@example.test', password: 'first-password' }))
        .status,
    ).toBe(429);
    const reset = await runCli(
      ['admin', 'reset-password', '--email', 'locked@example.test', '--password', 'second-password'],
      env,
    );
    expect(reset).toMatchObject({ code: 0, stdout: 'Password reset for locked@example.test\n' });
    expect(
      (await http().post('/admin-api/auth/login').send({ email: 'locked@example.test', password: 'second-password' }))
        .status,
    ).toBe(200);
  });

  it('token create prints the token alone; it works until token revoke', async () => {
    const created = await runCli(
      [
        'token',
        'create',
        '--name',
        'cli-site',
        '--type',
        'custom',
        '--allow',
        'article.find,article.findOne',
        '--duration-days',
        '7',
      ],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^folio_[A-Za-z0-9_-]+\n$/);
    const token = created.stdout.trim();
    const auth = (path: string) => http().get(path).set('Authorization', `Bearer ${token}`);
    expect((await auth('/api/cli-probe/article/find')).status).toBe(200);
    expect((await auth('/api/cli-probe/article/create')).status).toBe(403);
    const row = await t().db('folio_api_tokens').where({ name: 'cli-site' }).first();
    expect(Number(row.expires_at)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(await runCli(['token', 'revoke', '--name', 'cli-site'], env)).toMatchObject({
      code: 0,
      stdout: 'Revoked token cli-site\n',
    });
    expect((await auth('/api/cli-probe/article/find')).status).toBe(401);
    expect((await runCli(['token', 'revoke', '--name', 'no-such-token'], env)).code).toBe(1);
  });

  it('token create refuses a bad type or a custom token without permissions', async () => {
    expect((await runCli(['token', 'create', '--name', 'x', '--type', 'admin'], env)).code).toBe(1);
    const empty = await runCli(['token', 'create', '--name', 'y', '--type', 'custom'], env);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe('');
  });

  it('permissions grant|revoke --role public changes what anonymous callers may do, at once', async () => {
    expect((await http().get('/api/cli-probe/article/find')).status).toBe(403);
    const granted = await runCli(
      ['permissions', 'grant', '--role', 'public', '--allow', 'article.find,article.findOne'],
      env,
    );
    expect(granted).toMatchObject({ code: 0, stdout: 'article.find\narticle.findOne\n' });
    expect((await http().get('/api/cli-probe/article/find')).status).toBe(200);
    expect((await runCli(['permissions', 'revoke', '--role', 'public', '--allow', 'article.find'], env)).stdout).toBe(
      'article.findOne\n',
    );
    expect((await http().get('/api/cli-probe/article/find')).status).toBe(403);
    expect((await runCli(['permissions', 'grant', '--role', 'public', '--allow', 'article.explode'], env)).code).toBe(
      1,
    );
  });

  it('permissions grant works on an admin role too', async () => {
    const res = await runCli(['permissions', 'grant', '--role', 'author', '--allow', 'settings.read'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('settings.read');
    const author = (await t().folio.access.roleByCode('author'))!;
    expect(
      (await t().folio.access.getPermissions(author.id)).some((p) => p.subject === 'settings' && p.action === 'read'),
    ).toBe(true);
  });

  it('permissions grant on an admin role gives only what the permission catalogue offers', async () => {
    const res = await runCli(['permissions', 'grant', '--role', 'author', '--allow', 'users.publish'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Invalid action "publish" on users');
    const author = (await t().folio.access.roleByCode('author'))!;
    expect((await t().folio.access.getPermissions(author.id)).some((p) => p.subject === 'users')).toBe(false);
  });
});
