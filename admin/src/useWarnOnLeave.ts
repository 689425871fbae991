// Unsaved changes outside a react-admin form (the permission pages): the browser asks before a
// reload or closing the tab. (Moving within the dashboard is not intercepted: the app's
// BrowserRouter has no navigation blocker.)
import { useEffect } from 'react';

export function useWarnOnLeave(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}
