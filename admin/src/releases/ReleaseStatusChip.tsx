// A release's status as a chip: open, scheduled, published, failed.
import { useTranslate } from 'react-admin';
import { Chip } from '@mui/material';
import type { ReleaseStatus } from './api';

const COLOR: Record<ReleaseStatus, 'default' | 'info' | 'success' | 'error'> = {
  open: 'default',
  scheduled: 'info',
  published: 'success',
  failed: 'error',
};

export function ReleaseStatusChip({ status }: { status: ReleaseStatus }) {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={COLOR[status]}
      variant={status === 'open' ? 'outlined' : 'filled'}
      label={translate(`folio.releases.status.${status}`, { _: status })}
    />
  );
}
