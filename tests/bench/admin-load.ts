// A1: the dashboard's cold load for a signed-out visitor, as a new browser sees it. Each load gets a
// fresh Chromium context (no cache, no cookies: a cold profile) and opens /admin, where the sign-in
// form must appear. Measured in the page: the moment the password field is first on screen, from the
// navigation's start (performance.now()), so the bench's own round trips to the browser don't count.
// Also counted: the script bytes as transferred (compressed by the server) and as run, the requests,
// the answers ≥ 400 and the console errors — a signed-out visit should log none.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface AdminLoadFigure {
  path: string;
  /** Milliseconds from navigation start to the sign-in form on screen, one per cold load. */
  signInMs: number[];
  /** Script bytes as transferred (compressed) and as decoded, for one load. */
  scriptTransferred: number;
  scriptDecoded: number;
  requests: number;
  failedRequests: number;
  consoleErrors: string[];
}

/**
 * Installed before any of the page's scripts (a string: it runs in the page, not in Node): records
 * when the password field is first on screen.
 */
const WATCH_FOR_SIGN_IN_FORM = `(() => {
  const seen = () => {
    const field = document.querySelector('input[type="password"]');
    if (!field || field.getClientRects().length === 0) return false;
    window.folioSignInAt = performance.now();
    return true;
  };
  new MutationObserver((records, observer) => {
    if (seen()) observer.disconnect();
  }).observe(document, { childList: true, subtree: true, attributes: true });
})()`;

interface OneLoad {
  ms: number;
  scriptTransferred: number;
  scriptDecoded: number;
  requests: number;
  failedRequests: number;
  consoleErrors: string[];
}

async function scriptSizes(page: Page, track: () => Promise<void>): Promise<{ transferred: number; decoded: number }> {
  const pending: Array<Promise<{ transferred: number; decoded: number }>> = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      Promise.all([response.request().sizes(), response.body()]).then(([sizes, body]) => ({
        transferred: sizes.responseBodySize,
        decoded: body.length,
      })),
    );
  });
  await track();
  const sizes = await Promise.all(pending);
  return sizes.reduce(
    (sum, s) => ({ transferred: sum.transferred + s.transferred, decoded: sum.decoded + s.decoded }),
    {
      transferred: 0,
      decoded: 0,
    },
  );
}

async function loadOnce(browser: Browser, url: string): Promise<OneLoad> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(WATCH_FOR_SIGN_IN_FORM);
    let requests = 0;
    let failedRequests = 0;
    const consoleErrors: string[] = [];
    page.on('request', () => (requests += 1));
    page.on('requestfailed', () => (failedRequests += 1));
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests += 1;
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const sizes = await scriptSizes(page, async () => {
      await page.goto(url);
      await page
        .waitForFunction(() => 'folioSignInAt' in globalThis, undefined, { timeout: 30_000 })
        .catch(async (err) => {
          const text = (await page.locator('body').innerText()).slice(0, 300);
          throw new Error(
            `no sign-in form at ${page.url()} (page: ${JSON.stringify(text)}): ${(err as Error).message}`,
          );
        });
      // Whatever the page still asks for once the form shows (a session probe, late chunks) counts too.
      await page.waitForLoadState('networkidle');
    });
    const ms = await page.evaluate(() => (globalThis as unknown as { folioSignInAt: number }).folioSignInAt);
    return {
      ms,
      scriptTransferred: sizes.transferred,
      scriptDecoded: sizes.decoded,
      requests,
      failedRequests,
      consoleErrors,
    };
  } finally {
    await context.close();
  }
}

/** `runs` cold loads of each path (the first load of all, warming the server's compressed assets, is dropped). */
export async function measureAdminLoad(
  base: string,
  runs: number,
  paths = ['/admin', '/admin/login'],
): Promise<AdminLoadFigure[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    await loadOnce(browser, `${base}${paths[0]}`);
    const figures: AdminLoadFigure[] = [];
    for (const path of paths) {
      const loads: OneLoad[] = [];
      for (let run = 0; run < runs; run++) loads.push(await loadOnce(browser, `${base}${path}`));
      const last = loads[loads.length - 1];
      figures.push({
        path,
        signInMs: loads.map((l) => Math.round(l.ms)),
        scriptTransferred: last.scriptTransferred,
        scriptDecoded: last.scriptDecoded,
        requests: last.requests,
        failedRequests: last.failedRequests,
        consoleErrors: last.consoleErrors,
      });
    }
    return figures;
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** One line per path: median and range of the sign-in time, script sizes, requests and errors. */
export function adminLoadTable(figures: AdminLoadFigure[], label = ''): string {
  const lines = [
    `A1 — dashboard cold load, signed out${label ? ` (${label})` : ''}`,
    'path          sign-in form (median, range)   script transferred / decoded   requests  failed  console errors',
  ];
  for (const f of figures) {
    const range = `${Math.min(...f.signInMs)}–${Math.max(...f.signInMs)}`;
    lines.push(
      `${f.path.padEnd(13)} ${`${median(f.signInMs)} ms (${range})`.padEnd(30)} ` +
        `${`${kb(f.scriptTransferred)} / ${kb(f.scriptDecoded)}`.padEnd(30)} ` +
        `${String(f.requests).padEnd(9)} ${String(f.failedRequests).padEnd(7)} ${f.consoleErrors.length}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
