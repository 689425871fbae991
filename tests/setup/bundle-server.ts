// Once per test run: bundle the server and the CLI into plain JavaScript for the tests that spawn
// them. Through tsx every spawned process transpiled and loaded ~300 modules anew (about 2 s each);
// the bundle loads in about half that, and the suite spawns the CLI and the server a few hundred
// times. Dependencies stay external, so they resolve from node_modules exactly as from the sources.
// The bundle lives inside the project (under node_modules/.cache) because the server finds its
// project root by walking up from its own file.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Builds `cli.mjs` and `index.mjs` for this run; answers the folder holding them. */
export async function bundleServer(runId: string): Promise<string> {
  const outdir = path.join(ROOT, 'node_modules', '.cache', 'folio-tests', runId);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'server', 'cli.ts'), path.join(ROOT, 'server', 'index.ts')],
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outdir;
}
