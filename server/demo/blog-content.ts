// The demo: a small blog that a newcomer sees at /api/articles on a first `npm start`.
// Its content model is the benchmark's (tests/bench/dataset.mjs) plus an author, readers' comments and
// a Global single type.
import type { SchemaDocument } from '../schema/types.js';

export const demoSchema: SchemaDocument = {
  contentTypes: {
    category: {
      kind: 'collectionType',
      info: { singularName: 'category', pluralName: 'categories', displayName: 'Category' },
      options: { draftAndPublish: false },
      attributes: {
        name: { type: 'string', required: true, unique: true },
        slug: { type: 'uid', targetField: 'name' },
        description: { type: 'text' },
        articles: { type: 'relation', relation: 'oneToMany', target: 'article', mappedBy: 'category' },
      },
    },
    tag: {
      kind: 'collectionType',
      info: { singularName: 'tag', pluralName: 'tags', displayName: 'Tag' },
      options: { draftAndPublish: false },
      attributes: {
        name: { type: 'string', required: true, unique: true },
        slug: { type: 'uid', targetField: 'name' },
        articles: { type: 'relation', relation: 'manyToMany', target: 'article', mappedBy: 'tags' },
      },
    },
    author: {
      kind: 'collectionType',
      info: { singularName: 'author', pluralName: 'authors', displayName: 'Author' },
      options: { draftAndPublish: false },
      attributes: {
        name: { type: 'string', required: true, maxLength: 100 },
        email: { type: 'email', private: true },
        bio: { type: 'text' },
        avatar: { type: 'media', allowedTypes: ['images'] },
        articles: { type: 'relation', relation: 'oneToMany', target: 'article', mappedBy: 'author' },
      },
    },
    article: {
      kind: 'collectionType',
      info: { singularName: 'article', pluralName: 'articles', displayName: 'Article' },
      options: { draftAndPublish: true },
      attributes: {
        title: { type: 'string', required: true, maxLength: 200 },
        slug: { type: 'uid', targetField: 'title', unique: true },
        summary: { type: 'text' },
        body: { type: 'richtext' },
        views: { type: 'integer', min: 0, default: 0, index: true },
        rating: { type: 'decimal', min: 0, max: 5 },
        featured: { type: 'boolean', default: false, index: true },
        publishedDate: { type: 'date', index: true },
        cover: { type: 'media', allowedTypes: ['images'] },
        category: { type: 'relation', relation: 'manyToOne', target: 'category', inversedBy: 'articles' },
        tags: { type: 'relation', relation: 'manyToMany', target: 'tag', inversedBy: 'articles' },
        author: { type: 'relation', relation: 'manyToOne', target: 'author', inversedBy: 'articles' },
      },
    },
    // Readers' comments: Authenticated members write them and edit or delete only their own
    // (docs/members.md, "Owner permissions"); `user` is set by the server to the member writing.
    comment: {
      kind: 'collectionType',
      info: { singularName: 'comment', pluralName: 'comments', displayName: 'Comment' },
      options: { draftAndPublish: false, owner: 'user' },
      attributes: {
        body: { type: 'text', required: true, maxLength: 2000 },
        article: { type: 'relation', relation: 'manyToOne', target: 'article' },
        user: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
      },
    },
    global: {
      kind: 'singleType',
      info: { singularName: 'global', pluralName: 'globals', displayName: 'Global' },
      options: { draftAndPublish: false },
      attributes: {
        siteName: { type: 'string', required: true },
        siteDescription: { type: 'text' },
      },
    },
  },
  components: {},
};

export interface DemoArticle {
  title: string;
  summary: string;
  body: string;
  views: number;
  rating: number;
  featured: boolean;
  publishedDate: string;
  category: string;
  tags: string[];
  author: string;
  /** Left as a draft, to show draft & publish. */
  draft?: boolean;
}

export const demoCategories = [
  { name: 'News', description: 'What happened this week.' },
  { name: 'Guides', description: 'Step by step, from zero to done.' },
  { name: 'Reviews', description: 'Tools we tried, honestly rated.' },
  { name: 'Engineering', description: 'How Folio is built.' },
];

export const demoTags = ['typescript', 'performance', 'content modelling', 'publishing', 'security', 'images'];

export const demoAuthors = [
  { name: 'Ada Quill', email: 'ada@example.com', bio: 'Editor in chief. Writes about publishing workflows.' },
  { name: 'Linus Pike', email: 'linus@example.com', bio: 'Backend engineer; benchmarks everything twice.' },
  { name: 'Mira Okafor', email: 'mira@example.com', bio: 'Designer who reads the source.' },
];

const paragraph = (topic: string) =>
  `${topic} matters because websites read far more often than editors write. ` +
  'Folio keeps drafts and published versions apart, so a site never sees half-finished work, ' +
  'and every list is one indexed query whatever the page size.';

export const demoArticles: DemoArticle[] = [
  ['Welcome to Folio', 'News', ['publishing'], 'Ada Quill', true, '2026-11-02'],
  ['Modelling a blog in five minutes', 'Guides', ['content modelling', 'typescript'], 'Ada Quill', true, '2026-10-28'],
  [
    'Why drafts and published versions are separate rows',
    'Engineering',
    ['publishing', 'performance'],
    'Linus Pike',
    false,
    '2026-10-20',
  ],
  ['Responsive images without a CDN', 'Guides', ['images', 'performance'], 'Mira Okafor', false, '2026-10-12'],
  ['Permissions that hold in SQL', 'Engineering', ['security'], 'Linus Pike', false, '2026-10-05'],
  ['Reviewing three markdown editors', 'Reviews', ['content modelling'], 'Mira Okafor', false, '2026-09-30'],
  [
    'Counting queries: no N+1 in list endpoints',
    'Engineering',
    ['performance', 'typescript'],
    'Linus Pike',
    false,
    '2026-09-21',
  ],
  ['Scheduling posts for Monday morning', 'Guides', ['publishing'], 'Ada Quill', false, '2026-09-14'],
  ['Folio 0.1 release notes', 'News', ['typescript'], 'Ada Quill', false, '2026-09-01'],
  [
    'Draft: what we learned from our first thousand articles',
    'Engineering',
    ['performance'],
    'Linus Pike',
    false,
    '2026-11-10',
  ],
].map(([title, category, tags, author, featured, publishedDate], i) => ({
  title: title as string,
  summary: `${title as string}: a short tour for newcomers.`,
  body: `# ${title as string}\n\n${paragraph(title as string)}\n\n## In practice\n\n${paragraph('Consistency')}\n`,
  views: 1200 - i * 97,
  rating: Math.round((4.8 - i * 0.2) * 10) / 10,
  featured: featured as boolean,
  publishedDate: publishedDate as string,
  category: category as string,
  tags: tags as string[],
  author: author as string,
  draft: (title as string).startsWith('Draft:'),
}));

export const demoGlobal = {
  siteName: 'Folio Demo Blog',
  siteDescription: 'A small blog served by Folio: open /api/articles?populate=* to see it.',
};
