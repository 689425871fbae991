// The form input of a `blocks` attribute: a Slate editor whose document is the Strapi 5 blocks
// value itself (./types.ts), so what is stored is exactly what @strapi/blocks-react-renderer renders.
// Loaded lazily (inputs.tsx): the sign-in page and forms without blocks do not download Slate.
import { Component, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Alert, Box, FormHelperText } from '@mui/material';
import { Labeled, useInput, useTranslate, ValidationError, type Validator } from 'react-admin';
import { createEditor, Editor, Node, Text, Transforms, type Descendant, type Point, type Range } from 'slate';
import { withHistory } from 'slate-history';
import { Editable, ReactEditor, Slate, withReact } from 'slate-react';
import { absoluteUrl, type MediaFile } from '../../media/api';
import { MediaLibraryDialog } from '../../media/MediaLibraryDialog';
import {
  canLink,
  emptyParagraph,
  isLink,
  indentListItem,
  outdentListItem,
  removeLink,
  insertImages,
  setLink,
  toggleModifier,
} from './commands';
import { LinkDialog } from './LinkDialog';
import { withStrapiBlocks } from './plugin';
import { renderElement, renderLeaf } from './render';
import { Toolbar } from './Toolbar';
import type { BlockImage, BlockNode, LinkNode, Modifier } from './types';

/** The media file's fields Strapi copies into an image block (its entity validator's list). */
function blockImageOf(file: MediaFile): BlockImage {
  return {
    name: file.name,
    alternativeText: file.alternativeText || file.name,
    // Absolute, as Strapi writes it: a site renders the block on its own origin.
    url: absoluteUrl(file.url),
    caption: file.caption,
    width: file.width ?? 0,
    height: file.height ?? 0,
    formats: file.formats,
    hash: file.hash,
    ext: file.ext,
    mime: file.mime,
    size: file.size,
    previewUrl: file.previewUrl,
    provider: file.provider,
    provider_metadata: file.provider_metadata,
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
  };
}

const isElementList = (value: unknown): value is BlockNode[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((n) => typeof n === 'object' && n !== null && Array.isArray((n as { children?: unknown }).children));

/** A stored document as the editor's start: an empty field starts as one empty paragraph. */
function documentOf(value: unknown): Descendant[] {
  return isElementList(value) ? value : [emptyParagraph()];
}

const SHORTCUTS: Record<string, Modifier> = { b: 'bold', i: 'italic', u: 'underline', e: 'code' };

interface EditorProps {
  label: string;
  initial: unknown;
  invalid: boolean;
  onChange: (value: Descendant[]) => void;
  onBlur: () => void;
}

function BlocksEditor({ label, initial, invalid, onChange, onBlur }: EditorProps) {
  const translate = useTranslate();
  const editor = useMemo(() => withStrapiBlocks(withHistory(withReact(createEditor()))), []);
  // Slate reads its initial value once; a new value from outside remounts this editor (below).
  const [initialValue] = useState(() => documentOf(initial));
  const [linkAt, setLinkAt] = useState<Range | null>(null);
  const [imageAt, setImageAt] = useState<Range | null | undefined>(undefined);

  const restore = (at: Range | null) => {
    if (at) Transforms.select(editor, at);
    ReactEditor.focus(editor);
  };
  // Where a dialog's result goes: the selection, else where it last was (a toolbar or dialog can take
  // focus and the DOM selection with it), else the end of the document.
  const lastSelection = useRef<Range | null>(null);
  const caret = (): Range => {
    const last = lastSelection.current;
    if (editor.selection) return editor.selection;
    return last && isPointIn(editor, last.anchor) && isPointIn(editor, last.focus)
      ? last
      : Editor.range(editor, Editor.end(editor, []));
  };
  const openLink = () => setLinkAt(caret());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && !event.shiftKey && key in SHORTCUTS) {
      event.preventDefault();
      toggleModifier(editor, SHORTCUTS[key]);
    } else if (mod && event.shiftKey && key === 'x') {
      event.preventDefault();
      toggleModifier(editor, 'strikethrough');
    } else if (mod && key === 'k') {
      event.preventDefault();
      if (canLink(editor)) openLink();
    } else if (event.key === 'Tab' && !mod && !event.altKey) {
      // Outside a list Tab keeps moving focus through the form.
      if (event.shiftKey ? outdentListItem(editor) : indentListItem(editor)) event.preventDefault();
    }
  };

  const link = linkAt ? activeLinkAt(editor, linkAt) : undefined;
  return (
    <Box sx={{ border: 1, borderColor: invalid ? 'error.main' : 'divider', borderRadius: 1, width: '100%' }}>
      <Slate
        editor={editor}
        initialValue={initialValue}
        onChange={(value) => {
          if (editor.selection) lastSelection.current = editor.selection;
          if (editor.operations.some((op) => op.type !== 'set_selection')) onChange(value);
        }}
      >
        <Toolbar label={label} onLink={openLink} onImage={() => setImageAt(caret())} />
        <Editable
          aria-label={label}
          aria-multiline
          renderElement={renderElement}
          renderLeaf={renderLeaf}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
          spellCheck
          style={{ minHeight: 160, padding: '4px 16px', outline: 'none' }}
        />
      </Slate>
      {linkAt ? (
        <LinkDialog
          initialUrl={link?.url ?? ''}
          askText={
            !link &&
            linkAt.anchor.offset === linkAt.focus.offset &&
            linkAt.anchor.path.join() === linkAt.focus.path.join()
          }
          onRemove={
            link
              ? () => {
                  setLinkAt(null);
                  restore(linkAt);
                  removeLink(editor);
                }
              : undefined
          }
          onClose={() => {
            setLinkAt(null);
            restore(linkAt);
          }}
          onSubmit={(url, text) => {
            setLinkAt(null);
            restore(linkAt);
            setLink(editor, url, text);
          }}
        />
      ) : null}
      <MediaLibraryDialog
        open={imageAt !== undefined}
        multiple
        allowedTypes={['images']}
        title={translate('folio.editor.insert_images', { field: label })}
        onClose={() => {
          const at = imageAt ?? null;
          setImageAt(undefined);
          restore(at);
        }}
        onSelect={(files) => {
          const at = imageAt ?? null;
          setImageAt(undefined);
          restore(at);
          insertImages(editor, files.map(blockImageOf));
        }}
      />
    </Box>
  );
}

/** Does the point still exist in the document (it may be from before a change)? */
function isPointIn(editor: Editor, point: Point): boolean {
  if (!Node.has(editor, point.path)) return false;
  const node = Node.get(editor, point.path);
  return Text.isText(node) && point.offset <= node.text.length;
}

function activeLinkAt(editor: Editor, at: Range): LinkNode | undefined {
  return Editor.above(editor, { at, match: isLink })?.[0];
}

/**
 * A stored value the editor cannot show (written before Folio checked blocks as Strapi does) is
 * shown as JSON text and left as it is, instead of taking the whole form down with it.
 */
class UnreadableContent extends Component<{ value: unknown; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return <UnreadableNotice value={this.props.value} />;
  }
}

/** What UnreadableContent shows instead (a function component: words come from a hook). */
function UnreadableNotice({ value }: { value: unknown }) {
  const translate = useTranslate();
  return (
    <Alert severity="warning">
      {translate('folio.editor.unreadable')}
      <Box component="pre" sx={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>
        {JSON.stringify(value, null, 2)}
      </Box>
    </Alert>
  );
}

/** Same content: a form may hand back a copy of what the editor emitted. */
const sameDocument = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

export interface BlocksInputProps {
  source: string;
  label: string;
  validate: Validator[];
}

export default function BlocksInput({ source, label, validate }: BlocksInputProps) {
  const { field, fieldState } = useInput({ source, validate });
  const value: unknown = field.value;
  // A value the editor did not write (the record loaded, the form reset after a save) restarts it.
  const emitted = useRef<unknown>(value);
  const generation = useRef(0);
  if (!sameDocument(value, emitted.current)) {
    emitted.current = value;
    generation.current += 1;
  }
  return (
    <Labeled label={label} fullWidth>
      <Box>
        <UnreadableContent key={generation.current} value={value}>
          <BlocksEditor
            label={label}
            initial={value}
            invalid={!!fieldState.error}
            onBlur={field.onBlur}
            onChange={(written) => {
              emitted.current = written;
              field.onChange(written);
            }}
          />
        </UnreadableContent>
        {/* A validator's message is a translation key (with arguments): ValidationError says it in words. */}
        {fieldState.error?.message ? (
          <FormHelperText error>
            <ValidationError error={fieldState.error.message} />
          </FormHelperText>
        ) : null}
      </Box>
    </Labeled>
  );
}
