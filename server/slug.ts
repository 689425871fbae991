// One slug rule for every name Folio derives from text (uid attributes, role codes, stored file
// names): accents folded to ASCII, lower case, every other run of characters one separator.

export interface SlugOptions {
  /** What joins the words (default '-'). */
  separator?: '-' | '_';
  /** Punctuation kept as is, e.g. '._~' for a uid attribute (UID_FORMAT allows them). */
  keep?: string;
}

/** `Héllo, World!` → `hello-world`; empty when `text` has no ASCII letter or digit. */
export function slugify(text: string, { separator = '-', keep = '' }: SlugOptions = {}): string {
  const others = new RegExp(`[^a-z0-9${keep.replace(/[\\\]^-]/g, '\\$&')}]+`, 'g');
  const ends = new RegExp(`^${separator}+|${separator}+$`, 'g');
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(others, separator)
    .replace(ends, '');
}
