import { describe, expect, it } from '@jest/globals';
import {
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  toErrorEnvelope,
  ValidationError,
} from '../../server/errors.js';

describe('toErrorEnvelope', () => {
  it('maps a Folio error to its status, name, message and details', () => {
    const { status, body } = toErrorEnvelope(ValidationError.query('Invalid key nope', 'filters', 'nope'));
    expect(status).toBe(400);
    expect(body).toEqual({
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: 'Invalid key nope',
        details: { key: 'nope', path: 'nope', source: 'query', param: 'filters' },
      },
    });
  });

  it('answers a unique-index violation that escaped the checks with 409, never the SQL', () => {
    const mysql = Object.assign(new Error("Duplicate entry 'x' for key 'folio_roles_name_unique'"), {
      code: 'ER_DUP_ENTRY',
    });
    const sqlite = Object.assign(new Error('UNIQUE constraint failed: folio_roles.name'), {
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    for (const err of [mysql, sqlite]) {
      const { status, body, internal } = toErrorEnvelope(err);
      expect([status, body.error.name, internal]).toEqual([409, 'ConflictError', false]);
      expect(body.error.message).not.toMatch(/folio_roles|Duplicate|UNIQUE/);
    }
  });

  it('lists every failing path of a body error', () => {
    const err = ValidationError.fromErrors([
      { path: ['title'], message: 'title must be defined', name: 'ValidationError' },
      { path: ['views'], message: 'views must be a number', name: 'ValidationError' },
    ]);
    expect(toErrorEnvelope(err).body.error).toMatchObject({
      message: '2 errors occurred',
      details: { errors: [{ path: ['title'] }, { path: ['views'] }] },
    });
  });

  it.each([
    [new ForbiddenError(), 403, 'ForbiddenError'],
    [new NotFoundError(), 404, 'NotFoundError'],
    [new RateLimitError(), 429, 'RateLimitError'],
  ])('keeps %p as %i %s', (err, status, name) => {
    expect(toErrorEnvelope(err)).toMatchObject({ status, body: { error: { status, name } } });
  });

  it('answers an unknown error with a generic 500 that leaks nothing', () => {
    const { status, body, internal } = toErrorEnvelope(new Error('ER_NO_SUCH_TABLE: select * from secret_table'));
    expect(status).toBe(500);
    expect(internal).toBe(true);
    expect(JSON.stringify(body)).not.toContain('secret_table');
  });

  it('maps an http error thrown by middleware to the envelope', () => {
    const err = Object.assign(new Error('Method Not Allowed'), { status: 405, expose: true });
    expect(toErrorEnvelope(err)).toMatchObject({ status: 405, body: { error: { name: 'MethodNotAllowedError' } } });
  });
});
