// A save refused because someone else saved the entry in between (409 on If-Match, see
// server/content/operations/version-tag.ts): the edit page keeps the refusal here, with who saved
// and when, so that the form can offer its choices (EditConflict) instead of a passing notification.
// The editor's changes are not touched: the form stays dirty, and its local copy stays (drafts.ts).
import { useCallback, useMemo, useState } from 'react';
import { HttpError, useNotify } from 'react-admin';
import { fieldErrorsOf } from '../http';

export interface Conflict {
  /** Who saved the newer version, as the server names them; null when unknown (a CLI or API write). */
  by: string | null;
  /** When the newer version was saved (ISO); null when the entry is gone. */
  at: string | null;
}

export interface EditConflictState {
  conflict: Conflict | undefined;
  clear: () => void;
  /** The edit page's mutation onError: a 409 becomes the conflict, anything else a notification. */
  onError: (error: unknown) => void;
}

/** The conflict an error reports, or undefined when it is not a stale save. */
export function conflictOf(error: unknown): Conflict | undefined {
  if (!(error instanceof HttpError) || error.status !== 409) return undefined;
  const body: unknown = error.body;
  const details =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body.error as { details?: Record<string, unknown> }).details
      : undefined;
  if (!details || !('updatedAt' in details)) return undefined;
  const { updatedAt, updatedBy } = details;
  const name = typeof updatedBy === 'object' && updatedBy !== null && 'name' in updatedBy ? String(updatedBy.name) : '';
  return { by: name || null, at: typeof updatedAt === 'string' ? updatedAt : null };
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
