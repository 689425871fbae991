// "Add to release…" on the edit screen's side panel (this entry, the locale on screen) and over a
// list's selection (the selected entries, the list's locale): the dialog is loaded on first click.
import { lazy, Suspense, useState } from 'react';
import { Button as RaButton, useCanAccess, useListContext, useNotify, useTranslate, type RaRecord } from 'react-admin';
import { Button } from '@mui/material';
import PlaylistAddIcon from '@mui/icons-material/PlaylistAdd';
import type { ContentTypeInfo } from '../content/schema';
import { selectedEntries } from '../content/list/selectedEntries';
import type { AddOutcome, ReleaseEntry } from './AddToReleaseDialog';

const AddToReleaseDialog = lazy(() => import('./AddToReleaseDialog'));

/** Adding an entry is an update of the release (the server checks the entry's publish right too). */
function useMayAddToRelease(): boolean {
  return useCanAccess({ resource: 'releases', action: 'update' }).canAccess === true;
}

function useAdded() {
  const notify = useNotify();
  const translate = useTranslate();
  return (outcome: AddOutcome) => {
    if (!outcome.added.length) return;
    notify(translate('folio.releases.add.done', { smart_count: outcome.added.length, name: outcome.release.name }), {
      type: 'success',
    });
  };
}

export function AddToReleaseButton(props: {
  type: ContentTypeInfo;
  documentId: string;
  locale: string | undefined;
  label: string;
  /** After the entry went into a release. */
  onAdded?: () => void;
}) {
  const translate = useTranslate();
  const added = useAdded();
  const [open, setOpen] = useState(false);
  if (!useMayAddToRelease()) return null;
  return (
    <>
      <Button variant="outlined" startIcon={<PlaylistAddIcon />} fullWidth onClick={() => setOpen(true)}>
        {translate('folio.releases.add.open')}
      </Button>
      {open ? (
        <Suspense fallback={null}>
          <AddToReleaseDialog
            onClose={() => setOpen(false)}
            type={props.type}
            entries={[{ documentId: props.documentId, label: props.label }]}
            locale={props.locale}
            onDone={(outcome) => {
              added(outcome);
              if (outcome.added.length) props.onAdded?.();
            }}
          />
        </Suspense>
      ) : null}
    </>
  );
}

export function BulkAddToReleaseButton({ type }: { type: ContentTypeInfo }) {
  const list = useListContext<RaRecord>();
  const { selectedIds, data, onUnselectItems } = list;
  const translate = useTranslate();
  const added = useAdded();
  const mayAdd = useMayAddToRelease();
  const [entries, setEntries] = useState<ReleaseEntry[] | null>(null);
  const open = () => setEntries(selectedEntries(type, selectedIds, data));
  const done = (outcome: AddOutcome) => {
    added(outcome);
    if (!outcome.failed.length) onUnselectItems(); // else the dialog stays open and says which and why
  };
  // The list's locale filter: the one the editor is looking at (none: the default locale).
  const filters = list.filterValues as Record<string, unknown> | undefined;
  const locale = typeof filters?.locale === 'string' && filters.locale ? filters.locale : undefined;
  if (!mayAdd) return null;
  return (
    <>
      <RaButton label={translate('folio.releases.add.bulk')} onClick={open}>
        <PlaylistAddIcon />
      </RaButton>
      {entries ? (
        <Suspense fallback={null}>
          <AddToReleaseDialog
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
