// `richtext` (Markdown) → sanitised HTML. CommonMark through markdown-it, with raw HTML allowed as
// Strapi's Markdown editor allows it (the sanitiser then decides what of it survives) and bare URLs
// turned into links; markdown-it already refuses javascript:, vbscript:, file: and data: link targets.
import MarkdownIt from 'markdown-it';
import { sanitize } from './sanitize.js';

const markdown = new MarkdownIt({ html: true, linkify: true });

/** The HTML of a Markdown text. */
export function markdownToHtml(source: string): string {
  return sanitize(markdown.render(source)).trimEnd();
}

/** Text escaped for HTML content and double-quoted attribute values. */
export const escapeHtml: (text: string) => string = markdown.utils.escapeHtml;
