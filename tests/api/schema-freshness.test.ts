// How soon a schema change is served. The public Content API accepts a schema version checked up to a
// second ago (the check was a third of its statements); an apply in this process is served at once,
// and the registry answers a caller that accepts no age (the Admin API, writes) from a fresh check.
import { beforeAll, expect, it } from '@jest/globals';
import { silentLogger } from '../../server/logger.js';
import { SchemaRegistry } from '../../server/schema/registry.js';
import type { SchemaFile } from '../../server/schema/types.js';
import { describeEachDatabase } from '../helpers/folio.js';

const noteType = (attributes: Record<string, unknown>): SchemaFile =>
  ({
    contentTypes: {
      note: {
        kind: 'collectionType',
        info: { singularName: 'note', pluralName: 'notes', displayName: 'Note' },
        options: { draftAndPublish: false },
        attributes,
      },
    },
    components: {},
  }) as SchemaFile;

describeEachDatabase('schema freshness', (t) => {
  const http = () => t().http();
  beforeAll(async () => {
    await t().folio.schema.apply(noteType({ text: { type: 'string' } }));
    await t().folio.access.grantPublic(['note.find']);
  });

  it('a schema applied in this process is served by the next public read', async () => {
    expect((await http().get('/api/notes?fields[0]=text')).status).toBe(200);
    expect((await http().get('/api/notes?fields[0]=mood')).status).toBe(400);
    await t().folio.schema.apply(noteType({ text: { type: 'string' }, mood: { type: 'string' } }));
    expect((await http().get('/api/notes?fields[0]=mood')).status).toBe(200);
  });

  it('a schema applied by another process is answered from a fresh check when no age is accepted', async () => {
    const before = await t().folio.schema.current();
    // The CLI, or an instance without Redis: its apply sends this process no message.
    const other = new SchemaRegistry(t().folio.db, t().folio.dialect, silentLogger(), () => t().folio.documents);
    await other.apply(noteType({ text: { type: 'string' }, mood: { type: 'string' }, pinned: { type: 'boolean' } }));

    expect(await t().folio.schema.current(60_000)).toBe(before);
    const after = await t().folio.schema.current();
    expect(after.contentTypes.get('note')?.fields.has('pinned')).toBe(true);
    // Once checked, the new model is what reads accepting an age get too.
    expect(await t().folio.schema.current(60_000)).toBe(after);
  });
});
