// Schedule (or move) a release: a date and time on the clock of the editor's time zone, picked as in
// an entry's Schedule dialog. The server checks every entry may be published by this editor now and
// again when the release runs; a refusal is shown here, and nothing is scheduled.
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack } from '@mui/material';
import { useWhen, WhenFields } from '../content/schedule/WhenFields';
import { scheduleRelease, type Release } from './api';

export interface ReleaseScheduleDialogProps {
  release: Pick<Release, 'id' | 'name' | 'scheduledAt'>;
  /** Entries that could not be released now: the run fails unless they are fixed by then. */
  invalid: number;
  onClose: () => void;
  onScheduled: () => void;
}

export function ReleaseScheduleDialog({ release, invalid, onClose, onScheduled }: ReleaseScheduleDialogProps) {
  const translate = useTranslate();
  const when = useWhen(release.scheduledAt ? new Date(release.scheduledAt) : undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (!when.iso) return;
    setBusy(true);
    setError(null);
    try {
      await scheduleRelease(release.id, when.iso);
      onScheduled();
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const title = translate(release.scheduledAt ? 'folio.releases.move_title' : 'folio.releases.schedule_title', {
    name: release.name,
  });
  return (
    <Dialog open onClose={busy ? undefined : onClose} aria-labelledby="folio-release-schedule-title" fullWidth>
      <DialogTitle id="folio-release-schedule-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2.5} sx={{ pt: 1 }}>
          <WhenFields when={when} />
          {invalid ? (
            <Alert severity="warning">{translate('folio.releases.schedule_invalid', { smart_count: invalid })}</Alert>
          ) : null}
          {error ? <Alert severity="error">{error}</Alert> : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate('ra.action.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || when.error !== undefined}>
          {translate('folio.schedule.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
