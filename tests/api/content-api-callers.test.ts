// Who may call the Content API (docs/content-api.md, "Who may call"): the Public role and API tokens, resolved by
// the authenticate middleware into ctx.state.caller. The content routes are built elsewhere; here
// a route declared with the real defineRoutes asks the caller, as every /api route will.
import { beforeAll, expect, it } from '@jest/globals';
import Router from '@koa/router';
import supertest from 'supertest';
import { defineRoutes } from '../../server/routes/define.js';
import { describeEachDatabase, withAccessFreshness, type TestFolio } from '../helpers/folio.js';

function withProbe(t: TestFolio): () => ReturnType<typeof supertest> {
  const router = new Router({ prefix: '/api' });
  defineRoutes(router, [
    {
      method: 'get',
      path: '/probe/:type/:action',
      permission: (ctx) => ({ action: ctx.params.action, subject: ctx.params.type }),
      handler: (ctx) => {
        ctx.body = { data: { kind: ctx.state.caller!.kind, id: ctx.state.caller!.id ?? null } };
      },
    },
  ]);
  t.app.use(router.routes());
  const callback = t.app.callback();
  return () => supertest(callback);
}

describeEachDatabase('Content API callers', (t) => {
  let http: () => ReturnType<typeof supertest>;
  beforeAll(() => {
    http = withProbe(t());
  });

  const probe = (type: string, action: string, token?: string) => {
    const req = http().get(`/api/probe/${type}/${action}`);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('the Public role may do nothing by default (403)', async () => {
    for (const action of ['find', 'findOne', 'create', 'update', 'delete', 'findDrafts']) {
      const res = await probe('article', action);
      expect([action, res.status, res.body.error?.name]).toEqual([action, 403, 'ForbiddenError']);
    }
  });

  it('the Public role may do exactly what it was granted', async () => {
    await t().folio.access.grantPublic(['article.find', 'article.findOne']);
    expect((await probe('article', 'find')).body.data).toEqual({ kind: 'public', id: null });
    expect((await probe('article', 'findOne')).status).toBe(200);
    expect((await probe('article', 'create')).status).toBe(403);
    expect((await probe('category', 'find')).status).toBe(403);
    await t().folio.access.revokePublic(['article.find']);
    expect((await probe('article', 'find')).status).toBe(403);
    expect((await probe('article', 'findOne')).status).toBe(200);
  });

  it('a read-only token may find and findOne on every type and media, nothing else', async () => {
    const { token, record } = await t().folio.apiTokens.create({ name: 'ro', type: 'read-only' });
    expect((await probe('article', 'find', token)).body.data).toEqual({ kind: 'api-token', id: record.id });
    for (const [type, action, status] of [
      ['article', 'findOne', 200],
      ['upload', 'find', 200],
      ['category', 'find', 200],
      ['article', 'create', 403],
      ['article', 'delete', 403],
      ['article', 'findDrafts', 403],
    ] as const) {
      expect([type, action, (await probe(type, action, token)).status]).toEqual([type, action, status]);
    }
  });

  it('a full-access token may do everything, drafts included', async () => {
    const { token } = await t().folio.apiTokens.create({ name: 'full', type: 'full-access' });
    for (const action of ['find', 'findOne', 'create', 'update', 'delete', 'findDrafts'])
      expect((await probe('article', action, token)).status).toBe(200);
  });

  it('a custom token may do exactly its list', async () => {
    const { token } = await t().folio.apiTokens.create({
      name: 'custom',
      type: 'custom',
      allow: ['article.find', 'article.findDrafts'],
    });
    expect((await probe('article', 'find', token)).status).toBe(200);
    expect((await probe('article', 'findDrafts', token)).status).toBe(200);
    expect((await probe('article', 'findOne', token)).status).toBe(403);
    expect((await probe('category', 'find', token)).status).toBe(403);
  });

  it('answers 401 for an unknown, expired or revoked token, and for a malformed header', async () => {
    expect((await probe('article', 'find', 'folio_nope')).status).toBe(401);
    const expired = await t().folio.apiTokens.create({ name: 'expired', type: 'full-access', durationDays: 1 });
    await t()
      .db('folio_api_tokens')
      .where({ id: expired.record.id })
      .update({ expires_at: Date.now() - 1 });
    const res = await probe('article', 'find', expired.token);
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('UnauthorizedError');
    const revoked = await t().folio.apiTokens.create({ name: 'revoked', type: 'full-access' });
    expect((await probe('article', 'find', revoked.token)).status).toBe(200);
    await t().folio.apiTokens.revoke({ name: 'revoked' });
    expect((await probe('article', 'find', revoked.token)).status).toBe(401);
    expect((await http().get('/api/probe/article/find').set('Authorization', 'Basic abc')).status).toBe(401);
  });

  it('reads a token once within the access freshness, and forgets it at once when it is revoked', async () => {
    const { token } = await t().folio.apiTokens.create({ name: 'polled', type: 'read-only' });
    const reads: string[] = [];
    const listener = (q: { sql: string }) => {
      if (/^select/i.test(q.sql) && q.sql.includes('folio_api_tokens')) reads.push(q.sql);
    };
    t().db.on('query', listener);
    try {
      // However slow the machine, the five requests fall within the freshness.
      await withAccessFreshness(t().folio, 60_000, async () => {
        for (let i = 0; i < 5; i += 1) expect((await probe('article', 'find', token)).status).toBe(200);
        expect(reads).toHaveLength(1);
        await t().folio.apiTokens.revoke({ name: 'polled' });
        expect((await probe('article', 'find', token)).status).toBe(401);
      });
    } finally {
      t().db.off('query', listener);
    }
  });

  it('records the last use, at most once a minute', async () => {
    const { token, record } = await t().folio.apiTokens.create({ name: 'used', type: 'read-only' });
    expect(record.lastUsedAt).toBeNull();
    await probe('article', 'find', token);
    const first = (await t().db('folio_api_tokens').where({ id: record.id }).first()).last_used_at;
    expect(Number(first)).toBeGreaterThan(0);
    await probe('article', 'find', token);
    expect((await t().db('folio_api_tokens').where({ id: record.id }).first()).last_used_at).toEqual(first);
  });

  it('stores tokens as HMAC-SHA256 digests, never the token', async () => {
    const { token } = await t().folio.apiTokens.create({ name: 'digest', type: 'read-only' });
    const rows = await t().db('folio_api_tokens').select('digest');
    expect(rows.every((r: { digest: string }) => /^[0-9a-f]{64}$/.test(r.digest) && r.digest !== token)).toBe(true);
  });

  it('varies /api responses by Authorization', async () => {
    await t().folio.access.grantPublic(['article.find']);
    expect((await probe('article', 'find')).headers.vary).toContain('Authorization');
  });
});
