// Database errors Folio recognises, the same way on MySQL (mysql2) and SQLite (better-sqlite3).

/** A unique index refused a row: usually a concurrent write that committed the same value first. */
export function isUniqueViolation(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return code === 'ER_DUP_ENTRY' || (code ?? '').startsWith('SQLITE_CONSTRAINT_UNIQUE') || (code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(message ?? ''));
}

/** InnoDB chose this statement's transaction as a deadlock victim and rolled it back: safe to redo. */
export function isDeadlock(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ER_LOCK_DEADLOCK';
}
