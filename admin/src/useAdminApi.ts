// A page's one GET of the Admin API, for views that are not a react-admin resource (Home, the
// permission pages): the answer's `data`, its error, and reload() to ask again after a change.
import { useCallback, useEffect, useState } from 'react';
import { API_ROOT } from './dataProvider';
import { api } from './http';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  reload: () => void;
}

/** GETs `{ data }` once, and again on reload(); nothing while `enabled` is false. */
export function useAdminApi<T>(path: string, enabled = true): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api<{ data: T }>(`${API_ROOT}${path}`, { signal: controller.signal }).then(
      ({ json }) => setState({ data: json.data }),
      (error: unknown) =>
        !controller.signal.aborted && setState({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => controller.abort();
  }, [path, round, enabled]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
