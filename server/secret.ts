// FOLIO_SECRET: taken from the environment, or generated once and kept in data/secret so that
// sessions and token digests survive a restart of a single instance. Several instances must share
// one secret, so they must set FOLIO_SECRET explicitly (README, "Scaling out").
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const DATA_DIR = path.resolve(process.cwd(), 'data');

export async function resolveSecret(configured: string | undefined, dataDir = DATA_DIR): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 32) return stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(48).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  // 'wx' fails if another process created it in the meantime; then theirs wins.
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw err;
  }
}
