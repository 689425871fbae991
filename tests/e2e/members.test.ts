// Settings › Members in Chromium: an admin closes registration and a site's sign-up is refused,
// and turns GitHub sign-in on with a secret the page never shows back; rewrites the confirmation mail;
// ticks a type for Authenticated members, whose JWT then reads it, and limits an update to the
// member's own entries; is asked before leaving with a tick unsaved, which Undo takes back; finds a
// member by its name and blocks it, and the member's JWT is refused at once. Then, in Settings ›
// Public API, hides a field from anonymous readers that members see.
import { describe, expect } from '@jest/globals';
import { useE2E } from './harness.js';

const { test } = useE2E();

const ADMIN = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const SCHEMA_TYPE = {
  kind: 'collectionType',
  info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
  options: { draftAndPublish: false },
  attributes: { text: { type: 'string' } },
};
/** A type with an owner (docs/schema.md), for a member role's "update own". */
const COMMENT_TYPE = {
  kind: 'collectionType',
  info: { singularName: 'comment', pluralName: 'comments', displayName: 'Comment' },
  options: { draftAndPublish: false, owner: 'user' },
  attributes: {
    body: { type: 'text' },
    user: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
  },
};
const ARTICLE_TYPE = {
  kind: 'collectionType',
  info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
  options: { draftAndPublish: false },
  attributes: { title: { type: 'string' }, summary: { type: 'string' }, body: { type: 'text' } },
};

describe('Settings › Members in Chromium', () => {
  test('settings, a member role’s permissions and blocking a member', async ({ page, url, visited }) => {
    expect((await page.request.post(url('/admin-api/auth/register'), { data: ADMIN })).status()).toBe(201);
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const headers = { 'X-CSRF-Token': me.data.csrfToken };
    const applied = await page.request.post(url('/admin-api/content-type-builder/apply'), {
      headers,
      data: { contentTypes: { note: SCHEMA_TYPE, comment: COMMENT_TYPE, article: ARTICLE_TYPE } },
    });
    expect(applied.status()).toBe(200);
    const memberRoles = async () =>
      (
        (await (await page.request.get(url('/admin-api/member-roles'))).json()) as {
          data: { id: number; type: string; allow: string[] }[];
        }
      ).data.find((r) => r.type === 'authenticated')!;
    const signup = await page.request.post(url('/api/auth/local/register'), {
      data: { username: 'reader', email: 'reader@example.com', password: 'reader-pass-1' },
    });
    expect(signup.status()).toBe(200);
    const { jwt } = (await signup.json()) as { jwt: string };
    const bearer = { Authorization: `Bearer ${jwt}` };
    expect((await page.request.get(url('/api/notes'), { headers: bearer })).status()).toBe(403);

    await page.goto(url('/admin/members'));
    await page.getByRole('heading', { name: 'What members may do' }).waitFor();
    // Updating comments, on the member's own only (Details), and listing notes.
    await page.getByRole('checkbox', { name: 'Update Comment' }).check();
    await page.getByRole('button', { name: 'Details of Comment' }).click();
    await page
      .getByRole('group', { name: 'Update Comment' })
      .getByRole('checkbox', { name: 'Only the member’s own entries' })
      .check();
    await page.getByRole('checkbox', { name: 'List Note' }).check();
    await page.getByRole('button', { name: 'Save permissions' }).click();
    await page.getByText('Member role permissions saved').waitFor();
    expect((await memberRoles()).allow.sort()).toEqual(['comment.update:own', 'note.find']);
    expect((await page.request.get(url('/api/notes'), { headers: bearer })).status()).toBe(200);
    // Read again, the owner permission shows granted, restricted and marked on its cell.
    await page.reload();
    expect(await page.getByRole('checkbox', { name: 'Update Comment' }).isChecked()).toBe(true);
    const commentRow = page.getByRole('row', { name: /Comment/ });
    await commentRow.getByText('restricted').waitFor();
    await commentRow.getByText('own only').waitFor();
    await page.getByRole('button', { name: 'Details of Comment' }).click();
    const ownOnly = page
      .getByRole('group', { name: 'Update Comment' })
      .getByRole('checkbox', { name: 'Only the member’s own entries' });
    expect(await ownOnly.isChecked()).toBe(true);
    // An unsaved tick: leaving by the menu asks first and stays; Undo shows the saved list again.
    await page.getByRole('checkbox', { name: 'Delete Note' }).check();
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      }),
    );
    await page.getByRole('menuitem', { name: 'Public API' }).click();
    expect(await asked).toBe('Your changes are not saved yet. Leave this page anyway?');
    expect(new URL(page.url()).pathname).toBe('/admin/members');
    await page.getByRole('button', { name: 'Undo changes' }).click();
    await page.getByRole('checkbox', { name: 'Delete Note', checked: false }).waitFor();
    await page.getByRole('button', { name: 'Save permissions', disabled: true }).waitFor();
    expect((await memberRoles()).allow.sort()).toEqual(['comment.update:own', 'note.find']);

    await page.getByLabel('Registration is open').uncheck();
    await page.getByLabel('Sign in with GitHub').check();
    await page.getByLabel('GitHub client ID').fill('gh-client');
    await page.getByLabel('GitHub client secret').fill('gh-secret-value');
    await page.getByLabel('GitHub: the site page the sign-in returns to (URL)').fill('https://site.example/done');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Members settings saved').waitFor();
    // The secret is stored but never comes back; GitHub sign-in now starts (a redirect to GitHub).
    await page.getByText('A secret is stored (never shown); leave empty to keep it').waitFor();
    expect(await page.getByLabel('GitHub client secret').inputValue()).toBe('');
    const settings = await (await page.request.get(url('/admin-api/member-settings'))).text();
    expect(settings).not.toContain('gh-secret-value');
    const connect = await page.request.get(url('/api/connect/github'), { maxRedirects: 0 });
    expect(connect.status()).toBe(302);
    expect(connect.headers().location).toMatch(
      /^https:\/\/github\.com\/login\/oauth\/authorize\?.*client_id=gh-client/,
    );
    const closed = await page.request.post(url('/api/auth/local/register'), {
      data: { username: 'late', email: 'late@example.com', password: 'reader-pass-1' },
    });
    expect(((await closed.json()) as { error: { message: string } }).error.message).toBe(
      'Register action is currently disabled',
    );

    // The confirmation mail, rewritten in its own card; the server keeps the admin's version.
    await page.getByLabel('Subject').fill('Welcome, <%= USER.username %>');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Email template saved').waitFor();
    await page.getByRole('button', { name: 'Use the built-in mail' }).waitFor();
    const templates = (await (await page.request.get(url('/admin-api/member-settings/email-templates'))).json()) as {
      data: { emailConfirmation: { custom: boolean; subject: string } };
    };
    expect(templates.data.emailConfirmation).toMatchObject({ custom: true, subject: 'Welcome, <%= USER.username %>' });

    await page.getByLabel('Search by username or email').fill('read');
    await page.getByRole('button', { name: 'Block reader' }).click();
    await page.getByRole('button', { name: 'Unblock reader' }).waitFor();
    await visited('member blocked');
    expect((await page.request.get(url('/api/notes'), { headers: bearer })).status()).toBe(401);
  });
  // Needs the Content API's read path for member field allowlists (h/fields).
  test('the Public role hides a field from anonymous readers that Authenticated members see', async ({
    page,
    url,
    visited,
  }) => {
    const me = (await (await page.request.get(url('/admin-api/auth/me'))).json()) as { data: { csrfToken: string } };
    const headers = { 'X-CSRF-Token': me.data.csrfToken };
    const article = { title: 'Open letter', summary: 'For everyone', body: 'For members only' };
    expect((await page.request.post(url('/admin-api/content/article'), { headers, data: article })).status()).toBe(201);

    await page.goto(url('/admin/public-api'));
    for (const action of ['List', 'Read one']) await page.getByRole('checkbox', { name: `${action} Article` }).check();
    await page.getByRole('button', { name: 'Details of Article' }).click();
    for (const action of ['List', 'Read one']) {
      await page.getByRole('combobox', { name: `${action} Article: only these fields` }).click();
      for (const field of ['summary', 'title']) await page.getByRole('option', { name: field, exact: true }).click();
      await page.keyboard.press('Escape');
    }
    await page
      .getByRole('row', { name: /Article/ })
      .getByText('2 of 3 fields')
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Public API permissions saved').waitFor();
    await visited('public fields limited');
    const publicAllow = (await (await page.request.get(url('/admin-api/public-permissions'))).json()) as {
      data: { allow: string[] };
    };
    expect(publicAllow.data.allow).toEqual(['article.find(title,summary)', 'article.findOne(title,summary)']);

    // Authenticated members list articles with every field.
    await page.goto(url('/admin/members'));
    await page.getByRole('checkbox', { name: 'List Article' }).check();
    await page.getByRole('button', { name: 'Save permissions' }).click();
    await page.getByText('Member role permissions saved').waitFor();
    const [reader] = (
      (await (await page.request.get(url('/admin-api/members?q=reader'))).json()) as {
        data: { id: number }[];
      }
    ).data;
    expect(
      (await page.request.put(url(`/admin-api/members/${reader.id}`), { headers, data: { blocked: false } })).status(),
    ).toBe(200);
    const login = await fetch(url('/api/auth/local'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'reader', password: 'reader-pass-1' }),
    });
    const { jwt } = (await login.json()) as { jwt: string };

    type Articles = { data: Record<string, unknown>[] };
    const anonymous = (await (await fetch(url('/api/articles'))).json()) as Articles;
    expect(anonymous.data).toHaveLength(1);
    expect(anonymous.data[0]).toMatchObject({ title: 'Open letter', summary: 'For everyone' });
    expect(anonymous.data[0]).not.toHaveProperty('body');
    const member = (await (
      await fetch(url('/api/articles'), { headers: { Authorization: `Bearer ${jwt}` } })
    ).json()) as Articles;
    expect(member.data[0]).toMatchObject({ title: 'Open letter', body: 'For members only' });
  });
});
