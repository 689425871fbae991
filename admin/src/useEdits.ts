import { useMemo, useState } from 'react';

export interface Edits<T> {
  /** What the page shows: the loaded value with the editor's changes, undefined until loaded. */
  value: T | undefined;
  /** The editor changed something since the value was last loaded. */
  dirty: boolean;
  /** Changes the shown value; `update` returns a new value and leaves its argument alone. */
  edit(update: (current: T) => T): void;
  /** Drops the changes: the loaded value shows again. */
  discard(): void;
}

/**
 * An editable copy of loaded data (a role's permissions, the Public API's allow list). The shown
 * value is derived while rendering, not copied into state by an effect: the copy left one painted
 * frame in which a freshly loaded page showed its initial empty state — every box unchecked. Changes
 * belong to the load they were made on, so a reload (after saving) shows the stored value again.
 */
export function useEdits<L, T>(loaded: L | undefined, derive: (loaded: L) => T): Edits<T> {
  const [edited, setEdited] = useState<{ from: L; value: T }>();
  // `derive` is a pure function of the loaded value: a new one each render changes nothing.
  const base = useMemo(() => (loaded === undefined ? undefined : derive(loaded)), [loaded]);
  const dirty = edited !== undefined && edited.from === loaded;
  return {
    value: dirty ? edited.value : base,
    dirty,
    edit(update) {
      if (loaded === undefined || base === undefined) return;
      setEdited((current) => ({ from: loaded, value: update(current?.from === loaded ? current.value : base) }));
    },
    discard: () => setEdited(undefined),
  };
}
