// Error classes → the one error envelope (docs/content-api.md, "Errors"):
// { data: null, error: { status, name, message, details } }
// Code throws these anywhere; the error middleware is the only place that turns them into a response.
import { isDatabaseUnavailable, isUniqueViolation } from './db/errors.js';

export interface BodyErrorItem {
  path: (string | number)[];
  message: string;
  name: string;
}

export type ErrorDetails = Record<string, unknown>;

export class FolioError extends Error {
  readonly status: number;
  readonly details: ErrorDetails;
  constructor(status: number, name: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.status = status;
    this.name = name;
    this.details = details;
  }
}

export class ValidationError extends FolioError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(400, 'ValidationError', message, details);
  }

  /** A body error: details.errors[] names each failing path. */
  static fromErrors(errors: BodyErrorItem[], message?: string): ValidationError {
    const first = errors[0];
    const summary = message ?? (errors.length === 1 ? first.message : `${errors.length} errors occurred`);
    return new ValidationError(summary, { errors });
  }

  /** A query error: details name the offending query parameter. */
  static query(message: string, param: string, key: string, path = key): ValidationError {
    return new ValidationError(message, { key, path, source: 'query', param });
  }
}

export class PaginationError extends FolioError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(400, 'PaginationError', message, details);
  }
}

export class ApplicationError extends FolioError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(400, 'ApplicationError', message, details);
  }
}

export class UnauthorizedError extends FolioError {
  constructor(message = 'Missing or invalid credentials', details: ErrorDetails = {}) {
    super(401, 'UnauthorizedError', message, details);
  }
}

export class ForbiddenError extends FolioError {
  constructor(message = 'Forbidden', details: ErrorDetails = {}) {
    super(403, 'ForbiddenError', message, details);
  }
}

export class NotFoundError extends FolioError {
  constructor(message = 'Not Found', details: ErrorDetails = {}) {
    super(404, 'NotFoundError', message, details);
  }
}

export class ConflictError extends FolioError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(409, 'ConflictError', message, details);
  }
}

export class PayloadTooLargeError extends FolioError {
  constructor(message = 'Payload too large', details: ErrorDetails = {}) {
    super(413, 'PayloadTooLargeError', message, details);
  }
}

export class UnsupportedMediaTypeError extends FolioError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(415, 'UnsupportedMediaTypeError', message, details);
  }
}

export class RateLimitError extends FolioError {
  constructor(message = 'Too many requests, please try again later.', details: ErrorDetails = {}) {
    super(429, 'RateLimitError', message, details);
  }
}

export class ServiceUnavailableError extends FolioError {
  constructor(
    message = 'Service unavailable',
    details: ErrorDetails = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(503, 'ServiceUnavailableError', message, details);
  }
}

/** How long a client is asked to wait (Retry-After) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface ErrorEnvelope {
  data: null;
  error: { status: number; name: string; message: string; details: ErrorDetails };
}

/** Errors raised by koa/http-errors (body parser, ctx.throw) carry a status and `expose`. */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  type?: string;
}

const NAMES_BY_STATUS: Record<number, string> = {
  400: 'ValidationError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
  429: 'RateLimitError',
};

/**
 * Maps anything thrown to a status and envelope. Unknown errors become a generic 500:
 * their message may hold SQL or paths, so it is logged, never sent.
 */
export function toErrorEnvelope(err: unknown): {
  status: number;
  body: ErrorEnvelope;
  internal: boolean;
  retryAfterSeconds?: number;
} {
  if (err instanceof FolioError) {
    return {
      status: err.status,
      body: { data: null, error: { status: err.status, name: err.name, message: err.message, details: err.details } },
      internal: false,
      // A 429 or 503 says when to come back.
      retryAfterSeconds: (err as { retryAfterSeconds?: number }).retryAfterSeconds,
    };
  }
  // The last line of defence of every uniqueness check: a concurrent request committed the same
  // name, email or slug between our check and our insert. The client may retry; it is not a 500.
  if (isUniqueViolation(err)) {
    const message = 'Another request saved the same unique value just now; reload and try again';
    return {
      status: 409,
      body: { data: null, error: { status: 409, name: 'ConflictError', message, details: {} } },
      internal: false,
    };
  }
  // An outage is not Folio failing: the client may come back once the database answers again.
  if (isDatabaseUnavailable(err)) {
    return toErrorEnvelope(
      new ServiceUnavailableError('The database is unavailable; try again shortly', {}, DATABASE_RETRY_AFTER_SECONDS),
    );
  }
  const http = (err ?? {}) as HttpLikeError;
  const status = http.status ?? http.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && http.expose !== false) {
    const name = NAMES_BY_STATUS[status] ?? 'ApplicationError';
    const message = http.type === 'entity.parse.failed' ? 'Invalid JSON in the request body' : (http.message ?? name);
    return { status, body: { data: null, error: { status, name, message, details: {} } }, internal: false };
  }
  return {
    status: 500,
    body: {
      data: null,
      error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error', details: {} },
    },
    internal: true,
  };
}
