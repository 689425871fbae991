// Content history's retention per type (docs/schema.md, `options.revisions`): a type may keep its own
// count or age of revisions, overriding the installation's (REVISIONS_KEEP, REVISIONS_MAX_AGE_DAYS), or
// record no history at all; and an installation may record none (REVISIONS=off).
import { beforeAll, expect, it } from '@jest/globals';
import { RevisionPruner, typeRetentionPolicies } from '../../server/content/revisions/retention.js';
import type { ContentTypeDefinition, SchemaDocument } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { describeEachDatabase, type TestFolio } from '../helpers/folio.js';
import { applySchema, applyTestSchema } from '../helpers/schema.js';

const DAY_MS = 24 * 3600 * 1000;

/** The blog schema with these `options.revisions`, by type. */
function withRetention(policies: Record<string, unknown>): SchemaDocument {
  const contentTypes: Record<string, ContentTypeDefinition> = { ...blogSchema.contentTypes };
  for (const [uid, revisions] of Object.entries(policies)) {
    const type = contentTypes[uid];
    contentTypes[uid] = { ...type, options: { ...type.options, revisions } as ContentTypeDefinition['options'] };
  }
  return { ...blogSchema, contentTypes };
}

/** The ids of a document's stored revisions, oldest first. */
async function revisionIds(t: TestFolio, documentId: string): Promise<number[]> {
  const ids: unknown[] = await t.db('folio_revisions').where({ document_id: documentId }).orderBy('id').pluck('id');
  return ids.map(Number);
}

/** A document of `uid` saved `saves` times (the create, then updates of `field`); answers its documentId. */
async function savedTimes(editor: AdminSession, uid: string, field: string, saves: number): Promise<string> {
  const path = `/admin-api/content/${uid}`;
  const created = await editor.post(path, { [field]: `${uid} v1 ${Math.random()}` });
  expect([created.status, created.body.error]).toEqual([201, undefined]);
  const documentId = created.body.data.documentId as string;
  for (let i = 2; i <= saves; i++) {
    const res = await editor.put(`${path}/${documentId}`, { [field]: `${uid} v${i} ${Math.random()}` });
    expect([res.status, res.body.error]).toEqual([200, undefined]);
  }
  return documentId;
}

function pruner(t: TestFolio): RevisionPruner {
  const { config, logger, schema } = t.folio;
  // Batches of two: every pass below takes several.
  return new RevisionPruner(t.db, config.revisions, logger, {
    batchSize: 2,
    typePolicies: async () => typeRetentionPolicies(await schema.current()),
  });
}

describeEachDatabase(
  'content history: retention per type',
  (t) => {
    let editor: AdminSession;

    beforeAll(async () => {
      await applyTestSchema(
        t().folio,
        withRetention({ article: { keep: 2 }, page: { maxAgeDays: 30 }, tag: false, author: { keep: 0 } }),
      );
      editor = await signedIn(t(), ['editor']);
    });

    it("prunes a type by its own count and every other type by the installation's", async () => {
      const article = await savedTimes(editor, 'article', 'title', 5);
      const category = await savedTimes(editor, 'category', 'name', 5);
      const [articleIds, categoryIds] = [await revisionIds(t(), article), await revisionIds(t(), category)];
      expect([articleIds.length, categoryIds.length]).toEqual([5, 5]);
      await pruner(t()).pruneAll();
      expect(await revisionIds(t(), article)).toEqual(articleIds.slice(-2));
      expect(await revisionIds(t(), category)).toEqual(categoryIds.slice(-3)); // REVISIONS_KEEP=3
    });

    it('keeps every revision of a type whose own count is 0 (no limit), despite the installation', async () => {
      const author = await savedTimes(editor, 'author', 'name', 5);
      const ids = await revisionIds(t(), author);
      await pruner(t()).pruneAll();
      expect(await revisionIds(t(), author)).toEqual(ids);
    });

    it("prunes a type by its own age, keeping each document's newest, and by the installation's count", async () => {
      const old = await savedTimes(editor, 'page', 'title', 3);
      const recent = await savedTimes(editor, 'page', 'title', 5);
      const aged = await savedTimes(editor, 'category', 'name', 2);
      const now = Date.now();
      await t()
        .db('folio_revisions')
        .whereIn('document_id', [old, aged])
        .update({ created_at: now - 40 * DAY_MS });
      const [oldIds, recentIds, agedIds] = [
        await revisionIds(t(), old),
        await revisionIds(t(), recent),
        await revisionIds(t(), aged),
      ];
      await pruner(t()).pruneAll(now);
      expect(await revisionIds(t(), old)).toEqual(oldIds.slice(-1));
      // Recent, but past the installation's count, which the page type does not override.
      expect(await revisionIds(t(), recent)).toEqual(recentIds.slice(-3));
      // The installation sets no age: the category's old revisions stay.
      expect(await revisionIds(t(), aged)).toEqual(agedIds);
    });

    it('records no revision for a type whose history is off, and still does for the others', async () => {
      const tag = await savedTimes(editor, 'tag', 'name', 3);
      const category = await savedTimes(editor, 'category', 'name', 1);
      expect(await revisionIds(t(), tag)).toEqual([]);
      expect(await revisionIds(t(), category)).toHaveLength(1);
      const listed = await editor.get(`/admin-api/content/tag/${tag}/revisions`);
      expect([listed.status, listed.body.data]).toEqual([200, []]);
    });

    it('tells the dashboard which types record a history (its History button)', async () => {
      const res = await editor.get('/admin-api/content/content-types');
      const history = Object.fromEntries(
        (res.body.data.contentTypes as { uid: string; history: boolean }[]).map((c) => [c.uid, c.history]),
      );
      expect([history.tag, history.category]).toEqual([false, true]);
    });

    it('refuses a schema whose retention is not false or whole numbers in range, saying which', async () => {
      const cases: [unknown, string][] = [
        [{ keep: -1 }, 'contentTypes.article.options.revisions.keep: keep must be a whole number from 0'],
        [{ keep: 2.5 }, 'contentTypes.article.options.revisions.keep: keep must be a whole number from 0'],
        [{ maxAgeDays: '30' }, 'revisions.maxAgeDays: maxAgeDays must be a whole number from 0 (no limit) to 36500'],
        [{ max: 3 }, 'contentTypes.article.options.revisions.max: revisions has no option "max" (keep, maxAgeDays)'],
        [true, 'contentTypes.article.options.revisions: revisions must be false (no history for this type) or'],
        ['off', 'contentTypes.article.options.revisions: revisions must be false'],
      ];
      const version = await t().folio.schema.current();
      for (const [revisions, message] of cases) {
        const applying = applySchema(t().folio, withRetention({ article: revisions }));
        await expect(applying).rejects.toMatchObject({ status: 400, message: expect.stringContaining(message) });
      }
      // Nothing was applied: the policies in force are still the first schema's.
      expect(typeRetentionPolicies(await t().folio.schema.current())).toEqual(typeRetentionPolicies(version));
    });
  },
  { REVISIONS_KEEP: '3' },
);

describeEachDatabase(
  'content history switched off for the installation (REVISIONS=off)',
  (t) => {
    it('saves documents without recording any revision', async () => {
      await applyTestSchema(t().folio, blogSchema);
      const editor = await signedIn(t(), ['editor']);
      const article = await savedTimes(editor, 'article', 'title', 3);
      const published = await editor.post(`/admin-api/content/article/${article}/actions/publish`);
      expect(published.status).toBe(200);
      const [{ n }] = await t().db('folio_revisions').count({ n: '*' });
      expect(Number(n)).toBe(0);
      const listed = await editor.get(`/admin-api/content/article/${article}/revisions`);
      expect([listed.status, listed.body.data]).toEqual([200, []]);
      const types = await editor.get('/admin-api/content/content-types');
      expect((types.body.data.contentTypes as { history: boolean }[]).every((c) => !c.history)).toBe(true);
    });
  },
  { REVISIONS: 'off' },
);
