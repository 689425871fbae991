// The value of a `blocks` attribute: Strapi 5's blocks JSON, checked as Strapi's entity validator
// checks it (core/src/services/entity-validator/blocks-validator.ts), so that every document Folio
// stores renders in @strapi/blocks-react-renderer and every document Strapi accepts is accepted here.
// Like Strapi, a node may carry keys beyond its shape (a list's indentLevel, a link's rel); unlike
// Strapi, nesting has a depth limit, checked first so that validation itself cannot recurse without end.
import { z } from 'zod';

const MAX_DEPTH = 20;

// Strapi's list: a link is an absolute URL or a path from the site's root, and never a scheme that
// runs or embeds content where it is followed.
const BLOCKED_LINK_PROTOCOLS = new Set(['javascript:', 'vbscript:', 'data:']);

function isAllowedLink(url: string): boolean {
  try {
    return !BLOCKED_LINK_PROTOCOLS.has(new URL(url.startsWith('/') ? `https://folio.invalid${url}` : url).protocol);
  } catch {
    return false;
  }
}

const text = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  underline: z.boolean().optional(),
  strikethrough: z.boolean().optional(),
  code: z.boolean().optional(),
});

const link = z.looseObject({
  type: z.literal('link'),
  url: z
    .string()
    .refine(isAllowedLink, 'must be an absolute URL or a path from the root (not javascript:, vbscript: or data:)'),
  children: z.array(text),
});

const inline = z.discriminatedUnion('type', [text, link], { error: 'must be a text or link node' });

const inlines = (owner: string) => z.array(inline).min(1, `a ${owner} must hold at least one text or link node`);

const listItem = z.looseObject({ type: z.literal('list-item'), children: z.array(inline) });

type List = { type: 'list'; format: 'ordered' | 'unordered'; children: (z.infer<typeof listItem> | List)[] };

const list: z.ZodType<List> = z.looseObject({
  type: z.literal('list'),
  format: z.enum(['ordered', 'unordered']),
  get children() {
    return z
      .array(
        z.discriminatedUnion('type', [listItem, list as z.ZodType<List> & typeof listItem], {
          error: 'must be a list-item or a list',
        }),
      )
      .min(1, 'a list must hold at least one list-item or list');
  },
});

const nullableString = z.string().nullable().optional();

/** The media file's fields an image block copies (what a renderer needs to show it). */
const image = z.looseObject({
  type: z.literal('image'),
  image: z.looseObject({
    name: z.string(),
    alternativeText: nullableString,
    url: z.string(),
    caption: nullableString,
    width: z.number(),
    height: z.number(),
    formats: z.record(z.string(), z.unknown()).nullable().optional(),
    hash: z.string(),
    ext: z.string(),
    mime: z.string(),
    size: z.number(),
    previewUrl: nullableString,
    provider: z.string(),
    provider_metadata: z.unknown().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  children: z.array(inline),
});

const block = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('paragraph'), children: inlines('paragraph') }),
    z.looseObject({ type: z.literal('heading'), level: z.literal([1, 2, 3, 4, 5, 6]), children: inlines('heading') }),
    z.looseObject({ type: z.literal('quote'), children: inlines('quote') }),
    z.looseObject({
      type: z.literal('code'),
      language: nullableString,
      children: z.array(text).min(1, 'a code block must hold at least one text node'),
    }),
    list as z.ZodType<List> & typeof listItem,
    image,
  ],
  { error: 'must be a paragraph, heading, quote, code, list or image block' },
);

const blocks = z.array(block, { error: 'must be an array of blocks' });

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return depth;
  const children: unknown = Array.isArray(value) ? value : (value as { children?: unknown }).children;
  if (!Array.isArray(children)) return depth;
  let deepest = depth;
  for (const child of children) {
    deepest = Math.max(deepest, depthOf(child, depth + 1));
    if (deepest > MAX_DEPTH) break;
  }
  return deepest;
}

/** Where in the document, as a reader finds it: "[2].children[0].url". */
function location(path: PropertyKey[]): string {
  return path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
}

/** Why a value is not a Strapi blocks document, or undefined when it is one. */
export function blocksProblem(value: unknown): string | undefined {
  if (depthOf(value) > MAX_DEPTH) return 'blocks are nested too deeply';
  const result = blocks.safeParse(value);
  if (result.success) return undefined;
  const [issue] = result.error.issues;
  return issue.path.length ? `${location(issue.path)}: ${issue.message}` : issue.message;
}
