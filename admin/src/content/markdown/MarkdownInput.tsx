// The form input of a `richtext` attribute: Markdown source (stored as is) with a formatting
// toolbar, Ctrl/Cmd+B, I, K, and a live preview beside it. The preview is react-markdown without raw
// HTML (skipHtml) and with its URL filter, so an entry's text can never run script in the dashboard.
// Loaded lazily (inputs.tsx) with its toolbar; react-markdown comes with it.
import { useRef, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { Box, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import { useInput, type Validator } from 'react-admin';
import ReactMarkdown from 'react-markdown';
import FormatBoldIcon from '@mui/icons-material/FormatBold';
import FormatItalicIcon from '@mui/icons-material/FormatItalic';
import TitleIcon from '@mui/icons-material/Title';
import InsertLinkIcon from '@mui/icons-material/InsertLink';
import FormatListBulletedIcon from '@mui/icons-material/FormatListBulleted';
import FormatListNumberedIcon from '@mui/icons-material/FormatListNumbered';
import FormatQuoteIcon from '@mui/icons-material/FormatQuote';
import CodeIcon from '@mui/icons-material/Code';
import ImageIcon from '@mui/icons-material/Image';
import { absoluteUrl } from '../../media/api';
import { MediaLibraryDialog } from '../../media/MediaLibraryDialog';
import {
  codeSelection,
  imageMarkdown,
  insertBlock,
  linkSelection,
  prefixLines,
  wrapSelection,
  type TextEdit,
  type TextSelection,
} from './formatting';

type Format = (text: string, selection: TextSelection) => TextEdit;

interface Tool {
  label: string;
  icon: ReactElement;
  format: Format;
  shortcut?: string;
}

const TOOLS: Tool[] = [
  {
    label: 'Bold',
    shortcut: 'b',
    icon: <FormatBoldIcon fontSize="small" />,
    format: (t, s) => wrapSelection(t, s, '**', '**', 'bold text'),
  },
  {
    label: 'Italic',
    shortcut: 'i',
    icon: <FormatItalicIcon fontSize="small" />,
    format: (t, s) => wrapSelection(t, s, '_', '_', 'italic text'),
  },
  { label: 'Heading', icon: <TitleIcon fontSize="small" />, format: (t, s) => prefixLines(t, s, () => '## ') },
  { label: 'Link', shortcut: 'k', icon: <InsertLinkIcon fontSize="small" />, format: (t, s) => linkSelection(t, s) },
  {
    label: 'Bulleted list',
    icon: <FormatListBulletedIcon fontSize="small" />,
    format: (t, s) => prefixLines(t, s, () => '- '),
  },
  {
    label: 'Numbered list',
    icon: <FormatListNumberedIcon fontSize="small" />,
    format: (t, s) => prefixLines(t, s, (i) => `${i + 1}. `),
  },
  { label: 'Quote', icon: <FormatQuoteIcon fontSize="small" />, format: (t, s) => prefixLines(t, s, () => '> ') },
  { label: 'Code', icon: <CodeIcon fontSize="small" />, format: codeSelection },
];

// A link followed from the preview opens beside the form: leaving would put the unsaved text at risk.
const PREVIEW_COMPONENTS = {
  a: ({ href, children }: { href?: string; children?: ReactNode }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
};

const SHORTCUT_KEYS = new Map(TOOLS.filter((t) => t.shortcut).map((t) => [t.shortcut as string, t]));

const shortcutLabel = (tool: Tool) =>
  tool.shortcut ? `${tool.label} (Ctrl+${tool.shortcut.toUpperCase()})` : tool.label;

export interface MarkdownInputProps {
  source: string;
  label: string;
  validate: Validator[];
}

export default function MarkdownInput({ source, label, validate }: MarkdownInputProps) {
  const { field, fieldState, isRequired } = useInput({ source, validate });
  const area = useRef<HTMLTextAreaElement | null>(null);
  const [picking, setPicking] = useState<TextSelection | null>(null);
  const value = typeof field.value === 'string' ? field.value : '';

  /** Applies an edit as typing, so the browser's undo takes it back; a direct change where it cannot. */
  const apply = (edit: TextEdit) => {
    const textarea = area.current;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(edit.from, edit.to);
    if (!document.execCommand('insertText', false, edit.insert)) {
      field.onChange(`${value.slice(0, edit.from)}${edit.insert}${value.slice(edit.to)}`);
    }
    textarea.setSelectionRange(edit.select.start, edit.select.end);
  };
  const selection = (): TextSelection => ({
    start: area.current?.selectionStart ?? value.length,
    end: area.current?.selectionEnd ?? value.length,
  });
  const run = (format: Format) => apply(format(area.current?.value ?? value, selection()));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
    const tool = SHORTCUT_KEYS.get(event.key.toLowerCase());
    if (!tool) return;
    event.preventDefault();
    run(tool.format);
  };

  return (
    <Box sx={{ width: '100%', mb: 2 }}>
      <Stack
        direction="row"
        role="toolbar"
        aria-label={`Formatting of ${label}`}
        sx={{ flexWrap: 'wrap', gap: 0.5, mb: 0.5 }}
      >
        {TOOLS.map((tool) => (
          <Tooltip key={tool.label} title={shortcutLabel(tool)}>
            <IconButton
              size="small"
              aria-label={shortcutLabel(tool)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => run(tool.format)}
            >
              {tool.icon}
            </IconButton>
          </Tooltip>
        ))}
        <Tooltip title="Image from the media library">
          <IconButton size="small" aria-label="Image from the media library" onClick={() => setPicking(selection())}>
            <ImageIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'stretch' }}>
        <TextField
          {...field}
          value={value}
          inputRef={(el: HTMLTextAreaElement | null) => {
            area.current = el;
            field.ref(el);
          }}
          label={label}
          required={isRequired}
          multiline
          minRows={10}
          fullWidth
          onKeyDown={onKeyDown}
          error={!!fieldState.error}
          helperText={fieldState.error?.message ?? 'Markdown'}
          sx={{ flex: 1, '& textarea': { fontFamily: 'monospace' } }}
        />
        <Box
          role="region"
          aria-label={`Preview of ${label}`}
          sx={{
            flex: 1,
            minWidth: 0,
            minHeight: 160,
            px: 2,
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
            overflowWrap: 'anywhere',
            '& img': { maxWidth: '100%' },
            '& pre': { overflowX: 'auto' },
          }}
        >
          {value ? (
            <ReactMarkdown skipHtml components={PREVIEW_COMPONENTS}>
              {value}
            </ReactMarkdown>
          ) : (
            <Typography color="text.secondary" sx={{ py: 2 }}>
              Nothing to preview yet.
            </Typography>
          )}
        </Box>
      </Stack>
      <MediaLibraryDialog
        open={picking !== null}
        multiple
        allowedTypes={['images']}
        title={`Insert images into ${label}`}
        onClose={() => setPicking(null)}
        onSelect={(files) => {
          const at = picking ?? selection();
          setPicking(null);
          if (!files.length) return;
          const block = files.map((f) => imageMarkdown(f.alternativeText || f.name, absoluteUrl(f.url))).join('\n\n');
          apply(insertBlock(area.current?.value ?? value, at, block));
        }}
      />
    </Box>
  );
}
