// JSON and form bodies. Multipart is left to the upload routes, which stream it.
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { isUnder } from './paths.js';

export function jsonBody(limit = '2mb'): Middleware {
  const parse = bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: limit,
    formLimit: limit,
    onError(err) {
      const status = (err as { status?: number }).status;
      if (status === 413) throw new PayloadTooLargeError(`The request body is larger than ${limit}`);
      throw new ValidationError('Invalid JSON in the request body');
    },
  }) as Middleware;
  return compose([parse, wellFormedBody()]) as Middleware;
}

/**
 * Under `prefix` (the Admin API), a request body must be JSON, or multipart under one of
 * `multipartPrefixes` (uploads, the backup import): an HTML form on another site can post
 * url-encoded, multipart and text/plain bodies with the victim's cookies, never JSON (that needs a
 * CORS preflight, which Folio never grants).
 */
export function jsonOnlyUnder(prefix: string, multipartPrefixes: readonly string[]): Middleware {
  return async (ctx, next) => {
    const hasBody = Boolean(ctx.request.length) || ctx.get('Transfer-Encoding') !== '';
    if (
      hasBody &&
      isUnder(ctx.path, prefix) &&
      !ctx.is('json', '+json') &&
      !(multipartPrefixes.some((multipart) => isUnder(ctx.path, multipart)) && ctx.is('multipart'))
    ) {
      throw new UnsupportedMediaTypeError('The Admin API takes JSON bodies only (Content-Type: application/json)', {
        contentType: ctx.get('Content-Type') || null,
      });
    }
    await next();
  };
}

/**
 * Refuses a body holding a string that is not well-formed UTF-16. JSON lets `"\ud800"` through,
 * but no database can store a lone surrogate: MySQL's utf8mb4 and SQLite's UTF-8 would keep
 * U+FFFD instead, changing the data without saying so.
 */
function wellFormedBody(): Middleware {
  return async (ctx, next) => {
    assertWellFormed((ctx.request as { body?: unknown }).body);
    await next();
  };
}

/** Throws a 400 naming the first string of `value` that holds a lone surrogate (paths start at `prefix`). */
export function assertWellFormed(value: unknown, prefix: (string | number)[] = []): void {
  const found = malformedStringPath(value);
  if (!found) return;
  const path = [...prefix, ...found];
  const where = path.length ? `The string at ${path.join('.')}` : 'The body';
  throw ValidationError.fromErrors([
    { path, message: `${where} is not well-formed Unicode (it holds a lone surrogate)`, name: 'ValidationError' },
  ]);
}

/** A lone surrogate: in a `u` regex, a surrogate pair is one code point and never matches. */
const LONE_SURROGATE = /\p{Cs}/u;

interface Visit {
  value: unknown;
  key?: string | number;
  parent?: Visit;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.push(at.key as string | number);
  return path.reverse();
}

/**
 * The path to the first string — a value or a key — holding a lone surrogate, or undefined.
 * Walked without recursion and without copying paths: a 2 MB body may nest deeper than the stack.
 */
export function malformedStringPath(value: unknown): (string | number)[] | undefined {
  const pending: Visit[] = [{ value }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const current = visit.value;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return pathOf(visit);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, element] of Object.entries(current)) {
        const child: Visit = { value: element, key: Array.isArray(current) ? Number(key) : key, parent: visit };
        if (LONE_SURROGATE.test(key)) return pathOf(child);
        pending.push(child);
      }
    }
  }
  return undefined;
}
