// "Duplicate": creates a new draft with the saved entry's fields (the server suffixes unique values
// and leaves out what cannot be copied) and opens the copy. Shown only when the role may create.
import { useState } from 'react';
import { useFormIsDirty, useNotify, useRecordContext, useRedirect, useTranslate } from 'react-admin';
import { Button } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { duplicateDocument } from './data';
import { collectionResource, type ContentTypeInfo } from './schema';

export function DuplicateButton({ type, locale }: { type: ContentTypeInfo; locale: string | undefined }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const isDirty = useFormIsDirty();
  const [busy, setBusy] = useState(false);
  const documentId = typeof record?.documentId === 'string' ? record.documentId : undefined;
  const exists = documentId !== undefined && record?.__newLocale !== true;
  if (type.kind !== 'collectionType' || !type.actions.includes('create') || !exists) return null;

  const duplicate = async () => {
    setBusy(true);
    try {
      const { data, skipped } = await duplicateDocument(type.uid, documentId, type.localized ? locale : undefined);
      const fields = skipped.map((s) => s.field).join(', ');
      notify(fields ? translate('folio.duplicate.done_skipped', { fields }) : translate('folio.duplicate.done'), {
        type: skipped.length ? 'warning' : 'success',
      });
      const query = type.localized && locale ? `?locale=${encodeURIComponent(locale)}` : '';
      redirect(() => `/${collectionResource(type.uid)}/${encodeURIComponent(String(data.documentId))}${query}`);
    } catch (err) {
      notify(translate('folio.duplicate.failed', { message: (err as Error).message }), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      variant="outlined"
      disabled={busy || isDirty}
      title={isDirty ? translate('folio.duplicate.save_first') : undefined}
      startIcon={<ContentCopyIcon />}
      onClick={() => void duplicate()}
    >
      {translate('folio.duplicate.action')}
    </Button>
  );
}
