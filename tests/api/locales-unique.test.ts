// Unique attributes of a localized type are unique per locale: a translation keeps the value of the
// entry it translates, and another document may use a value in one locale that a document of another
// locale already has; twice in one locale is still refused (400, the field named, nothing written).
import { beforeAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { signedIn, type AdminSession } from '../helpers/admin.js';
import { applyTestSchema } from '../helpers/schema.js';
import type { SchemaFile } from '../../server/schema/types.js';

const schema: SchemaFile = {
  contentTypes: {
    term: {
      kind: 'collectionType',
      info: { singularName: 'term', pluralName: 'terms', displayName: 'Term' },
      options: { draftAndPublish: false },
      pluginOptions: { i18n: { localized: true } },
      attributes: {
        code: { type: 'string', required: true, unique: true },
        label: { type: 'string' },
      },
    },
  },
  components: {},
};

const T = '/admin-api/content/term';

describeEachDatabase('unique attributes of a localized type', (t) => {
  let editor: AdminSession;

  beforeAll(async () => {
    await applyTestSchema(t().folio, schema);
    editor = await signedIn(t(), ['editor']);
  });

  const rows = (code: string) => t().db('terms').where({ code }).orderBy('locale').select('document_id', 'locale');

  it('accepts a translation with the same unique value as the entry it translates', async () => {
    const en = await editor.post(T, { code: 'greeting', label: 'Hello' });
    expect([en.status, en.body.error]).toEqual([201, undefined]);
    const fr = await editor.put(`${T}/${en.body.data.documentId}?locale=fr`, { code: 'greeting', label: 'Bonjour' });
    expect([fr.status, fr.body.error]).toEqual([200, undefined]);
    expect(await rows('greeting')).toEqual([
      { document_id: en.body.data.documentId, locale: 'en' },
      { document_id: en.body.data.documentId, locale: 'fr' },
    ]);
  });

  it('accepts the same unique value for two documents in two locales', async () => {
    const en = await editor.post(T, { code: 'farewell', label: 'Goodbye' });
    expect([en.status, en.body.error]).toEqual([201, undefined]);
    const de = await editor.post(`${T}?locale=de`, { code: 'farewell', label: 'Tschüss' });
    expect([de.status, de.body.error]).toEqual([201, undefined]);
    expect(await rows('farewell')).toEqual([
      { document_id: de.body.data.documentId, locale: 'de' },
      { document_id: en.body.data.documentId, locale: 'en' },
    ]);
  });

  it('refuses the same unique value twice in one locale and writes nothing', async () => {
    const first = await editor.post(`${T}?locale=fr`, { code: 'thanks', label: 'Merci' });
    expect([first.status, first.body.error]).toEqual([201, undefined]);
    const again = await editor.post(`${T}?locale=fr`, { code: 'thanks', label: 'Merci bien' });
    expect([again.status, again.body.error?.name, again.body.error?.details?.errors?.[0]?.path]).toEqual([
      400,
      'ValidationError',
      ['code'],
    ]);
    expect(await rows('thanks')).toEqual([{ document_id: first.body.data.documentId, locale: 'fr' }]);
  });
});
