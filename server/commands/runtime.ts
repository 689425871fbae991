// What every CLI command shares: open Folio from the environment, run, close; errors become one line
// on stderr and exit code 1. Results go to stdout, logs to stderr (the README's "CLI").
import { ConfigError, loadConfig } from '../config.js';
import { DatabaseUrlError } from '../db/connection.js';
import { openFolio, StartupError, type Folio, type OpenOptions } from '../folio.js';
import { FolioError } from '../errors.js';
import { createLogger } from '../logger.js';

export class CliError extends Error {
  override name = 'CliError';
}

const ONE_LINE_ERRORS = [CliError, ConfigError, StartupError, DatabaseUrlError, FolioError];

export function reportAndExit(err: unknown): never {
  const known = ONE_LINE_ERRORS.some((cls) => err instanceof cls);
  const message = known ? (err as Error).message : `unexpected error: ${(err as Error)?.stack ?? String(err)}`;
  process.stderr.write(`folio: ${message.split('\n')[0]}\n`);
  if (!known && process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error)?.stack}\n`);
  process.exit(1);
}

export async function withFolio<T>(run: (folio: Folio) => Promise<T>, options: Partial<OpenOptions> = {}): Promise<T> {
  const config = loadConfig();
  // The CLI is quiet by default: stderr carries warnings and the one-line errors.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const folio = await openFolio(config, { logger, ...options });
  try {
    return await run(folio);
  } finally {
    await folio.close();
  }
}

/** Wraps a command's action so that it ends the process the same way everywhere. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
      process.exitCode = 0;
    } catch (err) {
      reportAndExit(err);
    }
  };
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
