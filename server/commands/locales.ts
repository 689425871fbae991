// `folio locales list|add|remove`: the locales localized content may be written in (Settings ›
// Locales), for set-up scripts that run before anyone signs in.
import type { Command } from 'commander';
import { action, CliError, print, withFolio } from './runtime.js';

export function registerLocaleCommands(program: Command): void {
  const locales = program.command('locales').description('the locales localized content is written in');
  locales
    .command('list')
    .description('print the configured locales, the default first')
    .action(
      action(async () => {
        for (const l of await withFolio((folio) => folio.locales.list()))
          print(`${l.code}\t${l.name}${l.isDefault ? '\t(default)' : ''}`);
      }),
    );
  locales
    .command('add')
    .description('configure a locale (a language code and optional subtags: fr, pt-BR)')
    .argument('<code>', 'locale code')
    .option('--name <name>', 'how editors see it, e.g. "French (fr)"')
    .action(
      action(async (code: string, options: { name?: string }) => {
        const locale = await withFolio(async (folio) => {
          const created = await folio.locales.create({ code, name: options.name });
          await folio.audit.record({
            actor: { kind: 'system', label: 'cli' },
            action: 'locales.create',
            subject: 'settings',
            entityId: created.id,
            details: { code: created.code },
          });
          return created;
        });
        print(`Added the locale ${locale.code} (${locale.name})`);
      }),
    );
  locales
    .command('remove')
    .description('remove a locale no entry is written in (not the default)')
    .argument('<code>', 'locale code')
    .action(
      action(async (code: string) => {
        await withFolio(async (folio) => {
          const locale = (await folio.locales.list()).find((l) => l.code === code);
          if (!locale) throw new CliError(`No locale ${code}`);
          await folio.locales.delete(locale.id);
          await folio.audit.record({
            actor: { kind: 'system', label: 'cli' },
            action: 'locales.delete',
            subject: 'settings',
            entityId: locale.id,
            details: { code },
          });
        });
        print(`Removed the locale ${code}`);
      }),
    );
}
