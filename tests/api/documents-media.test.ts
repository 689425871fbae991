// Media links of the document engine against the media library's tables (folio_files, folio_file_links).
import { beforeAll, expect, it } from '@jest/globals';
import type { DocumentService } from '../../server/content/documents.js';
import { ValidationError } from '../../server/errors.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

describeEachDatabase('DocumentService media links', (t) => {
  let docs: DocumentService;
  const files: number[] = [];

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    docs = t().folio.documents;
    for (const n of [1, 2, 3]) {
      const [id] = await t()
        .db('folio_files')
        .insert({
          document_id: `file${n}docid0000000000000`,
          name: `f${n}.png`,
          hash: `h${n}`,
          ext: '.png',
          mime: 'image/png',
          size: 1,
          url: `/uploads/f${n}.png`,
          provider: 'local',
        });
      files.push(Number(id));
    }
  });

  const links = (entityTable: string, entityId: number) =>
    t()
      .db('folio_file_links')
      .where({ entity_table: entityTable, entity_id: entityId })
      .orderBy(['field', 'position'])
      .select('file_id', 'field', 'position');

  it('links media by file id and copies the links on publish', async () => {
    const a = await docs.create('article', {
      data: { title: 'Pictures', cover: files[0], gallery: [files[2], files[1]] },
    });
    const rows = await t().db('articles').where({ document_id: a.documentId }).orderBy('id');
    for (const row of rows) {
      expect((await links('articles', row.id)).map((l) => [Number(l.file_id), l.field, l.position])).toEqual([
        [files[0], 'cover', 1],
        [files[2], 'gallery', 1],
        [files[1], 'gallery', 2],
      ]);
    }
    await docs.update('article', a.documentId, { data: { gallery: [] }, status: 'draft' });
    expect((await links('articles', a.id)).filter((l) => l.field === 'gallery')).toHaveLength(2);
  });

  it('copies media links of components on publish and removes them on delete', async () => {
    const a = await docs.create('article', {
      data: { title: 'SEO pic', seo: { metaTitle: 'm', shareImage: files[1] } },
    });
    const cmps = await t()
      .db('articles_cmps')
      .where({ field: 'seo' })
      .whereIn('entity_id', t().db('articles').select('id').where({ document_id: a.documentId }));
    expect(cmps).toHaveLength(2);
    for (const c of cmps)
      expect((await links('components_shared_seo', c.component_id)).map((l) => Number(l.file_id))).toEqual([files[1]]);
    await docs.delete('article', a.documentId);
    for (const c of cmps) expect(await links('components_shared_seo', c.component_id)).toEqual([]);
  });

  it('refuses unknown file ids with a 400 naming the path', async () => {
    await expect(docs.create('article', { data: { title: 'Bad pic', cover: 99999 } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    try {
      await docs.create('article', { data: { title: 'Bad pic', cover: 99999 } });
    } catch (err) {
      expect((err as ValidationError).details.errors).toEqual([
        { path: ['cover'], message: 'No file with id 99999', name: 'ValidationError' },
      ]);
    }
  });
});
