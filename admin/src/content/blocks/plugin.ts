// Teaches a Slate editor Strapi's blocks schema: links are inline, images are void, every text node
// carries `type: "text"`, a list-item lives only in a list and a list that lost its items goes.
// Slate's own normalisation does the rest (adjacent equal text runs merge, text around links).
import { Editor, Element, Node, Text, Transforms } from 'slate';
import { emptyParagraph, handleBackspaceAtStart, handleBreak, isList } from './commands';

export function withStrapiBlocks(editor: Editor): Editor {
  const { isInline, isVoid, normalizeNode, insertBreak, deleteBackward } = editor;

  editor.isInline = (element) => element.type === 'link' || isInline(element);
  editor.isVoid = (element) => element.type === 'image' || isVoid(element);

  editor.insertBreak = () => {
    if (!handleBreak(editor)) insertBreak();
  };
  // Shift+Enter: a line break inside the block, as Strapi stores it ("\n" in the text).
  editor.insertSoftBreak = () => editor.insertText('\n');
  editor.deleteBackward = (unit) => {
    if (unit !== 'character' || !handleBackspaceAtStart(editor)) deleteBackward(unit);
  };

  editor.normalizeNode = (entry, options) => {
    const [node, path] = entry;
    if (Text.isText(node)) {
      if (node.type !== 'text') {
        Transforms.setNodes(editor, { type: 'text' }, { at: path });
        return;
      }
    } else if (Editor.isEditor(node)) {
      if (node.children.length === 0) {
        Transforms.insertNodes(editor, emptyParagraph(), { at: [0] });
        return;
      }
    } else if (node.type === 'list' && !node.children.some((child) => Element.isElement(child))) {
      Transforms.removeNodes(editor, { at: path });
      return;
    } else if (node.type === 'list-item' && !isList(Node.parent(editor, path))) {
      Transforms.setNodes(editor, { type: 'paragraph' }, { at: path });
      return;
    }
    normalizeNode(entry, options);
  };

  return editor;
}
