// "Schedule publish…" over a list's selection: one Schedule dialog for every selected entry, one
// request each; the dialog names those that could not be scheduled and why, the others stay scheduled.
import { lazy, Suspense, useState } from 'react';
import { Button, useListContext, useNotify, useTranslate, type RaRecord } from 'react-admin';
import ScheduleIcon from '@mui/icons-material/Schedule';
import type { ContentTypeInfo } from '../schema';
import type { ScheduleEntry, ScheduleOutcome } from '../schedule/ScheduleDialog';
import { selectedEntries } from './selectedEntries';

const ScheduleDialog = lazy(() => import('../schedule/ScheduleDialog'));

export function BulkScheduleButton({ type }: { type: ContentTypeInfo }) {
  const list = useListContext<RaRecord>();
  const { selectedIds, data, onUnselectItems } = list;
  const notify = useNotify();
  const translate = useTranslate();
  const [entries, setEntries] = useState<ScheduleEntry[] | null>(null);
  const open = () => setEntries(selectedEntries(type, selectedIds, data));
  const done = (outcome: ScheduleOutcome) => {
    if (outcome.failed.length) return; // the dialog stays open and says which and why
    notify(translate('folio.schedule.scheduled_count', { smart_count: outcome.scheduled.length }), {
      type: 'success',
    });
    onUnselectItems();
  };
  // The list's locale filter: the one the editor is looking at (none: the default locale).
  const filters = list.filterValues as Record<string, unknown> | undefined;
  const filtered = filters?.locale;
  const locale = typeof filtered === 'string' && filtered ? filtered : undefined;
  return (
    <>
      <Button label={translate('folio.schedule.bulk')} onClick={open}>
        <ScheduleIcon />
      </Button>
      {entries ? (
        <Suspense fallback={null}>
          <ScheduleDialog
            open
            onClose={() => setEntries(null)}
            type={type}
            entries={entries}
            locale={locale}
            onDone={done}
          />
        </Suspense>
      ) : null}
    </>
  );
}
