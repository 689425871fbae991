// Preview (docs/content-api.md, "Preview tokens"): an editor asks for the site's preview URL of a
// draft; the short-lived preview token in it lets the site read that draft, and nothing else, through
// the Content API, next to API tokens in the same Authorization header.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applySchema, applyTestSchema } from '../helpers/schema.js';
import { deriveKey } from '../../server/auth/keys.js';
import type { SchemaDocument } from '../../server/schema/types.js';

const TEMPLATE = 'https://site.example/preview?slug={slug}&title={title}&locale={locale}&id={documentId}&token={token}';
const TTL_SECONDS = 120;

const schema: SchemaDocument = {
  ...blogSchema,
  contentTypes: {
    ...blogSchema.contentTypes,
    page: {
      ...blogSchema.contentTypes.page,
      options: { ...blogSchema.contentTypes.page.options, previewUrl: TEMPLATE },
    },
  },
};

describeEachDatabase(
  'preview tokens',
  (t) => {
    const P = '/admin-api/content/page';
    let editor: AdminSession;
    const ids: Record<string, string> = {};
    let preview: { url: string; token: string; expiresAt: string };

    const api = (path: string, token: string) => t().http().get(path).set('Authorization', `Bearer ${token}`);

    beforeAll(async () => {
      await applyTestSchema(t().folio, schema);
      editor = await signedIn(t(), ['editor']);
      for (const title of ['Café & crème #1', 'Other page', 'Hidden']) {
        const res = await editor.post(`${P}?locale=fr`, { title });
        expect(res.status).toBe(201);
        ids[title] = res.body.data.documentId as string;
      }
      const res = await editor.post(`${P}/${ids['Café & crème #1']}/preview?locale=fr`);
      expect(res.status).toBe(200);
      preview = res.body.data;
    });

    describe('the Admin API endpoint', () => {
      it('fills the template with the draft values, URL-encoded, and the token', () => {
        const url = new URL(preview.url);
        expect(url.origin + url.pathname).toBe('https://site.example/preview');
        expect(url.searchParams.get('title')).toBe('Café & crème #1');
        expect(url.searchParams.get('slug')).toBe('cafe-creme-1');
        expect(url.searchParams.get('locale')).toBe('fr');
        expect(url.searchParams.get('id')).toBe(ids['Café & crème #1']);
        expect(url.searchParams.get('token')).toBe(preview.token);
        expect(preview.url).toContain('title=Caf%C3%A9%20%26%20cr%C3%A8me%20%231&');
      });

      it('gives a token that expires after the configured lifetime', () => {
        const left = Date.parse(preview.expiresAt) - Date.now();
        expect(left).toBeGreaterThan((TTL_SECONDS - 10) * 1000);
        expect(left).toBeLessThanOrEqual(TTL_SECONDS * 1000);
      });

      it('is refused to a role that may not read the type (403) or the document (404)', async () => {
        const articlesOnly = await t().folio.access.createRole({ name: 'Articles only' });
        await t().folio.access.setPermissions(articlesOnly.id, [{ action: 'read', subject: 'article' }]);
        const other = await signedIn(t(), [articlesOnly.id]);
        expect((await other.post(`${P}/${ids.Hidden}/preview?locale=fr`)).status).toBe(403);
        const notHidden = await t().folio.access.createRole({ name: 'Not hidden' });
        await t().folio.access.setPermissions(notHidden.id, [
          { action: 'read', subject: 'page', conditions: { query: { title: { $ne: 'Hidden' } } } },
        ]);
        const reviewer = await signedIn(t(), [notHidden.id]);
        expect((await reviewer.post(`${P}/${ids.Hidden}/preview?locale=fr`)).status).toBe(404);
        expect((await reviewer.post(`${P}/${ids['Other page']}/preview?locale=fr`)).status).toBe(200);
      });

      it('tells the edit screen which types have a preview URL', async () => {
        const res = await editor.get('/admin-api/content/content-types');
        const byUid = new Map(res.body.data.contentTypes.map((c: { uid: string; preview: boolean }) => [c.uid, c]));
        expect(byUid.get('page')).toMatchObject({ preview: true });
        expect(byUid.get('article')).toMatchObject({ preview: false });
      });

      it('is refused (403) to a role that may read only some of the fields the token would show', async () => {
        const titleOnly = await t().folio.access.createRole({ name: 'Titles only' });
        await t().folio.access.setPermissions(titleOnly.id, [{ action: 'read', subject: 'page', fields: ['title'] }]);
        const reader = await signedIn(t(), [titleOnly.id]);
        const res = await reader.post(`${P}/${ids['Other page']}/preview?locale=fr`);
        expect([res.status, res.body.error.message]).toEqual([
          403,
          'A preview shows every field of the entry; you may not read slug',
        ]);
      });

      it('answers 400 for a type without a preview URL', async () => {
        const created = await editor.post('/admin-api/content/article', { title: 'No preview' });
        const res = await editor.post(`/admin-api/content/article/${created.body.data.documentId}/preview`);
        expect([res.status, res.body.error.name]).toEqual([400, 'ValidationError']);
      });
    });

    describe('the Content API with a preview token', () => {
      it('reads the draft, populate included, never to be cached', async () => {
        const id = ids['Café & crème #1'];
        const res = await api(`/api/pages/${id}?status=draft&locale=fr&populate=*`, preview.token);
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ documentId: id, title: 'Café & crème #1', locale: 'fr' });
        expect(res.headers['cache-control']).toBe('private, no-store');
      });

      it('lists that document alone', async () => {
        const res = await api('/api/pages?status=draft&locale=fr', preview.token);
        expect(res.status).toBe(200);
        expect(res.body.data.map((e: { documentId: string }) => e.documentId)).toEqual([ids['Café & crème #1']]);
        expect(res.headers['cache-control']).toBe('private, no-store');
      });

      it('is refused another document, locale or type with 401, as a token that does not open it', async () => {
        for (const path of [
          `/api/pages/${ids['Other page']}?status=draft&locale=fr`,
          `/api/pages/${ids['Café & crème #1']}?status=draft&locale=de`,
          '/api/articles?status=draft',
        ]) {
          const res = await api(path, preview.token);
          expect([path, res.status, res.body.error?.name]).toEqual([path, 401, 'UnauthorizedError']);
        }
      });

      it('answers 401 for an expired token', async () => {
        const scope = { uid: 'page', documentId: ids['Café & crème #1'], locale: 'fr' };
        const expired = await t().folio.previewTokens.issue(scope, Date.now() - (TTL_SECONDS + 5) * 1000);
        const res = await api(`/api/pages/${scope.documentId}?status=draft&locale=fr`, expired.token);
        expect([res.status, res.body.error.name]).toEqual([401, 'UnauthorizedError']);
      });

      it('answers 401 for a tampered token', async () => {
        const [header, payload, signature] = preview.token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        const forged = Buffer.from(JSON.stringify({ ...claims, documentId: ids.Hidden })).toString('base64url');
        const res = await api(`/api/pages/${ids.Hidden}?status=draft&locale=fr`, `${header}.${forged}.${signature}`);
        expect([res.status, res.body.error.name]).toEqual([401, 'UnauthorizedError']);
      });

      it('answers 401 for a token signed with the key of another purpose, or of another type', async () => {
        const claims = { typ: 'preview', uid: 'page', documentId: ids['Café & crème #1'], locale: 'fr' };
        const sign = (body: Record<string, unknown>, label: string) =>
          new SignJWT(body)
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer('folio')
            .setAudience('folio:content-api')
            .setExpirationTime('1h')
            .sign(deriveKey(t().folio.config.secret, label));
        const path = `/api/pages/${claims.documentId}?status=draft&locale=fr`;
        expect((await api(path, await sign(claims, 'folio member-token v1'))).status).toBe(401);
        expect((await api(path, await sign({ ...claims, typ: 'member' }, 'folio preview-token v1'))).status).toBe(401);
        // The same claims with the preview key: the signature, not the claims, made the difference.
        expect((await api(path, await sign(claims, 'folio preview-token v1'))).status).toBe(200);
      });
    });

    describe('next to API tokens', () => {
      it('leaves API tokens working, and a preview token never counts as one', async () => {
        const { token } = await t().folio.apiTokens.create({ name: 'site', type: 'full-access' });
        expect((await api('/api/articles?status=draft', token)).status).toBe(200);
        expect((await api(`/api/pages/${ids['Other page']}?status=draft&locale=fr`, token)).status).toBe(200);
        expect(await t().folio.apiTokens.resolve(preview.token)).toBeNull();
        expect((await api('/api/articles', preview.token)).status).toBe(401);
      });
    });

    // Last: these change the schema the tests above read.
    describe('the preview URL in the schema', () => {
      const withTemplate = (previewUrl: string): SchemaDocument => ({
        ...schema,
        contentTypes: {
          ...schema.contentTypes,
          page: { ...schema.contentTypes.page, options: { ...schema.contentTypes.page.options, previewUrl } },
        },
      });

      it('changes without touching a table, and the next preview uses it', async () => {
        const result = await applySchema(t().folio, withTemplate('https://other.example/p/{slug}?t={token}'));
        expect([result.applied, result.plan.documentChanged]).toEqual([[], true]);
        const res = await editor.post(`${P}/${ids['Café & crème #1']}/preview?locale=fr`);
        expect(res.body.data.url).toBe(`https://other.example/p/cafe-creme-1?t=${res.body.data.token}`);
      });

      it('is refused when it names an unknown field or is not an http(s) URL', async () => {
        for (const url of ['https://s.example/?x={nope}', 'ftp://s.example/{token}', '/preview?t={token}']) {
          await expect(applySchema(t().folio, withTemplate(url))).rejects.toMatchObject({ status: 400 });
        }
      });
    });
  },
  { PREVIEW_TOKEN_TTL: String(TTL_SECONDS) },
);
