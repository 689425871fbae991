import { describe, expect, it } from '@jest/globals';
import { isDeadlock, isForeignKeyViolation, isLockWaitTimeout, isMissingReference, isUniqueViolation } from '../../server/db/errors.js';

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
});
