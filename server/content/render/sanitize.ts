// The last step of every `render=html` answer: whatever produced the HTML (markdown-it, which passes
// an author's raw HTML through, or our blocks walk), it is sanitised here with one allowlist, so that a
// stored <script>, an event handler attribute or a javascript: link can never reach a site's page.
import sanitizeHtml from 'sanitize-html';

/** The schemes a link may keep; a relative href (no scheme) is kept too. */
const LINK_SCHEMES = ['http', 'https', 'mailto'];

const OPTIONS: sanitizeHtml.IOptions = {
  // sanitize-html's defaults are the text-level and structural tags of an article (no forms, no
  // frames, no media but images); images and edits are what Markdown and blocks produce besides.
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'ins'],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'srcset', 'sizes', 'alt', 'title', 'width', 'height'],
    code: ['class'],
    ol: ['start'],
    th: ['style'],
    td: ['style'],
  },
  // Fenced code names its language for syntax highlighters (markdown-it and blocks alike).
  allowedClasses: { code: ['language-*'] },
  // Markdown tables align their columns with an inline style; nothing else may be styled.
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  // <script> and <style> go with their content (sanitize-html's nonTextTags default).
  disallowedTagsMode: 'discard',
};

/** `html` with only the allowlisted tags, attributes and URL schemes left. */
export function sanitize(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/**
 * Whether a link may be followed from a site: http(s), mailto, or a relative URL. Parsed as the
 * browser would (URL strips the blanks and control characters that would hide a `javascript:`).
 */
export function isSafeHref(url: string): boolean {
  try {
    return LINK_SCHEMES.includes(new URL(url, 'https://folio.invalid/').protocol.slice(0, -1));
  } catch {
    return false;
  }
}

/** Whether an image URL may be shown: http(s) or relative (no data: or javascript: sources). */
export function isSafeSrc(url: string): boolean {
  try {
    const protocol = new URL(url, 'https://folio.invalid/').protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
