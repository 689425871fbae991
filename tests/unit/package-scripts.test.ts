// `npm start` (sources, through tsx) and `npm run serve` (the compiled server) are one server run two
// ways: the bench measures `serve`, and its figures hold for `start` only if node gets the same flags.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import { ROOT } from '../helpers/process.js';

const scripts = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const nodeFlags = (script: string) => script.split(/\s+/).filter((word) => word.startsWith('--'));

it('npm start and npm run serve give node the same flags', () => {
  expect(nodeFlags(scripts.serve)).toEqual(nodeFlags(scripts.start));
  expect(nodeFlags(scripts.start)).toContain('--max-semi-space-size=32');
});
