// Steps the Content-Type Builder's stories share, and the stories that set up their types through
// the builder's API: the first Super Admin registered through the dashboard's own form, Admin API
// calls as the signed-in page, a type's page in the builder, a field added through its dialog, and
// the server's SQLite database read beside it.
import type { Locator, Page } from 'playwright-core';
import { createDatabase } from '../../server/db/connection.js';

export interface FirstAdmin {
  firstname: string;
  lastname: string;
  email: string;
  password: string;
}

/** Registers the first admin (the Super Admin) on /admin/register, and waits for the dashboard's greeting. */
export async function registerFirstAdmin(page: Page, url: (p: string) => string, admin: FirstAdmin): Promise<void> {
  await page.goto(url('/admin/register'));
  await page.getByLabel(/^First name/).fill(admin.firstname);
  await page.getByLabel(/^Last name/).fill(admin.lastname);
  await page.getByLabel(/^Email/).fill(admin.email);
  await page.getByLabel(/^Password/).fill(admin.password);
  await page.getByLabel(/^Confirm password/).fill(admin.password);
  await page.getByRole('button', { name: "Let's start" }).click();
  await page.getByRole('heading', { name: `Hello, ${admin.firstname} ${admin.lastname}` }).waitFor();
}

/** The Admin API as the signed-in page (its cookie), with the CSRF token the dashboard would send. */
export async function adminApi(
  page: Page,
  url: (p: string) => string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: object,
): Promise<{ status: number; json: unknown }> {
  const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
  const res = await page.request.fetch(url(path), {
    method,
    headers: { 'X-CSRF-Token': me.data.csrfToken },
    data: body,
  });
  return { status: res.status(), json: await res.json() };
}

/** Applies content types through the builder's API: the schema a story starts from, as after `schema apply`. */
export async function applyContentTypes(
  page: Page,
  url: (p: string) => string,
  contentTypes: Record<string, object>,
): Promise<void> {
  const { status, json } = await adminApi(page, url, 'POST', '/admin-api/content-type-builder/apply', { contentTypes });
  if (status !== 200) throw new Error(`the builder did not apply the types (${status}): ${JSON.stringify(json)}`);
}

/** The builder's page of one type or component: its buttons are looked up inside it, never on the page shown before. */
export function builderSection(page: Page, displayName: string): Locator {
  return page.getByRole('region', { name: displayName, exact: true });
}

/** Opens a type or component from the builder's side list, and waits until its page is the one shown. */
export async function openInBuilder(page: Page, displayName: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Content types and components' })
    .getByRole('link', { name: displayName, exact: true })
    .click();
  await builderSection(page, displayName).waitFor();
}

/**
 * Adds a field to a type or component shown in the builder through its "Add a field" dialog: its
 * name and type, then whatever `more` sets in the dialog; waits until the dialog has closed.
 */
export async function addField(
  page: Page,
  owner: string,
  field: { name: string; type: string },
  more: (dialog: Locator) => Promise<unknown> = () => Promise.resolve(),
): Promise<void> {
  await builderSection(page, owner).getByRole('button', { name: 'Add a field' }).click();
  const dialog = page.getByRole('dialog', { name: `Add a field to ${owner}` });
  await dialog.getByLabel('Name', { exact: true }).fill(field.name);
  await dialog.getByLabel('Type', { exact: true }).selectOption(field.type);
  await more(dialog);
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Runs `body` against the server's database (its own connection, closed after). */
export async function withDatabase<T>(
  databaseUrl: string,
  body: (db: ReturnType<typeof createDatabase>) => Promise<T>,
): Promise<T> {
  const db = createDatabase(databaseUrl);
  try {
    return await body(db);
  } finally {
    await db.destroy();
  }
}
