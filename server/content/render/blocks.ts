// `blocks` (Strapi 5's blocks JSON, server/content/blocks.ts) → sanitised HTML, node by node as
// @strapi/blocks-react-renderer renders them by default, with two deliberate differences: a nested list
// goes inside the item before it (valid HTML; Strapi's JSON keeps it beside), and an image carries the
// file's formats as `srcset`. Stored values were validated on write, but documents written before a
// rule or straight into the database are walked defensively: an unknown node keeps only its text.
import { escapeHtml } from './markdown.js';
import { isSafeHref, isSafeSrc, sanitize } from './sanitize.js';

/** As deep as a stored document may nest (server/content/blocks.ts); deeper nodes are dropped. */
const MAX_DEPTH = 20;

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childrenOf(node: Node): Node[] {
  return Array.isArray(node.children) ? node.children.filter(isNode) : [];
}

/** Modifiers innermost first, each a tag of the default renderer (underline as <u>, not a style). */
const MODIFIERS: [string, string][] = [
  ['code', 'code'],
  ['strikethrough', 'del'],
  ['underline', 'u'],
  ['italic', 'em'],
  ['bold', 'strong'],
];

function textHtml(node: Node): string {
  if (typeof node.text !== 'string' || node.text === '') return '';
  // A line break typed in a paragraph is a newline in the text (Shift+Enter in Strapi's editor).
  let html = escapeHtml(node.text).replace(/\r\n?|\n/g, '<br />');
  for (const [modifier, tag] of MODIFIERS) if (node[modifier] === true) html = `<${tag}>${html}</${tag}>`;
  return html;
}

function inlineHtml(nodes: Node[], depth: number): string {
  return nodes.map((node) => inlineNodeHtml(node, depth + 1)).join('');
}

function inlineNodeHtml(node: Node, depth: number): string {
  if (depth > MAX_DEPTH) return '';
  if (node.type === 'text') return textHtml(node);
  const content = inlineHtml(childrenOf(node), depth);
  // A link whose target may not be followed keeps its text, without the link.
  if (node.type === 'link' && typeof node.url === 'string' && isSafeHref(node.url)) {
    return `<a href="${escapeHtml(node.url)}">${content}</a>`;
  }
  return content;
}

/** The text of a code block: its text nodes' text, modifiers ignored, line breaks kept. */
function plainText(nodes: Node[]): string {
  return nodes.map((node) => (typeof node.text === 'string' ? node.text : plainText(childrenOf(node)))).join('');
}

function codeHtml(node: Node): string {
  const language =
    typeof node.language === 'string' && /^[\w+#.-]{1,40}$/.test(node.language)
      ? ` class="language-${node.language}"`
      : '';
  return `<pre><code${language}>${escapeHtml(plainText(childrenOf(node)))}</code></pre>`;
}

function headingHtml(node: Node, depth: number): string {
  const level = typeof node.level === 'number' && Number.isInteger(node.level) ? node.level : 0;
  const tag = level >= 1 && level <= 6 ? `h${level}` : 'p';
  return `<${tag}>${inlineHtml(childrenOf(node), depth)}</${tag}>`;
}

function listHtml(node: Node, depth: number): string {
  if (depth > MAX_DEPTH) return '';
  const tag = node.format === 'ordered' ? 'ol' : 'ul';
  const items: string[] = [];
  for (const child of childrenOf(node)) {
    if (child.type === 'list') {
      const nested = listHtml(child, depth + 1);
      if (items.length) items[items.length - 1] += nested;
      else items.push(nested);
    } else {
      items.push(inlineHtml(childrenOf(child), depth + 1));
    }
  }
  return `<${tag}>${items.map((item) => `<li>${item}</li>`).join('')}</${tag}>`;
}

/**
 * A format of the media file: its URL and width, when it has both. A URL with a comma or a blank
 * cannot be told apart from the list's separators (Folio's own file names never have one): left out.
 */
function formatSource(format: unknown): { url: string; width: number } | undefined {
  if (!isNode(format) || typeof format.url !== 'string' || typeof format.width !== 'number') return undefined;
  return isSafeSrc(format.url) && !/[\s,]/.test(format.url) ? { url: format.url, width: format.width } : undefined;
}

/** `srcset` from the original and its formats (thumbnail, small, medium, large), narrowest first. */
function srcsetOf(image: Node): string | undefined {
  const formats = isNode(image.formats) ? Object.values(image.formats) : [];
  const sources = [...formats, image].map(formatSource).filter((s) => s !== undefined);
  if (sources.length < 2) return undefined;
  sources.sort((a, b) => a.width - b.width);
  return sources.map((s) => `${s.url} ${s.width}w`).join(', ');
}

function imageHtml(node: Node): string {
  const image = node.image;
  if (!isNode(image) || typeof image.url !== 'string' || !isSafeSrc(image.url)) return '';
  const attributes = [`src="${escapeHtml(image.url)}"`];
  attributes.push(`alt="${escapeHtml(typeof image.alternativeText === 'string' ? image.alternativeText : '')}"`);
  const { width, height } = image;
  if (typeof width === 'number' && typeof height === 'number') attributes.push(`width="${width}" height="${height}"`);
  const srcset = srcsetOf(image);
  if (srcset) {
    attributes.push(`srcset="${escapeHtml(srcset)}"`);
    // Never wider than the original: the browser picks the narrowest format that fills the slot.
    if (typeof width === 'number') attributes.push(`sizes="(max-width: ${width}px) 100vw, ${width}px"`);
  }
  const img = `<img ${attributes.join(' ')} />`;
  const caption = typeof image.caption === 'string' ? image.caption.trim() : '';
  return caption ? `<figure>${img}<figcaption>${escapeHtml(caption)}</figcaption></figure>` : img;
}

function blockHtml(node: Node): string {
  switch (node.type) {
    case 'paragraph':
      return `<p>${inlineHtml(childrenOf(node), 1)}</p>`;
    case 'heading':
      return headingHtml(node, 1);
    case 'quote':
      return `<blockquote>${inlineHtml(childrenOf(node), 1)}</blockquote>`;
    case 'code':
      return codeHtml(node);
    case 'list':
      return listHtml(node, 1);
    case 'image':
      return imageHtml(node);
    default:
      return inlineHtml(childrenOf(node), 1);
  }
}

/** The HTML of a blocks document; anything but a list of blocks (a legacy value) renders as nothing. */
export function blocksToHtml(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return sanitize(value.filter(isNode).map(blockHtml).join(''));
}
