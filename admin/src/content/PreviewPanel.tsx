// The side-by-side preview: the site's own page for the saved draft, framed beside the form. It asks
// for the preview URL (a fresh short-lived token each time) when opened and again after each save —
// a save changes the record's updatedAt — so the page shows what was just saved. The server's
// Content-Security-Policy lets the dashboard frame only the sites the schema's preview URLs name.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { Box, Button, Card, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import RefreshIcon from '@mui/icons-material/Refresh';
import VerticalSplitIcon from '@mui/icons-material/VerticalSplit';
import { previewLink } from './data';
import { documentIdOf } from './EntryPanel';
import type { ContentTypeInfo } from './schema';

interface PanelState {
  open: boolean;
  setOpen: (open: boolean) => void;
}

const PanelContext = createContext<PanelState | undefined>(undefined);

/** Whether the panel is open, shared by the toggle (in the side panel) and the panel (beside the form). */
export function PreviewPanelProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const state = useMemo(() => ({ open, setOpen }), [open]);
  return <PanelContext.Provider value={state}>{children}</PanelContext.Provider>;
}

/** The panel is open (the form's layout makes room for it). */
export function usePreviewPanelOpen(): boolean {
  return useContext(PanelContext)?.open ?? false;
}

const PANEL_ID = 'preview-panel';

export function PreviewPanelToggle() {
  const translate = useTranslate();
  const state = useContext(PanelContext);
  if (!state) return null;
  return (
    <Button
      variant="text"
      size="small"
      startIcon={<VerticalSplitIcon />}
      onClick={() => state.setOpen(!state.open)}
      aria-expanded={state.open}
      aria-controls={PANEL_ID}
      sx={{ mt: 1 }}
    >
      {translate(state.open ? 'folio.preview.panel_hide' : 'folio.preview.panel_show')}
    </Button>
  );
}

/** A fresh preview URL for the saved draft, asked again whenever `savedAt` or `reloads` changes. */
function usePreviewUrl(type: ContentTypeInfo, documentId: string, locale: string | undefined, reloads: number) {
  const record = useRecordContext();
  const savedAt: unknown = record?.updatedAt;
  const [loaded, setLoaded] = useState<{ url?: string; error?: string; count: number }>({ count: 0 });
  useEffect(() => {
    let current = true;
    void previewLink(type.uid, documentId, type.localized ? locale : undefined).then(
      ({ url }) => current && setLoaded((l) => ({ url, count: l.count + 1 })),
      (err: Error) => current && setLoaded((l) => ({ error: err.message, count: l.count + 1 })),
    );
    return () => {
      current = false;
    };
  }, [type.uid, type.localized, documentId, locale, savedAt, reloads]);
  return loaded;
}

interface PanelProps {
  type: ContentTypeInfo;
  /** The locale the page edits (the URL's), for a record that does not say. */
  locale?: string;
}

export function PreviewPanel({ type, locale: pageLocale }: PanelProps) {
  const state = useContext(PanelContext);
  const record = useRecordContext();
  const documentId = documentIdOf(type, record);
  if (!state?.open || !type.preview || !documentId || record?.__newLocale === true) return null;
  const locale = typeof record?.locale === 'string' ? record.locale : pageLocale;
  return <OpenPanel type={type} documentId={documentId} locale={locale} onClose={() => state.setOpen(false)} />;
}

function OpenPanel(props: { type: ContentTypeInfo; documentId: string; locale?: string; onClose: () => void }) {
  const translate = useTranslate();
  const [reloads, setReloads] = useState(0);
  const { url, error, count } = usePreviewUrl(props.type, props.documentId, props.locale, reloads);
  const title = translate('folio.preview.panel_title');
  return (
    <Card
      id={PANEL_ID}
      component="section"
      aria-label={title}
      sx={{
        position: { md: 'sticky' },
        top: { md: 72 },
        height: { xs: '70vh', md: 'calc(100vh - 96px)' },
        display: 'flex',
        flexDirection: 'column',
      }}
    >
      <Stack direction="row" sx={{ alignItems: 'center', px: 2, py: 0.5, gap: 1 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          {title}
        </Typography>
        <Tooltip title={translate('folio.preview.panel_reload')}>
          <IconButton
            size="small"
            aria-label={translate('folio.preview.panel_reload')}
            onClick={() => setReloads((n) => n + 1)}
          >
            <RefreshIcon fontSize="small" />
          </IconButton>
        </Tooltip>
        <Tooltip title={translate('folio.preview.panel_hide')}>
          <IconButton size="small" aria-label={translate('folio.preview.panel_hide')} onClick={props.onClose}>
            <CloseIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      </Stack>
      <Typography variant="caption" color="text.secondary" sx={{ px: 2, pb: 1 }}>
        {translate('folio.preview.panel_help')}
      </Typography>
      <Box sx={{ flex: 1, borderTop: 1, borderColor: 'divider', minHeight: 0 }}>
        {error ? (
          <Typography role="alert" color="error" sx={{ p: 2 }}>
            {error}
          </Typography>
        ) : url ? (
          // A new element for each URL asked: the page reloads even when the token came out the same
          // (two within one second). The sandbox keeps the site's page from navigating the dashboard.
          <iframe
            key={count}
            src={url}
            title={title}
            sandbox="allow-scripts allow-same-origin allow-forms allow-popups"
            referrerPolicy="no-referrer"
            style={{ border: 0, width: '100%', height: '100%', display: 'block' }}
          />
        ) : (
          <Typography color="text.secondary" sx={{ p: 2 }}>
            {translate('folio.preview.panel_loading')}
          </Typography>
        )}
      </Box>
    </Card>
  );
}
