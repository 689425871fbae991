// A secret or a link shown for copying: a read-only text field (always selectable, the fallback
// where the clipboard is not available: plain http, a denied permission) and a Copy button.
import { useRef } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { Button, Stack, TextField } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';

/** Copies `text`; false when the browser has no clipboard for this page or refuses it. */
async function toClipboard(text: string): Promise<boolean> {
  // navigator.clipboard is undefined outside secure contexts, whatever its type says.
  const clipboard = navigator.clipboard as Clipboard | undefined;
  if (!clipboard) return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function CopyField({ value, label }: { value: string; label: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    if (await toClipboard(value)) {
      notify('folio.copy.copied', { type: 'info' });
      return;
    }
    input.current?.focus();
    input.current?.select();
    notify('folio.copy.select', { type: 'warning' });
  };
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', width: '100%' }}>
      <TextField
        value={value}
        label={label}
        fullWidth
        size="small"
        inputRef={input}
        onFocus={(event) => event.target.select()}
        slotProps={{ input: { readOnly: true }, htmlInput: { spellCheck: false } }}
        variant="outlined"
      />
      <Button startIcon={<ContentCopyIcon />} onClick={() => void copy()} variant="outlined">
        {translate('folio.copy.copy')}
      </Button>
    </Stack>
  );
}
