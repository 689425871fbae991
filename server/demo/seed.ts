// `folio seed demo`, and the first `npm start` on a brand-new database: the demo blog of
// blog-content.ts, with real images and the Public role opened to read it, so that a newcomer sees
// content at /api/articles at once; signed-in members may comment and edit their own comments.
import type { Folio } from '../folio.js';
import { SYSTEM_CALLER } from '../access/caller.js';
import { setMemberRolePermissions } from '../access/operations/public-permissions.js';
import { createDocument } from '../content/operations/create-document.js';
import { ApplicationError } from '../errors.js';
import { uploadDemoImages } from '../media/index.js';
import { demoArticles, demoAuthors, demoCategories, demoGlobal, demoSchema, demoTags } from './blog-content.js';

export interface DemoSummary {
  contentTypes: number;
  entries: number;
  images: number;
}

/** The Content API routes the demo opens to everyone. */
export const DEMO_PUBLIC_PERMISSIONS = [
  'article.find',
  'article.findOne',
  'category.find',
  'category.findOne',
  'tag.find',
  'tag.findOne',
  'author.find',
  'author.findOne',
  'global.find',
  'comment.find',
  'comment.findOne',
  'upload.find',
  'upload.findOne',
];

/** What signed-in members may do besides: comment, and edit or delete their own comments only. */
export const DEMO_AUTHENTICATED_PERMISSIONS = [
  ...DEMO_PUBLIC_PERMISSIONS,
  'comment.create',
  'comment.update:own',
  'comment.delete:own',
];

export async function hasContentTypes(folio: Folio): Promise<boolean> {
  return (await folio.schema.current()).contentTypes.size > 0;
}

export async function seedDemo(folio: Folio, progress: (line: string) => void = () => {}): Promise<DemoSummary> {
  if (await hasContentTypes(folio)) {
    throw new ApplicationError('The demo is only seeded into a database with no content types');
  }
  progress('demo: creating the content types');
  await folio.schema.apply(demoSchema);

  // Written as the system, through the operations: audited, announced, as any other write.
  const create = (uid: string, data: Record<string, unknown>, status: 'draft' | 'published' = 'published') =>
    createDocument(folio, { caller: SYSTEM_CALLER, uid, data, status });

  progress('demo: drawing and uploading images');
  const images = await uploadDemoImages(folio.media, 6);

  progress('demo: writing entries');
  const categoryIds = new Map<string, string>();
  for (const c of demoCategories) categoryIds.set(c.name, (await create('category', c)).documentId);
  const tagIds = new Map<string, string>();
  for (const name of demoTags) tagIds.set(name, (await create('tag', { name })).documentId);
  const authorIds = new Map<string, string>();
  for (const [i, a] of demoAuthors.entries()) {
    authorIds.set(a.name, (await create('author', { ...a, avatar: images[i % images.length].id })).documentId);
  }
  for (const [i, a] of demoArticles.entries()) {
    const { draft, category, tags, author, ...fields } = a;
    await create(
      'article',
      {
        ...fields,
        cover: images[i % images.length].id,
        category: categoryIds.get(category),
        tags: tags.map((t) => tagIds.get(t)),
        author: authorIds.get(author),
      },
      draft ? 'draft' : 'published',
    );
  }
  await create('global', demoGlobal);

  await folio.access.grantPublic(DEMO_PUBLIC_PERMISSIONS);
  await setMemberRolePermissions(folio, {
    caller: SYSTEM_CALLER,
    role: 'authenticated',
    allow: (current) => [...current, ...DEMO_AUTHENTICATED_PERMISSIONS],
  });
  const entries = demoCategories.length + demoTags.length + demoAuthors.length + demoArticles.length + 1;
  progress(`demo: ${entries} entries and ${images.length} images ready`);
  return { contentTypes: Object.keys(demoSchema.contentTypes).length, entries, images: images.length };
}

const INITIALISED = 'initialised_at';

/**
 * The first start of a brand-new database seeds the demo (unless FOLIO_DEMO=false). "First" is
 * recorded, so a database whose types were all removed later is never re-seeded behind its
 * owner's back. Returns whether the demo was seeded now.
 */
export async function seedDemoOnFirstStart(folio: Folio, progress: (line: string) => void): Promise<boolean> {
  const initialised = await folio
    .db('folio_meta')
    .where({ key: INITIALISED })
    .first<{ key: string } | undefined>('key');
  if (initialised) return false;
  const seed = folio.config.demo && !(await hasContentTypes(folio));
  if (seed) await seedDemo(folio, progress);
  await folio.db('folio_meta').insert({ key: INITIALISED, value: new Date().toISOString() }).onConflict('key').ignore();
  return seed;
}
