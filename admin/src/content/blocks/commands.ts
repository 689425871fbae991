// What the toolbar and the keyboard do to a blocks document, as Slate transforms that keep it in
// Strapi's shape: lists hold list-items and nested lists (one indentLevel deeper), links are inline,
// images are void blocks holding the media file's fields. Each command is one undoable step.
import { Editor, Element, Node, Path, Point, Range, Transforms, type NodeEntry } from 'slate';
import type {
  BlockImage,
  ElementNode,
  HeadingLevel,
  ImageNode,
  LinkNode,
  ListFormat,
  ListItemNode,
  ListNode,
  Modifier,
  ParagraphNode,
  TextNode,
} from './types';

export type TextBlockKind = 'paragraph' | 'quote' | 'code' | `heading-${HeadingLevel}`;

const emptyText = (): TextNode => ({ type: 'text', text: '' });
export const emptyParagraph = (): ParagraphNode => ({ type: 'paragraph', children: [emptyText()] });

export const isList = (node: Node): node is ListNode => Element.isElement(node) && node.type === 'list';
export const isListItem = (node: Node): node is ListItemNode => Element.isElement(node) && node.type === 'list-item';
export const isLink = (node: Node): node is LinkNode => Element.isElement(node) && node.type === 'link';

/** A block that holds text (or an image): what the block-type menu and Enter act on. */
const isLeafBlock = (editor: Editor, node: Node): node is ElementNode =>
  Element.isElement(node) && Editor.isBlock(editor, node) && node.type !== 'list';

export function currentBlock(editor: Editor): NodeEntry<ElementNode> | undefined {
  if (!editor.selection) return undefined;
  return Editor.above(editor, { match: (n) => isLeafBlock(editor, n) });
}

/** The kind of the block at the selection, as the block-type menu names it. */
export function blockKind(editor: Editor): TextBlockKind | 'list-item' | 'image' | undefined {
  const [node] = currentBlock(editor) ?? [];
  if (!node) return undefined;
  if (node.type === 'heading') return `heading-${node.level}`;
  if (node.type === 'link' || node.type === 'list') return undefined;
  return node.type;
}

export function isModifierActive(editor: Editor, modifier: Modifier): boolean {
  return Editor.marks(editor)?.[modifier] === true;
}

/** Strapi leaves an unset modifier out of the text node (never `false`): removeMark does the same. */
export function toggleModifier(editor: Editor, modifier: Modifier): void {
  if (isModifierActive(editor, modifier)) Editor.removeMark(editor, modifier);
  else Editor.addMark(editor, modifier, true);
}

function liftOutOfLists(editor: Editor): void {
  Transforms.unwrapNodes(editor, { match: isList, split: true, mode: 'all' });
}

/** Paragraph, heading, quote or code for the selected blocks (list items leave their list). */
export function setTextBlock(editor: Editor, kind: TextBlockKind): void {
  const textBlocks = (n: Node) => isLeafBlock(editor, n) && n.type !== 'image';
  Editor.withoutNormalizing(editor, () => {
    liftOutOfLists(editor);
    Transforms.unsetNodes(editor, ['level', 'language', 'format', 'indentLevel'], { match: textBlocks });
    if (kind.startsWith('heading-')) {
      const level = Number(kind.slice('heading-'.length)) as HeadingLevel;
      Transforms.setNodes(editor, { type: 'heading', level }, { match: textBlocks });
    } else {
      Transforms.setNodes(editor, { type: kind as 'paragraph' | 'quote' | 'code' }, { match: textBlocks });
    }
    if (kind === 'code') unlinkCodeBlocks(editor);
  });
}

/** A code block holds text only (Strapi refuses a link in one): its links become their text. */
function unlinkCodeBlocks(editor: Editor): void {
  const codeBlocks = Array.from(Editor.nodes(editor, { match: (n) => Element.isElement(n) && n.type === 'code' }));
  for (const [, path] of codeBlocks.reverse()) Transforms.unwrapNodes(editor, { at: path, match: isLink, mode: 'all' });
}

/** Links go in text blocks, not in code. */
export function canLink(editor: Editor): boolean {
  const [node] = currentBlock(editor) ?? [];
  return node?.type !== 'code' && node?.type !== 'image';
}

export function activeListFormat(editor: Editor): ListFormat | undefined {
  if (!editor.selection) return undefined;
  const [entry] = Editor.nodes(editor, { match: isList, mode: 'lowest' });
  return entry ? entry[0].format : undefined;
}

/** Into a list of this format, switch the list's format, or (already that format) back to paragraphs. */
export function toggleList(editor: Editor, format: ListFormat): void {
  const current = activeListFormat(editor);
  if (current === format) {
    setTextBlock(editor, 'paragraph');
    return;
  }
  if (current) {
    Transforms.setNodes(editor, { format }, { match: isList, mode: 'lowest' });
    return;
  }
  const textBlocks = (n: Node) => isLeafBlock(editor, n) && n.type !== 'image';
  Editor.withoutNormalizing(editor, () => {
    Transforms.unsetNodes(editor, ['level', 'language'], { match: textBlocks });
    Transforms.setNodes(editor, { type: 'list-item' }, { match: textBlocks });
    Transforms.wrapNodes(editor, { type: 'list', format, children: [] }, { match: isListItem });
  });
}

function listItemAtSelection(editor: Editor): NodeEntry<ListItemNode> | undefined {
  if (!editor.selection) return undefined;
  return Editor.above(editor, { match: isListItem });
}

/** Tab: the item joins a list nested under the previous item. Returns false outside lists. */
export function indentListItem(editor: Editor): boolean {
  const entry = listItemAtSelection(editor);
  if (!entry) return false;
  const [, path] = entry;
  if (!Path.hasPrevious(path)) return true; // the first item has nothing to nest under
  const parent = Node.parent(editor, path) as ListNode;
  const previousPath = Path.previous(path);
  const previous = Node.get(editor, previousPath);
  if (isList(previous)) {
    Transforms.moveNodes(editor, { at: path, to: [...previousPath, previous.children.length] });
  } else {
    const nested: ListNode = {
      type: 'list',
      format: parent.format,
      indentLevel: (parent.indentLevel ?? 0) + 1,
      children: [],
    };
    Transforms.wrapNodes(editor, nested, { at: path });
  }
  return true;
}

/** Shift+Tab: the item moves one list up; from a top-level list it becomes a paragraph. */
export function outdentListItem(editor: Editor): boolean {
  const entry = listItemAtSelection(editor);
  if (!entry) return false;
  const [, path] = entry;
  const parentPath = Path.parent(path);
  const grandparent = Node.parent(editor, parentPath);
  Editor.withoutNormalizing(editor, () => {
    Transforms.liftNodes(editor, { at: path });
    if (!isList(grandparent)) {
      // liftNodes left the item at the list's level: find it again from the selection.
      Transforms.setNodes<ElementNode>(
        editor,
        { type: 'paragraph' },
        { match: (n: Node) => isListItem(n), mode: 'lowest' },
      );
    }
  });
  return true;
}

export function activeLink(editor: Editor): NodeEntry<LinkNode> | undefined {
  if (!editor.selection) return undefined;
  return Editor.above(editor, { match: isLink });
}

/** Links to `url`: the link at the selection, the selected text, or `text` inserted at the caret. */
export function setLink(editor: Editor, url: string, text: string): void {
  if (!canLink(editor)) return;
  const active = activeLink(editor);
  if (active) {
    Transforms.setNodes(editor, { url }, { at: active[1] });
    return;
  }
  const { selection } = editor;
  if (!selection) return;
  if (Range.isExpanded(selection)) {
    Transforms.wrapNodes(editor, { type: 'link', url, children: [] }, { split: true });
    Transforms.collapse(editor, { edge: 'end' });
    return;
  }
  const link: LinkNode = { type: 'link', url, children: [{ type: 'text', text: text || url }] };
  Transforms.insertNodes(editor, link);
  // Typing goes on after the link, not inside it (normalisation put a text node there).
  const inserted = Editor.above(editor, { match: isLink });
  if (inserted) Transforms.select(editor, { path: Path.next(inserted[1]), offset: 0 });
}

export function removeLink(editor: Editor): void {
  Transforms.unwrapNodes(editor, { match: isLink });
}

/** Images replace an empty paragraph at the selection or go after the selected block. */
export function insertImages(editor: Editor, images: BlockImage[]): void {
  if (!images.length) return;
  const nodes: ImageNode[] = images.map((image) => ({ type: 'image', image, children: [emptyText()] }));
  const top = editor.selection ? editor.selection.anchor.path[0] : editor.children.length - 1;
  const topNode = editor.children[top];
  Editor.withoutNormalizing(editor, () => {
    let at = [top + 1];
    if (topNode && Element.isElement(topNode) && topNode.type === 'paragraph' && Editor.isEmpty(editor, topNode)) {
      Transforms.removeNodes(editor, { at: [top] });
      at = [top];
    }
    Transforms.insertNodes(editor, nodes, { at });
    const after = [at[0] + nodes.length];
    // Somewhere to go on writing after an image that ends the document.
    if (after[0] >= editor.children.length) Transforms.insertNodes(editor, emptyParagraph(), { at: after });
    Transforms.select(editor, Editor.start(editor, after));
  });
}

const atBlockStart = (editor: Editor, path: Path): boolean =>
  !!editor.selection &&
  Range.isCollapsed(editor.selection) &&
  Point.equals(editor.selection.anchor, Editor.start(editor, path));

/**
 * Enter as an editor expects it: a new line inside code, out of a list from an empty item, a
 * paragraph after a heading or a quote, a paragraph after an image. Returns false for the default split.
 */
export function handleBreak(editor: Editor): boolean {
  const entry = currentBlock(editor);
  if (!entry || !editor.selection) return false;
  const [node, path] = entry;
  if (node.type === 'code') {
    editor.insertText('\n');
    return true;
  }
  if (node.type === 'list-item' && Editor.isEmpty(editor, node)) return outdentListItem(editor);
  const atEnd = Range.isCollapsed(editor.selection) && Point.equals(editor.selection.anchor, Editor.end(editor, path));
  if (node.type === 'image' || ((node.type === 'heading' || node.type === 'quote') && atEnd)) {
    Transforms.insertNodes(editor, emptyParagraph(), { at: Path.next(path), select: true });
    return true;
  }
  return false;
}

/** Backspace at the start of a list item, heading, quote or code block first makes it a paragraph. */
export function handleBackspaceAtStart(editor: Editor): boolean {
  const entry = currentBlock(editor);
  if (!entry || !atBlockStart(editor, entry[1])) return false;
  const [node] = entry;
  if (node.type === 'list-item') return outdentListItem(editor);
  if (node.type === 'heading' || node.type === 'quote' || node.type === 'code') {
    setTextBlock(editor, 'paragraph');
    return true;
  }
  return false;
}
