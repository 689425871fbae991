// Runs Folio's own migrations (migrations/index.ts) through knex's migrator.
import type { Knex } from 'knex';
import { migrations, type Migration } from '../../migrations/index.js';

class StaticMigrationSource implements Knex.MigrationSource<string> {
  getMigrations(): Promise<string[]> {
    return Promise.resolve(migrations.map(([name]) => name));
  }
  getMigrationName(name: string): string {
    return name;
  }
  getMigration(name: string): Promise<Migration> {
    const found = migrations.find(([n]) => n === name);
    if (!found) return Promise.reject(new Error(`Unknown migration ${name}`));
    return Promise.resolve(found[1]);
  }
}

const migratorConfig: Knex.MigratorConfig = {
  migrationSource: new StaticMigrationSource(),
  tableName: 'folio_migrations',
};

/** Applies pending migrations; returns the names applied in this call. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migratorConfig)) as [number, string[]];
  return applied;
}

export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migratorConfig)) as [unknown, Array<{ file: string } | string>];
  return pending.map((p) => (typeof p === 'string' ? p : p.file));
}
