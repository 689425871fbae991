// Asks for a link's address (and, at a caret, its text). Accepts what Strapi's validator accepts:
// an absolute URL or a path from the site root, never a javascript:, vbscript: or data: URL.
import { useState, type FormEvent } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';

const BLOCKED_PROTOCOLS = new Set(['javascript:', 'vbscript:', 'data:']);

/** What is wrong with an address, as a translation key and its arguments; undefined when nothing is. */
export function linkProblem(url: string): { message: string; args?: { protocol: string } } | undefined {
  try {
    const parsed = new URL(url.startsWith('/') ? `https://example.com${url}` : url);
    return BLOCKED_PROTOCOLS.has(parsed.protocol)
      ? { message: 'folio.editor.link_dialog.blocked', args: { protocol: parsed.protocol } }
      : undefined;
  } catch {
    return { message: 'folio.editor.link_dialog.invalid' };
  }
}

export interface LinkDialogProps {
  initialUrl: string;
  /** Ask for the text too (nothing is selected to become the link). */
  askText: boolean;
  /** Offer to remove the link being edited. */
  onRemove?: () => void;
  onClose: () => void;
  onSubmit: (url: string, text: string) => void;
}

export function LinkDialog({ initialUrl, askText, onRemove, onClose, onSubmit }: LinkDialogProps) {
  const translate = useTranslate();
  const [url, setUrl] = useState(initialUrl);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = linkProblem(url.trim());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!problem) onSubmit(url.trim(), text);
  };
  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth>
      <form onSubmit={submit}>
        <DialogTitle>
          {translate(onRemove ? 'folio.editor.link_dialog.edit' : 'folio.editor.link_dialog.add')}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              autoFocus
              label={translate('folio.editor.link_dialog.address')}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              error={touched && !!problem}
              helperText={touched && problem ? translate(problem.message, problem.args) : ' '}
              fullWidth
            />
            {askText ? (
              <TextField
                label={translate('folio.editor.link_dialog.text')}
                value={text}
                onChange={(e) => setText(e.target.value)}
                helperText={translate('folio.editor.link_dialog.text_help')}
                fullWidth
              />
            ) : null}
          </Stack>
        </DialogContent>
        <DialogActions>
          {onRemove ? (
            <Button color="error" onClick={onRemove}>
              {translate('folio.editor.link_dialog.remove')}
            </Button>
          ) : null}
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button type="submit" variant="contained">
            {translate('folio.editor.link_dialog.save')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
