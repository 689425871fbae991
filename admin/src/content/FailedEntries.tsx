// What a dialog acting on several entries (schedule, add to release) could not do: a warning with one
// line per entry and the server's reason; the dialog stays open so that submitting again retries them.
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { Alert, Typography } from '@mui/material';

export interface FailedEntry {
  entry: { documentId: string; label: string };
  message: string;
}

export function FailedEntries({ failed, children }: { failed: FailedEntry[]; children: ReactNode }) {
  const translate = useTranslate();
  if (!failed.length) return null;
  return (
    <Alert severity="warning">
      <Typography variant="body2">{children}</Typography>
      <ul>
        {failed.map(({ entry, message }) => (
          <li key={entry.documentId}>{translate('folio.schedule.failed_entry', { name: entry.label, message })}</li>
        ))}
      </ul>
    </Alert>
  );
}
