import type { Command } from 'commander';
import { migrateLatest } from '../db/migrate.js';
import { action, print, withFolio } from './runtime.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description("apply pending migrations to Folio's own tables")
    .action(
      action(async () => {
        const applied = await withFolio((folio) => migrateLatest(folio.db), { migrate: false });
        print(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Already up to date');
      }),
    );
}
