// The database's own plan of a list's page statement, and what it says in words. MySQL/MariaDB answer
// `EXPLAIN` (one row per table read, with the estimated rows, the index used and "Using filesort");
// SQLite answers `EXPLAIN QUERY PLAN` (lines like "SCAN t0", "SEARCH t0 USING INDEX …", "USE TEMP
// B-TREE FOR ORDER BY"). Both are run on the same SQL with the same bound values as the sample.
import type { Knex } from 'knex';
import type { DialectName } from '../db/connection.js';

export interface Statement {
  sql: string;
  bindings: readonly Knex.Value[];
}

/** What a page statement's plan says, in the terms the advisor reports. */
export interface ListPlan {
  /** The indexes the database reads the type's table through (empty: none). */
  indexes: string[];
  /** It reads every row of the table. */
  fullScan: boolean;
  /** It sorts the matching rows for ORDER BY (MySQL "Using filesort", SQLite a temp B-tree). */
  sorts: boolean;
  /** Rows the database reads to answer (MySQL's estimate; on SQLite, counted: see examinedOnSqlite). */
  examined: number | null;
  /** The database's own lines, as it printed them. */
  raw: string[];
}

interface MySqlExplainRow {
  table: string | null;
  type: string | null;
  key: string | null;
  rows: number | string | null;
  Extra: string | null;
}

/** The plan of `statement` on `table` (aliased t0 by the query engine), read from the database. */
export async function explainStatement(
  db: Knex,
  dialect: DialectName,
  statement: Statement,
): Promise<Omit<ListPlan, 'examined'> & { examined: number | null }> {
  if (dialect === 'mysql') {
    const [rows] = (await db.raw(`EXPLAIN ${statement.sql}`, statement.bindings as Knex.Value[])) as [
      MySqlExplainRow[],
    ];
    return mysqlPlan(rows);
  }
  const rows = await db.raw<Array<{ detail: string }>>(
    `EXPLAIN QUERY PLAN ${statement.sql}`,
    statement.bindings as Knex.Value[],
  );
  return sqlitePlan(rows.map((r) => r.detail));
}

/**
 * The outer statement's read of the page of ids (`<derived2>`): lists filtered through relations and
 * deep pages read their page's ids first, LIMITed, and join the rows to them (query/execute.ts
 * pageByIds). Its "Using filesort" orders those few ids again; whether the matches are sorted shows
 * on the rows of the page's own SELECT.
 */
const derivedPage = (row: MySqlExplainRow) => /^<derived\d+>$/.test(row.table ?? '');

/** The rows of the type's own table (`t0`, or the derived page of ids read from it). */
function mysqlPlan(rows: MySqlExplainRow[]): ListPlan {
  const own = rows.filter((r) => r.table === 't0');
  const indexes = [...new Set(own.map((r) => r.key).filter((k): k is string => Boolean(k)))];
  const examined = own.reduce((most, r) => Math.max(most, Number(r.rows ?? 0)), 0);
  return {
    indexes,
    fullScan: own.some((r) => r.type === 'ALL'),
    // "Start temporary" / "End temporary" (a semi-join's duplicate weedout) sort nothing.
    sorts: rows.some((r) => !derivedPage(r) && /Using (filesort|temporary)/.test(r.Extra ?? '')),
    examined: own.length > 0 ? examined : null,
    raw: rows.map(
      (r) =>
        `${r.table ?? '-'}: type=${r.type ?? '-'} key=${r.key ?? '-'} rows=${String(r.rows ?? '-')} ` +
        `${r.Extra ?? ''}`.trimEnd(),
    ),
  };
}

function sqlitePlan(details: string[]): ListPlan {
  const indexes = new Set<string>();
  let fullScan = false;
  for (const line of details) {
    if (!/\bt0\b/.test(line)) continue;
    const index = /USING (?:COVERING )?INDEX (\S+)/.exec(line);
    if (index) indexes.add(index[1]);
    // "SCAN t0" alone reads the table; "SCAN t0 USING INDEX x" walks an index in its order.
    else if (/^SCAN t0\b/.test(line) && !/USING INTEGER PRIMARY KEY/.test(line)) fullScan = true;
  }
  return {
    indexes: [...indexes],
    fullScan,
    sorts: details.some((d) => /USE TEMP B-TREE FOR ORDER BY/.test(d)),
    examined: null,
    raw: details,
  };
}

/** A plan in a sentence or two, for the dashboard and the CLI. */
export function planInWords(plan: ListPlan, returned: number): string {
  const parts: string[] = [];
  if (plan.fullScan) parts.push('reads the whole table (full scan)');
  else if (plan.indexes.length > 0) parts.push(`reads through ${plan.indexes.join(', ')}`);
  if (plan.examined !== null) parts.push(`examines about ${plan.examined} row(s) to return ${returned}`);
  parts.push(
    plan.sorts ? 'sorts the matching rows for ORDER BY (filesort / temp B-tree)' : 'reads the rows in order (no sort)',
  );
  return parts.join('; ');
}
