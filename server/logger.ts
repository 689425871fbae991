// Structured logs (pino) on stderr: stdout belongs to the CLI's results.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'folio' },
      // Secrets never reach the logs, whatever a caller passes along.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}

/** For tests and library use: a logger that prints nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
