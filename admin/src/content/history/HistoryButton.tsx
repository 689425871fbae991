// "History" in the edit screen's side panel: opens the entry's History drawer, whose code is loaded
// on the first click (the edit screen does not carry the list, the diff and the restore).
import { lazy, Suspense, useMemo, useState } from 'react';
import { useFormIsDirty, useTranslate } from 'react-admin';
import { Button } from '@mui/material';
import HistoryIcon from '@mui/icons-material/History';
import type { ContentTypeInfo } from '../schema';
import type { HistoryTarget } from './api';

const HistoryDrawer = lazy(() => import('./HistoryDrawer'));

interface HistoryButtonProps {
  type: ContentTypeInfo;
  documentId: string;
  locale: string | undefined;
}

export function HistoryButton({ type, documentId, locale }: HistoryButtonProps) {
  const translate = useTranslate();
  const dirty = useFormIsDirty();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  // One object per document and locale: the drawer reloads what it shows when it changes.
  const target = useMemo<HistoryTarget>(() => ({ type, documentId, locale }), [type, documentId, locale]);
  return (
    <>
      <Button
        variant="outlined"
        startIcon={<HistoryIcon />}
        fullWidth
        onClick={() => {
          setOpened(true);
          setOpen(true);
        }}
      >
        {translate('folio.history.open')}
      </Button>
      {opened ? (
        <Suspense fallback={null}>
          <HistoryDrawer
            open={open}
            onClose={() => setOpen(false)}
            target={target}
            canRestore={type.actions.includes('update')}
            dirty={dirty}
          />
        </Suspense>
      ) : null}
    </>
  );
}
