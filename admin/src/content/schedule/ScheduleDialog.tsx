// The Schedule dialog: publish or unpublish one or more entries (one locale or all of them, for a
// localized type) at a date and time chosen on the clock of a time zone the editor picks — theirs by
// default, remembered for them. The instant is sent with that zone's offset; the server keeps it in
// UTC. Several entries (a list's selection) are scheduled one request each: those that could not be
// are named with the reason, and the others stay scheduled. Loaded when first opened.
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Stack,
} from '@mui/material';
import type { ContentTypeInfo } from '../schema';
import { addSchedule, ALL_LOCALES, type Schedule, type ScheduleAction } from './api';
import { useWhen, WhenFields } from './WhenFields';
import { PublishActionChoice } from '../PublishActionChoice';
import { FailedEntries } from '../FailedEntries';

/** An entry to schedule, with the name it is shown by when it cannot be. */
export interface ScheduleEntry {
  documentId: string;
  label: string;
}

export interface ScheduleOutcome {
  scheduled: Schedule[];
  failed: { entry: ScheduleEntry; message: string }[];
}

export interface ScheduleDialogProps {
  open: boolean;
  onClose: () => void;
  type: ContentTypeInfo;
  entries: ScheduleEntry[];
  /** The locale shown (edit screen, list filter); undefined: the default locale. */
  locale: string | undefined;
  /** Called after the requests, whatever came of them. */
  onDone: (outcome: ScheduleOutcome) => void;
}

type Scope = 'one' | 'all';

async function scheduleEach(
  type: ContentTypeInfo,
  entries: ScheduleEntry[],
  request: { action: ScheduleAction; at: string; locale?: string },
): Promise<ScheduleOutcome> {
  const outcome: ScheduleOutcome = { scheduled: [], failed: [] };
  // One after the other: a selection is a handful of entries, and the server is not flooded.
  for (const entry of entries) {
    try {
      outcome.scheduled.push(await addSchedule(type.uid, entry.documentId, request));
    } catch (err) {
      outcome.failed.push({ entry, message: (err as Error).message });
    }
  }
  return outcome;
}

export default function ScheduleDialog({ open, onClose, type, entries, locale, onDone }: ScheduleDialogProps) {
  const translate = useTranslate();
  const when = useWhen();
  const [action, setAction] = useState<ScheduleAction>('publish');
  const [scope, setScope] = useState<Scope>('one');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<ScheduleOutcome['failed']>([]);
  // After a partial failure, submitting again retries only the entries that were not scheduled.
  const [remaining, setRemaining] = useState(entries);

  const submit = async () => {
    if (!when.iso) return;
    setBusy(true);
    setFailed([]);
    const chosenLocale = type.localized ? (scope === 'all' ? ALL_LOCALES : locale) : undefined;
    const request = { action, at: when.iso, ...(chosenLocale ? { locale: chosenLocale } : {}) };
    try {
      const outcome = await scheduleEach(type, remaining, request);
      setFailed(outcome.failed);
      setRemaining(outcome.failed.map((f) => f.entry));
      onDone(outcome);
      if (!outcome.failed.length) onClose();
    } finally {
      setBusy(false);
    }
  };

  const title =
    entries.length === 1
      ? translate('folio.schedule.title')
      : translate('folio.schedule.title_many', { smart_count: entries.length });
  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby="folio-schedule-title" fullWidth>
      <DialogTitle id="folio-schedule-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2.5} sx={{ pt: 1 }}>
          <PublishActionChoice id="folio-schedule-action" value={action} onChange={setAction} />
          {type.localized ? (
            <FormControl>
              <FormLabel id="folio-schedule-scope">{translate('folio.schedule.locales')}</FormLabel>
              <RadioGroup
                row
                aria-labelledby="folio-schedule-scope"
                value={scope}
                onChange={(e) => setScope(e.target.value as Scope)}
              >
                <FormControlLabel
                  value="one"
                  control={<Radio />}
                  label={
                    locale
                      ? translate('folio.schedule.only_locale', { locale })
                      : translate('folio.schedule.default_locale')
                  }
                />
                <FormControlLabel value="all" control={<Radio />} label={translate('folio.schedule.all_locales')} />
              </RadioGroup>
            </FormControl>
          ) : null}
          <WhenFields when={when} />
          <FailedEntries failed={failed}>
            {translate('folio.schedule.some_failed', { smart_count: failed.length })}
          </FailedEntries>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate(failed.length ? 'folio.schedule.close' : 'ra.action.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || when.error !== undefined}>
          {translate('folio.schedule.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
