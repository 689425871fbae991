// A Content API allow list edited in the dashboard: the Public role's (Settings › Public API) and a
// member role's (Settings › Members). Both pages keep the admin's changes apart from the stored list
// until Save, offer Undo, and ask before a page change would drop unsaved changes; this module is
// that behaviour once, so the two pages cannot drift apart again. Each page says where the list is
// stored and what to announce once it is.
import { useState, type ComponentProps } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { Button, Stack } from '@mui/material';
import { ContentApiMatrix } from './PermissionMatrix';
import { useEdits } from '../useEdits';
import { useWarnOnLeave } from '../useWarnOnLeave';

export interface AllowListEdits {
  /** The stored list with the admin's changes; empty until loaded. */
  allow: string[];
  /** Something changed since the list was last loaded. */
  dirty: boolean;
  saving: boolean;
  change: (next: string[]) => void;
  undo: () => void;
  save: () => Promise<void>;
}

interface Storage {
  /** Writes the list; the page reloads what it shows from here, which drops the saved changes. */
  store: (allow: string[]) => Promise<unknown>;
  /** Message keys: announced after a save, and shown when a failure carries no message. */
  saved: string;
  failed: string;
}

const asStored = (stored: string[]) => stored;

export function useAllowListEdits(stored: string[] | undefined, { store, saved, failed }: Storage): AllowListEdits {
  const notify = useNotify();
  const edits = useEdits(stored, asStored);
  const [saving, setSaving] = useState(false);
  useWarnOnLeave(edits.dirty);
  return {
    allow: edits.value ?? [],
    dirty: edits.dirty,
    saving,
    change: (next) => edits.edit(() => next),
    undo: () => edits.discard(),
    save: async () => {
      setSaving(true);
      try {
        await store(edits.value ?? []);
        notify(saved, { type: 'success' });
      } catch (err) {
        notify(err instanceof Error ? err.message : failed, { type: 'error' });
      } finally {
        setSaving(false);
      }
    },
  };
}

type MatrixProps = Omit<ComponentProps<typeof ContentApiMatrix>, 'value' | 'onChange' | 'disabled'>;

/** The matrix over the edited list, with Undo and Save for whom may change it. */
export function AllowListEditor({
  edits,
  canUpdate,
  saveLabel,
  ...matrix
}: MatrixProps & { edits: AllowListEdits; canUpdate: boolean; saveLabel: string }) {
  const translate = useTranslate();
  const idle = !edits.dirty || edits.saving;
  return (
    <>
      <ContentApiMatrix {...matrix} value={edits.allow} onChange={edits.change} disabled={!canUpdate || edits.saving} />
      {canUpdate ? (
        <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end', mt: 2 }}>
          <Button disabled={idle} onClick={edits.undo}>
            {translate('folio.permissions.undo')}
          </Button>
          <Button variant="contained" disabled={idle} onClick={() => void edits.save()}>
            {translate(saveLabel)}
          </Button>
        </Stack>
      ) : null}
    </>
  );
}
