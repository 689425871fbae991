// Rows written in multi-row INSERTs rather than one statement each (a Strapi export holds tens of
// thousands of rows, components and links: one round trip apiece is most of an import's time on
// MySQL). Rows wait per table and are written together once enough wait; every table's, in the order
// the tables were first given rows, so that a row is written after the rows its foreign keys point
// at (an entry before its `_cmps` rows: MySQL checks each statement at once).
import type { Knex } from 'knex';

type Row = Record<string, unknown>;

/** A failure whose message already says where it is (a table's batch, a link): not prefixed again. */
export class LocatedError extends Error {
  override name = 'LocatedError';
}

/** Rows waiting in all tables before they are written. */
const WAITING = 1000;
/** Rows per INSERT: well under both databases' limit on bound values. */
const chunkSize = (columns: number) => Math.max(1, Math.min(500, Math.floor(20000 / Math.max(1, columns))));

export class RowBatches {
  /** Tables in the order they first got a row; their rows not yet written. */
  private readonly waiting = new Map<string, Row[]>();
  private count = 0;

  constructor(private readonly trx: Knex.Transaction) {}

  /** Every row of one table must have the same keys (a multi-row INSERT names the columns once). */
  async add(table: string, row: Row): Promise<void> {
    const rows = this.waiting.get(table);
    if (rows) rows.push(row);
    else this.waiting.set(table, [row]);
    this.count += 1;
    if (this.count >= WAITING) await this.flush();
  }

  /** Writes every waiting row; call before reading what was added. */
  async flush(): Promise<void> {
    if (this.count === 0) return;
    for (const [table, rows] of this.waiting) {
      if (rows.length === 0) continue;
      const size = chunkSize(Object.keys(rows[0]).length);
      for (let i = 0; i < rows.length; i += size) {
        try {
          await this.trx(table).insert(rows.slice(i, i + size));
        } catch (err) {
          // Written in a batch, a row's failure belongs to no one line: the database's message names the values.
          throw new LocatedError(`writing ${table}: ${(err as Error).message}`, { cause: err });
        }
      }
      rows.length = 0;
    }
    this.count = 0;
  }
}
