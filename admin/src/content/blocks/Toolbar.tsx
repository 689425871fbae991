// The blocks editor's toolbar: block type, text modifiers, lists, link and image. Buttons keep the
// editor's selection (mouse-down does not take focus), so they act on what the editor selected.
import type { ReactElement } from 'react';
import { Divider, IconButton, MenuItem, Select, Stack, Tooltip } from '@mui/material';
import FormatBoldIcon from '@mui/icons-material/FormatBold';
import FormatItalicIcon from '@mui/icons-material/FormatItalic';
import FormatUnderlinedIcon from '@mui/icons-material/FormatUnderlined';
import FormatStrikethroughIcon from '@mui/icons-material/FormatStrikethrough';
import CodeIcon from '@mui/icons-material/Code';
import FormatListBulletedIcon from '@mui/icons-material/FormatListBulleted';
import FormatListNumberedIcon from '@mui/icons-material/FormatListNumbered';
import FormatIndentIncreaseIcon from '@mui/icons-material/FormatIndentIncrease';
import FormatIndentDecreaseIcon from '@mui/icons-material/FormatIndentDecrease';
import InsertLinkIcon from '@mui/icons-material/InsertLink';
import ImageIcon from '@mui/icons-material/Image';
import { useTranslate } from 'react-admin';
import { ReactEditor, useSlate } from 'slate-react';
import {
  activeLink,
  canLink,
  activeListFormat,
  blockKind,
  indentListItem,
  isModifierActive,
  outdentListItem,
  setTextBlock,
  toggleList,
  toggleModifier,
  type TextBlockKind,
} from './commands';
import type { Modifier } from './types';

type Translate = ReturnType<typeof useTranslate>;

/** The text styles of the menu, their words as translation keys. */
const BLOCK_KINDS: { kind: TextBlockKind; label: string; level?: number }[] = [
  { kind: 'paragraph', label: 'folio.editor.paragraph' },
  ...([1, 2, 3, 4, 5, 6] as const).map((level) => ({
    kind: `heading-${level}` as TextBlockKind,
    label: 'folio.editor.heading_level',
    level,
  })),
  { kind: 'quote', label: 'folio.editor.quote' },
  { kind: 'code', label: 'folio.editor.code_block' },
];

const blockKindLabel = (translate: Translate, b: (typeof BLOCK_KINDS)[number]) =>
  translate(b.label, { level: b.level });

export const MODIFIER_BUTTONS: { modifier: Modifier; label: string; shortcut: string; icon: ReactElement }[] = [
  { modifier: 'bold', label: 'folio.editor.bold', shortcut: 'Ctrl+B', icon: <FormatBoldIcon fontSize="small" /> },
  {
    modifier: 'italic',
    label: 'folio.editor.italic',
    shortcut: 'Ctrl+I',
    icon: <FormatItalicIcon fontSize="small" />,
  },
  {
    modifier: 'underline',
    label: 'folio.editor.underline',
    shortcut: 'Ctrl+U',
    icon: <FormatUnderlinedIcon fontSize="small" />,
  },
  {
    modifier: 'strikethrough',
    label: 'folio.editor.strikethrough',
    shortcut: 'Ctrl+Shift+X',
    icon: <FormatStrikethroughIcon fontSize="small" />,
  },
  { modifier: 'code', label: 'folio.editor.inline_code', shortcut: 'Ctrl+E', icon: <CodeIcon fontSize="small" /> },
];

/** "Bold (Ctrl+B)": a tool's words with its keyboard shortcut. */
export const withShortcut = (translate: Translate, label: string, shortcut: string) =>
  translate('folio.editor.with_shortcut', { action: translate(label), shortcut });

interface ToolButtonProps {
  label: string;
  active?: boolean;
  disabled?: boolean;
  onAct: () => void;
  children: ReactElement;
}

function ToolButton({ label, active, disabled, onAct, children }: ToolButtonProps) {
  return (
    <Tooltip title={label}>
      <span>
        <IconButton
          size="small"
          aria-label={label}
          aria-pressed={active === undefined ? undefined : active}
          disabled={disabled}
          color={active ? 'primary' : 'default'}
          onMouseDown={(event) => event.preventDefault()}
          onClick={onAct}
        >
          {children}
        </IconButton>
      </span>
    </Tooltip>
  );
}

export function Toolbar({ label, onLink, onImage }: { label: string; onLink: () => void; onImage: () => void }) {
  const translate = useTranslate();
  const editor = useSlate();
  const kind = blockKind(editor);
  const list = activeListFormat(editor);
  const act = (command: () => void) => () => {
    command();
    ReactEditor.focus(editor);
  };
  const menuValue = kind === 'list-item' || kind === 'image' || kind === undefined ? '' : kind;
  return (
    <Stack
      direction="row"
      role="toolbar"
      aria-label={translate('folio.editor.toolbar', { field: label })}
      sx={{ flexWrap: 'wrap', alignItems: 'center', gap: 0.5, p: 0.5, borderBottom: 1, borderColor: 'divider' }}
    >
      <Select
        size="small"
        value={menuValue}
        displayEmpty
        inputProps={{ 'aria-label': translate('folio.editor.text_style') }}
        renderValue={(value) => {
          const chosen = BLOCK_KINDS.find((b) => b.kind === value);
          if (chosen) return blockKindLabel(translate, chosen);
          return translate(
            kind === 'list-item'
              ? 'folio.editor.list'
              : kind === 'image'
                ? 'folio.editor.image'
                : 'folio.editor.paragraph',
          );
        }}
        onChange={(event) => act(() => setTextBlock(editor, event.target.value))()}
        sx={{ minWidth: 140 }}
      >
        {BLOCK_KINDS.map((b) => (
          <MenuItem key={b.kind} value={b.kind}>
            {blockKindLabel(translate, b)}
          </MenuItem>
        ))}
      </Select>
      <Divider orientation="vertical" flexItem />
      {MODIFIER_BUTTONS.map((m) => (
        <ToolButton
          key={m.modifier}
          label={withShortcut(translate, m.label, m.shortcut)}
          active={isModifierActive(editor, m.modifier)}
          onAct={act(() => toggleModifier(editor, m.modifier))}
        >
          {m.icon}
        </ToolButton>
      ))}
      <Divider orientation="vertical" flexItem />
      <ToolButton
        label={translate('folio.editor.bulleted_list')}
        active={list === 'unordered'}
        onAct={act(() => toggleList(editor, 'unordered'))}
      >
        <FormatListBulletedIcon fontSize="small" />
      </ToolButton>
      <ToolButton
        label={translate('folio.editor.numbered_list')}
        active={list === 'ordered'}
        onAct={act(() => toggleList(editor, 'ordered'))}
      >
        <FormatListNumberedIcon fontSize="small" />
      </ToolButton>
      <ToolButton
        label={withShortcut(translate, 'folio.editor.indent', 'Tab')}
        disabled={!list}
        onAct={act(() => indentListItem(editor))}
      >
        <FormatIndentIncreaseIcon fontSize="small" />
      </ToolButton>
      <ToolButton
        label={withShortcut(translate, 'folio.editor.outdent', 'Shift+Tab')}
        disabled={!list}
        onAct={act(() => outdentListItem(editor))}
      >
        <FormatIndentDecreaseIcon fontSize="small" />
      </ToolButton>
      <Divider orientation="vertical" flexItem />
      <ToolButton
        label={withShortcut(translate, 'folio.editor.link', 'Ctrl+K')}
        active={!!activeLink(editor)}
        disabled={!canLink(editor)}
        onAct={onLink}
      >
        <InsertLinkIcon fontSize="small" />
      </ToolButton>
      <ToolButton label={translate('folio.editor.image_from_library')} onAct={onImage}>
        <ImageIcon fontSize="small" />
      </ToolButton>
    </Stack>
  );
}
