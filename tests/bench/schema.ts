// The benchmark's content model (tests/bench/dataset.mjs describes it), shared by the load bench
// (run.ts) and the backup bench (backup.ts).
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
};
