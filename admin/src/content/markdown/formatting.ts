// Markdown formatting as pure edits of (text, selection) → (replaced range, replacement, new
// selection), so the toolbar and the shortcuts share one definition and the textarea can apply an
// edit as typing (the browser's undo keeps working).

export interface TextSelection {
  start: number;
  end: number;
}

export interface TextEdit {
  /** The range of the original text replaced… */
  from: number;
  to: number;
  /** …by this. */
  insert: string;
  /** The selection afterwards, in the new text. */
  select: TextSelection;
}

/** Wraps the selection in a marker (**bold**), or puts the caret between two markers. */
export function wrapSelection(
  text: string,
  { start, end }: TextSelection,
  before: string,
  after = before,
  placeholder = '',
): TextEdit {
  const inner = text.slice(start, end) || placeholder;
  const insert = `${before}${inner}${after}`;
  return {
    from: start,
    to: end,
    insert,
    select: { start: start + before.length, end: start + before.length + inner.length },
  };
}

/** Prefixes every selected line ("## ", "- ", "1. ", "> "), numbering ordered lists. */
export function prefixLines(text: string, { start, end }: TextSelection, prefix: (index: number) => string): TextEdit {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  const to = lineEnd === -1 ? text.length : lineEnd;
  const insert = text
    .slice(from, to)
    .split('\n')
    .map((line, i) => `${prefix(i)}${line}`)
    .join('\n');
  return { from, to, insert, select: { start: from + insert.length, end: from + insert.length } };
}

/** `code` within a line (the placeholder when nothing is selected), a fenced block around several lines. */
export function codeSelection(text: string, selection: TextSelection, placeholder = ''): TextEdit {
  const selected = text.slice(selection.start, selection.end);
  if (!selected.includes('\n')) return wrapSelection(text, selection, '`', '`', placeholder);
  return wrapSelection(text, selection, '```\n', '\n```');
}

/** [text](url): the selected text becomes the link's text (the placeholder when nothing is selected). */
export function linkSelection(text: string, selection: TextSelection, placeholder: string, url = 'https://'): TextEdit {
  const label = text.slice(selection.start, selection.end) || placeholder;
  const insert = `[${label}](${url})`;
  const urlStart = selection.start + label.length + 3;
  return { from: selection.start, to: selection.end, insert, select: { start: urlStart, end: urlStart + url.length } };
}

/** Markdown image syntax; brackets in the alternative text would end it early. */
export function imageMarkdown(alt: string, url: string): string {
  return `![${alt.replace(/[[\]]/g, '')}](${url.replace(/[\s()]/g, (c) => encodeURIComponent(c))})`;
}

/** Images on their own lines at the caret. */
export function insertBlock(text: string, { start, end }: TextSelection, block: string): TextEdit {
  const before = start > 0 && text[start - 1] !== '\n' ? '\n\n' : '';
  const after = end < text.length && text[end] !== '\n' ? '\n\n' : '';
  const insert = `${before}${block}${after}`;
  const caret = start + before.length + block.length;
  return { from: start, to: end, insert, select: { start: caret, end: caret } };
}
