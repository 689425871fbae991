// The benchmark's content model (tests/bench/dataset.mjs describes it), shared by the load bench
// (run.ts) and the backup bench (backup.ts).
import { DEFAULT_INDEXED_TYPES } from '../../server/schema/physical.js';
import type { Attribute, SchemaDocument } from '../../server/schema/types.js';

export const benchSchema = {
  contentTypes: {
    category: {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: {
        name: { type: 'string', required: true, unique: true },
        slug: { type: 'uid', targetField: 'name', index: true },
      },
    },
    tag: {
      kind: 'collectionType',
      info: { singularName: 'tag', pluralName: 'tags', displayName: 'Tag' },
      options: { draftAndPublish: false },
      attributes: {
        name: { type: 'string', required: true, unique: true },
        slug: { type: 'uid', targetField: 'name', index: true },
      },
    },
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      // E3 filters on featured (and a category) and sorts by views descending: read in index order.
      options: { draftAndPublish: true, indexes: [{ attributes: ['featured', 'views:desc'] }] },
      attributes: {
        title: { type: 'string', required: true },
        slug: { type: 'uid', targetField: 'title', unique: true },
        summary: { type: 'text' },
        body: { type: 'richtext' },
        // Descending: the lists sort by these descending (E1, E3), and `ORDER BY col DESC, id ASC`
        // reads in index order only from an index built that way.
        views: { type: 'integer', index: 'desc' },
        rating: { type: 'decimal' },
        featured: { type: 'boolean', index: true },
        publishedDate: { type: 'date', index: 'desc' },
        category: { type: 'relation', relation: 'manyToOne', target: 'category' },
        tags: { type: 'relation', relation: 'manyToMany', target: 'tag' },
      },
    },
  },
  components: {},
} satisfies SchemaDocument;

/**
 * The bench's types as a team models them in the content-type builder, never thinking of indexes
 * (issue 24): no attribute's `index` and no `options.indexes`. `defaults: false` also opts out of the
 * default indexes (`index: false` on the attributes whose type gets one, physical.ts) — an
 * installation as it was before them. To-one relations have no default to turn off: their link
 * tables are indexed both ways whatever the schema says.
 */
export function untunedSchema(defaults: boolean): SchemaDocument {
  const contentTypes: SchemaDocument['contentTypes'] = {};
  for (const [uid, type] of Object.entries(benchSchema.contentTypes)) {
    const { indexes: _declared, ...options } = (type.options ?? {}) as Record<string, unknown>;
    const attributes: Record<string, Attribute> = {};
    for (const [name, attribute] of Object.entries<Attribute>(type.attributes)) {
      const { index: _index, ...plain } = attribute;
      const optOut = !defaults && (DEFAULT_INDEXED_TYPES as ReadonlySet<string>).has(plain.type);
      attributes[name] = optOut ? { ...plain, index: false } : plain;
    }
    contentTypes[uid] = { ...type, options, attributes };
  }
  return { contentTypes, components: {} };
}
