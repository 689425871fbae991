// The form input of a `richtext` attribute: Markdown source (stored as is) with a formatting
// toolbar, Ctrl/Cmd+B, I, K, and a live preview beside it. The preview is react-markdown without raw
// HTML (skipHtml) and with its URL filter, so an entry's text can never run script in the dashboard.
// Loaded lazily (inputs.tsx) with its toolbar; react-markdown comes with it.
import { useRef, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { Box, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import { useInput, useTranslate, ValidationError, type Validator } from 'react-admin';
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

type Translate = ReturnType<typeof useTranslate>;
/** An edit of the text; `translate` gives the placeholder words typed where nothing was selected. */
type Format = (text: string, selection: TextSelection, translate: Translate) => TextEdit;

interface Tool {
  /** Translation key of the tool's name. */
  label: string;
  icon: ReactElement;
  format: Format;
  shortcut?: string;
}

const TOOLS: Tool[] = [
  {
    label: 'folio.editor.bold',
    shortcut: 'b',
    icon: <FormatBoldIcon fontSize="small" />,
    format: (t, s, tr) => wrapSelection(t, s, '**', '**', tr('folio.editor.placeholder.bold')),
  },
  {
    label: 'folio.editor.italic',
    shortcut: 'i',
    icon: <FormatItalicIcon fontSize="small" />,
    format: (t, s, tr) => wrapSelection(t, s, '_', '_', tr('folio.editor.placeholder.italic')),
  },
  {
    label: 'folio.editor.heading',
    icon: <TitleIcon fontSize="small" />,
    format: (t, s) => prefixLines(t, s, () => '## '),
  },
  {
    label: 'folio.editor.link',
    shortcut: 'k',
    icon: <InsertLinkIcon fontSize="small" />,
    format: (t, s, tr) => linkSelection(t, s, tr('folio.editor.placeholder.link')),
  },
  {
    label: 'folio.editor.bulleted_list',
    icon: <FormatListBulletedIcon fontSize="small" />,
    format: (t, s) => prefixLines(t, s, () => '- '),
  },
  {
    label: 'folio.editor.numbered_list',
    icon: <FormatListNumberedIcon fontSize="small" />,
    format: (t, s) => prefixLines(t, s, (i) => `${i + 1}. `),
  },
  {
    label: 'folio.editor.quote',
    icon: <FormatQuoteIcon fontSize="small" />,
    format: (t, s) => prefixLines(t, s, () => '> '),
  },
  {
    label: 'folio.editor.code',
    icon: <CodeIcon fontSize="small" />,
    format: (t, s, tr) => codeSelection(t, s, tr('folio.editor.placeholder.code')),
  },
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

const shortcutLabel = (translate: Translate, tool: Tool) =>
  tool.shortcut
    ? translate('folio.editor.with_shortcut', {
        action: translate(tool.label),
        shortcut: `Ctrl+${tool.shortcut.toUpperCase()}`,
      })
    : translate(tool.label);

export interface MarkdownInputProps {
  source: string;
  label: string;
  validate: Validator[];
}

export default function MarkdownInput({ source, label, validate }: MarkdownInputProps) {
  const translate = useTranslate();
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
  const run = (format: Format) => apply(format(area.current?.value ?? value, selection(), translate));

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
        aria-label={translate('folio.editor.toolbar', { field: label })}
        sx={{ flexWrap: 'wrap', gap: 0.5, mb: 0.5 }}
      >
        {TOOLS.map((tool) => (
          <Tooltip key={tool.label} title={shortcutLabel(translate, tool)}>
            <IconButton
              size="small"
              aria-label={shortcutLabel(translate, tool)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => run(tool.format)}
            >
              {tool.icon}
            </IconButton>
          </Tooltip>
        ))}
        <Tooltip title={translate('folio.editor.image_from_library')}>
          <IconButton
            size="small"
            aria-label={translate('folio.editor.image_from_library')}
            onClick={() => setPicking(selection())}
          >
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
          // A validator's message is a translation key (with arguments), not words: ValidationError says it.
          helperText={
            fieldState.error?.message ? (
              <ValidationError error={fieldState.error.message} />
            ) : (
              translate('folio.editor.markdown_help')
            )
          }
          sx={{ flex: 1, '& textarea': { fontFamily: 'monospace' } }}
        />
        <Box
          role="region"
          aria-label={translate('folio.editor.preview', { field: label })}
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
              {translate('folio.editor.nothing_to_preview')}
            </Typography>
          )}
        </Box>
      </Stack>
      <MediaLibraryDialog
        open={picking !== null}
        multiple
        allowedTypes={['images']}
        title={translate('folio.editor.insert_images', { field: label })}
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
