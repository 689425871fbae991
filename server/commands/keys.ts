// `folio keys rotate [--batch-size n]` (docs/encryption.md, "Rotating keys"): after a new master key
// is put first in FOLIO_ENCRYPTION_KEYS, re-wraps the data keys under it and re-seals every value of
// every encrypted attribute under a new data key, in batches with progress on stderr. Stopped half-way
// (a crash, Ctrl-C), running it again resumes after the last committed batch.
import type { Command } from 'commander';
import type { RewriteProgress } from '../encryption/rewrite.js';
import { DEFAULT_BATCH_SIZE } from '../encryption/rewrite.js';
import { rotateKeys } from '../encryption/rotation.js';
import { action, CliError, print, withFolio } from './runtime.js';

/** One stderr line per batch: `label table.column done/total`. */
export function progressLines(label: string): (progress: RewriteProgress) => void {
  return (p) => {
    const percent = p.total === 0 ? 100 : Math.min(100, Math.round((p.done / p.total) * 100));
    process.stderr.write(`${label} ${p.table}.${p.column}: ${p.done}/${p.total} row(s) (${percent}%)\n`);
  };
}

function batchSize(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BATCH_SIZE;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new CliError('--batch-size must be a whole number from 1 to 100000');
  return n;
}

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('encryption keys of encrypted attributes (FOLIO_ENCRYPTION_KEYS)');
  keys
    .command('rotate')
    .description('re-seal every encrypted value under a new data key wrapped by the first key of FOLIO_ENCRYPTION_KEYS')
    .option('--batch-size <n>', `rows per batch (default ${DEFAULT_BATCH_SIZE})`)
    .action(
      action(async (options: { batchSize?: string }) => {
        const size = batchSize(options.batchSize);
        const result = await withFolio(async (folio) => {
          if (!folio.cipher.configured)
            throw new CliError('FOLIO_ENCRYPTION_KEYS is not set: there is no key to rotate to');
          return rotateKeys(folio.db, folio.cipher, await folio.schema.current(), {
            batchSize: size,
            logger: folio.logger,
            onBatch: progressLines('re-sealing'),
          });
        });
        const rows = Object.values(result.columns).reduce((n, c) => n + c, 0);
        const columns = Object.keys(result.columns).length;
        print(
          `${result.resumed ? 'Resumed and finished' : 'Finished'} the rotation to data key ${result.dataKeyId} ` +
            `(wrapped by "${result.masterKeyId}"): ${rows} row(s) in ${columns} column(s); ` +
            `${result.rewrapped} older data key(s) re-wrapped. Keys after the first in FOLIO_ENCRYPTION_KEYS ` +
            `are no longer needed.`,
        );
      }),
    );
}
