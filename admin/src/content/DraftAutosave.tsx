// The form's changes, copied to the browser as they are made (drafts.ts), and brought back when the
// same user opens the same entry again after a reload, a crash or a new sign-in. A copy made on the
// version still stored comes back at once, with a way to drop it; a copy made before someone saved
// the entry again is offered, not applied. The copy goes when the form is clean again: saved, or
// its changes discarded.
import { useEffect, useRef, useState } from 'react';
import { useFormIsDirty, useGetIdentity, useRecordContext, useTranslate, type Identifier } from 'react-admin';
import { useFormContext, useFormState, type FieldValues } from 'react-hook-form';
import { Alert, Button } from '@mui/material';
import { readDraft, removeDraft, writeDraft, type DraftKey, type LocalDraft } from './drafts';

/** How long typing pauses before the copy is written; leaving the form or the page writes it at once. */
const WRITE_DELAY_MS = 400;

type Phase = 'none' | 'restore' | 'restored' | 'offered';

function updatedAtOf(record: FieldValues | undefined): string | null {
  return typeof record?.updatedAt === 'string' ? record.updatedAt : null;
}

/** The changed top-level fields: the copy holds what the editor changed, not the whole entry. */
function changedValues(values: FieldValues, dirtyFields: Record<string, unknown>): Record<string, unknown> {
  const changed = Object.keys(dirtyFields).filter((name) => name in values);
  return Object.fromEntries(changed.map((name) => [name, values[name]]));
}

export interface DraftAutosaveProps {
  resource: string;
  documentId?: Identifier;
  locale?: string;
}

export function DraftAutosave({ resource, documentId, locale }: DraftAutosaveProps) {
  const { identity } = useGetIdentity();
  if (identity?.id === undefined) return null;
  const key: DraftKey = {
    userId: identity.id,
    resource,
    documentId: documentId === undefined ? undefined : String(documentId),
    locale,
  };
  return <Autosave key={JSON.stringify(key)} draftKey={key} />;
}

function Autosave({ draftKey }: { draftKey: DraftKey }) {
  const translate = useTranslate();
  const record = useRecordContext();
  const form = useFormContext();
  const isDirty = useFormIsDirty();
  // The form's state as last rendered here: `form.formState` read later, from a timer, is a
  // snapshot of the form's own last render and can be stale.
  const { dirtyFields, isSubmitting, isSubmitSuccessful } = useFormState();
  const formState = useRef({ dirtyFields, isSubmitting, isSubmitSuccessful });
  formState.current = { dirtyFields, isSubmitting, isSubmitSuccessful };
  const base = updatedAtOf(record);
  const [found] = useState(() => readDraft(draftKey));
  const [phase, setPhase] = useState<Phase>(() => {
    if (!found) return 'none';
    return found.baseUpdatedAt === base ? 'restore' : 'offered';
  });

  const restore = (draft: LocalDraft) => {
    form.reset({ ...form.getValues(), ...draft.values }, { keepDefaultValues: true });
    setPhase('restored');
  };
  const discard = () => {
    removeDraft(draftKey);
    if (phase === 'restored') form.reset();
    setPhase('none');
  };

  // After react-admin has put the record in the form: it does so in an effect of the form itself,
  // which runs after this (inner) component's effects of the same render.
  useEffect(() => {
    if (phase !== 'restore' || !found) return;
    const timer = setTimeout(() => restore(found), 0);
    return () => clearTimeout(timer);
  }, [phase]);

  // While a copy is offered, it stays as it is until the editor answers.
  const mirroring = phase === 'none' || phase === 'restored';
  const pending = useRef<(() => void) | undefined>(undefined);
  useEffect(() => {
    if (!mirroring) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = () => {
      clearTimeout(timer);
      pending.current = undefined;
      const { dirtyFields, isSubmitting, isSubmitSuccessful } = formState.current;
      // A new entry being created, or created and on its way to its edit page, is not left unsaved.
      // (An edit page's failed save counts as submitted too: there the changed fields decide.)
      const creating = draftKey.documentId === undefined;
      if (!Object.keys(dirtyFields).length || (creating && (isSubmitting || isSubmitSuccessful))) return;
      const values = changedValues(form.getValues(), dirtyFields);
      writeDraft(draftKey, { values, savedAt: new Date().toISOString(), baseUpdatedAt: base });
    };
    const subscription = form.watch(() => {
      clearTimeout(timer);
      pending.current = write;
      timer = setTimeout(write, WRITE_DELAY_MS);
    });
    const flush = () => pending.current?.();
    window.addEventListener('pagehide', flush);
    return () => {
      // Leaving the form in the app (a confirmed prompt, a sign-out after a failed save) keeps the last keystrokes.
      flush();
      subscription.unsubscribe();
      window.removeEventListener('pagehide', flush);
    };
  }, [mirroring, base]);

  // Clean again (saved, or changed back): nothing is left to restore.
  useEffect(() => {
    if (isDirty) return;
    if (phase === 'none') removeDraft(draftKey);
    if (phase === 'restored') setPhase('none');
  }, [isDirty, phase]);

  if (!found || phase === 'none' || phase === 'restore') return null;
  const time = new Date(found.savedAt).toLocaleString();
  if (phase === 'restored') {
    return (
      <Alert
        severity="info"
        sx={{ mb: 2 }}
        action={
          <Button color="inherit" size="small" onClick={discard}>
            {translate('folio.content.draft.discard')}
          </Button>
        }
      >
        {translate('folio.content.draft.restored', { time })}
      </Alert>
    );
  }
  return (
    <Alert
      severity="warning"
      sx={{ mb: 2 }}
      action={
        <>
          <Button color="inherit" size="small" onClick={() => restore(found)}>
            {translate('folio.content.draft.restore')}
          </Button>
          <Button color="inherit" size="small" onClick={discard}>
            {translate('folio.content.draft.discard')}
          </Button>
        </>
      }
    >
      {translate('folio.content.draft.stale', { time })}
    </Alert>
  );
}
