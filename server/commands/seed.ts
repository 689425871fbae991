import type { Command } from 'commander';
import { seedDemo } from '../demo/seed.js';
import { action, print, withFolio } from './runtime.js';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('seed content')
    .command('demo')
    .description('the demo blog (only into a database with no content types)')
    .action(
      action(async () => {
        const summary = await withFolio((folio) => seedDemo(folio, (line) => process.stderr.write(`${line}\n`)));
        print(
          `Seeded the demo: ${summary.contentTypes} content types, ${summary.entries} entries, ` +
            `${summary.images} images`,
        );
      }),
    );
}
