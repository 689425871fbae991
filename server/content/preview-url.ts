// A content type's preview URL template (`options.previewUrl`, docs/schema.md "Preview"): the address of
// the site's own page for a draft, e.g. `https://site.example/preview?slug={slug}&locale={locale}&token={token}`.
// `{name}` is an attribute of the document (its scalar value) or one of the values Folio adds: the
// locale, the documentId and the preview token. Every value is URL-encoded, so a title with `&` or `#`
// can never add a parameter or cut the URL short.

import type { SchemaModel } from '../schema/model.js';

/** The values every template may name besides the type's attributes. */
export const PREVIEW_VARIABLES = ['locale', 'documentId', 'token'] as const;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The names a template uses, each once. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Problems with a template for a type with these attributes (empty when it is valid): an absolute
 * http(s) URL once filled, naming only scalar attributes and Folio's own values.
 */
export function previewUrlProblems(template: string, scalarAttributes: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const name of placeholdersOf(template)) {
    if (!(PREVIEW_VARIABLES as readonly string[]).includes(name) && !scalarAttributes.has(name))
      problems.push(`{${name}} is neither an attribute with a plain value nor one of {locale}, {documentId}, {token}`);
  }
  let url: URL | undefined;
  try {
    url = new URL(template.replace(PLACEHOLDER, 'x'));
  } catch {
    problems.push('must be an absolute URL (https://…)');
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') problems.push('must be an http or https URL');
  return problems;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The template with every `{name}` replaced by its URL-encoded value (empty when the value is missing). */
export function fillPreviewUrl(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) =>
    encodeURIComponent(Object.hasOwn(values, name) ? text(values[name]) : ''),
  );
}

/**
 * The origin every URL of a template has, or undefined when a placeholder is part of it (a
 * `https://{slug}.site.example/…` names no one origin, and a frame-src cannot allow "any").
 */
export function previewOriginOf(template: string): string | undefined {
  try {
    const [one, other] = ['x', 'y'].map((filler) => new URL(template.replace(PLACEHOLDER, filler)).origin);
    return one === other && /^https?:/.test(one) ? one : undefined;
  } catch {
    return undefined;
  }
}

/** The origins of the schema's preview URLs, each once, sorted: what the dashboard may frame. */
export function previewOrigins(schema: SchemaModel): string[] {
  const origins = new Set<string>();
  for (const type of schema.contentTypes.values()) {
    const template = type.definition.options?.previewUrl;
    const origin = template ? previewOriginOf(template) : undefined;
    if (origin) origins.add(origin);
  }
  return [...origins].sort();
}
