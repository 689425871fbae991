import { describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import { defineRoutes, RouteDeclarationError, type RouteDefinition } from '../../server/routes/define.js';

describe('defineRoutes', () => {
  const handler = () => undefined;
  it('refuses a route without a permission at registration', () => {
    const route = { method: 'get', path: '/x', handler } as unknown as RouteDefinition;
    expect(() => defineRoutes(new Router(), [route])).toThrow(RouteDeclarationError);
  });
  it('refuses a permission without an action or subject', () => {
    const route = { method: 'get', path: '/x', permission: { action: 'read', subject: '' }, handler } as RouteDefinition;
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
