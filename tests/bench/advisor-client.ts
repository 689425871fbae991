// The query advisor as the bench uses it: through the Admin API of the server that answered the
// traffic (its samples live in that process's memory), signed in as an administrator — the same
// requests as Settings › Performance and its "Add index" button (docs/performance.md).

export interface AdminSession {
  base: string;
  cookie: string;
  csrf: string;
}

export interface Suggestion {
  type: string;
  attributes: string[];
}

/** A shape as GET /admin-api/performance/shapes answers it (the fields the bench reports). */
export interface ShapeReport {
  key: string;
  count: number;
  p50: number | null;
  p99: number | null;
  plan: { words: string } | null;
  suggestion: Suggestion | null;
  before: { count: number; p50: number | null; p99: number | null; attributes: string[] } | null;
}

async function answer<T>(res: Response, what: string): Promise<T> {
  const body = (await res.json()) as { data?: T; error?: { message: string } };
  if (!res.ok || body.data === undefined) throw new Error(`${what}: ${res.status} ${body.error?.message ?? ''}`);
  return body.data;
}

export async function signIn(base: string, email: string, password: string): Promise<AdminSession> {
  const res = await fetch(`${base}/admin-api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const { csrfToken } = await answer<{ csrfToken: string }>(res, 'sign-in');
  return { base, cookie, csrf: csrfToken };
}

export async function shapes(session: AdminSession): Promise<ShapeReport[]> {
  const res = await fetch(`${session.base}/admin-api/performance/shapes`, { headers: { cookie: session.cookie } });
  return answer<ShapeReport[]>(res, 'GET /admin-api/performance/shapes');
}

/** Every index the advisor suggests, once each (several shapes may want the same one). */
export function distinctSuggestions(reports: readonly ShapeReport[]): Suggestion[] {
  const seen = new Map<string, Suggestion>();
  for (const { suggestion } of reports)
    if (suggestion) seen.set(`${suggestion.type}|${suggestion.attributes.join(',')}`, suggestion);
  return [...seen.values()];
}

/** "Add index": the steps the schema apply ran. */
export async function addIndex(session: AdminSession, suggestion: Suggestion): Promise<string[]> {
  const res = await fetch(`${session.base}/admin-api/performance/indexes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify(suggestion),
  });
  return (await answer<{ steps: string[] }>(res, 'POST /admin-api/performance/indexes')).steps;
}
