// The project root: the nearest folder above this file with a package.json. The same answer from the
// sources (server/) and from the compiled server (dist/server/), which sit at different depths.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above server/)');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot();
