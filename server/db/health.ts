// The health of the database as load balancers and operators see it: a probe with a deadline, and
// the report /_health answers. Kept here so that no route needs a connection of its own.
import type { Knex } from 'knex';
import { pingDatabase, type DialectName } from './connection.js';

export type DatabaseHealth = { ok: true; report: HealthReport } | { ok: false; report: HealthReport; error: string };

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database:
    { dialect: DialectName; status: 'up'; latencyMs: number } | { dialect: DialectName; status: 'down'; error: string };
  uptimeSeconds: number;
}

/** Asks the database for an answer; the report never carries the driver's message (it is logged). */
export async function databaseHealth(db: Knex, dialect: DialectName): Promise<DatabaseHealth> {
  const ping = await pingDatabase(db);
  const uptimeSeconds = Math.round(process.uptime());
  if (ping.ok) {
    return {
      ok: true,
      report: { status: 'ok', database: { dialect, status: 'up', latencyMs: ping.latencyMs }, uptimeSeconds },
    };
  }
  const report: HealthReport = {
    status: 'unavailable',
    database: { dialect, status: 'down', error: 'database unreachable' },
    uptimeSeconds,
  };
  return { ok: false, report, error: ping.error };
}
