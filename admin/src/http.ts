// The one way the dashboard talks to Folio: same-origin fetch with the session cookie, the CSRF
// header on every mutation, and Folio's error envelope turned into react-admin's HttpError (whose
// body.errors puts server validation messages on the matching form fields).
import { HttpError } from 'react-admin';
// .js: the unit tests compile this file with Node's module resolution, which needs the extension.
import { i18nProvider } from './i18n.js';

/** Folio's error envelope (docs/content-api.md): { data: null, error: { status, name, message, details } }. */
export interface ErrorEnvelope {
  data: null;
  error: {
    status: number;
    name: string;
    message: string;
    details?: { errors?: { path: (string | number)[]; message: string; name?: string }[] } & Record<string, unknown>;
  };
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  json: T;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (If-Match on a save). */
  headers?: Record<string, string>;
}

let csrfToken: string | undefined;

/** The authProvider keeps the CSRF token it got from login, registration or /auth/me here. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function hasCsrfToken(): boolean {
  return csrfToken !== undefined;
}

/** For requests that cannot go through api() (XMLHttpRequest uploads, whose progress fetch cannot report). */
export function currentCsrfToken(): string | undefined {
  return csrfToken;
}

function isEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof (value as ErrorEnvelope).error?.message === 'string'
  );
}

/** details.errors[] (path + message) → { 'a.b': message } for react-admin's forms. */
function fieldErrors(envelope: ErrorEnvelope): Record<string, string> | undefined {
  const list = envelope.error.details?.errors;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const key = item.path.length ? item.path.join('.') : 'root.serverError';
    out[key] ??= item.message;
  }
  return out;
}

/** A save refused because the entry changed since it was read (409 on If-Match): who saved, and when. */
export interface Conflict {
  /** Who saved the newer version, as the server names them; null when not an admin (a CLI or token write). */
  by: string | null;
  /** When the newer version was saved (ISO); null when the entry is gone. */
  at: string | null;
}

/** The conflict a 409 envelope describes; undefined for another 409 (a unique value already taken). */
function conflictIn(envelope: ErrorEnvelope): Conflict | undefined {
  const details = envelope.error.details;
  if (!details || !('updatedAt' in details)) return undefined;
  const { updatedAt, updatedBy } = details;
  const name = typeof updatedBy === 'object' && updatedBy !== null ? (updatedBy as { name?: unknown }).name : undefined;
  return { by: typeof name === 'string' && name ? name : null, at: typeof updatedAt === 'string' ? updatedAt : null };
}

/**
 * A stale save in the editor's words: who saved meanwhile, when, and what to do. Made here, outside
 * React, because every caller shows the error's message (a notification) without knowing it is one.
 */
function conflictMessage(envelope: ErrorEnvelope): string {
  const conflict = conflictIn(envelope);
  const name = conflict?.by ?? undefined;
  const time = conflict?.at ? new Date(conflict.at).toLocaleString() : undefined;
  if (!name && !time) return envelope.error.message;
  const key = !time ? 'folio.errors.changed_by' : name ? 'folio.errors.changed_by_at' : 'folio.errors.changed_at';
  return i18nProvider.translate(key, { name, time });
}

/** The conflict an error made by httpError() reports, or undefined when it is not a stale save. */
export function conflictOf(err: unknown): Conflict | undefined {
  if (!(err instanceof HttpError) || err.status !== 409) return undefined;
  const body: unknown = err.body;
  return isEnvelope(body) ? conflictIn(body) : undefined;
}

/** A failed answer as react-admin's HttpError: the envelope's message, field errors in body.errors. */
export function httpError(status: number, statusText: string, json: unknown): HttpError {
  if (isEnvelope(json)) {
    const errors = fieldErrors(json);
    const message = status === 409 ? conflictMessage(json) : json.error.message;
    return new HttpError(message, status, { ...json, ...(errors ? { errors } : {}) });
  }
  // No envelope: a proxy or the network answered, not Folio. The status is kept for whoever reports it.
  const answer = statusText ? `${status} ${statusText}` : String(status);
  return new HttpError(i18nProvider.translate('folio.errors.no_answer', { status: answer }), status, json);
}

/** The field errors (body.errors) of a failed answer made by httpError(), if it has any. */
export function fieldErrorsOf(err: unknown): Record<string, string> | undefined {
  if (!(err instanceof HttpError)) return undefined;
  const body: unknown = err.body;
  if (typeof body !== 'object' || body === null || !('errors' in body) || !body.errors) return undefined;
  return body.errors as Record<string, string>;
}

export async function api<T>(url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers = new Headers({ ...options.headers, Accept: 'application/json' });
  // FormData (uploads) sets its own multipart Content-Type with the boundary.
  const multipart = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !multipart) headers.set('Content-Type', 'application/json');
  if (method !== 'GET' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body:
      options.body === undefined ? undefined : multipart ? (options.body as FormData) : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  let json: unknown;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!response.ok) throw httpError(response.status, response.statusText, json);
  return { status: response.status, headers: response.headers, json: json as T };
}
