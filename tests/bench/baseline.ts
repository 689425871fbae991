// `npm run bench -- --baseline <ref>`: the ref checked out in a temporary git worktree beside the
// working tree, with node_modules to build and serve it, removed again when the bench exits (also
// on an error or Ctrl-C); and the statistics and table that compare the two trees' runs.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Log = (line: string) => void;

function run(command: string, args: string[], options: SpawnSyncOptions): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed: ${String(result.stderr ?? '').trim()}`);
  return String(result.stdout ?? '').trim();
}

export interface BaselineTree {
  root: string;
  commit: string;
}

/** Checks `ref` out into a temporary worktree with its node_modules; the worktree goes when the process exits. */
export function checkOutBaseline(root: string, ref: string, log: Log): BaselineTree {
  const commit = run('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'folio-bench-baseline-'));
  // Registered before the checkout: a failure half-way (or Ctrl-C, which run.ts turns into an exit)
  // still removes what was made. An exit handler must be synchronous, hence spawnSync.
  process.on('exit', () => {
    log(`removing the baseline worktree ${dir}…`);
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' });
  });
  log(`checking out ${ref} (${commit.slice(0, 10)}) in ${dir}…`);
  run('git', ['worktree', 'add', '--detach', dir, commit], { cwd: root });
  installModules(root, dir, log);
  return { root: dir, commit };
}

function lockfile(root: string): string | undefined {
  const file = path.join(root, 'package-lock.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * The same lockfile means the same packages: a hard-linked copy of the working tree's node_modules
 * takes seconds and no disk. Otherwise the baseline gets its own `npm ci`.
 */
function installModules(root: string, dir: string, log: Log): void {
  const lock = lockfile(dir);
  if (lock !== undefined && lock === lockfile(root)) {
    log('lockfiles match: hard-linking node_modules (cp -al)…');
    run('cp', ['-al', path.join(root, 'node_modules'), path.join(dir, 'node_modules')], { cwd: dir });
    return;
  }
  log('lockfiles differ: npm ci in the baseline worktree…');
  // npm's own output goes to stderr: stdout carries the bench's table.
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', process.stderr, process.stderr] });
}

/** The code that decides the database's tables and indexes (migrations, schema to DDL, the connection). */
const DATABASE_SHAPE = ['migrations', 'server/db', 'server/schema'];

/**
 * Whether the working tree builds the same database as `commit`: then one seeded database serves
 * both servers; otherwise each tree gets its own, migrated, applied and seeded by its own code.
 */
export function sameDatabaseShape(root: string, commit: string): boolean {
  const changed = spawnSync('git', ['diff', '--quiet', commit, '--', ...DATABASE_SHAPE], { cwd: root }).status !== 0;
  // A new migration not yet added to git changes the database as much as a committed one.
  const added = run('git', ['ls-files', '--others', '--exclude-standard', '--', ...DATABASE_SHAPE], { cwd: root });
  return !changed && added === '';
}

// ---------- comparing the runs ---------------------------------------------------------------

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: Math.round(median * 10) / 10, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** The change from before to after in per cent, signed: "+4 %", "-12 %". */
export function changeOf(before: number, after: number): string {
  if (before === 0) return '-';
  const exact = ((after - before) / before) * 100;
  // Rounded away from zero at a half, alike both ways (Math.round takes -12.5 to -12 but 12.5 to 13).
  const percent = Math.sign(exact) * Math.round(Math.abs(exact));
  return `${percent > 0 ? '+' : ''}${percent} %`;
}

/** One scenario's runs on each tree. */
export interface Comparison {
  scenario: string;
  cache: string;
  baseline: RunFigures;
  current: RunFigures;
}

export interface RunFigures {
  reqPerSec: number[];
  p99: number[];
  /** Errors, timeouts and non-2xx answers over all runs: a fast server that fails is not faster. */
  failures: number;
}

const shown = (s: Spread) => (s.min === s.max ? `${s.median}` : `${s.median} (${s.min}–${s.max})`);

export function comparisonTable(rows: Comparison[], runs: number): string {
  const lines = [
    `| scenario | cache | req/s before | req/s after | change | p99 ms before | p99 ms after | change | ` +
      `failures before / after |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { scenario, cache, baseline, current } of rows) {
    const [rpsBefore, rpsAfter] = [spreadOf(baseline.reqPerSec), spreadOf(current.reqPerSec)];
    const [p99Before, p99After] = [spreadOf(baseline.p99), spreadOf(current.p99)];
    lines.push(
      `| ${scenario} | ${cache} | ${shown(rpsBefore)} | ${shown(rpsAfter)} | ` +
        `${changeOf(rpsBefore.median, rpsAfter.median)} ` +
        `| ${shown(p99Before)} | ${shown(p99After)} | ${changeOf(p99Before.median, p99After.median)} | ` +
        `${baseline.failures} / ${current.failures} |`,
    );
  }
  return (
    `\nmedian (min–max) of ${runs} run${runs === 1 ? '' : 's'} each; before = the baseline, after = the ` +
    `working tree\n\n${lines.join('\n')}\n`
  );
}
