// A save refused because someone else saved the entry in between (409 on If-Match, see
// server/content/operations/version-tag.ts): the edit page keeps the refusal here, with who saved
// and when, so that the form can offer its choices (EditConflict) instead of a passing notification.
// The editor's changes are not touched: the form stays dirty, and its local copy stays (drafts.ts).
import { useCallback, useMemo, useState } from 'react';
import { useNotify } from 'react-admin';
import { conflictOf, fieldErrorsOf, type Conflict } from '../http';

export interface EditConflictState {
  conflict: Conflict | undefined;
  clear: () => void;
  /** The edit page's mutation onError: a 409 becomes the conflict, anything else a notification. */
  onError: (error: unknown) => void;
}

export function useEditConflict(): EditConflictState {
  const notify = useNotify();
  const [conflict, setConflict] = useState<Conflict | undefined>();
  const clear = useCallback(() => setConflict(undefined), []);
  const onError = useCallback(
    (error: unknown) => {
      const found = conflictOf(error);
      if (found) {
        setConflict(found);
        return;
      }
      // As react-admin does on a pessimistic save: field errors show on their fields, the rest here.
      if (fieldErrorsOf(error)) return;
      const message = error instanceof Error && error.message ? error.message : 'ra.notification.http_error';
      notify(message, { type: 'error' });
    },
    [notify],
  );
  return useMemo(() => ({ conflict, clear, onError }), [conflict, clear, onError]);
}
