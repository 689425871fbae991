// A list's selected rows as the entries a bulk dialog acts on: each with the name it shows (the
// type's main field, else the documentId).
import type { Identifier, RaRecord } from 'react-admin';
import type { ContentTypeInfo } from '../schema';

export interface SelectedEntry {
  documentId: string;
  label: string;
}

export function selectedEntries(
  type: ContentTypeInfo,
  selectedIds: Identifier[],
  rows: RaRecord[] | undefined,
): SelectedEntry[] {
  return selectedIds.map((selected) => {
    const id = String(selected);
    const record = rows?.find((r) => String(r.id) === id);
    const name: unknown = type.mainField ? record?.[type.mainField] : undefined;
    return { documentId: id, label: typeof name === 'string' && name ? name : id };
  });
}
