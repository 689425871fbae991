// The dashboard's shell in a real browser, as the first person to open a brand-new Folio lives it:
// the admin loads, the first administrator registers and lands on Home, signs out, signs in again,
// and switches between the light and dark themes. The tests run in order, one story.
import { describe, expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { openCreateForm, useE2E } from './harness.js';

const { test } = useE2E();

let invitationPath = '';

const ADA = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

// Evaluated in the page (the test's own TypeScript has no DOM types): the page background's luminance.
const BACKGROUND_LUMINANCE = `(() => {
  const [r, g, b] = (getComputedStyle(document.body).backgroundColor.match(/\\d+/g) || []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
})()`;

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the admin shell in Chromium', () => {
  test('the admin page loads from / and, on a new install, asks for the first administrator', async ({
    page,
    url,
    visited,
    console,
  }) => {
    const response = await page.goto(url('/'));
    expect(response?.status()).toBe(200);
    await page.waitForURL(/\/admin\/register$/);
    await page.getByRole('heading', { name: 'Welcome to Folio' }).waitFor();
    await visited('registration');
    expect(await page.title()).toContain('Folio');
    // The built app runs under the server's Content-Security-Policy without a violation.
    expect(console.filter((m) => /Content Security Policy|Refused to/i.test(m.text))).toEqual([]);
    expect(console.filter((m) => m.type === 'pageerror')).toEqual([]);
  });

  test('first-run registration creates the Super Admin and lands on the dashboard', async ({ page, url, visited }) => {
    await page.getByLabel(/^First name/).fill(ADA.firstname);
    await page.getByLabel(/^Last name/).fill(ADA.lastname);
    await page.getByLabel(/^Email/).fill(ADA.email);
    await page.getByLabel(/^Password/).fill(ADA.password);
    await page.getByLabel(/^Confirm password/).fill(ADA.password);
    await visited('registration filled in');
    await page.getByRole('button', { name: "Let's start" }).click();

    await page.getByRole('heading', { name: `Hello, ${ADA.firstname} ${ADA.lastname}` }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/?$/);
    await page.getByText(/Running on SQLite/).waitFor();
    await visited('dashboard');

    const me = await page.request.get(url('/admin-api/auth/me'));
    expect(me.status()).toBe(200);
    const { data } = (await me.json()) as { data: { user: { email: string; roles: { code: string }[] } } };
    expect(data.user.email).toBe(ADA.email);
    expect(data.user.roles.map((r) => r.code)).toEqual(['super-admin']);
    const registration = await (await fetch(url('/admin-api/auth/registration'))).json();
    expect(registration).toEqual({ data: { open: false } });
  });

  test('logging out ends the session and shows the sign-in page', async ({ page, url, visited }) => {
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login$/);
    await page.getByRole('heading', { name: 'Sign in to Folio' }).waitFor();
    await visited('signed out');

    expect((await page.request.get(url('/admin-api/auth/me'))).status()).toBe(401);
    await page.goto(url('/admin/'));
    await page.waitForURL(/\/admin\/login$/);
  });

  test('the registration page only points to sign in once an administrator exists', async ({ page, url, visited }) => {
    await page.goto(url('/admin/register'));
    await page.getByText('An administrator already exists. Sign in instead.').waitFor();
    await visited('registration closed');
    expect(await page.getByLabel(/^First name/).count()).toBe(0);
    await page.getByRole('link', { name: 'Go to sign in' }).click();
    await page.waitForURL(/\/admin\/login$/);
  });

  test('a wrong password is refused with a message, and stays on the sign-in page', async ({ page, visited }) => {
    await signIn(page, ADA.email, 'not-the-password');
    await page.getByText('Wrong email or password.').waitFor();
    await visited('wrong password');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });

  test('logging in with the right password lands on the dashboard, and the session survives a reload', async ({
    page,
    visited,
  }) => {
    await signIn(page, ADA.email, ADA.password);
    await page.getByRole('heading', { name: `Hello, ${ADA.firstname} ${ADA.lastname}` }).waitFor();
    await visited('signed in');
    await page.reload();
    await page.getByRole('heading', { name: `Hello, ${ADA.firstname} ${ADA.lastname}` }).waitFor();
  });

  test('a signed-out deep link shows the sign-in form after one probe, logs no error, and returns there', async ({
    page,
    url,
    visited,
    console,
  }) => {
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login$/);
    // A new visit: the signed-out dashboard's own late requests (is registration open?) end with it.
    await page.goto('about:blank');
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/admin-api/')) apiCalls.push(`${request.method()} ${pathname}`);
    });
    const logged = console.length;

    await page.goto(url('/admin/users'));
    await page.getByRole('heading', { name: 'Sign in to Folio' }).waitFor();
    await visited('signed-out deep link');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(apiCalls).toEqual(['GET /admin-api/auth/session']);
    expect(console.slice(logged).filter((m) => m.type === 'error' || m.type === 'pageerror')).toEqual([]);

    await signIn(page, ADA.email, ADA.password);
    await page.waitForURL(/\/admin\/users$/);
    await page.getByRole('row').filter({ hasText: ADA.email }).waitFor();
  });

  test('Settings lists the administrators, with the Super Admin and their role', async ({ page, visited }) => {
    await page.getByRole('menuitem', { name: 'Administrators' }).click();
    await page.waitForURL(/\/admin\/users$/);
    const row = page.getByRole('row').filter({ hasText: ADA.email });
    await row.waitFor();
    expect(await row.textContent()).toContain('Super Admin');
    await visited('administrators');
  });

  test("pages are titled in editors' words: a record by its name, a new one as New <thing>", async ({
    page,
    url,
    visited,
  }) => {
    await page.getByRole('row').filter({ hasText: ADA.email }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    const title = page.locator('#react-admin-title');
    await title.getByText(`${ADA.firstname} ${ADA.lastname}`, { exact: true }).waitFor();
    await visited('administrator titled by name');
    expect(await title.textContent()).not.toMatch(/#\d/);
    await page.goto(url('/admin/api-tokens/create'));
    await title.getByText('New API token', { exact: true }).waitFor();
    await page.goto(url('/admin/users'));
  });

  test('an invited administrator appears in the list, with the invitation link shown once', async ({
    page,
    url,
    visited,
  }) => {
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel(/^Email/).fill('grace@example.com');
    await page.getByLabel(/^First name/).fill('Grace');
    await page.getByLabel(/^Last name/).fill('Hopper');
    await page.getByLabel(/^Roles/).click();
    await page.getByRole('option', { name: 'Editor' }).click();
    await page.keyboard.press('Escape');
    await visited('invite form');
    await page.getByRole('button', { name: 'Save' }).click();
    // The new administrator's page shows the link to copy (it is never shown again).
    const field = page.getByLabel('Invitation link');
    await field.waitFor();
    const link = new URL(await field.inputValue());
    expect(link.pathname).toBe('/admin/auth/accept-invitation');
    invitationPath = `${link.pathname}${link.search}`;
    await visited('invited');
    await page.getByRole('menuitem', { name: 'Administrators' }).click();
    await page.getByRole('row').filter({ hasText: 'grace@example.com' }).waitFor();

    const list = (await (await page.request.get(url('/admin-api/users?q=grace'))).json()) as {
      data: { email: string; registered: boolean; roles: { name: string }[] }[];
    };
    expect(list.data).toEqual([
      expect.objectContaining({
        email: 'grace@example.com',
        registered: false,
        roles: [expect.objectContaining({ name: 'Editor' })],
      }),
    ]);
  });

  test('a new API token is shown once, and works on the Content API', async ({ page, url, visited }) => {
    await page.getByRole('menuitem', { name: 'API tokens' }).click();
    await page.waitForURL(/\/admin\/api-tokens$/);
    await openCreateForm(page, 'api-tokens');
    await page.getByLabel(/^Name/).fill('Website');
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your new API token' });
    await dialog.waitFor();
    const token = await dialog.getByLabel('Token').inputValue();
    expect(token).toMatch(/^folio_/);
    await visited('token shown once');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row').filter({ hasText: 'Website' }).waitFor();
    await visited('tokens');

    // A valid token is accepted where an unknown one is refused.
    const withToken = await fetch(url('/api/unknown-type'), { headers: { Authorization: `Bearer ${token}` } });
    expect(withToken.status).not.toBe(401);
    const forged = await fetch(url('/api/unknown-type'), { headers: { Authorization: 'Bearer folio_forged' } });
    expect(forged.status).toBe(401);
  });

  test(
    'the invited administrator chooses a password, is ' + 'signed in, and sees only what the Editor role may open',
    async ({ page, url, visited }) => {
      await page.getByRole('button', { name: 'Profile' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.waitForURL(/\/admin\/login$/);

      await page.goto(url(invitationPath));
      await page.getByText('You have been invited as grace@example.com').waitFor();
      expect(await page.getByLabel(/^First name/).inputValue()).toBe('Grace');
      await page.getByLabel(/^Password/).fill('compiler-1952');
      await page.getByLabel(/^Confirm password/).fill('compiler-1952');
      await visited('invitation');
      await page.getByRole('button', { name: 'Join' }).click();

      await page.getByRole('heading', { name: 'Hello, Grace Hopper' }).waitFor();
      await page.getByRole('menuitem', { name: 'Home' }).waitFor();
      await visited('editor home');
      for (const entry of ['Administrators', 'Roles', 'API tokens', 'Audit log', 'Backups']) {
        expect(await page.getByRole('menuitem', { name: entry }).count()).toBe(0);
      }
      expect((await page.request.get(url('/admin-api/users'))).status()).toBe(403);
    },
  );

  test('the theme toggle switches between the light and the dark theme', async ({ page, visited }) => {
    expect(await page.evaluate(BACKGROUND_LUMINANCE)).toBeGreaterThan(0.8);
    await page.getByRole('button', { name: 'Switch between light and dark' }).click();
    await page.waitForFunction(`${BACKGROUND_LUMINANCE} < 0.2`);
    await visited('dark theme');
    await page.getByRole('button', { name: 'Switch between light and dark' }).click();
    await page.waitForFunction(`${BACKGROUND_LUMINANCE} > 0.8`);
  });
});
