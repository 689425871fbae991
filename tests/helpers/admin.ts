// Admin API sessions for tests: accounts are created through Folio's own services, sessions through
// the real login route (a supertest agent keeps the cookie; the CSRF token rides along on writes).
import supertest from 'supertest';
import type { TestFolio } from './folio.js';

export interface AdminSession {
  csrf: string;
  userId: number;
  get(path: string): supertest.Test;
  post(path: string, body?: object): supertest.Test;
  put(path: string, body?: object): supertest.Test;
  delete(path: string): supertest.Test;
  agent: ReturnType<typeof supertest.agent>;
}

let counter = 0;

export async function createAdmin(
  t: TestFolio,
  roles: (string | number)[],
  password = 'correct-horse-battery',
): Promise<{ id: number; email: string; password: string }> {
  const email = `user${++counter}-${Date.now()}@example.test`;
  const user = await t.folio.auth.users.create({
    email,
    password,
    firstname: 'Test',
    lastname: `User ${counter}`,
    roles,
  });
  return { id: user.id, email, password };
}

export async function login(t: TestFolio, email: string, password: string): Promise<AdminSession> {
  const agent = supertest.agent(t.app.callback());
  const res = await agent.post('/admin-api/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const csrf: string = res.body.data.csrfToken;
  return {
    csrf,
    userId: res.body.data.user.id,
    agent,
    get: (path) => agent.get(path),
    post: (path, body = {}) => agent.post(path).set('X-CSRF-Token', csrf).send(body),
    put: (path, body = {}) => agent.put(path).set('X-CSRF-Token', csrf).send(body),
    delete: (path) => agent.delete(path).set('X-CSRF-Token', csrf),
  };
}

/** A new account with these roles, signed in. */
export async function signedIn(
  t: TestFolio,
  roles: (string | number)[],
): Promise<AdminSession & { email: string; password: string }> {
  const { email, password } = await createAdmin(t, roles);
  return { ...(await login(t, email, password)), email, password };
}
