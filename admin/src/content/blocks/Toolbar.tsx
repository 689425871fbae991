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

const BLOCK_KINDS: { kind: TextBlockKind; label: string }[] = [
  { kind: 'paragraph', label: 'Paragraph' },
  ...([1, 2, 3, 4, 5, 6] as const).map((level) => ({
    kind: `heading-${level}` as TextBlockKind,
    label: `Heading ${level}`,
  })),
  { kind: 'quote', label: 'Quote' },
  { kind: 'code', label: 'Code block' },
];

export const MODIFIER_BUTTONS: { modifier: Modifier; label: string; shortcut: string; icon: ReactElement }[] = [
  { modifier: 'bold', label: 'Bold', shortcut: 'Ctrl+B', icon: <FormatBoldIcon fontSize="small" /> },
  { modifier: 'italic', label: 'Italic', shortcut: 'Ctrl+I', icon: <FormatItalicIcon fontSize="small" /> },
  { modifier: 'underline', label: 'Underline', shortcut: 'Ctrl+U', icon: <FormatUnderlinedIcon fontSize="small" /> },
  {
    modifier: 'strikethrough',
    label: 'Strikethrough',
    shortcut: 'Ctrl+Shift+X',
    icon: <FormatStrikethroughIcon fontSize="small" />,
  },
  { modifier: 'code', label: 'Inline code', shortcut: 'Ctrl+E', icon: <CodeIcon fontSize="small" /> },
];

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
      aria-label={`Formatting of ${label}`}
      sx={{ flexWrap: 'wrap', alignItems: 'center', gap: 0.5, p: 0.5, borderBottom: 1, borderColor: 'divider' }}
    >
      <Select
        size="small"
        value={menuValue}
        displayEmpty
        inputProps={{ 'aria-label': 'Block type' }}
        renderValue={(value) =>
          BLOCK_KINDS.find((b) => b.kind === value)?.label ??
          (kind === 'list-item' ? 'List' : kind === 'image' ? 'Image' : 'Paragraph')
        }
        onChange={(event) => act(() => setTextBlock(editor, event.target.value))()}
        sx={{ minWidth: 140 }}
      >
        {BLOCK_KINDS.map((b) => (
          <MenuItem key={b.kind} value={b.kind}>
            {b.label}
          </MenuItem>
        ))}
      </Select>
      <Divider orientation="vertical" flexItem />
      {MODIFIER_BUTTONS.map((m) => (
        <ToolButton
          key={m.modifier}
          label={`${m.label} (${m.shortcut})`}
          active={isModifierActive(editor, m.modifier)}
          onAct={act(() => toggleModifier(editor, m.modifier))}
        >
          {m.icon}
        </ToolButton>
      ))}
      <Divider orientation="vertical" flexItem />
      <ToolButton
        label="Bulleted list"
        active={list === 'unordered'}
        onAct={act(() => toggleList(editor, 'unordered'))}
      >
        <FormatListBulletedIcon fontSize="small" />
      </ToolButton>
      <ToolButton label="Numbered list" active={list === 'ordered'} onAct={act(() => toggleList(editor, 'ordered'))}>
        <FormatListNumberedIcon fontSize="small" />
      </ToolButton>
      <ToolButton label="Indent (Tab)" disabled={!list} onAct={act(() => indentListItem(editor))}>
        <FormatIndentIncreaseIcon fontSize="small" />
      </ToolButton>
      <ToolButton label="Outdent (Shift+Tab)" disabled={!list} onAct={act(() => outdentListItem(editor))}>
        <FormatIndentDecreaseIcon fontSize="small" />
      </ToolButton>
      <Divider orientation="vertical" flexItem />
      <ToolButton label="Link (Ctrl+K)" active={!!activeLink(editor)} disabled={!canLink(editor)} onAct={onLink}>
        <InsertLinkIcon fontSize="small" />
      </ToolButton>
      <ToolButton label="Image from the media library" onAct={onImage}>
        <ImageIcon fontSize="small" />
      </ToolButton>
    </Stack>
  );
}
