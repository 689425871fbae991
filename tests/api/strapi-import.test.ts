// `folio import --from-strapi` (issue 25): a Strapi 5 export archive (tests/fixtures/strapi-export.ts,
// written to Strapi's data-transfer layout) imports with its documentIds, drafts and published
// versions, locales, components, dynamic zones, relations, media and Public permissions; the Content
// API then answers what Strapi answers for that data. Broken archives import nothing; a database
// holding content is refused without --replace. Both databases, in-process.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import { importStrapiArchive } from '../../server/strapi/import.js';
import { readMemberSettings } from '../../server/members/settings.js';
import { RUN_DIR } from '../helpers/env.js';
import { describeEachDatabase } from '../helpers/folio.js';
import {
  ARTICLE_DOC,
  AUTHOR_DOC,
  CATEGORY_DOC,
  CUSTOM_ROLE,
  EDITOR_DOC,
  MEMBER,
  DRAFT_ONLY_DOC,
  FILE_DOC,
  FILE_HASH,
  GLOBAL_DOC,
  PNG,
  RELATED_DOCS,
  THUMB_HASH,
  writeStrapiExport,
} from '../fixtures/strapi-export.js';

const KEY = 'a key the export was made with';

/** What Strapi 5 answers for the English published article with author, category, cover and blocks populated. */
const STRAPI_ANSWER = {
  id: 2,
  documentId: ARTICLE_DOC,
  title: 'Hello world',
  description: 'About Hello world',
  slug: 'hello-en',
  createdAt: '2026-11-02T09:00:00.000Z',
  updatedAt: '2026-11-03T10:30:00.000Z',
  publishedAt: '2026-11-04T12:00:00.000Z',
  locale: 'en',
  author: { id: 1, documentId: AUTHOR_DOC, name: 'Ada Lovelace', email: 'ada@example.com' },
  category: { id: 1, documentId: CATEGORY_DOC, name: 'News', slug: 'news', description: 'What is new' },
  cover: {
    id: 1,
    documentId: FILE_DOC,
    name: 'cover.png',
    alternativeText: 'A cover',
    caption: 'The cover',
    width: 1,
    height: 1,
    hash: FILE_HASH,
    ext: '.png',
    mime: 'image/png',
    size: 0.07,
    url: `/uploads/${FILE_HASH}.png`,
    previewUrl: null,
    provider: 'local',
    formats: {
      thumbnail: { hash: THUMB_HASH, ext: '.png', width: 1, height: 1, url: `/uploads/${THUMB_HASH}.png` },
    },
  },
  blocks: [
    { __component: 'shared.quote', id: 21, title: 'Quote en', body: 'Said in en' },
    { __component: 'shared.rich-text', id: 22, body: '# Body en (row 2)' },
    { __component: 'shared.media', id: 23, file: { id: 1, documentId: FILE_DOC, url: `/uploads/${FILE_HASH}.png` } },
  ],
};

const POPULATE =
  'populate[author]=true&populate[category]=true&populate[cover]=true' +
  '&populate[blocks][on][shared.quote]=true&populate[blocks][on][shared.rich-text]=true' +
  '&populate[blocks][on][shared.media][populate]=file';

describeEachDatabase(
  'folio import --from-strapi',
  (t) => {
    let dir: string;
    const archive = (name: string) => path.join(dir, name);

    beforeAll(async () => {
      dir = mkdtempSync(path.join(RUN_DIR, 'strapi-import-'));
      await writeStrapiExport(archive('export.tar.gz'));
      await writeStrapiExport(archive('export.tar'), { gzip: false });
      await writeStrapiExport(archive('sealed.tar.gz.enc'), { key: KEY });
      // Exported with --no-compress and the encryption of exports before Strapi's v2 format.
      await writeStrapiExport(archive('legacy.tar.enc'), { key: KEY, encryption: 'legacy', gzip: false });
      await writeStrapiExport(archive('bad-json.tar.gz'), {
        edit: (stage, lines) =>
          stage === 'entities' ? [...lines.slice(0, 3), '{"type": "api::article.article",', ...lines.slice(3)] : lines,
      });
      await writeStrapiExport(archive('retitled.tar.gz'), {
        edit: (stage, lines) =>
          stage === 'entities' ? lines.map((l) => l.replace('"Hello world"', '"Hello again"')) : lines,
      });
      await writeStrapiExport(archive('too-long.tar.gz'), {
        edit: (stage, lines) =>
          stage === 'entities'
            ? lines.map((l) => l.replace('"About Not yet published"', `"${'x'.repeat(81)}"`))
            : lines,
      });
      // A custom role named as Folio's built-in Public role (Strapi's names need not be unique).
      await writeStrapiExport(archive('public-named.tar.gz'), {
        edit: (stage, lines) =>
          stage === 'entities' ? lines.map((l) => l.replace(`"name":"${CUSTOM_ROLE.name}"`, '"name":"Public"')) : lines,
      });
      await writeStrapiExport(archive('missing-target.tar.gz'), {
        edit: (stage, lines) =>
          stage === 'links' ? [...lines, lines[lines.length - 1].replace('"ref":53', '"ref":99')] : lines,
      });
    });

    async function contentCounts(): Promise<number[]> {
      const { db } = t();
      const counts: number[] = [];
      for (const table of ['folio_files', 'folio_folders', 'folio_file_links']) {
        counts.push(Number((await db(table).count({ n: '*' }))[0].n));
      }
      if (await db.schema.hasTable('articles')) counts.push(Number((await db('articles').count({ n: '*' }))[0].n));
      return counts;
    }

    it('refuses an archive with a line that is not JSON, naming it, and changes nothing', async () => {
      await expect(importStrapiArchive(t().folio, archive('bad-json.tar.gz'))).rejects.toThrow(
        /entities\/entities_00001\.jsonl, line 4: not valid JSON/,
      );
      expect(await t().db.schema.hasTable('articles')).toBe(false);
      expect(await contentCounts()).toEqual([0, 0, 0]);
    });

    it('rolls everything back when a link points at an entry the archive does not hold', async () => {
      await expect(importStrapiArchive(t().folio, archive('missing-target.tar.gz'))).rejects.toThrow(
        'rolled back: links: plugin::upload.file 1 .related → shared.media 99: the archive holds no shared.media 99',
      );
      expect(await contentCounts()).toEqual([0, 0, 0, 0]);
      expect(await t().folio.media.storage.exists(`${FILE_HASH}.png`)).toBe(false);
    });

    it('rolls back on a value the Content API would refuse, naming the entity and the attribute', async () => {
      await expect(importStrapiArchive(t().folio, archive('too-long.tar.gz'))).rejects.toThrow(
        'rolled back: entities: api::article.article 5: description must be at most 80 characters',
      );
      expect(await contentCounts()).toEqual([0, 0, 0, 0]);
    });

    it('refuses an encrypted archive without its key, or with another key', async () => {
      await expect(importStrapiArchive(t().folio, archive('sealed.tar.gz.enc'))).rejects.toThrow(
        /is encrypted: give the key it was exported with/,
      );
      await expect(
        importStrapiArchive(t().folio, archive('sealed.tar.gz.enc'), { key: 'not the key' }),
      ).rejects.toThrow(/cannot be decrypted with this key/);
      expect(await contentCounts()).toEqual([0, 0, 0, 0]);
    });

    it('imports an encrypted archive with its key, and says what it imported and what it skipped', async () => {
      const result = await importStrapiArchive(t().folio, archive('sealed.tar.gz.enc'), { key: KEY });
      expect(result).toMatchObject({ strapiVersion: '5.54.0', schemaApplied: true });
      // As `schema apply` of the project lists them (the blog fixture's own).
      expect(result.unsupportedKeys).toEqual([
        'contentTypes.page.attributes.layout.pluginOptions.i18n.localized (false)',
        'components.shared.seo.info.name',
      ]);
      expect(result.imported).toEqual({
        'article entries': 7,
        'author entries': 1,
        'category entries': 1,
        'global entries': 1,
        components: 16,
        relations: 12,
        'member relations': 1,
        'media files (entries)': 1,
        'media files (bytes)': 2,
        'media folders': 1,
        'media links': 11,
        locales: 2,
        'default locale': 1,
        'public permissions': 5,
        'authenticated permissions': 1,
        'editors permissions': 1,
        'member roles': 1,
        members: 2,
        'member settings': 1,
      });
      expect(result.skipped).toEqual(
        expect.arrayContaining([
          {
            what: 'public role permissions',
            count: 1,
            why: "actions of plugins or custom controllers: Folio's member roles hold the Content API's actions only",
          },
          expect.objectContaining({ what: 'authenticated role permissions', count: 1 }),
          { what: 'member setting unique_email', count: 1, why: "Folio's member emails are always unique" },
          expect.objectContaining({ what: 'webhooks', count: 1 }),
        ]),
      );
      expect(result.skipped.map((s) => s.what)).not.toContain('plugin::users-permissions.user');
    });

    it("answers a populated article as Strapi does: relations, cover, the zone's blocks and their media", async () => {
      const res = await t().http().get(`/api/articles/${ARTICLE_DOC}?${POPULATE}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject(STRAPI_ANSWER);
      expect(Object.keys(res.body.data.blocks[0]).sort()).toEqual(['__component', 'body', 'id', 'title']);
    });

    it('answers a single type with its component and the media inside it, as Strapi does', async () => {
      const res = await t().http().get('/api/global?populate[defaultSeo][populate]=shareImage');
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        id: 1,
        documentId: GLOBAL_DOC,
        siteName: 'The Blog',
        siteDescription: 'Stories',
        publishedAt: '2026-11-04T12:00:00.000Z',
        defaultSeo: {
          id: 1,
          metaTitle: 'The Blog',
          metaDescription: 'Stories, every week',
          shareImage: { id: 1, documentId: FILE_DOC, url: `/uploads/${FILE_HASH}.png` },
        },
      });
    });

    it('keeps every documentId, and both the draft and the published version of each locale', async () => {
      const { db } = t();
      const rows = await db('articles').orderBy('id').select('id', 'document_id', 'locale', 'status', 'title');
      expect(rows.map((r) => [r.id, r.document_id, r.locale, r.status])).toEqual([
        [1, ARTICLE_DOC, 'en', 'draft'],
        [2, ARTICLE_DOC, 'en', 'published'],
        [3, ARTICLE_DOC, 'fr', 'draft'],
        [4, ARTICLE_DOC, 'fr', 'published'],
        [5, DRAFT_ONLY_DOC, 'en', 'draft'],
        [6, RELATED_DOCS[0], 'en', 'draft'],
        [7, RELATED_DOCS[1], 'en', 'draft'],
      ]);
      // Reading drafts takes findDrafts in Folio: a full-access token has it.
      const { token } = await t().folio.apiTokens.create({ name: 'drafts', type: 'full-access' });
      const drafts = await t()
        .http()
        .get(`/api/articles/${ARTICLE_DOC}?status=draft&populate[related][fields][0]=title`)
        .set('Authorization', `Bearer ${token}`);
      expect(drafts.status).toBe(200);
      expect(drafts.body.data).toMatchObject({ id: 1, title: 'Hello world (edited draft)', publishedAt: null });
      // In Strapi's order (1.5 before 2), not the order the links came in.
      expect(drafts.body.data.related.map((r: { documentId: string }) => r.documentId)).toEqual([
        RELATED_DOCS[1],
        RELATED_DOCS[0],
      ]);
      const links = await db('articles_related_lnk').orderBy('position').select('target_document_id', 'position');
      expect(links).toEqual([
        { target_document_id: RELATED_DOCS[1], position: 1 },
        { target_document_id: RELATED_DOCS[0], position: 2 },
      ]);
    });

    it("reads the other locale's version, with its own components", async () => {
      const res = await t().http().get(`/api/articles/${ARTICLE_DOC}?locale=fr&${POPULATE}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        id: 4,
        locale: 'fr',
        title: 'Bonjour le monde',
        author: { documentId: AUTHOR_DOC },
        blocks: [{ id: 41, title: 'Quote fr' }, { id: 42 }, { id: 43, file: { documentId: FILE_DOC } }],
      });
    });

    it('goes on numbering rows after the imported ones: a new entry takes a fresh id', async () => {
      const { token } = await t().folio.apiTokens.create({ name: 'writer', type: 'full-access' });
      const res = await t()
        .http()
        .post('/api/articles')
        .set('Authorization', `Bearer ${token}`)
        .send({ data: { title: 'Written in Folio', author: AUTHOR_DOC } });
      expect(res.status).toBe(201);
      expect(res.body.data.id).toBeGreaterThan(7);
      await t().db('articles').where({ document_id: res.body.data.documentId }).delete();
    });

    it('lists published articles only to the Public role its Strapi Public role became', async () => {
      const list = await t().http().get('/api/articles?sort=id');
      expect(list.status).toBe(200);
      expect(list.body.data.map((a: { id: number }) => a.id)).toEqual([2]);
      expect((await t().http().get('/api/authors')).status).toBe(200);
      expect(
        (
          await t()
            .http()
            .post('/api/articles')
            .send({ data: { title: 'x' } })
        ).status,
      ).toBe(403);
      expect(await t().folio.access.getPublicPermissions()).toEqual([
        'article.find',
        'article.findOne',
        'author.find',
        'category.find',
        'global.find',
      ]);
    });

    it("keeps a relation to Strapi's users, linked to the imported member (its id as Strapi's)", async () => {
      const rows = await t().db('articles').whereIn('id', [1, 2]).orderBy('id').select('reviewer');
      expect(rows.map((r) => (r.reviewer === null ? null : Number(r.reviewer)))).toEqual([null, MEMBER.id]);
      const res = await t().http().get(`/api/articles/${ARTICLE_DOC}`);
      expect(res.body.data.reviewer).toBe(MEMBER.id);
      // Populating a member takes users.find, which the imported Public role does not hold.
      expect((await t().http().get(`/api/articles/${ARTICLE_DOC}?populate=reviewer`)).status).toBe(403);
    });

    it("imports Strapi's users as members in their roles, with their documentIds, and its settings", async () => {
      const members = await t()
        .db('folio_members as m')
        .join('folio_member_roles as r', 'r.id', 'm.role_id')
        .orderBy('m.id')
        .select('m.id', 'm.document_id', 'm.username', 'm.email', 'm.confirmed', 'm.blocked', 'r.code');
      expect(members.map((m) => ({ ...m, confirmed: Boolean(m.confirmed), blocked: Boolean(m.blocked) }))).toEqual([
        {
          id: MEMBER.id,
          document_id: MEMBER.documentId,
          username: MEMBER.username,
          email: MEMBER.email,
          confirmed: true,
          blocked: false,
          code: 'authenticated',
        },
        {
          id: 2,
          document_id: EDITOR_DOC,
          username: 'editor',
          email: 'editor@example.com',
          confirmed: true,
          blocked: true,
          code: CUSTOM_ROLE.type,
        },
      ]);
      const roles = await t().folio.members.roles.list();
      expect(roles.find((r) => r.type === CUSTOM_ROLE.type)).toMatchObject({
        name: CUSTOM_ROLE.name,
        description: CUSTOM_ROLE.description,
        nb_users: 1,
      });
      const { access } = t().folio;
      expect(await access.getMemberRolePermissions(await access.memberRoleId('authenticated'))).toEqual([
        'article.create',
      ]);
      expect(await access.getMemberRolePermissions(await access.memberRoleId(CUSTOM_ROLE.type))).toEqual([
        'category.create',
      ]);
      expect(await readMemberSettings(t().db)).toMatchObject({
        registration: false,
        defaultRole: CUSTOM_ROLE.type,
        emailConfirmation: true,
        emailConfirmationRedirection: 'https://blog.example.com/welcome',
        resetPasswordUrl: 'https://blog.example.com/reset',
      });
    });

    it('signs a member in with its Strapi password and keeps its hash as argon2id from then on', async () => {
      const hashOf = async (id: number) =>
        (await t().db('folio_members').where({ id }).first<{ password_hash: string }>('password_hash')).password_hash;
      expect(await hashOf(MEMBER.id)).toBe(MEMBER.hash);
      const wrong = await t().http().post('/api/auth/local').send({ identifier: MEMBER.username, password: 'not it' });
      expect(wrong.status).toBe(400);
      expect(await hashOf(MEMBER.id)).toBe(MEMBER.hash);
      const login = () =>
        t().http().post('/api/auth/local').send({ identifier: MEMBER.email, password: MEMBER.password });
      const first = await login();
      expect(first.status).toBe(200);
      expect(first.body.user).toMatchObject({ id: MEMBER.id, documentId: MEMBER.documentId });
      expect(typeof first.body.jwt).toBe('string');
      expect(await hashOf(MEMBER.id)).toMatch(/^\$argon2id\$/);
      expect((await login()).status).toBe(200);
      // A blocked member's password is right, but it is not signed in, and its hash is left as it was.
      const blocked = await t()
        .http()
        .post('/api/auth/local')
        .send({ identifier: 'editor', password: MEMBER.password });
      expect(blocked.status).toBe(400);
      expect(blocked.body.error.message).toBe('Your account has been blocked by an administrator');
      expect(await hashOf(2)).toBe(MEMBER.hash);
    });

    it("gives the imported member's JWT what Strapi's Authenticated role could do", async () => {
      const login = await t()
        .http()
        .post('/api/auth/local')
        .send({ identifier: MEMBER.username, password: MEMBER.password });
      const create = (auth?: string) => {
        const req = t().http().post('/api/articles');
        if (auth) req.set('Authorization', `Bearer ${auth}`);
        return req.send({ data: { title: 'By a member', slug: 'by-a-member' } });
      };
      expect((await create()).status).toBe(403);
      const res = await create(login.body.jwt as string);
      expect(res.status).toBe(201);
      await t().db('articles').where({ document_id: res.body.data.documentId }).delete();
      const category = await t()
        .http()
        .post('/api/categories')
        .set('Authorization', `Bearer ${login.body.jwt as string}`)
        .send({ data: { name: 'Not mine to add' } });
      expect(category.status).toBe(403);
    });

    it('stores the media files and their format, in their folder; the locales with their default', async () => {
      const original = await t().http().get(`/uploads/${FILE_HASH}.png`);
      expect(original.status).toBe(200);
      expect(Buffer.from(original.body as Buffer).equals(PNG)).toBe(true);
      expect((await t().http().get(`/uploads/${THUMB_HASH}.png`)).status).toBe(200);
      expect(await t().db('folio_folders').select('id', 'name', 'path')).toEqual([
        { id: 1, name: 'Covers', path: '/1' },
      ]);
      expect(await t().db('folio_files').where({ id: 1 }).first('folder_id')).toEqual({ folder_id: 1 });
      const locales = await t().db('folio_locales').orderBy('code').select('code', 'name', 'is_default');
      expect(locales.map((l) => [l.code, l.name, Boolean(l.is_default)])).toEqual([
        ['en', 'English (en)', true],
        ['fr', 'French (fr)', false],
      ]);
    });

    it('refuses a second import into a database holding content, and replaces it with --replace', async () => {
      await expect(importStrapiArchive(t().folio, archive('export.tar.gz'))).rejects.toThrow(
        /already holds data \(.*articles.*folio_members\); import into an empty database, or pass --replace/,
      );
      await t().db('articles').where({ id: 2 }).update({ title: 'changed here' });
      const again = await importStrapiArchive(t().folio, archive('legacy.tar.enc'), { key: KEY, replace: true });
      expect(again.imported['article entries']).toBe(7);
      expect(await t().db('articles').where({ id: 2 }).first('title')).toEqual({ title: 'Hello world' });
      expect(Number((await t().db('folio_file_links').count({ n: '*' }))[0].n)).toBe(11);
      // The members too: the reader's hash is the archive's bcrypt one again, the custom role is there once.
      expect(await t().db('folio_members').where({ id: MEMBER.id }).first('password_hash')).toEqual({
        password_hash: MEMBER.hash,
      });
      expect(await t().db('folio_member_roles').where({ code: CUSTOM_ROLE.type }).count({ n: '*' })).toEqual([
        { n: 1 },
      ]);
    });

    it('drops the cached reads of what an import replaced', async () => {
      const read = async () => (await t().http().get(`/api/articles/${ARTICLE_DOC}`)).body.data.title as string;
      expect(await read()).toBe('Hello world');
      expect(await read()).toBe('Hello world');
      await importStrapiArchive(t().folio, archive('retitled.tar.gz'), { replace: true });
      expect(await read()).toBe('Hello again');
    });

    it('renames a custom role named as a built-in one, and says so', async () => {
      const result = await importStrapiArchive(t().folio, archive('public-named.tar.gz'), { replace: true });
      expect(result.skipped).toContainEqual({
        what: 'member role name "Public"',
        count: 1,
        why:
          "another role has it (as Folio's built-in Public and Authenticated): " +
          `the ${CUSTOM_ROLE.type} role is "Public (${CUSTOM_ROLE.type})"`,
      });
      const roles = await t().folio.members.roles.list();
      expect(roles.map((r) => [r.type, r.name])).toEqual([
        ['public', 'Public'],
        ['authenticated', 'Authenticated'],
        [CUSTOM_ROLE.type, `Public (${CUSTOM_ROLE.type})`],
      ]);
    });

    it('reads an uncompressed .tar, and with --schema=keep skips the types Folio does not have', async () => {
      const article = (await t().folio.schema.document()).contentTypes.article;
      const { category: _left, ...attributes } = article.attributes;
      await t().folio.schema.apply(
        { contentTypes: { category: null, article: { ...article, attributes } } },
        { force: true },
      );
      const result = await importStrapiArchive(t().folio, archive('export.tar'), { replace: true, schema: 'keep' });
      expect(result.schemaApplied).toBe(false);
      expect(result.skipped).toEqual(
        expect.arrayContaining([
          {
            what: 'api::category.category',
            count: 1,
            why: "no such content type in Folio's schema (--schema=keep)",
          },
        ]),
      );
      expect(result.imported['article entries']).toBe(7);
      expect(result.imported.relations).toBe(7);
    });
  },
  // The response cache on, so that an import is seen to drop what it replaced.
  { CACHE: 'on' },
);
