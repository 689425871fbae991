// Scheduling in the edit screen's side panel: "Schedule…" (the dialog, loaded on first click), the
// entry's pending schedules on the clock of the editor's time zone, each with Cancel, and the ones
// that failed with their reason (the author lost the right, the draft no longer validates…), so that
// a publish that did not happen is seen on the entry itself.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { Alert, Button, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import ScheduleIcon from '@mui/icons-material/Schedule';
import type { ContentTypeInfo } from '../schema';
import { cancelSchedule, documentSchedules, type Schedule } from './api';
import type { ScheduleOutcome } from './ScheduleDialog';
import { useTimeZone } from './useTimeZone';
import { useScheduleWords } from './words';
import { formatDateTime } from './zone';

const ScheduleDialog = lazy(() => import('./ScheduleDialog'));

/** Failed schedules shown on the entry: the latest ones, not its whole past. */
const FAILED_SHOWN = 3;

/**
 * The failures still worth telling: those due after the entry was last published (a publish by hand
 * since has done what the schedule could not), the latest few.
 */
function openFailures(schedules: Schedule[], publishedAt: unknown): Schedule[] {
  const since = typeof publishedAt === 'string' ? Date.parse(publishedAt) : Number.NaN;
  return schedules.filter((s) => s.status === 'failed' && !(Date.parse(s.at) <= since)).slice(-FAILED_SHOWN);
}

interface ScheduleSectionProps {
  type: ContentTypeInfo;
  documentId: string;
  locale: string | undefined;
  label: string;
}

function useDocumentSchedules(uid: string, documentId: string) {
  const record = useRecordContext();
  const [schedules, setSchedules] = useState<Schedule[]>([]);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    const controller = new AbortController();
    documentSchedules(uid, documentId, controller.signal).then(setSchedules, () => {
      // A list that cannot be read (the connection dropped) leaves what was shown.
    });
    return () => controller.abort();
    // The record's updatedAt: a refresh (after a publish, a restore) reads the schedules again.
  }, [uid, documentId, version, record?.updatedAt]);
  return { schedules, reload };
}

function PendingList({
  schedules,
  canCancel,
  onCancel,
}: {
  schedules: Schedule[];
  canCancel: boolean;
  onCancel: (schedule: Schedule) => void;
}) {
  const translate = useTranslate();
  const [zone] = useTimeZone();
  const words = useScheduleWords();
  if (!schedules.length) return null;
  return (
    <List dense disablePadding aria-label={translate('folio.schedule.pending')}>
      {schedules.map((schedule) => (
        <ListItem
          key={schedule.id}
          disableGutters
          secondaryAction={
            canCancel ? (
              <Button size="small" onClick={() => onCancel(schedule)}>
                {translate('folio.schedule.cancel')}
              </Button>
            ) : undefined
          }
        >
          <ListItemText
            primary={words(schedule)}
            secondary={translate('folio.schedule.at_in_zone', {
              time: formatDateTime(new Date(schedule.at), zone),
              zone,
            })}
          />
        </ListItem>
      ))}
    </List>
  );
}

export function ScheduleSection({ type, documentId, locale, label }: ScheduleSectionProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const words = useScheduleWords();
  const [zone] = useTimeZone();
  // The dialog is mounted while open: each opening starts from a fresh proposal.
  const [open, setOpen] = useState(false);
  const { schedules, reload } = useDocumentSchedules(type.uid, documentId);
  const canSchedule = type.actions.includes('publish');
  const pending = schedules.filter((s) => s.status === 'pending');
  const record = useRecordContext();
  const failed = openFailures(schedules, record?.__publishedAt);

  const cancel = async (schedule: Schedule) => {
    try {
      await cancelSchedule(schedule);
      notify(translate('folio.schedule.cancelled'), { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
    reload();
  };
  const done = (outcome: ScheduleOutcome) => {
    if (outcome.scheduled.length) notify(translate('folio.schedule.scheduled'), { type: 'success' });
    reload();
    // A schedule that is due at once may have run by now: the panel's status follows.
    refresh();
  };

  return (
    <Stack spacing={1}>
      {canSchedule ? (
        <Button variant="outlined" startIcon={<ScheduleIcon />} fullWidth onClick={() => setOpen(true)}>
          {translate('folio.schedule.open')}
        </Button>
      ) : null}
      {pending.length ? (
        <Typography variant="caption" color="text.secondary" component="div">
          {translate('folio.schedule.pending')}
        </Typography>
      ) : null}
      <PendingList schedules={pending} canCancel={canSchedule} onCancel={(s) => void cancel(s)} />
      {failed.map((schedule) => (
        <Alert key={schedule.id} severity="error" variant="outlined">
          {translate('folio.schedule.failed', {
            what: words(schedule),
            time: formatDateTime(new Date(schedule.at), zone),
            reason: schedule.reason ?? '',
          })}
        </Alert>
      ))}
      {open ? (
        <Suspense fallback={null}>
          <ScheduleDialog
            open
            onClose={() => setOpen(false)}
            type={type}
            entries={[{ documentId, label }]}
            locale={locale}
            onDone={done}
          />
        </Suspense>
      ) : null}
    </Stack>
  );
}
