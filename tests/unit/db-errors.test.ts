import { describe, expect, it } from '@jest/globals';
import {
  isDatabaseUnavailable,
  isDeadlock,
  isForeignKeyViolation,
  isLockWaitTimeout,
  isMissingReference,
  isUniqueViolation,
} from '../../server/db/errors.js';

// The codes mysql2 and better-sqlite3 put on their errors.
const error = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('database errors', () => {
  it('recognises a write to redo: a deadlock victim or a lock wait that timed out', () => {
    expect(isDeadlock(error('ER_LOCK_DEADLOCK'))).toBe(true);
    expect(isLockWaitTimeout(error('ER_LOCK_WAIT_TIMEOUT'))).toBe(true);
    expect(isDeadlock(error('ER_LOCK_WAIT_TIMEOUT'))).toBe(false);
    expect(isLockWaitTimeout(null)).toBe(false);
  });

  it('tells a missing referenced row from a deleted row still referenced on MySQL', () => {
    expect(isMissingReference(error('ER_NO_REFERENCED_ROW_2'))).toBe(true);
    expect(isMissingReference(error('ER_ROW_IS_REFERENCED_2'))).toBe(false);
    expect(isForeignKeyViolation(error('ER_ROW_IS_REFERENCED_2'))).toBe(true);
    expect(isForeignKeyViolation(error('ER_NO_REFERENCED_ROW_2'))).toBe(true);
  });

  it('counts every SQLite foreign key violation as both, SQLite not telling them apart', () => {
    const sqlite = error('SQLITE_CONSTRAINT_FOREIGNKEY', 'FOREIGN KEY constraint failed');
    expect(isMissingReference(sqlite)).toBe(true);
    expect(isForeignKeyViolation(sqlite)).toBe(true);
    expect(isForeignKeyViolation(error('ER_DUP_ENTRY'))).toBe(false);
  });

  it('recognises a unique violation on either database', () => {
    expect(isUniqueViolation(error('ER_DUP_ENTRY'))).toBe(true);
    expect(isUniqueViolation(error('SQLITE_CONSTRAINT_UNIQUE'))).toBe(true);
    expect(isUniqueViolation(error('SQLITE_CONSTRAINT_FOREIGNKEY'))).toBe(false);
  });

  it('recognises a database that cannot take statements now: unreachable, dropped, busy or out of connections', () => {
    for (const code of [
      'ECONNREFUSED',
      'ETIMEDOUT',
      'PROTOCOL_CONNECTION_LOST',
      'ER_CON_COUNT_ERROR',
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
    ]) {
      expect([code, isDatabaseUnavailable(error(code))]).toEqual([code, true]);
    }
    // mysql2's error for a statement on a connection the server killed has no code, only `fatal`.
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }),
      ),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('Unable to acquire a connection'))).toBe(true);
  });

  it('does not take a statement error for an outage', () => {
    for (const code of ['ER_DUP_ENTRY', 'ER_PARSE_ERROR', 'SQLITE_ERROR', 'SQLITE_CONSTRAINT_UNIQUE'])
      expect(isDatabaseUnavailable(error(code))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
