// Database errors Folio recognises, the same way on MySQL (mysql2) and SQLite (better-sqlite3).

const codeOf = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

/** A unique index refused a row: usually a concurrent write that committed the same value first. */
export function isUniqueViolation(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return code === 'ER_DUP_ENTRY' || (code ?? '').startsWith('SQLITE_CONSTRAINT_UNIQUE') || (code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(message ?? ''));
}

/** InnoDB chose this statement's transaction as a deadlock victim and rolled it back: safe to redo. */
export function isDeadlock(err: unknown): boolean {
  return codeOf(err) === 'ER_LOCK_DEADLOCK';
}

/** A lock this statement waited for stayed held past `innodb_lock_wait_timeout`: safe to redo. */
export function isLockWaitTimeout(err: unknown): boolean {
  return codeOf(err) === 'ER_LOCK_WAIT_TIMEOUT';
}

/**
 * A foreign key refused a row because the row it references is missing. SQLite does not tell this
 * apart from deleting a row that is still referenced: there, any foreign key violation.
 */
export function isMissingReference(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'ER_NO_REFERENCED_ROW_2' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** A foreign key refused the write: a referenced row is missing, or a row still referenced was deleted. */
export function isForeignKeyViolation(err: unknown): boolean {
  return isMissingReference(err) || codeOf(err) === 'ER_ROW_IS_REFERENCED_2';
}
