// Deterministic races on MySQL: a test holds a row in an open transaction, starts the request that
// needs it, and waits until that request is seen blocked before it commits its own change.

import type { Knex } from 'knex';

/**
 * Resolves once a statement naming `table` has been running for a while on another connection: on
 * the small tables of a test, only one waiting for a row a concurrent transaction holds. (MariaDB's
 * INNODB_TRX does not list a transaction that waits before it has locked anything.)
 */
export async function someoneWaitsFor(db: Knex, table: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [rows] = (await db.raw(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> ' +
        "CONNECTION_ID() AND COMMAND = 'Query' AND INFO LIKE ? AND TIME_MS > 200",
      [`%\`${table}\`%`],
    )) as [Array<{ n: number }>];
    if (Number(rows[0].n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no statement on ${table} ever waited for the row held by the concurrent transaction`);
}
