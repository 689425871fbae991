// JSON and form bodies. Multipart is left to the upload routes, which stream it.
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { PayloadTooLargeError, ValidationError } from '../errors.js';

export function jsonBody(limit = '2mb'): Middleware {
  return bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: limit,
    formLimit: limit,
    onError(err) {
      const status = (err as { status?: number }).status;
      if (status === 413) throw new PayloadTooLargeError(`The request body is larger than ${limit}`);
      throw new ValidationError('Invalid JSON in the request body');
    },
  }) as Middleware;
}
