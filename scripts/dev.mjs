// `npm run dev`: the server under `tsx watch` (restarts on a change in server/ or migrations/) and
// Vite's dev server for the admin (hot reload), which proxies /api, /admin-api, /uploads and
// /_health to the server. Ctrl-C stops both.
//   PORT       the Folio server's port (default 1337)
//   VITE_PORT  the admin dev server's port (default 5173)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT || '1337';
const vitePort = process.env.VITE_PORT || '5173';
const apiUrl = `http://127.0.0.1:${port}`;

const children = [];
let stopping = false;

function run(name, args, env) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`folio dev: ${name} exited (${signal ?? code}); stopping\n`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run(
  'server',
  [
    path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
    'watch',
    '--clear-screen=false',
    '--include',
    'migrations/**',
    path.join(root, 'server', 'index.ts'),
  ],
  { PORT: port },
);
run(
  'admin dev server',
  [
    path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    '--config',
    path.join(root, 'admin', 'vite.config.ts'),
    '--port',
    vitePort,
    '--strictPort',
    '--clearScreen',
    'false',
  ],
  {
    FOLIO_API_URL: apiUrl,
  },
);

process.stdout.write(
  [
    '',
    '  Folio development',
    `  Admin (hot reload)  http://localhost:${vitePort}/admin/`,
    `  Folio server        http://localhost:${port}  (API /api, Admin API /admin-api; restarts on change)`,
    '',
  ].join('\n') + '\n',
);
