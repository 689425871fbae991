#!/usr/bin/env node
// The `folio` command. Each concern registers its commands from server/commands/; this file only
// assembles them. Run as `npm run -s folio -- <command>` (or the `folio` bin once built).
import { Command, CommanderError } from 'commander';
import { registerMigrate } from './commands/migrate.js';
import { registerAccessCommands } from './commands/access.js';
import { reportAndExit } from './commands/runtime.js';
import { registerSchema } from './commands/schema.js';
import { registerSeed } from './commands/seed.js';
import { registerLocaleCommands } from './commands/locales.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerIndexCommands } from './commands/indexes.js';
import { registerKeyCommands } from './commands/keys.js';

const program = new Command('folio')
  .description('Folio headless CMS: database, schema, accounts and content from the command line')
  .showHelpAfterError('(run folio --help for the list of commands)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride();

registerMigrate(program);
registerSchema(program);
registerSeed(program);
registerAccessCommands(program);
registerLocaleCommands(program);
registerBackupCommands(program);
registerIndexCommands(program);
registerKeyCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // Help and version are successes; everything else commander reports is a usage error.
    process.exit(err.exitCode === 0 || err.code === 'commander.helpDisplayed' ? 0 : 1);
  }
  reportAndExit(err);
});
