// Database errors Folio recognises, the same way on MySQL (mysql2) and SQLite (better-sqlite3).

const codeOf = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

/** A unique index refused a row: usually a concurrent write that committed the same value first. */
export function isUniqueViolation(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return (
    code === 'ER_DUP_ENTRY' ||
    (code ?? '').startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
    (code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(message ?? ''))
  );
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

/** The network codes of a database server that cannot be reached (mysql2 passes Node's own on). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

/**
 * The database cannot take statements right now, through no fault of the request: the server is
 * down or unreachable, it dropped the connection (mysql2 marks errors that kill a connection
 * `fatal`, the ROLLBACK after a lost connection included), knex waited its whole acquire timeout
 * for a connection or has no pool any more (a stop in progress), or SQLite's write lock stayed
 * taken past busy_timeout (another process writing). Recovery is automatic, so the client is told
 * to come back (503) rather than that Folio failed (500).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const { code, name, message, fatal } = (err ?? {}) as {
    code?: string;
    name?: string;
    message?: string;
    fatal?: boolean;
  };
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return true;
  if (code === 'SQLITE_BUSY' || code?.startsWith('SQLITE_BUSY_')) return true;
  if (fatal === true) return true;
  // knex gives these two no code: its pool's acquire timeout, and a query after destroy().
  return name === 'KnexTimeoutError' || message === 'Unable to acquire a connection';
}

/**
 * mysql2 puts the statement it sent on `err.sql` with every bound value written in (emails,
 * password hashes, the ids of a huge write), and the error log prints the error whole: the
 * statement with its placeholders takes its place.
 */
export function withoutBoundValues<E>(err: E, sql: string): E {
  if (typeof err === 'object' && err !== null && 'sql' in err) (err as { sql: unknown }).sql = sql;
  return err;
}
