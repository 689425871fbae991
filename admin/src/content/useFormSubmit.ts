// Saving a react-admin form from outside its submit button: the side panel's Publish (which saves
// first) and the Ctrl/Cmd+S shortcut. Both go through the form's validation and the page's save,
// and put the server's field errors on their fields, as the Save button does.
import { useCallback, useEffect, useRef } from 'react';
import { setSubmissionErrors, useSaveContext, type SaveHandlerCallbacks } from 'react-admin';
import { useFormContext } from 'react-hook-form';

/** Validates and saves the form; `callbacks` replace the page's own (notification, redirect). */
export function useFormSubmit(): (callbacks?: SaveHandlerCallbacks) => Promise<void> {
  const form = useFormContext();
  const { save } = useSaveContext();
  return useCallback(
    (callbacks) =>
      form.handleSubmit(async (values: Record<string, unknown>) => {
        const errors: unknown = save ? await save(values, callbacks) : undefined;
        if (errors != null) setSubmissionErrors(errors, form.setError);
      })(),
    [form, save],
  );
}

/** Ctrl+S (Cmd+S on a Mac) runs `onSave` instead of the browser's "Save page as", while mounted. */
export function useSaveShortcut(onSave: () => void): void {
  const latest = useRef(onSave);
  latest.current = onSave;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const saveKeys = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
      if (!saveKeys || event.key.toLowerCase() !== 's') return;
      event.preventDefault();
      if (!event.repeat) latest.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
