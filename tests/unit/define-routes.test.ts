import { describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import supertest from 'supertest';
import { contentApiRoutes } from '../../server/routes/content-api.js';
import { contentApiWriteRoutes } from '../../server/routes/content-api-writes.js';
import {
  declaredRoutes,
  defineRoutes,
  RouteDeclarationError,
  type RouteDefinition,
} from '../../server/routes/define.js';

describe('defineRoutes', () => {
  const handler = () => undefined;
  it('refuses a route without a permission at registration', () => {
    const route = { method: 'get', path: '/x', handler } as unknown as RouteDefinition;
    expect(() => defineRoutes(new Router(), [route])).toThrow(RouteDeclarationError);
  });
  it('refuses a permission without an action or subject', () => {
    const route = {
      method: 'get',
      path: '/x',
      permission: { action: 'read', subject: '' },
      handler,
    } as RouteDefinition;
    expect(() => defineRoutes(new Router(), [route])).toThrow(/declares no permission/);
  });
  it('registers routes that declare one', () => {
    const router = defineRoutes(new Router(), [
      { method: 'get', path: '/a', permission: 'public', handler },
      { method: 'post', path: '/b', permission: { action: 'create', subject: 'roles' }, handler },
    ]);
    expect(router.stack.map((l) => l.path)).toEqual(['/a', '/b']);
  });
});

describe('defineRoutes with a resolved target', () => {
  /** An app whose caller may only `find` on `known`; `/things/:name` resolves names it knows. */
  function app(seen: string[]) {
    const router = defineRoutes(new Router(), [
      {
        method: 'get',
        path: '/things/:name',
        resolve: (ctx) => Promise.resolve(['known', 'secret'].includes(ctx.params.name) ? ctx.params.name : undefined),
        permission: (name: string) => Promise.resolve({ action: 'find', subject: name, message: 'Forbidden' }),
        handler: (ctx, name) => {
          ctx.body = { name };
        },
      },
    ]);
    const koa = new Koa();
    koa.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        ctx.status = (err as { status?: number }).status ?? 500;
        ctx.body = { message: (err as Error).message };
      }
    });
    koa.use(async (ctx, next) => {
      ctx.state.caller = {
        kind: 'public',
        can: (action: string, subject: string) => (seen.push(`${action} ${subject}`), subject === 'known'),
      };
      await next();
    });
    koa.use(router.routes());
    koa.use((ctx) => {
      ctx.status = 404;
      ctx.body = { message: 'fell through' };
    });
    return supertest(koa.callback());
  }

  it('answers with the handler when the async permission allows the resolved target', async () => {
    const res = await app([]).get('/things/known');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'known' });
  });

  it('refuses with the permission message when the resolved target is forbidden', async () => {
    const res = await app([]).get('/things/secret');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'Forbidden' });
  });

  it('falls through to the next middleware, asking no permission, when nothing resolves', async () => {
    const seen: string[] = [];
    const res = await app(seen).get('/things/unknown');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'fell through' });
    expect(seen).toEqual([]);
  });

  it('lists the Content API routes among the declared routes, their permission resolved per type', () => {
    const folio = { config: { apiMaxPageSize: 100 }, schema: {} } as unknown as Parameters<typeof contentApiRoutes>[0];
    contentApiRoutes(folio);
    contentApiWriteRoutes({ documents: {} as never, audit: {} as never, schema: {} as never });
    const api = declaredRoutes.filter((r) => r.path.startsWith('/api/:'));
    expect(
      api
        .map((r) => `${r.method} ${r.path} ${typeof r.permission === 'string' ? r.permission : typeof r.permission}`)
        .sort(),
    ).toEqual([
      'delete /api/:route resolved',
      'delete /api/:route/:documentId resolved',
      'get /api/:segment resolved',
      'get /api/:segment/:documentId resolved',
      'post /api/:route resolved',
      'put /api/:route resolved',
      'put /api/:route/:documentId resolved',
    ]);
  });
});
