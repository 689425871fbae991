// Builds the admin panel (Vite) into admin/dist atomically: into a temporary folder first, then
// swapped into place, so that a server or a test reading admin/dist never sees half a build and two
// concurrent builds (npm start, the e2e setup) cannot interleave their files.
// Usage: node scripts/build-admin.mjs [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'admin', 'dist');
const temp = path.join(root, 'admin', `.dist-${process.pid}`);
const quiet = process.argv.includes('--quiet');

const result = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    path.join(root, 'admin', 'vite.config.ts'),
    '--outDir',
    temp,
    '--emptyOutDir',
    '--logLevel',
    quiet ? 'warn' : 'info',
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (result.status !== 0) {
  rmSync(temp, { recursive: true, force: true });
  process.stderr.write('folio: the admin panel build failed\n');
  process.exit(1);
}
const old = `${dist}.old-${process.pid}`;
if (existsSync(dist)) renameSync(dist, old);
renameSync(temp, dist);
rmSync(old, { recursive: true, force: true });
