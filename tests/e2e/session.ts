// Steps many e2e stories share: signing in and out through the dashboard's own forms, and waiting
// for a state of the page that no single element announces.
import type { Page } from 'playwright-core';

/** Waits for a condition on the page's state (checked every 100 ms, 10 s at most). */
export async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the page never reached the expected state');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Signs in on the sign-in page shown, and waits for the dashboard. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Profile' }).waitFor();
}

/** Signs out from the user menu, and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Profile' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/admin\/login$/);
}
