// Asks for a link's address (and, at a caret, its text). Accepts what Strapi's validator accepts:
// an absolute URL or a path from the site root, never a javascript:, vbscript: or data: URL.
import { useState, type FormEvent } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';

const BLOCKED_PROTOCOLS = new Set(['javascript:', 'vbscript:', 'data:']);

export function linkProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url.startsWith('/') ? `https://example.com${url}` : url);
    return BLOCKED_PROTOCOLS.has(parsed.protocol) ? `${parsed.protocol} links are not allowed` : undefined;
  } catch {
    return 'An address like https://example.com/page or /page';
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
        <DialogTitle>{onRemove ? 'Edit link' : 'Add link'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              autoFocus
              label="Link address"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              error={touched && !!problem}
              helperText={touched ? problem : ' '}
              fullWidth
            />
            {askText ? (
              <TextField
                label="Link text"
                value={text}
                onChange={(e) => setText(e.target.value)}
                helperText="The address when left empty"
                fullWidth
              />
            ) : null}
          </Stack>
        </DialogContent>
        <DialogActions>
          {onRemove ? (
            <Button color="error" onClick={onRemove}>
              Remove link
            </Button>
          ) : null}
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained">
            Save link
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
