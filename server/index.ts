// Process entry: config → database → migrations → listen; graceful shutdown on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUrlError } from './db/connection.js';
import { openFolio, StartupError } from './folio.js';
import { createLogger } from './logger.js';
import { listen } from './server.js';
import { adminBuilt } from './routes/admin-ui.js';
import { seedDemoOnFirstStart } from './demo/seed.js';

/** Known start-up failures get one line on stderr, not a stack trace. */
function fail(err: unknown): never {
  const known = err instanceof ConfigError || err instanceof StartupError || err instanceof DatabaseUrlError;
  process.stderr.write(`folio: ${known ? err.message : ((err as Error)?.stack ?? String(err))}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const folio = await openFolio(config, { logger });
  const demo = await seedDemoOnFirstStart(folio, (line) => logger.info(line));
  const running = await listen(folio);
  folio.jobs.runner.start();
  folio.revisions.pruner.start();

  logger.info({ url: running.url, dialect: folio.dialect }, 'Folio is listening');
  const firstRun = await folio.auth.registrationOpen();
  process.stdout.write(
    [
      '',
      `  Folio is running on ${folio.dialect === 'sqlite' ? 'SQLite' : 'MySQL'}`,
      `  Admin panel  ${running.url}/admin`,
      !adminBuilt()
        ? '               not built yet: run `npm run build:admin`'
        : firstRun
          ? `               no administrator yet: open ${running.url}/admin to create the first one (/admin/register)`
          : `               sign in at ${running.url}/admin/login`,
      `  Content API  ${running.url}/api${demo ? `   (demo content: ${running.url}/api/articles?populate=*)` : ''}`,
      `  Health       ${running.url}/_health`,
      '',
    ].join('\n') + '\n',
  );

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch(fail);
