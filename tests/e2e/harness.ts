// End-to-end harness: the real server (`npm start` on a fresh SQLite database) and Debian's
// Chromium driven by playwright-core, with a fresh profile per run. Every page a test reaches is
// screenshotted in memory; when the test fails they are written to tests/e2e/screenshots/<test>/
// (always, with E2E_SCREENSHOTS=always), along with the page as it was at the failure.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, it } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { RUN_DIR } from '../helpers/env.js';
import { testEnv } from '../helpers/folio.js';
import { ROOT, serverCommand, startServerProcess, type ServerProcess } from '../helpers/process.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(ROOT, 'tests', 'e2e', 'screenshots');
const ADMIN = path.join(ROOT, 'admin');
const DIST_INDEX = path.join(ADMIN, 'dist', 'index.html');

function newestMtime(entry: string): number {
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** Is admin/dist missing or older than any of the admin's sources? */
export function adminBuildStale(): boolean {
  if (!existsSync(DIST_INDEX)) return true;
  const built = statSync(DIST_INDEX).mtimeMs;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json']
    .map((p) => path.join(ADMIN, p))
    .filter(existsSync);
  return sources.some((p) => newestMtime(p) > built);
}

/** Builds the admin once when it is missing or stale; concurrent callers wait for one build. */
export async function ensureAdminBuilt(): Promise<void> {
  const lock = path.join(os.tmpdir(), 'folio-admin-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      // Another worker is building; a lock older than the deadline is a leftover of a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`the admin build lock ${lock} was not released`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!adminBuildStale()) return;
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-admin.mjs'), '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`the admin build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Opens a list's create form through that list's own Create link: right after a menu click the
 * previous page (with a Create link of its own) can still be on screen while the list loads.
 */
export async function openCreateForm(page: Page, listPath: string): Promise<void> {
  await page.locator(`a[href="/admin/${listPath}/create"]`).click();
  await page.waitForURL(new RegExp(`/admin/${listPath}/create$`));
}

export interface E2EContext {
  server: ServerProcess;
  database: TestDatabase;
  browser: BrowserContext;
  page: Page;
  /** An absolute URL on the server under test. */
  url: (pathname: string) => string;
  /** Records a screenshot of the page as it is now, under this label. */
  visited: (label: string) => Promise<void>;
  /** Console messages and page errors seen so far. */
  console: { type: string; text: string }[];
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/**
 * Starts a server on a fresh SQLite database and one browser for the tests of the calling file
 * (which run in order, as one user's story). Returns the context getter and an `it` that keeps
 * screenshots of the pages visited when the test fails.
 */
export function useE2E(options: { colorScheme?: 'light' | 'dark'; env?: Record<string, string> } = {}) {
  let current: E2EContext | undefined;
  let shots: { label: string; png: Buffer }[] = [];

  beforeAll(async () => {
    await ensureAdminBuilt();
    const database = await createTestDatabase('sqlite');
    const server = await startServerProcess(testEnv(database.url, options.env ?? {}), serverCommand());
    const profile = mkdtempSync(path.join(RUN_DIR || os.tmpdir(), 'chromium-'));
    let browser: BrowserContext;
    try {
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 800 },
        colorScheme: options.colorScheme ?? 'light',
        locale: 'en-US',
      });
    } catch (err) {
      server.kill();
      throw err;
    }
    const page = browser.pages()[0] ?? (await browser.newPage());
    const consoleLog: { type: string; text: string }[] = [];
    page.on('console', (m) => consoleLog.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => consoleLog.push({ type: 'pageerror', text: e.message }));
    current = {
      server,
      database,
      browser,
      page,
      console: consoleLog,
      url: (pathname) => `${server.url}${pathname}`,
      async visited(label) {
        shots.push({ label, png: await page.screenshot({ fullPage: true }) });
      },
    };
  }, 180_000);

  afterAll(async () => {
    await current?.browser.close().catch(() => undefined);
    await current?.server.stop();
    await current?.database.drop();
  });

  function get(): E2EContext {
    if (!current) throw new Error('the e2e server and browser are not started yet');
    return current;
  }

  function test(name: string, body: (ctx: E2EContext) => Promise<void>, timeout?: number): void {
    it(
      name,
      async () => {
        shots = [];
        let failed = true;
        try {
          await body(get());
          failed = false;
        } finally {
          // The test's own error propagates from here unchanged; the screenshots are kept on the way out.
          if (failed) {
            try {
              shots.push({ label: 'at-failure', png: await get().page.screenshot({ fullPage: true }) });
            } catch {
              // the browser itself is gone: keep what was recorded
            }
          }
          if (failed || process.env.E2E_SCREENSHOTS === 'always') {
            const dir = path.join(SCREENSHOT_DIR, slug(name));
            rmSync(dir, { recursive: true, force: true });
            mkdirSync(dir, { recursive: true });
            shots.forEach((s, i) =>
              writeFileSync(path.join(dir, `${String(i + 1).padStart(2, '0')}-${slug(s.label)}.png`), s.png),
            );
          }
        }
      },
      timeout,
    );
  }

  return { get, test };
}
