// Runs Folio as operators do: `npm start` and the `folio` CLI as child processes (black-box).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // The parent's test-run variables stay; npm's own chatter about user config does not matter here.
  return { ...process.env, LOG_LEVEL: 'warn', ...env };
}

/**
 * The run's bundle of the server and the CLI (tests/setup/bundle-server.ts), or, when a test file is
 * run outside jest's global setup, nothing: then the sources run through tsx.
 */
const BUNDLE_DIR = process.env.FOLIO_TEST_BUNDLE_DIR;

/** How a test starts `server/index.ts` as its own process (`npm start` minus npm and the admin build). */
export function serverCommand(): string[] {
  return BUNDLE_DIR
    ? [process.execPath, '--enable-source-maps', path.join(BUNDLE_DIR, 'index.mjs')]
    : [process.execPath, '--import', 'tsx', path.join(ROOT, 'server', 'index.ts')];
}

/**
 * `folio <args>` as `npm run -s folio` runs it, minus npm's start-up time and, from the run's bundle,
 * tsx's; `root` is another checkout's (the bench's baseline), always run from its sources.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  input?: string,
  root = ROOT,
): Promise<ProcessResult> {
  const entry =
    BUNDLE_DIR && root === ROOT
      ? ['--enable-source-maps', path.join(BUNDLE_DIR, 'cli.mjs')]
      : ['--import', 'tsx', path.join(root, 'server', 'cli.ts')];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: root,
    env: childEnv(env),
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin?.end(input);
  return collect(child);
}

/** The literal command of the README's "CLI": `npm run -s folio -- <args>`. */
export function runNpmFolio(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  const child = spawn('npm', ['run', '-s', 'folio', '--', ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  result: Promise<ProcessResult>;
  /** SIGTERM to the process group, then the exit result. */
  stop(): Promise<ProcessResult>;
  kill(): void;
}

async function waitForHealth(url: string, result: Promise<ProcessResult>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: ProcessResult | undefined;
  void result.then((r) => (exited = r));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited with ${exited.code} before it was ready:\n${exited.stderr}`);
    try {
      const res = await fetch(`${url}/_health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} was not ready within ${timeoutMs} ms`);
}

/** `npm start` (or another command) with the given environment, resolved once /_health answers 200. */
export async function startServerProcess(
  env: Record<string, string>,
  command: string[] = ['npm', 'start'],
  timeoutMs = 30000,
): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: childEnv({ HOST: '127.0.0.1', ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: signals reach npm and the server alike, as Ctrl-C or a process manager
    // does (npm itself does not forward SIGTERM to the script it runs).
    detached: true,
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  const result = collect(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, result, timeoutMs);
  } catch (err) {
    signal('SIGKILL');
    throw err;
  }
  return {
    url,
    child,
    result,
    stop() {
      signal('SIGTERM');
      return result;
    },
    kill() {
      signal('SIGKILL');
    },
  };
}
