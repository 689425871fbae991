// Locales (Settings › Locales, GET /api/i18n/locales): the languages localized content may be
// written in. A write in a locale nobody configured is refused, so a typo never starts a new one.
import { beforeAll, expect, it } from '@jest/globals';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase, testEnv } from '../helpers/folio.js';
import { runCli } from '../helpers/process.js';
import { applyTestSchema } from '../helpers/schema.js';

const SCHEMA = {
  contentTypes: {
    page: {
      kind: 'collectionType',
      info: { singularName: 'page', pluralName: 'pages', displayName: 'Page' },
      options: { draftAndPublish: false },
      pluginOptions: { i18n: { localized: true } },
      attributes: { title: { type: 'string' } },
    },
  },
  components: {},
} as const;

describeEachDatabase('locales', (t) => {
  let admin: AdminSession;
  let editor: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, SCHEMA);
    admin = await signedIn(t(), ['super-admin']);
    editor = await signedIn(t(), ['editor']);
  });

  it('starts with English, the default, listed to sites as Strapi lists them', async () => {
    const res = await t().http().get('/api/i18n/locales');
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual(expect.objectContaining({ code: 'en', name: 'English (en)', isDefault: true }));
    expect(res.body.map((l: { code: string }) => l.code)).toEqual(['en', 'de', 'fr']); // the fixtures add de and fr
  });

  it('refuses a write in a locale that is not configured, naming it', async () => {
    const res = await t()
      .folio.documents.create('page', { data: { title: 'Ciao' }, locale: 'it' })
      .catch((err: Error) => err);
    expect(res).toMatchObject({ name: 'ValidationError', message: expect.stringContaining('"it" is not configured') });
    expect(await t().db('pages').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('a Super Admin adds a locale; then content can be written in it', async () => {
    const res = await admin.post('/admin-api/locales', { code: 'it', name: 'Italian (it)' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ code: 'it', isDefault: false });
    const page = await t().folio.documents.create('page', { data: { title: 'Ciao' }, locale: 'it' });
    expect(page.locale).toBe('it');
  });

  it('refuses malformed and duplicate codes with the path', async () => {
    for (const code of ['Italian', 'i', 'it_IT', 'it']) {
      const res = await admin.post('/admin-api/locales', { code });
      expect([code, res.status, res.body.error.details.errors?.[0]?.path]).toEqual([code, 400, ['code']]);
    }
  });

  it('lets any admin read the list, and only settings managers change it', async () => {
    expect((await editor.get('/admin-api/locales')).body.data.map((l: { code: string }) => l.code)).toEqual([
      'en',
      'de',
      'fr',
      'it',
    ]);
    expect((await editor.post('/admin-api/locales', { code: 'nl' })).status).toBe(403);
    const it_ = (await admin.get('/admin-api/locales')).body.data.find((l: { code: string }) => l.code === 'it');
    expect((await editor.delete(`/admin-api/locales/${it_.id}`)).status).toBe(403);
  });

  it('keeps a locale entries are written in, and the default one', async () => {
    const list = (await admin.get('/admin-api/locales')).body.data as Array<{ id: number; code: string }>;
    const it_ = list.find((l) => l.code === 'it')!;
    const en = list.find((l) => l.code === 'en')!;
    const inUse = await admin.delete(`/admin-api/locales/${it_.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toContain('1 Page');
    expect((await admin.delete(`/admin-api/locales/${en.id}`)).status).toBe(400);

    await t().db('pages').where('locale', 'it').delete();
    expect((await admin.delete(`/admin-api/locales/${it_.id}`)).status).toBe(200);
    expect((await t().http().get('/api/i18n/locales')).body.map((l: { code: string }) => l.code)).toEqual([
      'en',
      'de',
      'fr',
    ]);
  });

  it('is managed from the CLI too, with one-line errors', async () => {
    const env = testEnv(t().database.url);
    expect(await runCli(['locales', 'add', 'nl', '--name', 'Dutch (nl)'], env)).toMatchObject({
      code: 0,
      stdout: 'Added the locale nl (Dutch (nl))\n',
    });
    expect((await t().folio.locales.list()).map((l) => l.code)).toContain('nl');
    const bad = await runCli(['locales', 'add', 'Dutch'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(await runCli(['locales', 'remove', 'nl'], env)).toMatchObject({
      code: 0,
      stdout: 'Removed the locale nl\n',
    });
  });

  it('refuses a locale update with nothing to change, or one that unsets the default', async () => {
    const en = ((await admin.get('/admin-api/locales')).body.data as Array<{ id: number; code: string }>).find(
      (l) => l.code === 'en',
    )!;
    expect((await admin.put(`/admin-api/locales/${en.id}`, {})).status).toBe(400);
    const unset = await admin.put(`/admin-api/locales/${en.id}`, { isDefault: false });
    expect([unset.status, unset.body.error.details.errors[0].path]).toEqual([400, ['isDefault']]);
    expect((await t().folio.locales.list())[0]).toMatchObject({ code: 'en', isDefault: true });
  });

  it('makes another locale the default: reads and writes without ?locale= use it, and the old one may go', async () => {
    await t().folio.access.grantPublic(['page.find']);
    await t().db('pages').delete();
    await t().folio.documents.create('page', { data: { title: 'Hello' } });
    await t().folio.documents.create('page', { data: { title: 'Bonjour' }, locale: 'fr' });
    const titles = async () =>
      ((await t().http().get('/api/pages')).body.data as Array<{ title: string }>).map((p) => p.title);
    expect(await titles()).toEqual(['Hello']);

    const list = (await admin.get('/admin-api/locales')).body.data as Array<{ id: number; code: string }>;
    const fr = list.find((l) => l.code === 'fr')!;
    const en = list.find((l) => l.code === 'en')!;
    expect((await editor.put(`/admin-api/locales/${fr.id}`, { isDefault: true })).status).toBe(403);
    const res = await admin.put(`/admin-api/locales/${fr.id}`, { isDefault: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ code: 'fr', isDefault: true });
    expect(
      (await t().http().get('/api/i18n/locales')).body.map((l: { code: string; isDefault: boolean }) => [
        l.code,
        l.isDefault,
      ]),
    ).toEqual([
      ['fr', true],
      ['de', false],
      ['en', false],
    ]);

    // The response read before is not served again (the response cache was dropped with the change).
    expect(await titles()).toEqual(['Bonjour']);
    expect((await t().folio.documents.create('page', { data: { title: 'Salut' } })).locale).toBe('fr');
    expect((await admin.delete(`/admin-api/locales/${fr.id}`)).status).toBe(400);
    await t().db('pages').where('locale', 'en').delete();
    expect((await admin.delete(`/admin-api/locales/${en.id}`)).status).toBe(200);
  });
});
