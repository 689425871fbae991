// Preview: opens the entry's saved draft on the site's own page (the type's preview URL, filled by the
// server with the draft's values and a short-lived preview token) in a new tab.
import { useState } from 'react';
import { useFormIsDirty, useNotify, useTranslate } from 'react-admin';
import { Button, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { previewLink } from './data';
import type { ContentTypeInfo } from './schema';

interface PreviewButtonProps {
  type: ContentTypeInfo;
  documentId: string;
  locale: string | undefined;
}

export function PreviewButton({ type, documentId, locale }: PreviewButtonProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const isDirty = useFormIsDirty();
  const [busy, setBusy] = useState(false);

  const open = async () => {
    // Opened now, while the click counts as the person's own: a tab opened after the request
    // returns would be taken for a pop-up and blocked.
    const tab = window.open('about:blank', '_blank');
    if (!tab) {
      notify(translate('folio.preview.blocked'), { type: 'warning' });
      return;
    }
    // The site's page must not reach back into the dashboard.
    tab.opener = null;
    setBusy(true);
    try {
      const { url } = await previewLink(type.uid, documentId, type.localized ? locale : undefined);
      tab.location.href = url;
    } catch (err) {
      tab.close();
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        startIcon={<OpenInNewIcon />}
        onClick={() => void open()}
        disabled={busy}
        fullWidth
        aria-describedby="preview-help"
      >
        {translate(busy ? 'folio.preview.opening' : 'folio.preview.open')}
      </Button>
      <Typography id="preview-help" variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
        {translate(isDirty ? 'folio.preview.save_first' : 'folio.preview.help')}
      </Typography>
    </>
  );
}
