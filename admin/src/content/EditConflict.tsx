// What the form shows when its save was refused because someone else saved the entry in between
// (useEditConflict): who and when, and the editor's three choices. Nothing happens to the unsaved
// changes until one is chosen; they stay in the form and in its local copy (DraftAutosave).
//   Review their version  the stored version beside the form's values, for the fields that differ
//   Overwrite             saves the form's values over theirs, sent with the stored version's tag
//   Discard mine          loads the stored version into the form
import { useState } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate, type RaRecord } from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { Alert, AlertTitle, Box, Button, LinearProgress, Stack, Typography } from '@mui/material';
import type { ContentTypeInfo } from './schema';
import type { EditConflictState } from './useEditConflict';
import { ConflictComparison } from './ConflictComparison';
import { differingFields } from './conflictFields';

export interface EditConflictProps {
  type: ContentTypeInfo;
  resource: string;
  locale?: string;
  state: EditConflictState;
}

function useConflictMessage(state: EditConflictState): string {
  const translate = useTranslate();
  const { conflict } = state;
  if (!conflict) return '';
  const time = conflict.at ? new Date(conflict.at).toLocaleString() : undefined;
  if (conflict.by && time) return translate('folio.conflict.by_at', { name: conflict.by, time });
  if (time) return translate('folio.conflict.at', { time });
  return translate('folio.conflict.unknown');
}

/** Their version beside the form's values as they are now: editing on while comparing updates it. */
function LiveComparison({ type, theirs, by }: { type: ContentTypeInfo; theirs: RaRecord; by: string | null }) {
  const mine: Record<string, unknown> = useWatch();
  return <ConflictComparison differences={differingFields(type.attributes, theirs, mine)} by={by} />;
}

export function EditConflict({ type, resource, locale, state }: EditConflictProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider();
  const record = useRecordContext();
  const form = useFormContext();
  const message = useConflictMessage(state);
  const [theirs, setTheirs] = useState<RaRecord | undefined>();
  const [busy, setBusy] = useState(false);
  if (!state.conflict || !record) return null;

  /** The stored version as the form would hold it, with its version tag; never put in the page's cache. */
  const stored = async (): Promise<RaRecord> =>
    (await dataProvider.getOne<RaRecord>(resource, { id: record.id, meta: { locale } })).data;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      // Saved again meanwhile: the new conflict replaces this one; anything else is said as it is.
      state.onError(err);
    } finally {
      setBusy(false);
    }
  };

  const review = () =>
    run(async () => {
      setTheirs(theirs ? undefined : await stored());
    });

  const overwrite = form.handleSubmit((values: Record<string, unknown>) =>
    run(async () => {
      const current = await stored();
      // previousData is their version: its tag makes this an explicit overwrite of exactly that
      // version (a save by a third editor meanwhile is refused again), and relations are sent as
      // the changes from theirs to mine.
      await dataProvider.update(resource, { id: record.id, data: values, previousData: current, meta: { locale } });
      state.clear();
      setTheirs(undefined);
      notify('folio.conflict.overwritten', { type: 'success' });
      // Reloads the saved entry (mine) into the form, which is then clean and its local copy gone.
      refresh();
    }),
  );

  const discardMine = () => {
    state.clear();
    setTheirs(undefined);
    notify('folio.conflict.discarded', { type: 'info' });
    // The stored version replaces the form's values; the clean form drops its local copy.
    refresh();
  };

  return (
    <Alert severity="warning" sx={{ mb: 2 }} role="alert">
      <AlertTitle>{translate('folio.conflict.title')}</AlertTitle>
      <Typography variant="body2">{message}</Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mt: 1.5 }}>
        <Button size="small" variant="outlined" color="inherit" disabled={busy} onClick={() => void review()}>
          {translate(theirs ? 'folio.conflict.hide_review' : 'folio.conflict.review')}
        </Button>
        <Button size="small" variant="contained" color="warning" disabled={busy} onClick={() => void overwrite()}>
          {translate('folio.conflict.overwrite')}
        </Button>
        <Button size="small" color="inherit" disabled={busy} onClick={discardMine}>
          {translate('folio.conflict.discard')}
        </Button>
      </Stack>
      {busy ? <LinearProgress sx={{ mt: 1 }} aria-label={translate('folio.conflict.working')} /> : null}
      {theirs ? (
        <Box sx={{ mt: 2 }}>
          <LiveComparison type={type} theirs={theirs} by={state.conflict.by} />
        </Box>
      ) : null}
    </Alert>
  );
}
