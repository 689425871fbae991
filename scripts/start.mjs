// `npm start`: builds the admin panel when its build is missing, then runs the server from its
// TypeScript sources (tsx), in this same process so that signals reach it directly.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adminSource = path.join(root, 'admin', 'index.html');
const adminBuild = path.join(root, 'admin', 'dist', 'index.html');

if (existsSync(adminSource) && !existsSync(adminBuild)) {
  process.stderr.write('folio: building the admin panel (first start only)…\n');
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-admin.mjs'), '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
await import(path.join(root, 'server', 'index.ts'));
