// Progress of a long export or import: a bar on stderr (cli-progress) for the CLI, nothing elsewhere.
import cliProgress from 'cli-progress';

export interface Progress {
  start(label: string, total: number): void;
  advance(by: number): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { start() {}, advance() {}, stop() {} };

/** A bar on stderr; stdout stays for the command's result. Prints nothing when stderr is no terminal. */
export function progressBar(): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{label} [{bar}] {percentage}% | {value}/{total} rows and files | {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(label, total) {
      bar.start(total, 0, { label });
      running = true;
    },
    advance(by) {
      if (running) bar.increment(by);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
