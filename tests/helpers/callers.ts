// Real credentials for tests, checked by the real authenticate middleware: API tokens made by
// Folio's own token service and admin sessions opened through the login route.
//
// TestCallers: a Content API caller written as its grants, the way an admin configures a custom
// API token ('article.find,article.findOne'); each distinct list becomes a real custom token; '' is
// the Public role, which has no permission unless a test grants one.
import supertest from 'supertest';
import { createAppAbility, type AppAbility } from '../../server/access/ability.js';
import type { Caller } from '../../server/access/caller.js';
import type { Folio } from '../../server/folio.js';
import { createAdmin } from './admin.js';
import type { TestFolio } from './folio.js';

export class TestCallers {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly folio: Folio) {}

  /** Creates the tokens for these grant lists (before the requests that use them). */
  async prepare(...grantLists: string[]): Promise<this> {
    for (const grants of grantLists) {
      if (!grants || this.tokens.has(grants)) continue;
      const allow = grants
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
      const { token } = await this.folio.apiTokens.create({
        name: `test ${this.tokens.size + 1} ${grants}`.slice(0, 180),
        type: 'custom',
        allow,
      });
      this.tokens.set(grants, token);
    }
    return this;
  }

  /** The request, sent as the caller with these grants. */
  as(request: supertest.Test, grants: string): supertest.Test {
    if (!grants) return request;
    const token = this.tokens.get(grants);
    if (!token) throw new Error(`No test token for "${grants}": prepare() it first`);
    return request.set('Authorization', `Bearer ${token}`);
  }
}

export type Http = () => supertest.Agent;

function agentOf(t: TestFolio): supertest.Agent {
  return supertest.agent(t.app.callback());
}

/**
 * supertest whose every request is an Editor's: a real admin session (cookie and CSRF token, from
 * the login route) on /admin-api, and a full-access API token on /api — the two ways an editor's
 * tools reach Folio.
 */
export async function editorHttp(t: TestFolio): Promise<Http> {
  const { email, password } = await createAdmin(t, ['editor']);
  const agent = agentOf(t);
  const login = await agent.post('/admin-api/auth/login').send({ email, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const { token } = await t.folio.apiTokens.create({ name: `editor tools ${email}`, type: 'full-access' });
  agent.set('X-CSRF-Token', login.body.data.csrfToken as string).set('Authorization', `Bearer ${token}`);
  return () => agent;
}

/** supertest whose every request carries an API token of this type. */
export async function tokenHttp(t: TestFolio, type: 'read-only' | 'full-access'): Promise<Http> {
  const { token } = await t.folio.apiTokens.create({ name: `${type} ${Math.random().toString(36).slice(2)}`, type });
  const agent = agentOf(t).set('Authorization', `Bearer ${token}`);
  return () => agent;
}

/**
 * A caller holding exactly these rules, the way the access module builds one (its `can` and the
 * `ability` the operations read), for direct calls of operations and stand-in authentication.
 */
export function callerHolding(
  rules: Parameters<typeof createAppAbility>[0],
  kind: 'admin' | 'api-token' = 'admin',
  id = 1,
): Caller & { ability: AppAbility } {
  const ability = createAppAbility(rules);
  return { kind, id, ability, can: (action, subject, field) => ability.can(action, subject, field) };
}
