// Unsaved changes outside a react-admin form (the permission pages): leaving asks first, both within
// the dashboard (the data router's blocker, as react-admin's warnWhenUnsavedChanges does for forms)
// and on a reload or closing the tab (the browser's own prompt).
import { useEffect } from 'react';
import { useTranslate } from 'react-admin';
import { useBlocker } from 'react-router-dom';

export function useWarnOnLeave(dirty: boolean): void {
  const translate = useTranslate();
  // Only a move to another page loses the changes: a query-string change (a tab, a filter) does not.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(translate('ra.message.unsaved_changes'))) blocker.proceed();
    else blocker.reset();
    // The blocker object is new on every render; its state is what changes.
  }, [blocker.state]);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}
